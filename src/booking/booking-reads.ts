import { type Kysely, type Transaction, sql } from 'kysely';
import type { DB } from '../schema.js';
import type { BusyInterval } from '../scheduling/engine/slots.js';
import type { TherapistScope } from '../therapists/therapists-reads.js';
import { BLOCKING_STATUSES, type BookingStatus } from './engine/booking-states.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * What capabilities above booking may learn about bookings and their history, without naming bookings or
 * booking_events: each function answers one question in one query (lists with `in` or `ANY`, never one query per
 * booking). Pass the caller's `trx` inside a transaction. Booking views (what a booking looks like over HTTP) are
 * in booking-view.ts.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

const inScope = (scope: TherapistScope, column: string) =>
  'all' in scope ? sql<boolean>`true` : sql<boolean>`${sql.ref(column)} = ANY(${sql.val(scope.ids)}::uuid[])`;

/**
 * For search's calendar cache: the therapists' bookings that hold time and have not ended a day ago (live holds
 * only), with their busy span widened by their own buffers as epoch milliseconds computed by the database.
 */
export function busyBookingsIn(db: Db, scope: TherapistScope, now: number) {
  return db
    .selectFrom('bookings')
    .select([
      'therapist_id',
      'status',
      'lat',
      'lng',
      sql<number>`(extract(epoch FROM starts_at) * 1000 - buffer_before_min * 60000)::float8`.as('busy_start'),
      sql<number>`(extract(epoch FROM ends_at) * 1000 + buffer_after_min * 60000)::float8`.as('busy_end'),
      sql<number | null>`(extract(epoch FROM hold_expires_at) * 1000)::float8`.as('hold_expires'),
    ])
    .where('status', 'in', BLOCKING_STATUSES)
    .where('ends_at', '>', new Date(now - DAY))
    .where((eb) => eb.or([eb('status', '<>', 'held'), eb('hold_expires_at', '>', new Date(now))]))
    .where(inScope(scope, 'therapist_id'))
    .execute();
}

/**
 * Each therapist's bookings that hold time near [from, to), widened by their own buffers, with where they
 * happen (for travel). Holds past their expiry are not busy, even before the sweeper marks them expired.
 */
export async function loadBusy(db: Db, therapistIds: string[], from: number, to: number, now: number) {
  const byTherapist = new Map<string, BusyInterval[]>();
  if (therapistIds.length === 0) return byTherapist;
  const slack = 6 * 60 * MINUTE;
  const rows = await db
    .selectFrom('bookings')
    .select(['therapist_id', 'starts_at', 'ends_at', 'buffer_before_min', 'buffer_after_min', 'lat', 'lng'])
    .where('therapist_id', '=', sql<string>`ANY(${sql.val(therapistIds)}::uuid[])`)
    .where('status', 'in', BLOCKING_STATUSES)
    .where(sql<boolean>`blocked && tstzrange(${new Date(from - slack)}, ${new Date(to + slack)}, '[)')`)
    .where((eb) => eb.or([eb('status', '<>', 'held'), eb('hold_expires_at', '>', new Date(now))]))
    .execute();
  for (const row of rows) {
    const busy: BusyInterval = {
      start: row.starts_at.getTime() - row.buffer_before_min * MINUTE,
      end: row.ends_at.getTime() + row.buffer_after_min * MINUTE,
      point: { lat: row.lat, lng: row.lng },
    };
    const list = byTherapist.get(row.therapist_id);
    if (list) list.push(busy);
    else byTherapist.set(row.therapist_id, [busy]);
  }
  return byTherapist;
}

export interface BookingParties {
  id: string;
  client_id: string;
  therapist_id: string;
  status: BookingStatus;
}

/** Who a booking is between and where it stands; with `forUpdate`, row-locked for the rest of the transaction. */
export async function bookingParties(db: Db, bookingId: string, options: { forUpdate?: boolean } = {}): Promise<BookingParties | undefined> {
  const query = db.selectFrom('bookings').select(['id', 'client_id', 'therapist_id', 'status']).where('id', '=', bookingId);
  return options.forUpdate ? query.forUpdate().executeTakeFirst() : query.executeTakeFirst();
}

/** Whether the client and the therapist have had a session together, or are in one (checked in, completed or no-show). */
export async function haveSharedSession(db: Db, pair: { client_id: string; therapist_id: string }): Promise<boolean> {
  const row = await db
    .selectFrom('bookings')
    .select('id')
    .where('client_id', '=', pair.client_id)
    .where('therapist_id', '=', pair.therapist_id)
    .where('status', 'in', ['checked_in', 'completed', 'no_show'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The booking's whole row, row-locked for the rest of the transaction; undefined when there is none. */
export function lockedBookingRow(trx: Transaction<DB>, bookingId: string) {
  return trx.selectFrom('bookings').selectAll().where('id', '=', bookingId).forUpdate().executeTakeFirst();
}

/** The booking's state changes in order: to which status, and when. */
export function statusChangesOf(db: Db, bookingId: string) {
  return db.selectFrom('booking_events').select(['to_status', 'at']).where('booking_id', '=', bookingId).orderBy('id').execute();
}

/** What attendance shows of a booking: its status, times, fee and currency (throws when there is none). */
export function attendanceFactsOf(db: Db, bookingId: string) {
  return db
    .selectFrom('bookings')
    .select(['id', 'status', 'starts_at', 'ends_at', 'cancellation_fee_cents', 'currency'])
    .where('id', '=', bookingId)
    .executeTakeFirstOrThrow();
}

/** Selects a booking row's revision (`b` aliased): its status changes after the first, the iCalendar SEQUENCE. */
export const revisionOf = sql<number>`(SELECT count(*)::int - 1 FROM booking_events e WHERE e.booking_id = b.id)`.as('revision');
