import { type Kysely, type Transaction, sql } from 'kysely';
import type { DB } from '../schema.js';
import { type LiveSignal, type PartyRole, type SignalFrame, signalOfFrame } from './engine/live-messages.js';
import type { LiveSignalsTable } from './live-tables.js';
import { summarizeSignals, type RegionSummary } from '../domain/signal-summary.js';
import { loadBookingFacts } from '../booking/booking-reads.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The one NOTIFY channel of the live capability; payloads are `LiveNotice` JSON. */
export const LIVE_CHANNEL = 'knotwork_live';

export type LiveNotice =
  | { type: 'signal'; bookingId: string; signal: LiveSignal }
  | { type: 'ended'; bookingId: string; reason: 'checked_out' }
  /** From the trigger on `sessions` (migration 0007): that sign-in is gone. */
  | { type: 'signed_out'; tokenHash: string };

export interface Party {
  bookingId: string;
  userId: string;
  role: PartyRole;
}

export type StoreOutcome = { stored: LiveSignal; duplicate: boolean } | { notLive: true };

export function toLiveSignal(
  row: Pick<
    LiveSignalsTable,
    'seq' | 'at' | 'sender_role' | 'kind' | 'level' | 'region' | 'reason' | 'client_message_id'
  >,
): LiveSignal {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    by: row.sender_role,
    kind: row.kind,
    level: row.level,
    region: row.region,
    reason: row.reason,
    clientMessageId: row.client_message_id,
  };
}

class DuplicateSignal extends Error {}

/**
 * Stores a signal, then announces it: persistence first, fan-out second, in one transaction. The booking's next
 * sequence number is taken only while it is checked in (the row lock on `live_sequences` orders a booking's
 * signals, so they commit, and are notified, in sequence order). The notification is sent by the same statement
 * that inserts, so it leaves exactly when the row commits. A resend (same sender and client message id) rolls
 * its attempt back and returns the stored signal, so reconnecting clients can resend freely.
 */
export async function storeSignal(
  db: Kysely<DB>,
  party: Party,
  frame: SignalFrame,
  now: number,
): Promise<StoreOutcome> {
  const { kind, level, region, reason } = signalOfFrame(frame);
  try {
    return await db.transaction().execute(async (trx) => {
      if ((await loadBookingFacts(trx, party.bookingId))?.status !== 'checked_in') return { notLive: true as const };
      const next = await sql<{ last_seq: number }>`
        INSERT INTO live_sequences (booking_id, last_seq) VALUES (${party.bookingId}, 1)
        ON CONFLICT (booking_id) DO UPDATE SET last_seq = live_sequences.last_seq + 1
        RETURNING last_seq`.execute(trx);
      const seq = next.rows[0]!.last_seq;
      const signal: LiveSignal = {
        seq,
        at: new Date(now).toISOString(),
        by: party.role,
        kind,
        level,
        region,
        reason,
        clientMessageId: frame.clientMessageId,
      };
      const notice: LiveNotice = { type: 'signal', bookingId: party.bookingId, signal };
      const inserted = await sql<{ seq: number }>`
        WITH stored AS (
          INSERT INTO live_signals (booking_id, seq, sender_id, sender_role, client_message_id, kind, level, region, reason, at)
          VALUES (${party.bookingId}, ${seq}, ${party.userId}, ${party.role}, ${frame.clientMessageId}, ${kind}, ${level}, ${region}, ${reason}, ${new Date(now)})
          ON CONFLICT (booking_id, sender_id, client_message_id) DO NOTHING
          RETURNING seq
        )
        SELECT seq, pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(notice)}) FROM stored`.execute(trx);
      if (inserted.rows.length === 0) throw new DuplicateSignal();
      return { stored: signal, duplicate: false };
    });
  } catch (error) {
    if (!(error instanceof DuplicateSignal)) throw error;
    const row = await db
      .selectFrom('live_signals')
      .selectAll()
      .where('booking_id', '=', party.bookingId)
      .where('sender_id', '=', party.userId)
      .where('client_message_id', '=', frame.clientMessageId)
      .executeTakeFirstOrThrow();
    return { stored: toLiveSignal(row), duplicate: true };
  }
}

/** The booking's signals after `afterSeq`, in order: what a reconnecting side missed. */
export async function signalsAfter(db: Db, bookingId: string, afterSeq: number): Promise<LiveSignal[]> {
  const rows = await db
    .selectFrom('live_signals')
    .selectAll()
    .where('booking_id', '=', bookingId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .execute();
  return rows.map(toLiveSignal);
}

export async function latestSeq(db: Db, bookingId: string): Promise<number> {
  const row = await db
    .selectFrom('live_sequences')
    .select('last_seq')
    .where('booking_id', '=', bookingId)
    .executeTakeFirst();
  return row?.last_seq ?? 0;
}

/** Per booking, the summary of its signals (empty for a session without any). */
export async function liveSummaries(db: Db, bookingIds: readonly string[]): Promise<Map<string, RegionSummary[]>> {
  const result = new Map<string, RegionSummary[]>(bookingIds.map((id) => [id, []]));
  if (bookingIds.length === 0) return result;
  const rows = await db
    .selectFrom('live_signals')
    .select(['booking_id', 'seq', 'kind', 'level', 'region', 'reason'])
    .where('booking_id', 'in', bookingIds)
    .orderBy('seq')
    .execute();
  for (const id of bookingIds) result.set(id, summarizeSignals(rows.filter((r) => r.booking_id === id)));
  return result;
}

/** Tells every instance's sockets on this booking that the session is over; sent when the caller commits. */
export async function announceSessionEnded(trx: Transaction<DB>, bookingId: string): Promise<void> {
  const notice: LiveNotice = { type: 'ended', bookingId, reason: 'checked_out' };
  await sql`SELECT pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(notice)})`.execute(trx);
}
