import { z } from 'zod';
import { displayNamesOf } from '../accounts/accounts-reads.js';
import { formatMoney } from '../domain/session-time.js';
import { defineJob } from '../jobs/job-runner.js';
import { TIP_FAILED_NOTICE_JOB, tipForNotice } from '../money/tip-service.js';
import { enqueueMessages } from './outbox.js';

/**
 * Tells a client that their tip could not be charged (money schedules this job when the charge is refused, since
 * money writes no messages), so they can give it again on another card while tips are open. A tip given again and
 * charged in the meantime gets no notice.
 */
export const tipFailedNoticeJob = defineJob({
  kind: TIP_FAILED_NOTICE_JOB,
  payload: z.object({ tipId: z.uuid() }).strict(),
  async run(trx, { tipId }, { now }) {
    const tip = await tipForNotice(trx, tipId);
    if (!tip || tip.status !== 'failed') return;
    const [therapist] = await displayNamesOf(trx, [tip.therapistId]);
    const amount = formatMoney(tip.amountMinor, tip.currency);
    const name = therapist?.displayName ?? 'your therapist';
    await enqueueMessages(
      trx,
      [
        {
          userId: tip.clientId,
          kind: 'tip.failed',
          subject: `Your tip for ${name} could not be charged`,
          text: [
            `Your tip of ${amount} for ${name} could not be charged: ${sentence(tip.failureMessage ?? 'the card was refused')}`,
            '',
            'Nothing was taken from your card. You can tip again, with another card if you like, from the session in',
            'My bookings, for 72 hours after the session.',
          ].join('\n'),
          bookingId: tip.bookingId,
          dedupeKey: `tip.failed:${tipId}:${now}`,
        },
      ],
      now,
    );
  },
});

/** The processor's message as a sentence: its own full stop kept, one added when it has none. */
function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}
