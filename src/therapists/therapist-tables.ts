import type { ColumnType, Generated } from 'kysely';
import type { DateOverride, WeeklyRule } from '../scheduling/engine/working-hours.js';

export type Gender = 'female' | 'male' | 'nonbinary';
export type LicenceStatus = 'pending' | 'approved' | 'rejected';

type Json<T> = ColumnType<T, string, string>;

export interface MarketsTable {
  id: string;
  name: string;
  time_zone: string;
  center_lat: number;
  center_lng: number;
  distance_unit: Generated<'km' | 'mi'>;
  /** Years a signed session note is kept, restricted, after its client's erasure (migration 0034). */
  note_retention_years: number;
}

export interface NeighbourhoodsTable {
  market: string;
  name: string;
  position: number;
  lat: number;
  lng: number;
}

export interface TherapistsTable {
  user_id: string;
  market: string;
  gender: Gender;
  bio: Generated<string>;
  licence_number: string | null;
  licence_region: string | null;
  licence_expires_on: string | null;
  licence_status: Generated<LicenceStatus>;
  licence_reviewed_by: string | null;
  licence_reviewed_at: Date | null;
  licence_review_note: string | null;
  specialties: Generated<string[]>;
  languages: Generated<string[]>;
  years_in_practice: number | null;
  time_zone: string;
  weekly_hours: Json<WeeklyRule[]>;
  buffer_before_min: Generated<number>;
  buffer_after_min: Generated<number>;
  min_notice_min: Generated<number>;
  booking_window_days: Generated<number>;
  travel_speed_kmh: Generated<number>;
  mobile_base_label: string | null;
  mobile_base_lat: number | null;
  mobile_base_lng: number | null;
  mobile_radius_km: number | null;
  cancellation_cutoff_hours: Generated<number>;
  late_cancellation_fee_percent: Generated<number>;
  rating_average: number | null;
  rating_count: Generated<number>;
  updated_at: Generated<Date>;
}

export interface TherapistServicesTable {
  therapist_id: string;
  duration_min: number;
  price_cents: number;
  currency: string;
}

export interface StudiosTable {
  id: Generated<string>;
  therapist_id: string;
  name: string;
  address: string;
  lat: number;
  lng: number;
  /** The IANA zone at the studio's coordinates (`scheduling/place-zone.ts`), kept with them. */
  time_zone: string;
  archived_at: Date | null;
}

export interface ScheduleOverridesTable {
  id: Generated<string>;
  therapist_id: string;
  on_date: string;
  kind: DateOverride['kind'];
  intervals: Json<NonNullable<DateOverride['intervals']>>;
  note: string | null;
  created_at: Generated<Date>;
}

/** Why the last read of an external calendar failed (migration 0030). */
export type ExternalCalendarErrorCode =
  'http_status' | 'timeout' | 'not_ics' | 'too_large' | 'unreachable' | 'private_address' | 'too_many_redirects';

/** A therapist's other calendar, read from its secret ICS address. */
export interface ExternalCalendarsTable {
  id: Generated<string>;
  therapist_id: string;
  /** The secret address (http or https); never shown in full. */
  url: string;
  created_at: Date;
  last_attempt_at: Date | null;
  last_success_at: Date | null;
  last_error_code: ExternalCalendarErrorCode | null;
  last_error: string | null;
  /** The busy times of the last good read cover up to here. */
  busy_until: Date | null;
}

/** A busy interval of an external calendar, from its last good read. */
export interface ExternalBusyTimesTable {
  calendar_id: string;
  therapist_id: string;
  starts_at: Date;
  ends_at: Date;
}

/** The profile photo as the server re-encoded it (WebP); `version` grows with each upload and names it in its URL. */
export interface TherapistPhotosTable {
  therapist_id: string;
  webp: Buffer;
  width: number;
  height: number;
  version: number;
  updated_at: Date;
}

export interface TherapistTables {
  markets: MarketsTable;
  neighbourhoods: NeighbourhoodsTable;
  therapists: TherapistsTable;
  therapist_services: TherapistServicesTable;
  studios: StudiosTable;
  schedule_overrides: ScheduleOverridesTable;
  external_calendars: ExternalCalendarsTable;
  external_busy_times: ExternalBusyTimesTable;
  therapist_photos: TherapistPhotosTable;
}
