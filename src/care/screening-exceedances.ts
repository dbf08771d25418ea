import type { RegionRef } from '../intake/body-regions.js';
import type { PressureLevel } from './pressure-scale.js';
import type { WorkedRegion } from './session-note.js';

/**
 * What screening allows for one client: the highest pressure per region (endangerment sites included, as the
 * screening engine caps them for everyone) and the regions to leave out altogether.
 */
export interface ScreeningLimits {
  caps: Partial<Record<RegionRef, PressureLevel>>;
  excluded: readonly RegionRef[];
}

export type ScreeningExceedance =
  | { region: RegionRef; kind: 'pressure_above_cap'; logged: number; cap: PressureLevel }
  | { region: RegionRef; kind: 'excluded_region_worked'; logged: number };

/**
 * The regions of a note that went beyond what screening allows: worked although excluded, or worked harder than
 * the cap. A note may still record them (the therapist judged it right), but each needs a recorded reason.
 */
export function screeningExceedances(regionsWorked: readonly WorkedRegion[], limits: ScreeningLimits): ScreeningExceedance[] {
  const excluded = new Set(limits.excluded);
  return regionsWorked.flatMap((worked): ScreeningExceedance[] => {
    if (excluded.has(worked.region)) return [{ region: worked.region, kind: 'excluded_region_worked', logged: worked.maxPressure }];
    const cap = limits.caps[worked.region];
    if (cap !== undefined && worked.maxPressure > cap) {
      return [{ region: worked.region, kind: 'pressure_above_cap', logged: worked.maxPressure, cap }];
    }
    return [];
  });
}
