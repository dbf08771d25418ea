import { z } from 'zod';
import { defineJob } from '../jobs/job-runner.js';
import { FREED_TIME_JOB } from '../therapists/new-hours.js';
import { offerFreedTime } from './waitlist.js';

/**
 * A therapist's time may have freed (a cancellation, an expired hold, new hours): offer it to the clients waiting
 * for it, in the order they joined. Durable: the offers and their messages commit with the job, exactly once.
 */
export function waitlistMatchJob(stepMin: number) {
  return defineJob({
    kind: FREED_TIME_JOB,
    payload: z.object({ therapistId: z.uuid(), cause: z.string().max(200).optional() }),
    async run(trx, { therapistId }, { now }) {
      await offerFreedTime(trx, therapistId, now, stepMin);
    },
  });
}
