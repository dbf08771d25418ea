import { assessChange, type ChangeAssessment } from './meaningful-change.js';
import { type MeasureId, outcomeMeasure } from '../../domain/measure-catalogue.js';
import type { Measurement } from './measurement.js';

export interface SeriesPoint {
  sessionDate: string;
  value: number;
}

/** The values of one measure about one thing (a region, a side, an activity, or the whole person), oldest first. */
export interface Series {
  measure: MeasureId;
  key: string | null;
  points: SeriesPoint[];
}

export interface Progress extends ChangeAssessment {
  measure: MeasureId;
  key: string | null;
  baseline: SeriesPoint;
  latest: SeriesPoint;
  /** How many measurements the series holds. */
  measurements: number;
  /** Meaningful and in the better direction; null when the measure has no meaningful-change rule. */
  meaningfulImprovement: boolean | null;
}

const seriesId = (measure: MeasureId, key: string | null) => `${measure}\u0000${key ?? ''}`;

/**
 * Groups measurements into one series per measure and key, each ordered by session date (measurements on the
 * same date keep the order given), series in order of first appearance.
 */
export function seriesOf(measurements: readonly Measurement[]): Series[] {
  const series = new Map<string, Series>();
  for (const m of measurements) {
    const id = seriesId(m.measure, m.key);
    let s = series.get(id);
    if (!s) series.set(id, (s = { measure: m.measure, key: m.key, points: [] }));
    s.points.push({ sessionDate: m.sessionDate, value: m.value });
  }
  for (const s of series.values())
    s.points.sort((a, b) => (a.sessionDate < b.sessionDate ? -1 : a.sessionDate > b.sessionDate ? 1 : 0));
  return [...series.values()];
}

/** Baseline (first) against latest (last) of a series ordered oldest first; null for an empty series. */
export function progressOf(series: Series): Progress | null {
  const baseline = series.points[0];
  const latest = series.points[series.points.length - 1];
  if (!baseline || !latest) return null;
  const change = assessChange(outcomeMeasure(series.measure), baseline.value, latest.value);
  return {
    measure: series.measure,
    key: series.key,
    baseline,
    latest,
    measurements: series.points.length,
    ...change,
    meaningfulImprovement: change.meaningful === null ? null : change.meaningful && change.direction === 'improved',
  };
}
