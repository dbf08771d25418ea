import { EXERCISES } from '../care/engine/exercise-catalogue.js';
import type { AftercarePlan } from '../care/engine/aftercare-plan.js';
import { GUIDE_TITLES, type GuideSlug, guidePath, guidesForRegions } from '../domain/guide-links.js';

export interface AftercareGuide {
  slug: GuideSlug;
  title: string;
  path: string;
}

/** The home programme's per-region exercises: a stretch and a foam-rolling exercise for each region worked. */
const PER_REGION = new Map(EXERCISES.filter((e) => e.kind !== 'strengthen').map((e) => [e.id, e.serves]));

/**
 * The guides for the regions a session worked: those its signed note names (kept with the aftercare), so an edit of
 * the exercises changes nothing. Aftercare written before the regions were kept has only its plan: there the home
 * programme's stretch and rolling exercise for each region worked, and those a condition ruled out, stand for them.
 * Soreness after massage is always among them.
 */
export function aftercareGuides(
  plan: AftercarePlan,
  omitted: readonly { exerciseId: string }[],
  regionsWorked: readonly string[] = [],
): AftercareGuide[] {
  const regions =
    regionsWorked.length > 0
      ? regionsWorked
      : [...plan.sections.flatMap((s) => s.items.map((i) => i.id)), ...omitted.map((o) => o.exerciseId)].flatMap(
          (id) => PER_REGION.get(id) ?? [],
        );
  return guidesForRegions(regions).map((slug) => ({ slug, title: GUIDE_TITLES[slug], path: guidePath(slug) }));
}
