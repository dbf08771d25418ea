import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';

export interface JobRequest {
  /** Names the handler, e.g. 'booking.reminder'. */
  kind: string;
  payload: Record<string, unknown>;
  runAt: number;
  /** When set, a second job with the same key is silently not scheduled (one reminder per booking). */
  dedupeKey?: string;
}

/**
 * Schedules a job in the caller's transaction, so it exists exactly when the change that asks for it commits.
 * Returns whether it was newly scheduled.
 */
export async function scheduleJob(db: Kysely<DB> | Transaction<DB>, job: JobRequest, now: number): Promise<boolean> {
  const inserted = await db
    .insertInto('jobs')
    .values({
      kind: job.kind,
      payload: JSON.stringify(job.payload),
      run_at: new Date(job.runAt),
      dedupe_key: job.dedupeKey ?? null,
      created_at: new Date(now),
      updated_at: new Date(now),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}
