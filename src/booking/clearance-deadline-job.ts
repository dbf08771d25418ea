import { z } from 'zod';
import { defineJob } from '../jobs/job-runner.js';
import { CLEARANCE_DEADLINE_JOB, releaseAtClearanceDeadline } from './booking-service.js';

/**
 * Scheduled when a booking starts awaiting clearance, for its deadline. When it runs it reads the booking again and
 * releases it, free of charge, only if it still awaits clearance: a booking cleared or cancelled meanwhile makes it
 * do nothing. The release is a booking event; notify's booking notices tell both sides.
 */
export const clearanceDeadlineJob = defineJob({
  kind: CLEARANCE_DEADLINE_JOB,
  payload: z.object({ bookingId: z.uuid() }).strict(),
  async run(trx, { bookingId }, { now }) {
    await releaseAtClearanceDeadline(trx, bookingId, now);
  },
});
