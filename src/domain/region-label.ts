import { BODY_REGIONS, parseRegionRef, type RegionId, type RegionRef } from './body-regions.js';

/** A region reference as people read it: "Calf, left", "Abdomen". */
export function regionRefLabel(ref: RegionRef): string {
  const parsed = parseRegionRef(ref);
  if (!parsed) return ref;
  return parsed.side ? `${parsed.region.label}, ${parsed.side}` : parsed.region.label;
}

/** Regions (both sides together) in body-map order, as words in a sentence: "back of the thigh (hamstrings), calf". */
export function regionIdsInWords(ids: ReadonlySet<RegionId> | readonly RegionId[]): string {
  const wanted = new Set<string>(ids);
  return BODY_REGIONS.filter((r) => wanted.has(r.id))
    .map((r) => r.label.toLowerCase())
    .join(', ');
}
