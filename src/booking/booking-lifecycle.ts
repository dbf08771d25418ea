import { prepareQuery } from '../db/prepared-query.js';
import { type OperationNodeSource, type Selectable, type Transaction, type Updateable, sql } from 'kysely';
import type { SignedInUser } from '../accounts/sessions.js';
import type { DB } from '../schema.js';
import { ProblemError } from '../domain/problems.js';
import { travelMinutes } from '../scheduling/engine/travel.js';
import { travelSpeedOf } from '../therapists/therapists-reads.js';
import { BLOCKING_STATUSES, type BookingAction, type BookingStatus, nextStatus } from './engine/booking-states.js';
import type { BookingsTable } from './booking-tables.js';

const MINUTE = 60_000;

type Trx = Transaction<DB>;
type BookingPatch = Omit<Updateable<BookingsTable>, 'id' | 'status' | 'blocked'>;

const isBlocking = (status: BookingStatus) => (BLOCKING_STATUSES as readonly BookingStatus[]).includes(status);

/**
 * Serialises writes to one therapist's calendar for the rest of the transaction. The exclusion constraint
 * alone decides overlaps; the lock only makes the travel time to the neighbouring visits, which depends on
 * which visits exist, race-free.
 */
export async function lockTherapistCalendar(trx: Trx, therapistId: string): Promise<void> {
  await sql`SELECT ${calendarLock(therapistId)}`.execute(trx);
}

/**
 * lockTherapistCalendar as a column of another statement (false once taken), for a read made before what the lock
 * guards: a statement's own reads see the table as it was when it began, before the lock was granted, so only a
 * later statement's reads see what the lock protects.
 */
export function calendarLock(therapistId: string) {
  return sql<boolean>`(pg_advisory_xact_lock(hashtextextended(${therapistId}, 0)) IS NULL)`;
}

/** The `blocked` range literal: the session, its buffers, and the travel from the previous visit. */
export function blockedRange(
  startsAt: number,
  endsAt: number,
  bufferBeforeMin: number,
  bufferAfterMin: number,
  travelBeforeMin: number,
) {
  const from = new Date(startsAt - (bufferBeforeMin + travelBeforeMin) * MINUTE).toISOString();
  const to = new Date(endsAt + bufferAfterMin * MINUTE).toISOString();
  return `[${from},${to})`;
}

/** Moves a booking along one edge of the state machine, records the event, and frees its travel time. */
export async function changeStatus(
  trx: Trx,
  booking: { id: string; status: BookingStatus },
  action: BookingAction,
  actor: SignedInUser | null,
  now: number,
  patch: BookingPatch = {},
  detail: Record<string, unknown> = {},
): Promise<BookingStatus> {
  return (await changeStatusRow(trx, booking, action, actor, now, patch, detail)).status;
}

/**
 * changeStatus, answering with the booking row as the change left it. The change and its event are one statement
 * (the event is inserted from the updated row, so it exists exactly when the change happened), and so are the
 * writes `alsoWrite` names (data-modifying CTEs their owners build: a confirm's screening row, charge and payment).
 * When the booking changed meanwhile nothing is answered and the caller's transaction rolls back what they wrote.
 */
