import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { BookingStatus } from './engine/booking-states.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * What other capabilities read of bookings, as functions: only booking names its tables in SQL
 * (test/structure/table-ownership.test.ts). Pass the transaction you are in.
 */

/** The ids of every booking the client has had, in any state. */
export async function clientBookingIds(db: Db, clientId: string): Promise<string[]> {
  const rows = await db.selectFrom('bookings').select('id').where('client_id', '=', clientId).execute();
  return rows.map((r) => r.id);
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
