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
  therapist_photos: TherapistPhotosTable;
}