export async function changeStatusRow(
  trx: Trx,
  booking: { id: string; status: BookingStatus },
  action: BookingAction,
  actor: SignedInUser | null,
  now: number,
  patch: BookingPatch = {},
  detail: Record<string, unknown> = {},
  alsoWrite: readonly { name: string; query: OperationNodeSource }[] = [],
): Promise<Selectable<BookingsTable>> {
  const to = nextStatus(booking.status, action);
  if (!to) {
    throw new ProblemError(
      'invalid_transition',
      `A ${booking.status.replace('_', ' ')} booking cannot ${action.replace('_', ' ')}`,
      {
        extra: { status: booking.status, action },
      },
    );
  }
  const changing = trx
    .with('moved', (db) =>
      db
        .updateTable('bookings')
        .set({ ...patch, status: to, updated_at: new Date(now) })
        .where('id', '=', booking.id)
        .where('status', '=', booking.status)
        .returningAll(),
    )
    .with('event', (db) =>
      db
        .insertInto('booking_events')
        .columns(['booking_id', 'at', 'actor_id', 'from_status', 'to_status', 'detail'])
        .expression((eb) =>
          eb
            .selectFrom('moved')
            .select([
              'moved.id',
              sql<Date>`${new Date(now)}::timestamptz`.as('at'),
              sql<string | null>`${actor?.id ?? null}::uuid`.as('actor_id'),
              sql<string>`${booking.status}::text`.as('from_status'),
              sql<string>`${to}::text`.as('to_status'),
              sql<string>`${JSON.stringify(detail)}::jsonb`.as('detail'),
            ]),
        ),
    );
  // The extra CTEs only widen the builder's type; what the final select of `moved` answers is the same.
  const updated = await alsoWrite
    .reduce((built, { name, query }) => built.with(name, () => sql`(${query})`) as unknown as typeof built, changing)
    .selectFrom('moved')
    .selectAll()
    .executeTakeFirst();
  if (!updated) throw new ProblemError('invalid_transition', 'The booking changed meanwhile; reload it');
  if (isBlocking(booking.status) && !isBlocking(to)) {
    await shortenTravelAfter(trx, updated.therapist_id, updated.ends_at);
  }
  return updated;
}

/**
 * After a visit leaves the calendar, the next visit's travel is counted from whatever now precedes it. It only
 * ever shrinks: a schedule that was feasible through the removed visit stays feasible without it.
 */
async function shortenTravelAfter(trx: Trx, therapistId: string, freedEnd: Date) {
  const next = await trx
    .selectFrom('bookings')
    .select(['id', 'starts_at', 'ends_at', 'lat', 'lng', 'buffer_before_min', 'buffer_after_min', 'travel_before_min'])
    .where('therapist_id', '=', therapistId)
    .where('status', 'in', BLOCKING_STATUSES)
    .where('starts_at', '>=', freedEnd)
    .orderBy('starts_at')
    .limit(1)
    .executeTakeFirst();
  if (!next || next.travel_before_min === 0) return;
  const [prev, speedKmh] = await Promise.all([
    previousVisit(trx, therapistId, next.starts_at.getTime()),
    travelSpeedOf(trx, therapistId),
  ]);
  const needed = prev ? travelMinutes(prev, next, speedKmh) : 0;
  if (needed >= next.travel_before_min) return;
  await setTravelBefore(trx, next, needed);
}

