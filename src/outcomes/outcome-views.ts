import { z } from 'zod';
import { regionRefLabel } from '../domain/region-label.js';
import { parseRegionRef } from '../domain/body-regions.js';
import { describeMeaningfulChange, MEASURE_IDS, type MeasureId, outcomeMeasure } from '../domain/measure-catalogue.js';
import type { MeasurementRow } from './measurement-store.js';
import { bandsOf, type SeriesReport } from './engine/progress-report.js';
import { bandOf } from './engine/questionnaire.js';

/** How measurements and progress leave the server. */

const bandSchema = z.object({ id: z.string(), label: z.string() });

const changeSchema = z.object({
  change: z.number().describe('latest − baseline, in the measure’s unit'),
  percentChange: z.number().nullable().describe('null at a baseline of 0'),
  direction: z.enum(['improved', 'worsened', 'unchanged']),
  meaningful: z
    .boolean()
    .nullable()
    .describe('Reaches the measure’s meaningful-change rule either way; null where the reference defines none'),
});

export const measurementSchema = z
  .object({
    id: z.uuid(),
    measure: z.enum(MEASURE_IDS),
    name: z.string(),
    unit: z.string(),
    key: z.string().nullable(),
    keyLabel: z.string().nullable().describe('The region, side or activity in words'),
    value: z.number(),
    band: bandSchema.nullable(),
    sessionDate: z.iso.date(),
    bookingId: z.uuid().nullable(),
    source: z.enum(['note', 'therapist', 'client']),
    recordedBy: z.uuid(),
    recordedAt: z.iso.datetime(),
    detail: z
      .object({
        answers: z.record(z.string(), z.number().nullable()).optional(),
        ratings: z.array(z.object({ activity: z.string(), score: z.number() })).optional(),
        activity: z.string().optional(),
        trials: z.array(z.number()).optional(),
      })
      .describe('What the value was computed from'),
  })
  .meta({ id: 'OutcomeMeasurement' });

export type MeasurementView = z.infer<typeof measurementSchema>;

export const seriesSchema = z
  .object({
    measure: z.enum(MEASURE_IDS),
    name: z.string(),
    unit: z.string(),
    better: z.enum(['lower', 'higher']),
    min: z.number(),
    max: z.number(),
    key: z.string().nullable(),
    keyLabel: z.string().nullable(),
    meaningfulChange: z.string().describe('The measure’s rule in words'),
    bands: z.array(z.object({ id: z.string(), label: z.string(), upTo: z.number() })).nullable(),
    points: z.array(
      z.object({
        sessionDate: z.iso.date(),
        bookingId: z.uuid().nullable(),
        value: z.number(),
        band: bandSchema.nullable(),
        fromBaseline: changeSchema.nullable().describe('null for the baseline itself'),
      }),
    ),
    baseline: z.object({ sessionDate: z.iso.date(), value: z.number() }),
    latest: z.object({ sessionDate: z.iso.date(), value: z.number() }),
    ...changeSchema.shape,
    meaningfulImprovement: z.boolean().nullable(),
    measurements: z.number(),
  })
  .meta({ id: 'ProgressSeries' });

export type SeriesView = z.infer<typeof seriesSchema>;

const SIDE_WORDS = { left: 'Left', right: 'Right' } as const;

/** The thing a value is about, in words: a region, a side, or the activity in the client's words. */
export function keyLabel(
  measure: MeasureId,
  key: string | null,
  activityWords: ReadonlyMap<string, string> = new Map(),
): string | null {
  if (key === null) return null;
  switch (outcomeMeasure(measure).keyedBy) {
    case 'region':
      return parseRegionRef(key) ? regionRefLabel(key) : key;
    case 'side':
      return SIDE_WORDS[key as keyof typeof SIDE_WORDS] ?? key;
    case 'activity':
      return activityWords.get(key) ?? key;
    default:
      return key;
  }
}

/** The latest words the client used for each PSFS activity, by its key. */
export function activityWordsOf(rows: readonly MeasurementRow[]): Map<string, string> {
  const words = new Map<string, string>();
  for (const row of rows)
    if (row.measure === 'psfs_activity' && row.key !== null && row.detail.activity)
      words.set(row.key, row.detail.activity);
  return words;
}

export function toMeasurementView(row: MeasurementRow): MeasurementView {
  const measure = outcomeMeasure(row.measure);
  const bands = bandsOf(row.measure);
  const band = bands ? bandOf(bands, row.value) : null;
  return {
    id: row.id,
    measure: row.measure,
    name: measure.name,
    unit: measure.unit,
    key: row.key,
    keyLabel: keyLabel(
      row.measure,
      row.key,
      new Map(row.detail.activity && row.key ? [[row.key, row.detail.activity]] : []),
    ),
    value: row.value,
    band: band && { id: band.id, label: band.label },
    sessionDate: row.session_date,
    bookingId: row.booking_id,
    source: row.source,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at.toISOString(),
    detail: row.detail,
  };
}

export function toSeriesView(report: SeriesReport, activityWords: ReadonlyMap<string, string>): SeriesView {
  const measure = outcomeMeasure(report.measure);
  const { baseline, latest, change, percentChange, direction, meaningful, meaningfulImprovement, measurements } =
    report.progress;
  return {
    measure: report.measure,
    name: measure.name,
    unit: measure.unit,
    better: measure.better,
    min: measure.min,
    max: measure.max,
    key: report.key,
    keyLabel: keyLabel(report.measure, report.key, activityWords),
    meaningfulChange: describeMeaningfulChange(measure.meaningfulChange),
    bands: bandsOf(report.measure)?.map((b) => ({ id: b.id, label: b.label, upTo: b.upTo })) ?? null,
    points: report.points.map((p) => ({
      sessionDate: p.sessionDate,
      bookingId: p.bookingId,
      value: p.value,
      band: p.band && { id: p.band.id, label: p.band.label },
      fromBaseline: p.fromBaseline,
    })),
    baseline,
    latest,
    change,
    percentChange,
    direction,
    meaningful,
    meaningfulImprovement,
    measurements,
  };
}
