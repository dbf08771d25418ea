import { userNames } from '../accounts/accounts-reads.js';
import { type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import type { DB } from '../schema.js';
import type { BusyInterval } from '../scheduling/engine/slots.js';
import type { TherapistScope } from '../therapists/therapists-reads.js';
import { BLOCKING_STATUSES, type BookingStatus } from './engine/booking-states.js';
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
export async function hasBookingBetween(
  db: Db,
  therapistId: string,
  clientId: string,
  statuses: readonly BookingStatus[],
): Promise<boolean> {
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

/** The client's bookings still to come: confirmed, awaiting clearance, or held and not yet expired; soonest first. */
export async function upcomingBookingsOfClient(db: Db, clientId: string, now: number) {
  return db
    .selectFrom('bookings')
    .select(['id', 'therapist_id', 'starts_at', 'status'])
    .where('client_id', '=', clientId)
    .where((eb) =>
      eb.or([
        eb('status', 'in', ['awaiting_clearance', 'confirmed']),
        eb.and([eb('status', '=', 'held'), eb('hold_expires_at', '>', new Date(now))]),
      ]),
    )
    .where('starts_at', '>', new Date(now))
    .orderBy('starts_at')
    .execute();
}

/**
 * Sessions before `booking` between the same client and therapist that took place (or were due): checked in,
 * completed or missed; newest first, at most `limit`.
 */
export async function earlierSessionsBetween(
  db: Db,
  booking: { client_id: string; therapist_id: string; starts_at: Date },
  limit: number,
) {
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
  return db
    .selectFrom('bookings')
    .select(['id', 'client_id', 'therapist_id', 'status', 'starts_at', 'ends_at', 'time_zone', 'duration_min']);
}

export type BookingFacts = NonNullable<Awaited<ReturnType<ReturnType<typeof bookingFacts>['executeTakeFirst']>>>;

/** One booking's facts, or undefined; `forUpdate` locks the booking's row until the caller's transaction ends. */
export async function loadBookingFacts(
  db: Db,
  bookingId: string,
  options: { forUpdate?: boolean } = {},
): Promise<BookingFacts | undefined> {
  let query = bookingFacts(db).where('id', '=', bookingId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** When the booking last moved into `status` (its latest such event), or undefined. */
export async function lastMovedInto(db: Db, bookingId: string, status: BookingStatus): Promise<Date | undefined> {
  const event = await db
    .selectFrom('booking_events')
    .select('at')
    .where('booking_id', '=', bookingId)
    .where('to_status', '=', status)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return event?.at;
}

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

/** Whether the client and the therapist have had a session together, or are in one (checked in, completed or no-show). */
export async function haveSharedSession(db: Db, pair: { client_id: string; therapist_id: string }): Promise<boolean> {
  return hasBookingBetween(db, pair.therapist_id, pair.client_id, ['checked_in', 'completed', 'no_show']);
}

/** The booking's state changes in order: to which status, and when. */
export function statusChangesOf(db: Db, bookingId: string) {
  return db
    .selectFrom('booking_events')
    .select(['to_status', 'at'])
    .where('booking_id', '=', bookingId)
    .orderBy('id')
    .execute();
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
export const revisionOf = sql<number>`(SELECT count(*)::int - 1 FROM booking_events e WHERE e.booking_id = b.id)`.as(
  'revision',
);

/**
 * The other part of a session for two (booking_pairs), while it is still to come (held, awaiting clearance or
 * confirmed): its client, its therapist's name, its start and zone. Undefined when the booking is no pair's or the
 * other part has ended too.
 */
export async function livePairPartnerOf(db: Db, bookingId: string) {
  return db
    .selectFrom('bookings as b')
    .innerJoin('bookings as other', (join) =>
      join.onRef('other.pair_id', '=', 'b.pair_id').onRef('other.id', '<>', 'b.id'),
    )
    .innerJoin(userNames(db).as('t'), 't.id', 'other.therapist_id')
    .innerJoin(userNames(db).as('gone'), 'gone.id', 'b.client_id')
    .select([
      'other.id as bookingId',
      'other.client_id as clientId',
      't.display_name as therapistName',
      'gone.display_name as cancelledClientName',
      'other.starts_at as startsAt',
      'other.time_zone as timeZone',
    ])
    .where('b.id', '=', bookingId)
    .where('other.status', 'in', ['held', 'awaiting_clearance', 'confirmed'])
    .executeTakeFirst();
}