export async function previousVisit(trx: Trx, therapistId: string, before: number) {
  return trx
    .selectFrom('bookings')
    .select(['lat', 'lng'])
    .where('therapist_id', '=', therapistId)
    .where('status', 'in', BLOCKING_STATUSES)
    .where('ends_at', '<=', new Date(before))
    .orderBy('ends_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function setTravelBefore(
  trx: Trx,
  booking: { id: string; starts_at: Date; ends_at: Date; buffer_before_min: number; buffer_after_min: number },
  travelBeforeMin: number,
) {
  await trx
    .updateTable('bookings')
    .set({
      travel_before_min: travelBeforeMin,
      blocked: blockedRange(
        booking.starts_at.getTime(),
        booking.ends_at.getTime(),
        booking.buffer_before_min,
        booking.buffer_after_min,
        travelBeforeMin,
      ),
    })
    .where('id', '=', booking.id)
    .execute();
}

/** Holds past their expiry stop holding time: the therapist's stale holds become 'expired' first. */
export async function expireStaleHolds(trx: Trx, therapistId: string, now: number): Promise<number> {
  const stale = await trx
    .selectFrom('bookings')
    .select(['id', 'status'])
    .where('therapist_id', '=', therapistId)
    .where('status', '=', 'held')
    .where('hold_expires_at', '<=', new Date(now))
    .forUpdate()
    .execute();
  for (const hold of stale) await changeStatus(trx, hold, 'expire', null, now, {}, { reason: 'hold_timeout' });
  return stale.length;
}

interface Visit {
  side: 'prev' | 'next';
  id: string;
  starts_at: Date;
  ends_at: Date;
  lat: number;
  lng: number;
  buffer_before_min: number;
  buffer_after_min: number;
  travel_before_min: number;
}

const VISIT_COLUMNS = sql`id, starts_at, ends_at, lat, lng, buffer_before_min, buffer_after_min, travel_before_min`;
const BLOCKING = sql.join(BLOCKING_STATUSES.map((status) => sql`${status}`));

/**
 * The therapist's blocking visits either side of a session: the last one ending by its start (travel is counted
 * from there, as previousVisit finds it) and the first one starting at or after its end, as union branches to run
 * with others. `except`: a CTE whose rows (by id) no longer count.
 */
function neighbourBranches(therapistId: unknown, startsAt: unknown, endsAt: unknown, except?: string) {
  const kept = except ? sql`AND id NOT IN (SELECT id FROM ${sql.table(except)})` : sql``;
  return sql`(SELECT 'prev' AS side, ${VISIT_COLUMNS} FROM bookings
      WHERE therapist_id = ${therapistId} AND status IN (${BLOCKING}) AND ends_at <= ${startsAt} ${kept}
      ORDER BY ends_at DESC LIMIT 1)
    UNION ALL
    (SELECT 'next' AS side, ${VISIT_COLUMNS} FROM bookings
      WHERE therapist_id = ${therapistId} AND status IN (${BLOCKING}) AND starts_at >= ${endsAt} ${kept}
      ORDER BY starts_at LIMIT 1)`;
}

const sides = (rows: Visit[]) => ({
  prev: rows.find((r) => r.side === 'prev'),
  next: rows.find((r) => r.side === 'next'),
});

/** neighboursAfterExpiry's statement, built and compiled once (see prepared-query.ts). */
const expiryAndNeighbours = prepareQuery((db, p: { therapistId: string; at: Date; startsAt: Date; endsAt: Date }) => {
  const expired = nextStatus('held', 'expire')!;
  const statement = sql<Visit | (Omit<Visit, 'side'> & { side: 'expired' })>`
    WITH stale AS (
      UPDATE bookings SET status = ${expired}, updated_at = ${p.at}
      WHERE therapist_id = ${p.therapistId} AND status = 'held' AND hold_expires_at <= ${p.at}
      RETURNING ${VISIT_COLUMNS}
    ), stale_event AS (
      INSERT INTO booking_events (booking_id, at, actor_id, from_status, to_status, detail)
      SELECT id, ${p.at}::timestamptz, NULL, 'held', ${expired}, ${JSON.stringify({ reason: 'hold_timeout' })}::jsonb
      FROM stale
    )
    (SELECT 'expired' AS side, ${VISIT_COLUMNS} FROM stale)
    UNION ALL
    ${neighbourBranches(p.therapistId, p.startsAt, p.endsAt, 'stale')}`;
  return { compile: () => statement.compile(db) };
});

/**
 * Under the therapist's calendar lock, for a booking about to be placed: their holds past expiry become 'expired'
 * (each with its event, the update and event changeStatus writes for that edge, as expireStaleHolds makes them), and the blocking visits either side of the session are read without
 * them, in one statement. The statement's reads see the table as it was before its own update, so the expired holds
 * are left out by id. When a hold expired, the visits after it may need less travel (shortenTravelAfter, as a status
 * change out of the calendar does), and the neighbours are read again after that.
 */
export async function neighboursAfterExpiry(
  trx: Trx,
  therapistId: string,
  startsAt: number,
  endsAt: number,
  now: number,
) {
  const rows = await expiryAndNeighbours.execute(trx, {
    therapistId,
    at: new Date(now),
    startsAt: new Date(startsAt),
    endsAt: new Date(endsAt),
  });
  const stale = rows.filter((r) => r.side === 'expired');
  if (stale.length === 0) return sides(rows as Visit[]);
  for (const hold of stale) await shortenTravelAfter(trx, therapistId, hold.ends_at);
  return sides(
    (await neighbourBranches(therapistId, new Date(startsAt), new Date(endsAt)).$castTo<Visit>().execute(trx)).rows,
  );
}
