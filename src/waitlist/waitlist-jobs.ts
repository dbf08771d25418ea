import { z } from 'zod';
import { defineJob } from '../jobs/job-runner.js';
import { FREED_TIME_JOB } from '../therapists/new-hours.js';
import { WINDOW_END_JOB, expireEndedEntry, offerFreedTime, offerToNewEntry } from './waitlist.js';

/**
 * A therapist's time may have freed (a cancellation, an expired hold, new hours): offer it to the clients waiting
 * for it, in the order they joined. Scheduled with an entry instead (on joining): look at once for time already free
 * in that entry's window. Durable: the offers and their messages commit with the job, exactly once.
 */
export function waitlistMatchJob(stepMin: number) {
  return defineJob({
    kind: FREED_TIME_JOB,
    payload: z.union([
      z.object({ therapistId: z.uuid(), cause: z.string().max(200).optional() }),
      z.object({ entryId: z.uuid(), cause: z.string().max(200).optional() }),
    ]),
    async run(trx, payload, { now }) {
      if ('entryId' in payload) await offerToNewEntry(trx, payload.entryId, now, stepMin);
      else await offerFreedTime(trx, payload.therapistId, now, stepMin);
    },
  });
}

/**
 * An entry's window has ended: if it is still open (no time freed, or an offer never claimed), it is closed as
 * expired, so the open entries, and the partial indexes the match reads, hold only entries that can still be served.
 */
export const waitlistWindowEndJob = defineJob({
  kind: WINDOW_END_JOB,
  payload: z.object({ entryId: z.uuid() }),
  async run(trx, payload, { now }) {
    await expireEndedEntry(trx, payload.entryId, now);
  },
});
