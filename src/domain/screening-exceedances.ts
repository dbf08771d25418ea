import { ENDANGERMENT_REFS, type RegionRef } from './body-regions.js';
import type { PressureLevel } from './pressure-scale.js';
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

/** The parts of a screening decision the limits come from (structural, so care needs nothing of screening). */
export interface LimitingDecision {
  restrictions: readonly { region: RegionRef; excluded: boolean; cap: PressureLevel | null }[];
  techniqueLimits: readonly { region: RegionRef; technique: TechniqueId }[];
}

/** The pressure every client's endangerment sites are held to (WRN-END), whatever else screening says. */
const ENDANGERMENT_CAP: PressureLevel = 1;

/**
 * What a booking's screening allows. Without a screening (the client erased their consultation after the session)
 * only the endangerment sites' standing cap is known.
 */
export function screeningLimitsOf(decision: LimitingDecision | undefined): ScreeningLimits {
  if (!decision)
    return { caps: Object.fromEntries(ENDANGERMENT_REFS.map((ref) => [ref, ENDANGERMENT_CAP])), excluded: [] };
  const caps: ScreeningLimits['caps'] = {};
  const excluded: RegionRef[] = [];
  for (const r of decision.restrictions) {
    if (r.excluded) excluded.push(r.region);
    else if (r.cap !== null) caps[r.region] = r.cap;
  }
  return {
    caps,
    excluded,
    avoidTechniques: decision.techniqueLimits.map((t) => ({ region: t.region, technique: t.technique })),
  };
}

export type ScreeningExceedance =
  | { region: RegionRef; kind: 'pressure_above_cap'; logged: number; cap: PressureLevel }
  | { region: RegionRef; kind: 'excluded_region_worked'; logged: number }
  | { region: RegionRef; kind: 'technique_avoided'; technique: TechniqueId };

export type PressureExceedance = Extract<
  ScreeningExceedance,
  { kind: 'pressure_above_cap' | 'excluded_region_worked' }
>;

/** What the check reads of a region a note records as worked (a session note's `regionsWorked` entry). */
export interface WorkedRegionLimits {
  region: RegionRef;
  maxPressure: number;
  techniques: readonly TechniqueId[];
}

/** Whether pressure `level` on `region` goes beyond the screening: above its cap, or on a region to leave out. */
export function pressureExceedance(
  region: RegionRef,
  level: number,
  limits: ScreeningLimits,
): PressureExceedance | null {
  if (limits.excluded.includes(region)) return { region, kind: 'excluded_region_worked', logged: level };
  const cap = limits.caps[region];
  return cap !== undefined && level > cap ? { region, kind: 'pressure_above_cap', logged: level, cap } : null;
}

/**
 * The regions of a note that went beyond what screening allows: worked although excluded, worked harder than the
 * cap, or with a technique screening rules out there. A note may still record them (the therapist judged it
 * right), but each needs a recorded reason.
 */
export function screeningExceedances(
  regionsWorked: readonly WorkedRegionLimits[],
  limits: ScreeningLimits,
): ScreeningExceedance[] {
  return regionsWorked.flatMap((worked): ScreeningExceedance[] => {
    const pressure = pressureExceedance(worked.region, worked.maxPressure, limits);
    if (pressure?.kind === 'excluded_region_worked') return [pressure];
    const found: ScreeningExceedance[] = pressure ? [pressure] : [];
    for (const limit of limits.avoidTechniques ?? []) {
      if (limit.region === worked.region && worked.techniques.includes(limit.technique)) {
        found.push({ region: worked.region, kind: 'technique_avoided', technique: limit.technique });
      }
    }
    return found;
  });
}

/**
 * Where the pressure applied during a session (the live record's highest level per region) went beyond the
 * screening. Each needs a reason in the session's note, as work the note itself records beyond the limits does.
 */
export function appliedPressureExceedances(
  applied: readonly { region: RegionRef | null; highestPressureApplied: number | null }[],
  limits: ScreeningLimits,
): PressureExceedance[] {
  return applied.flatMap((r) =>
    r.region === null || r.highestPressureApplied === null
      ? []
      : [pressureExceedance(r.region, r.highestPressureApplied, limits)].filter((e) => e !== null),
  );
}
