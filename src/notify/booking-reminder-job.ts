import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { SessionFacts } from '../calendar/engine/session-facts.js';
import { loadSessionFacts } from '../calendar/session-facts.js';
import type { DB } from '../schema.js';
import { defineJob } from '../jobs/job-runner.js';
import { scheduleJob } from '../jobs/job-scheduler.js';
import { bookingNoticeMessages } from './engine/booking-notice-content.js';
import { enqueueMessages } from './outbox.js';

export const REMINDER_LEAD_MS = 24 * 3_600_000;

/**
 * Schedules the reminder 24 hours before the session, once per booking. A booking confirmed less than a day
 * ahead gets none: its confirmation, just sent, already carries the terms.
 */
export async function scheduleBookingReminder(trx: Transaction<DB>, session: SessionFacts, now: number): Promise<void> {
  const runAt = session.startsAt - REMINDER_LEAD_MS;
  if (runAt < now) return;
  await scheduleJob(
    trx,
    {
      kind: bookingReminderJob.kind,
      payload: { bookingId: session.bookingId },
      runAt,
      dedupeKey: `booking.reminder:${session.bookingId}`,
    },
    now,
  );
}

/**
 * Reads the booking again when due and reminds both people only if it is still confirmed and still ahead: a
 * cancelled or moved booking's reminder quietly does nothing (the moved one has its own).
 */
export const bookingReminderJob = defineJob({
  kind: 'booking.reminder',
  payload: z.object({ bookingId: z.uuid() }).strict(),
  async run(trx, { bookingId }, { now }) {
    const session = await loadSessionFacts(trx, bookingId);
    if (!session || session.status !== 'confirmed' || now >= session.startsAt) return;
    await enqueueMessages(trx, bookingNoticeMessages({ kind: 'reminder', session }, now), now);
  },
});
