import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';

/** A job whose last attempt failed: it waits, `failed`, until an operator replays it. */
export interface DeadLetter {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  failedAt: number;
  replays: number;
}

const COLUMNS = ['id', 'kind', 'payload', 'attempts', 'last_error', 'created_at', 'finished_at', 'replays'] as const;

function toDeadLetter(row: {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
  replays: number;
}): DeadLetter {
  return {
    id: Number(row.id),
    kind: row.kind,
    payload: row.payload,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at.getTime(),
    failedAt: (row.finished_at ?? row.created_at).getTime(),
    replays: row.replays,
  };
}

/** The dead letters, latest failure first. */
export async function listDeadLetters(
  db: Kysely<DB>,
  options: { kind?: string; limit: number },
): Promise<DeadLetter[]> {
  let query = db.selectFrom('jobs').select(COLUMNS).where('status', '=', 'failed');
  if (options.kind) query = query.where('kind', '=', options.kind);
  const rows = await query.orderBy('finished_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map(toDeadLetter);
}

/**
 * Makes a dead letter pending again, due now, with its attempts counted afresh (its retry policy applies from the
 * start). Undefined when there is no dead letter with this id (it never failed, or was replayed already).
 */
export async function replayDeadLetter(
  db: Kysely<DB> | Transaction<DB>,
  id: number,
  now: number,
): Promise<DeadLetter | undefined> {
  const row = await db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'pending',
      attempts: 0,
      run_at: new Date(now),
      finished_at: null,
      claim: null,
      locked_until: null,
      updated_at: new Date(now),
      replays: eb('replays', '+', 1),
    }))
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .returning(COLUMNS)
    .executeTakeFirst();
  return row && toDeadLetter(row);
}
