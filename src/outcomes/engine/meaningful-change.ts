import type { OutcomeMeasure } from '../../domain/measure-catalogue.js';

export type ChangeDirection = 'improved' | 'worsened' | 'unchanged';

export interface ChangeAssessment {
  /** latest - baseline, in the measure's unit. */
  change: number;
  /** The change as a share of the baseline, in percent; null when the baseline is 0 (no share of nothing). */
  percentChange: number | null;
  direction: ChangeDirection;
  /**
   * Whether the size of the change reaches the measure's meaningful-change rule, whichever way it went;
   * null when the reference defines no rule for the measure.
   */
  meaningful: boolean | null;
}

/**
 * Averages and prorated totals are not whole numbers, so a change of exactly 2 points can arrive as
 * 1.9999999999999996. Differences smaller than this are treated as equal.
 */
const TOLERANCE = 1e-9;

/**
 * How a value moved between two measurements. The rule is symmetric: for a given baseline, a rise and a fall of
 * the same size are equally meaningful; only the direction differs.
 */
export function assessChange(measure: OutcomeMeasure, baseline: number, latest: number): ChangeAssessment {
  const change = latest - baseline;
  const size = Math.abs(change);
  const percentChange = baseline === 0 ? null : (change / Math.abs(baseline)) * 100;
  const direction: ChangeDirection =
    size <= TOLERANCE ? 'unchanged' : (measure.better === 'lower') === change < 0 ? 'improved' : 'worsened';
  return { change, percentChange, direction, meaningful: isMeaningful(measure, baseline, size, direction) };
}

function isMeaningful(
  measure: OutcomeMeasure,
  baseline: number,
  size: number,
  direction: ChangeDirection,
): boolean | null {
  const rule = measure.meaningfulChange;
  if (rule.kind === 'not_defined') return null;
  if (direction === 'unchanged') return false;
  if (size >= rule.points - TOLERANCE) return true;
  // Percent of the baseline, compared as products so that 3 of 10 is exactly 30%.
  return (
    rule.kind === 'points_or_percent' && baseline !== 0 && size * 100 >= rule.percent * Math.abs(baseline) - TOLERANCE
  );
}
