import type { ColumnType, Generated } from 'kysely';
import type { MeasureId } from '../domain/measure-catalogue.js';

export type MeasurementSource = 'note' | 'therapist' | 'client';

/** What a value was computed from; which fields are present depends on the measure. */
export interface MeasurementDetail {
  /** ODI and NDI: the chosen statement's score per section (null: skipped). */
  answers?: Record<string, number | null>;
  /** PSFS average: the activities rated, in the client's words. */
  ratings?: { activity: string; score: number }[];
  /** One PSFS activity: the client's words (the key is their normalised form). */
  activity?: string;
  /** AKE, SLR, sit-and-reach: the protocol's readings. */
  trials?: number[];
}

export interface OutcomeMeasurementsTable {
  id: Generated<string>;
  client_id: string;
  booking_id: string | null;
  measure: MeasureId;
  key: string | null;
  value: number;
  detail: ColumnType<MeasurementDetail, string, never>;
  /** 'YYYY-MM-DD' */
  session_date: string;
  source: MeasurementSource;
  recorded_by: string;
  recorded_at: Date;
}

export interface OutcomeTables {
  outcome_measurements: OutcomeMeasurementsTable;
}
