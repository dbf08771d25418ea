import type { ColumnType, Generated } from 'kysely';
import type { MeasureId } from '../domain/measure-catalogue.js';
import type { MeasurementDetail } from './engine/measurement.js';

export type MeasurementSource = 'note' | 'therapist' | 'client';

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
