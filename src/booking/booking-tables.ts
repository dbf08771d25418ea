import type { ColumnType, Generated } from 'kysely';
import type { BookingStatus } from './engine/booking-states.js';
import type { CancellationPolicy } from './engine/cancellation-policy.js';

export interface BookingsTable {
  id: Generated<string>;
  market: string;
  therapist_id: string;
  client_id: string;
  status: BookingStatus;
  mode: 'studio' | 'home';
  studio_id: string | null;
  address: string;
  lat: number;
  lng: number;
  /** The IANA zone of the place (studio or home address): every rendering of the session's time uses it. */
  time_zone: string;
  duration_min: number;
  starts_at: Date;
  ends_at: Date;
  buffer_before_min: number;
  buffer_after_min: number;
  travel_before_min: number;
  /** Written as a tstzrange literal; never read back (starts_at, buffers and travel say the same). */
  blocked: ColumnType<string, string, string>;
  price_cents: number;
  currency: string;
  cancellation_policy: ColumnType<CancellationPolicy, string, string>;
  hold_expires_at: Date | null;
  /** When a booking awaiting clearance is released if the clearance is still not verified (set on awaiting_clearance). */
  clearance_due_at: Date | null;
  confirmed_at: Date | null;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancellation_reason: string | null;
  cancellation_fee_cents: number | null;
  rescheduled_from: string | null;
  /** The course the session was booked in (booking_courses), if any; a move keeps it. */
  course_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The booking for two it is one part of (booking_pairs), if any; a move keeps it. */
  pair_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Date;
  updated_at: Date;
}

/** A course of sessions booked in one go (POST /api/bookings/courses); each session is a booking. */
export interface BookingCoursesTable {
  id: Generated<string>;
  client_id: string;
  therapist_id: string;
  rrule: string;
  created_at: Date;
}

/** A session for two at one home address (POST /api/bookings/pairs): two bookings, the booker's and their guest's. */
export interface BookingPairsTable {
  id: Generated<string>;
  booker_id: string;
  guest_id: string;
  created_at: Date;
}

export interface BookingEventsTable {
  id: Generated<number>;
  booking_id: string;
  at: Date;
  actor_id: string | null;
  from_status: BookingStatus | null;
  to_status: BookingStatus;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: ColumnType<unknown, string, string>;
  created_at: Generated<Date>;
}

export interface BookingTables {
  bookings: BookingsTable;
  booking_courses: BookingCoursesTable;
  booking_pairs: BookingPairsTable;
  booking_events: BookingEventsTable;
  idempotency_keys: IdempotencyKeysTable;
}
