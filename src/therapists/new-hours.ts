import type { Kysely, Transaction } from 'kysely';
import { scheduleJob } from '../jobs/job-scheduler.js';
import type { DB } from '../schema.js';

/**
 * The job kind that looks for waiting clients when a therapist's time frees: new hours or extra hours here, a
 * cancellation or an expired hold in booking. The waitlist (above) handles it; therapists only schedule it.
 */
export const FREED_TIME_JOB = 'waitlist.match';

/** Asks the waitlist to look again at this therapist's time, once the change that frees it commits. */
export async function announceFreedTime(
  db: Kysely<DB> | Transaction<DB>,
  therapistId: string,
  now: number,
  cause: string,
): Promise<void> {
  await scheduleJob(
    db,
    {
      kind: FREED_TIME_JOB,
      payload: { therapistId, cause },
      runAt: now,
      dedupeKey: `${FREED_TIME_JOB}:${therapistId}:${cause}`,
    },
    now,
  );
}
