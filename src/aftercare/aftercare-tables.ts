import type { ColumnType, Generated } from 'kysely';
import type { AftercarePlan } from '../care/engine/aftercare-plan.js';
import type { CheckInOutcome } from '../care/engine/check-in-evaluation.js';
import type { ClientCondition } from '../care/engine/client-conditions.js';
import type { OmittedExercise } from '../care/engine/home-programme.js';
import type { RedFlagId } from '../care/engine/red-flags.js';

type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

export type AftercareStatus = 'draft' | 'sent';
export type CheckInStatus = 'scheduled' | 'open' | 'answered' | 'expired';
export type CheckInLevel = 'ok' | 'seek_care' | 'emergency';

export interface StoredCheckInAnswers {
  soreness: number;
  trend: 'better' | 'same' | 'worse';
  redFlags: Record<RedFlagId, boolean>;
}

export interface AftercarePlansTable {
  id: Generated<string>;
  booking_id: string;
  client_id: string;
  therapist_id: string;
  content: Json<AftercarePlan>;
  omitted: Json<OmittedExercise[]>;
  conditions: Json<ClientCondition[]>;
  /** The body-map refs the signed note worked (0038); empty for aftercare written before. */
  regions_worked: Json<string[]>;
  status: ColumnType<AftercareStatus, AftercareStatus | undefined, AftercareStatus>;
  edited: Generated<boolean>;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
  sent_by: string | null;
}

export interface CheckInsTable {
  id: Generated<string>;
  booking_id: string;
  client_id: string;
  therapist_id: string;
  seq: number;
  hours_after: number;
  session_ended_at: Date;
  due_at: Date;
  remind_at: Date;
  expires_at: Date;
  status: ColumnType<CheckInStatus, CheckInStatus | undefined, CheckInStatus>;
  opened_at: Date | null;
  reminded_at: Date | null;
  answered_at: Date | null;
  expired_at: Date | null;
  answers: NullableJson<StoredCheckInAnswers>;
  level: CheckInLevel | null;
  outcome: NullableJson<CheckInOutcome>;
  created_at: Date;
}

export interface CareAlertsTable {
  id: Generated<string>;
  check_in_id: string;
  booking_id: string;
  client_id: string;
  therapist_id: string;
  level: 'seek_care' | 'emergency';
  reasons: Json<{ id: string; level: 'seek_care' | 'emergency'; sign: string }[]>;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  acknowledgement_note: string | null;
}

export interface AftercareTables {
  aftercare_plans: AftercarePlansTable;
  check_ins: CheckInsTable;
  care_alerts: CareAlertsTable;
}
