import { parseRegionRef, sortRegionRefs } from '../../domain/body-regions.js';
import { assessChange, type ChangeAssessment } from './meaningful-change.js';
import { type MeasureId, OUTCOME_MEASURES, outcomeMeasure } from '../../domain/measure-catalogue.js';
import type { Measurement, MeasurementDetail } from './measurement.js';
import { NDI_BANDS } from './neck-disability-index.js';
import { psfsActivitySet } from './outcome-submission.js';
import { ODI_BANDS } from './oswestry.js';
import { type Progress, progressOf, seriesOf } from './progress.js';
import { type Band, bandOf } from './questionnaire.js';

/**
 * A client's progress, ready to chart: one series per measure and key, each point with its band (ODI, NDI) and
 * its change from the baseline (meaningful or not, as the measure defines it), and the series' baseline-to-latest
 * progress. Pure: the measurements come in, the report goes out.
 */

export interface StoredMeasurement extends Measurement {
  bookingId: string | null;
  detail: MeasurementDetail;
}

export interface PointReport {
  sessionDate: string;
  bookingId: string | null;
  value: number;
  band: Band | null;
  /** Change from the series' first point; null for the first point itself. */
  fromBaseline: ChangeAssessment | null;
}

export interface SeriesReport {
  measure: MeasureId;
  key: string | null;
  points: PointReport[];
  progress: Progress;
}

export function bandsOf(measure: MeasureId): readonly Band[] | null {
  return measure === 'odi' ? ODI_BANDS : measure === 'ndi' ? NDI_BANDS : null;
}

/**
 * The PSFS average compares like with like only while the same activities are rated. Averages of an earlier set
 * of activities are left out of its series (each activity keeps its own series), so the average's baseline is the
 * first rating of the activities the client rates now.
 */
function withCurrentPsfsSet(measurements: readonly StoredMeasurement[]): StoredMeasurement[] {
  const averages = measurements.filter((m) => m.measure === 'psfs');
  const latest = averages.reduce<StoredMeasurement | undefined>(
    (last, m) => (!last || m.sessionDate >= last.sessionDate ? m : last),
    undefined,
  );
  if (!latest) return [...measurements];
  const current = psfsActivitySet(latest.detail.ratings ?? []).join('\u0000');
  return measurements.filter(
    (m) => m.measure !== 'psfs' || psfsActivitySet(m.detail.ratings ?? []).join('\u0000') === current,
  );
}

const MEASURE_ORDER = new Map(OUTCOME_MEASURES.map((m, i) => [m.id, i]));

function keyOrder(keys: (string | null)[]): Map<string | null, number> {
  const regions = sortRegionRefs(keys.filter((k): k is string => k !== null && parseRegionRef(k) !== undefined));
  const others = keys
    .filter((k) => k === null || parseRegionRef(k) === undefined)
    .sort((a, b) => (a ?? '').localeCompare(b ?? ''));
  return new Map([...others, ...regions].map((k, i) => [k, i]));
}

/** Measurements of one session date keep the order given (as recorded); series come in catalogue order, regions in body-map order. */
export function progressReport(measurements: readonly StoredMeasurement[]): SeriesReport[] {
  // Sorted (stably) as seriesOf sorts each series, so a series' points and its measurements line up.
  const kept = withCurrentPsfsSet(measurements).sort((a, b) =>
    a.sessionDate < b.sessionDate ? -1 : a.sessionDate > b.sessionDate ? 1 : 0,
  );
  const reports = seriesOf(kept).map((series): SeriesReport => {
    const measure = outcomeMeasure(series.measure);
    const bands = bandsOf(series.measure);
    const points = kept.filter((m) => m.measure === series.measure && m.key === series.key);
    const baseline = points[0]!.value;
    return {
      measure: series.measure,
      key: series.key,
      points: points.map((p, i) => ({
        sessionDate: p.sessionDate,
        bookingId: p.bookingId,
        value: p.value,
        band: bands ? bandOf(bands, p.value) : null,
        fromBaseline: i === 0 ? null : assessChange(measure, baseline, p.value),
      })),
      progress: progressOf(series)!,
    };
  });
  const keys = keyOrder(reports.map((r) => r.key));
  return reports.sort(
    (a, b) => MEASURE_ORDER.get(a.measure)! - MEASURE_ORDER.get(b.measure)! || keys.get(a.key)! - keys.get(b.key)!,
  );
}
