import type { ColumnType, Generated } from 'kysely';
import type { SessionNote } from '../care/engine/session-note.js';
import type { ExceedanceReason } from './engine/note-rules.js';
import type { PlanGoal } from './engine/treatment-plan-schema.js';

type Json<T> = ColumnType<T, string, string>;

export type NoteStatus = 'draft' | 'signed';

export interface SessionNotesTable {
  id: Generated<string>;
  booking_id: string;
  client_id: string;
  therapist_id: string;
  template_id: string | null;
  content: Json<SessionNote>;
  exceedance_reasons: Json<ExceedanceReason[]>;
  status: ColumnType<NoteStatus, NoteStatus | undefined, NoteStatus>;
  created_at: Date;
  updated_at: Date;
  signed_at: Date | null;
  signed_by: string | null;
  /** Set by erasure on a signed note: hidden from every read, purged once passed (migration 0034). */
  restricted_until: Generated<Date | null>;
}

export interface SessionNoteAmendmentsTable {
  id: Generated<number>;
  note_id: string;
  author_id: string;
  created_at: Date;
  reason: string;
  content: ColumnType<SessionNote, string, never>;
  exceedance_reasons: ColumnType<ExceedanceReason[], string, never>;
  changed_fields: ColumnType<string[], string, never>;
}

export type PlanPeriod = 'week' | 'fortnight' | 'month';

export interface TreatmentPlansTable {
  id: Generated<string>;
  client_id: string;
  therapist_id: string;
  version: number;
  goals: Json<PlanGoal[]>;
  sessions_per_period: number;
  period: PlanPeriod;
  planned_sessions: number;
  /** 'YYYY-MM-DD' */
  starts_on: string;
  review_on: string;
  notes: string;
  created_at: Date;
  updated_at: Date;
}

export interface RecordsTables {
  session_notes: SessionNotesTable;
  session_note_amendments: SessionNoteAmendmentsTable;
  treatment_plans: TreatmentPlansTable;
}
