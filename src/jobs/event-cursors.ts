import { type Kysely, type Transaction, sql } from 'kysely';
import type { DB } from '../schema.js';

/**
 * A consumer's position in an event stream (a row in event_cursors, created by the migration that introduces the
 * consumer): the last (transaction id, event id) it has handled. The stream itself belongs to the capability whose
 * events it carries (booking/booking-event-stream.ts).
 */
export interface CursorPosition {
  /** xid8, as text. */
  lastTx: string;
  lastId: number;
}

/** The consumer's position, without locking; undefined when the consumer has no cursor. */
export async function cursorPosition(db: Kysely<DB>, consumer: string): Promise<CursorPosition | undefined> {
  const row = await sql<{
    last_tx: string;
    last_id: number;
  }>`SELECT last_tx::text AS last_tx, last_id FROM event_cursors WHERE name = ${consumer}`.execute(db);
  const position = row.rows[0];
  return position && { lastTx: position.last_tx, lastId: position.last_id };
}

/** The consumer's position, locked for the rest of the transaction; undefined when another instance holds it (or there is none). */
export async function lockCursor(trx: Transaction<DB>, consumer: string): Promise<CursorPosition | undefined> {
  const row = await sql<{ last_tx: string; last_id: number }>`
    SELECT last_tx::text AS last_tx, last_id FROM event_cursors WHERE name = ${consumer} FOR UPDATE SKIP LOCKED`.execute(
    trx,
  );
  const position = row.rows[0];
  return position && { lastTx: position.last_tx, lastId: position.last_id };
}

/** Moves the consumer's cursor to the last event handled, in the transaction that handled it. */
export async function advanceCursor(trx: Transaction<DB>, consumer: string, to: CursorPosition): Promise<void> {
  await sql`UPDATE event_cursors SET last_tx = ${to.lastTx}::xid8, last_id = ${to.lastId} WHERE name = ${consumer}`.execute(
    trx,
  );
}
