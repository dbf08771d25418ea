import { type Kysely, type Transaction, sql } from 'kysely';
import { advanceCursor, cursorPosition, lockCursor } from '../jobs/event-cursors.js';
import type { DB } from '../schema.js';
import type { BookingEvent } from './engine/booking-event.js';
import type { BookingStatus } from './engine/booking-states.js';

export type { BookingEvent };

interface EventRow {
  id: number;
  tx: string;
  booking_id: string;
  at: Date;
  actor_id: string | null;
  from_status: BookingStatus | null;
  to_status: BookingStatus;
  detail: Record<string, unknown>;
}

/**
 * The oldest transaction that may still add events: the lowest id among transactions running at this statement's
 * snapshot, or the snapshot's next id when none run. Every event with a lower `tx` is committed (and visible) or
 * never will be. Transactions seen running in another database (a shared server, e.g. tests) cannot write our
 * events and do not hold it back; transactions that finished before pg_stat_activity was read are kept, which only
 * delays their events to the next poll. Read-only transactions have no id and never hold it back.
 */
const SETTLED_HORIZON = sql`coalesce(
  (SELECT min(running) FROM pg_snapshot_xip(pg_current_snapshot()) AS running
   WHERE (running::text::numeric % 4294967296) NOT IN (
     SELECT a.backend_xid::text::numeric FROM pg_stat_activity a WHERE a.backend_xid IS NOT NULL AND a.datname <> current_database())),
  pg_snapshot_xmax(pg_current_snapshot()))`;

/**
 * Hands booking_events to `handle` in commit-safe order, each event exactly once per consumer: the consumer's
 * cursor (jobs/event-cursors.ts) advances in the same
 * transaction as whatever `handle` writes. Only events of transactions older than every transaction that may
 * still write one are read (see migration 0004), so an event can never appear behind the cursor. One instance consumes
 * at a time (the cursor row is locked; others skip). Returns how many events were handled.
 */
export async function consumeBookingEvents(
  db: Kysely<DB>,
  consumer: string,
  handle: (trx: Transaction<DB>, events: BookingEvent[]) => Promise<void>,
  options: { batchSize?: number; maxBatches?: number } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 100;
  let handled = 0;
  for (let batch = 0; batch < (options.maxBatches ?? 20); batch++) {
    // A read-only look first, so an idle poll neither locks nor takes a transaction id.
    const start = await cursorPosition(db, consumer);
    if (!start) break;
    const waiting = await sql<{ waiting: boolean }>`
      SELECT EXISTS (
        SELECT 1 FROM booking_events e
        WHERE (e.tx, e.id) > (${start.lastTx}::xid8, ${start.lastId}::bigint) AND e.tx < ${SETTLED_HORIZON}
      ) AS waiting`.execute(db);
    if (!waiting.rows[0]?.waiting) break;
    const count = await db.transaction().execute(async (trx) => {
      const position = await lockCursor(trx, consumer);
      if (!position) return 0;
      const rows = await sql<EventRow>`
        SELECT id, tx::text AS tx, booking_id, at, actor_id, from_status, to_status, detail FROM booking_events
        WHERE (tx, id) > (${position.lastTx}::xid8, ${position.lastId}::bigint) AND tx < ${SETTLED_HORIZON}
        ORDER BY tx, id
        LIMIT ${batchSize}`.execute(trx);
      if (rows.rows.length === 0) return 0;
      await handle(trx, rows.rows.map(toEvent));
      const last = rows.rows.at(-1)!;
      await advanceCursor(trx, consumer, { lastTx: last.tx, lastId: last.id });
      return rows.rows.length;
    });
    handled += count;
    if (count < batchSize) break;
  }
  return handled;
}

function toEvent(r: EventRow): BookingEvent {
  return {
    id: Number(r.id),
    bookingId: r.booking_id,
    at: r.at.getTime(),
    actorId: r.actor_id,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    detail: r.detail,
  };
}

/** One event, by its id (a consumer retrying an event it could not handle in order). */
export async function bookingEventById(
  db: Kysely<DB> | Transaction<DB>,
  id: number,
): Promise<BookingEvent | undefined> {
  const result = await sql<EventRow>`
    SELECT id, tx::text AS tx, booking_id, at, actor_id, from_status, to_status, detail FROM booking_events
    WHERE id = ${id}`.execute(db);
  const row = result.rows[0];
  return row && toEvent(row);
}

/** The calendar SEQUENCE the booking had right after this event: its status changes up to it, after the first. */
export async function revisionAfter(
  db: Kysely<DB> | Transaction<DB>,
  event: Pick<BookingEvent, 'id' | 'bookingId'>,
): Promise<number> {
  const result = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM booking_events WHERE booking_id = ${event.bookingId} AND id <= ${event.id}`.execute(
    db,
  );
  return Math.max(result.rows[0]!.n - 1, 0);
}
