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
 * The guides for the regions a session worked, read from its aftercare (no table keeps the regions beside it): the
 * home programme chooses a stretch and a rolling exercise for each region worked, and notes those a condition ruled
 * out, so their regions are the regions worked; a therapist's added exercise counts too. Soreness after massage is
 * always among them.
 */
export function aftercareGuides(plan: AftercarePlan, omitted: readonly { exerciseId: string }[]): AftercareGuide[] {
  const ids = [...plan.sections.flatMap((s) => s.items.map((i) => i.id)), ...omitted.map((o) => o.exerciseId)];
  const regions = ids.flatMap((id) => PER_REGION.get(id) ?? []);
  return guidesForRegions(regions).map((slug) => ({ slug, title: GUIDE_TITLES[slug], path: guidePath(slug) }));
}
