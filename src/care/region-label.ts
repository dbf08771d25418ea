import { parseRegionRef, type RegionRef } from '../intake/body-regions.js';

/** A region reference as people read it: "Calf, left", "Abdomen". */
export function regionRefLabel(ref: RegionRef): string {
  const parsed = parseRegionRef(ref);
  if (!parsed) return ref;
  return parsed.side ? `${parsed.region.label}, ${parsed.side}` : parsed.region.label;
}
