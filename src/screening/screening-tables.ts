import type { ColumnType, Generated } from 'kysely';
import type { Outcome, ScreeningDecision } from './engine/screening-engine.js';

export type ScreeningStage = 'hold' | 'confirm' | 'reschedule' | 'intake_changed' | 'override';

export interface BookingScreeningsTable {
  id: Generated<number>;
  booking_id: string;
  client_id: string;
  intake_version: number;
  stage: ScreeningStage;
  outcome: Outcome;
  focus_regions: ColumnType<string[] | null, string | null, never>;
  clearance_rule_ids: ColumnType<string[], string, never>;
  decision: ColumnType<ScreeningDecision, string, never>;
  created_at: Date;
}

export interface ScreeningOverridesTable {
  booking_id: string;
  rule_id: string;
  therapist_id: string;
  reason: string;
  created_at: Date;
}

export type ClearanceDocumentStatus = 'submitted' | 'verified' | 'rejected';

export interface ClearanceDocumentsTable {
  id: Generated<string>;
  booking_id: string;
  client_id: string;
  filename: string;
  content_type: 'application/pdf' | 'image/png' | 'image/jpeg';
  size_bytes: number;
  sha256: string;
  content: ColumnType<Uint8Array, Uint8Array, never>;
  uploaded_by: string;
  uploaded_at: Date;
  status: ColumnType<ClearanceDocumentStatus, ClearanceDocumentStatus | undefined, ClearanceDocumentStatus>;
  covers: ColumnType<string[], string | undefined, string>;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_note: string | null;
}

export interface ScreeningTables {
  booking_screenings: BookingScreeningsTable;
  screening_overrides: ScreeningOverridesTable;
  clearance_documents: ClearanceDocumentsTable;
}
