import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { BookingStatus } from './engine/booking-states.js';
import type { BookingsTable } from './booking-tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * What the capabilities above booking may read of its bookings, without naming its tables (issue 13). Each takes the
 * caller's `db` or transaction, so a read inside a transaction sees (and locks) what that transaction sees.
 */

export type BookingRow = Selectable<BookingsTable>;

/** A booking, or undefined. */
export async function findBooking(db: Db, bookingId: string): Promise<BookingRow | undefined> {
  return db.selectFrom('bookings').selectAll().where('id', '=', bookingId).executeTakeFirst();
}

/** A booking that must exist (throws Kysely's NoResultError otherwise). */
export async function getBooking(db: Db, bookingId: string): Promise<BookingRow> {
  return db.selectFrom('bookings').selectAll().where('id', '=', bookingId).executeTakeFirstOrThrow();
}

/** A booking under a row lock until the caller's transaction ends, or undefined. */
export async function lockBooking(trx: Transaction<DB>, bookingId: string): Promise<BookingRow | undefined> {
  return trx.selectFrom('bookings').selectAll().where('id', '=', bookingId).forUpdate().executeTakeFirst();
}

/** Whether the therapist has a booking with the client in one of the statuses. */
export async function hasBookingBetween(db: Db, therapistId: string, clientId: string, statuses: readonly BookingStatus[]): Promise<boolean> {
  const booking = await db
    .selectFrom('bookings')
    .select('id')
    .where('therapist_id', '=', therapistId)
    .where('client_id', '=', clientId)
    .where('status', 'in', statuses)
    .limit(1)
    .executeTakeFirst();
  return booking !== undefined;
}

/** The ids of all the client's bookings. */
export async function bookingIdsOfClient(db: Db, clientId: string): Promise<string[]> {
  const rows = await db.selectFrom('bookings').select('id').where('client_id', '=', clientId).execute();
  return rows.map((r) => r.id);
}

/** The client's bookings still to come: confirmed, or held and not yet expired; soonest first. */
export async function upcomingBookingsOfClient(db: Db, clientId: string, now: number) {
  return db
    .selectFrom('bookings')
    .select(['id', 'therapist_id', 'starts_at'])
    .where('client_id', '=', clientId)
    .where((eb) => eb.or([eb('status', '=', 'confirmed'), eb.and([eb('status', '=', 'held'), eb('hold_expires_at', '>', new Date(now))])]))
    .where('starts_at', '>', new Date(now))
    .orderBy('starts_at')
    .execute();
}

/**
 * Sessions before `booking` between the same client and therapist that took place (or were due): checked in,
 * completed or missed; newest first, at most `limit`.
 */
export async function earlierSessionsBetween(db: Db, booking: { client_id: string; therapist_id: string; starts_at: Date }, limit: number) {
  return db
    .selectFrom('bookings')
    .select(['id', 'starts_at', 'time_zone', 'duration_min', 'status'])
    .where('client_id', '=', booking.client_id)
    .where('therapist_id', '=', booking.therapist_id)
    .where('starts_at', '<', booking.starts_at)
    .where('status', 'in', ['checked_in', 'completed', 'no_show'])
    .orderBy('starts_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * The booking facts other capabilities read, as a derived table to join in their own query (one query for a list,
 * no N+1): `.innerJoin(bookingFacts(db).as('b'), 'b.id', 'x.booking_id')`.
 */
export function bookingFacts(db: Db) {
  return db.selectFrom('bookings').select(['id', 'client_id', 'therapist_id', 'status', 'starts_at', 'ends_at', 'time_zone', 'duration_min']);
}

export type BookingFacts = NonNullable<Awaited<ReturnType<ReturnType<typeof bookingFacts>['executeTakeFirst']>>>;

/** One booking's facts, or undefined; `forUpdate` locks the booking's row until the caller's transaction ends. */
export async function loadBookingFacts(db: Db, bookingId: string, options: { forUpdate?: boolean } = {}): Promise<BookingFacts | undefined> {
  let query = bookingFacts(db).where('id', '=', bookingId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** When the booking last moved into `status` (its latest such event), or undefined. */
export async function lastMovedInto(db: Db, bookingId: string, status: BookingStatus): Promise<Date | undefined> {
  const event = await db.selectFrom('booking_events').select('at').where('booking_id', '=', bookingId).where('to_status', '=', status).orderBy('id', 'desc').executeTakeFirst();
  return event?.at;
}
