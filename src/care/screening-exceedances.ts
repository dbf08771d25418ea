import type { RegionRef } from '../intake/body-regions.js';
import type { PressureLevel } from './pressure-scale.js';
import type { WorkedRegion } from './session-note.js';
import type { TechniqueId } from './technique-catalogue.js';

/**
 * What screening allows for one client: the highest pressure per region (endangerment sites included, as the
 * screening engine caps them for everyone), the regions to leave out altogether, and techniques ruled out on a
 * region (cross-fibre friction on an acute injury).
 */
export interface ScreeningLimits {
  caps: Partial<Record<RegionRef, PressureLevel>>;
  excluded: readonly RegionRef[];
  avoidTechniques?: readonly { region: RegionRef; technique: TechniqueId }[];
}

export type ScreeningExceedance =
  | { region: RegionRef; kind: 'pressure_above_cap'; logged: number; cap: PressureLevel }
  | { region: RegionRef; kind: 'excluded_region_worked'; logged: number }
  | { region: RegionRef; kind: 'technique_avoided'; technique: TechniqueId };

/**
 * The regions of a note that went beyond what screening allows: worked although excluded, worked harder than the
 * cap, or with a technique screening rules out there. A note may still record them (the therapist judged it
 * right), but each needs a recorded reason.
 */
export function screeningExceedances(regionsWorked: readonly WorkedRegion[], limits: ScreeningLimits): ScreeningExceedance[] {
  const excluded = new Set(limits.excluded);
  return regionsWorked.flatMap((worked): ScreeningExceedance[] => {
    if (excluded.has(worked.region)) return [{ region: worked.region, kind: 'excluded_region_worked', logged: worked.maxPressure }];
    const found: ScreeningExceedance[] = [];
    const cap = limits.caps[worked.region];
    if (cap !== undefined && worked.maxPressure > cap) {
      found.push({ region: worked.region, kind: 'pressure_above_cap', logged: worked.maxPressure, cap });
    }
    for (const limit of limits.avoidTechniques ?? []) {
      if (limit.region === worked.region && worked.techniques.includes(limit.technique)) {
        found.push({ region: worked.region, kind: 'technique_avoided', technique: limit.technique });
      }
    }
    return found;
  });
}
