import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../schema.js';
import { defineJob } from '../jobs/job-runner.js';
import { scheduleJob } from '../jobs/job-scheduler.js';
import { enqueueMessages } from '../notify/outbox.js';
import { checkoutAlertAt, isCheckoutOverdue } from './engine/checkout-watch.js';
import { openIncident } from './incident-store.js';
import { loadBookingFacts } from '../booking/booking-reads.js';

/**
 * At check-in, a durable job is set for the planned end plus the configured minutes. When it runs it reads the
 * booking again: if the session is still checked in, it raises the overdue alert (an incident in the operators'
 * queue, at most one per booking) and messages the operators and the therapist. A session checked out in time
 * makes it do nothing.
 */
export async function watchCheckout(
  trx: Transaction<DB>,
  booking: { id: string; ends_at: Date },
  alertMin: number,
  now: number,
): Promise<void> {
  await scheduleJob(
    trx,
    {
      kind: checkoutOverdueJob.kind,
      payload: { bookingId: booking.id, alertMin },
      runAt: checkoutAlertAt(booking.ends_at.getTime(), alertMin),
      dedupeKey: `live.checkout_overdue:${booking.id}`,
    },
    now,
  );
}

export const checkoutOverdueJob = defineJob({
  kind: 'live.checkout_overdue',
  payload: z.object({ bookingId: z.uuid(), alertMin: z.number().int().min(1) }).strict(),
  async run(trx, { bookingId, alertMin }, { now }) {
    const booking = await loadBookingFacts(trx, bookingId, { forUpdate: true });
    if (!booking || !isCheckoutOverdue({ status: booking.status, endsAt: booking.ends_at.getTime() }, alertMin, now))
      return;
    const raised = await trx
      .selectFrom('incidents')
      .select('id')
      .where('booking_id', '=', bookingId)
      .where('kind', '=', 'overdue_checkout')
      .executeTakeFirst();
    if (raised) return;
    await openIncident(
      trx,
      {
        bookingId,
        kind: 'overdue_checkout',
        reporter: null,
        reporterRole: 'system',
        description: `Still checked in ${alertMin} minutes after the planned end (${booking.ends_at.toISOString()}).`,
      },
      now,
    );
    await enqueueMessages(
      trx,
      [
        {
          userId: booking.therapist_id,
          kind: 'safety.checkout_overdue',
          subject: 'Please check out your session',
          text: 'Your session is still checked in after its planned end, so our operators have been alerted. If all is well, check the client out in Knotwork now; if not, report an incident or call for help.',
          bookingId,
          dedupeKey: `safety.checkout_overdue:${bookingId}:therapist`,
        },
      ],
      now,
    );
  },
});
