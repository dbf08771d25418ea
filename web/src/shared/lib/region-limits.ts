import { type PressureLevel, pressureLabel } from '../../../../src/domain/pressure-scale';
import type { ScreeningLimits } from '../../../../src/domain/screening-exceedances';
import type { RegionLimit } from './api-types';

/** The server's per-region limits in the shape the care module checks pressure against. */
export function screeningLimitsFrom(limits: readonly RegionLimit[]): ScreeningLimits {
  return {
    caps: Object.fromEntries(
      limits.filter((l) => !l.excluded && l.cap !== null).map((l) => [l.region, l.cap as PressureLevel]),
    ),
    excluded: limits.filter((l) => l.excluded).map((l) => l.region),
  };
}

/** A region's limit in a few words, for controls: "up to 1 · Light", "leave out". */
export function limitWords(limit: Pick<RegionLimit, 'excluded' | 'cap'>): string {
  if (limit.excluded || limit.cap === null) return 'leave out';
  return `up to ${limit.cap} · ${pressureLabel(limit.cap as PressureLevel)}`;
}
