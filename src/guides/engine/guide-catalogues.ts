import { BODY_REGIONS } from '../../domain/body-regions.js';
import { type SourceKey, CLINICAL_SOURCES } from '../../domain/clinical-sources.js';
import { FLEXIBILITY_TESTS } from '../../domain/flexibility-tests.js';
import { TECHNIQUES } from '../../domain/technique-catalogue.js';
import { heatIceBathItems, hydrationAndRestItems, whatToExpectItems } from '../../care/engine/aftercare-self-care.js';
import { EXERCISES } from '../../care/engine/exercise-catalogue.js';
import { RED_FLAGS, SORENESS_ESCALATION } from '../../care/engine/red-flags.js';
import { SCREENING_ENTRIES } from '../../screening/engine/contraindication-catalogue.js';
import { REFERRAL_PATTERNS } from '../../screening/engine/referred-pain.js';

/**
 * The catalogues a guide may state facts from, each entry by its catalogue's own id with the source keys the
 * catalogue gives it. A guide's claim names the entries it rests on (`CatalogueRef`) and carries their sources;
 * `catalogueEntry` is how a claim, and the claims test, find the entry again.
 */
export type CatalogueName =
  | 'contraindication'
  | 'referral'
  | 'technique'
  | 'aftercare'
  | 'red_flag'
  | 'exercise'
  | 'flexibility_test'
  | 'endangerment_site';

export interface CatalogueRef {
  catalogue: CatalogueName;
  id: string;
}

export interface CatalogueEntrySummary {
  sources: readonly string[];
}

/** The aftercare's standing items (no condition adjusts them): what the aftercare says to every client. */
function standingAftercareItems() {
  return [
    ...whatToExpectItems({ sessionEndedAt: 0, regionsWorked: [] }, 'UTC'),
    ...hydrationAndRestItems([]),
    ...heatIceBathItems([]),
  ];
}

const byId = <T extends { sources: readonly string[] }>(entries: Iterable<[string, T]>) => new Map(entries);

const CATALOGUES: Record<CatalogueName, ReadonlyMap<string, CatalogueEntrySummary>> = {
  contraindication: byId(SCREENING_ENTRIES.map((e) => [e.id, e])),
  referral: byId(REFERRAL_PATTERNS.map((p) => [p.muscle, p])),
  technique: byId(TECHNIQUES.map((t) => [t.id, t])),
  aftercare: byId(standingAftercareItems().map((item) => [item.id, item])),
  red_flag: byId([
    ...RED_FLAGS.map((f): [string, CatalogueEntrySummary] => [f.id, f]),
    ['soreness_escalation', SORENESS_ESCALATION],
  ]),
  exercise: byId(EXERCISES.map((e) => [e.id, e])),
  flexibility_test: byId(FLEXIBILITY_TESTS.map((t) => [t.id, t])),
  endangerment_site: byId(
    BODY_REGIONS.flatMap((r): [string, CatalogueEntrySummary][] =>
      'endangerment' in r && r.endangerment ? [[r.id, r.endangerment]] : [],
    ),
  ),
};

/** The entry a reference names, or undefined when no catalogue holds it. */
export function catalogueEntry(ref: CatalogueRef): CatalogueEntrySummary | undefined {
  return CATALOGUES[ref.catalogue]?.get(ref.id);
}

export function isSourceKey(key: string): key is SourceKey {
  return Object.hasOwn(CLINICAL_SOURCES, key);
}

/** The sources of the entries named, in first-seen order; throws on an entry no catalogue holds (a bug in a guide). */
export function sourcesOf(refs: readonly CatalogueRef[]): SourceKey[] {
  const keys: SourceKey[] = [];
  for (const ref of refs) {
    const entry = catalogueEntry(ref);
    if (!entry) throw new Error(`No ${ref.catalogue} entry ${ref.id}`);
    for (const key of entry.sources) {
      if (!isSourceKey(key)) throw new Error(`${ref.catalogue} ${ref.id} cites an unknown source ${key}`);
      if (!keys.includes(key)) keys.push(key);
    }
  }
  return keys;
}
