import type { Transaction } from 'kysely';
import { userIdByEmail } from '../accounts/accounts-reads.js';
import { escapeHtml } from '../domain/escape-html.js';
import { formatMoney } from '../domain/session-time.js';
import type { GiftCardMailer } from '../money/gift-cards.js';
import type { MembershipNotices } from '../money/memberships.js';
import type { DB } from '../schema.js';
import { enqueueMessages } from './outbox.js';

/**
 * Notify's answers to money's ports for packages, memberships and gift cards: the messages, queued in the outbox in
 * the transaction of the change they report.
 *
 * A gift card's code goes to the recipient when they have a Knotwork account; otherwise to the buyer, to pass on
 * (the outbox sends only to accounts: a message to any address would need a recipient column on messages).
 */
export const giftCardMailer: GiftCardMailer = {
  async send(trx: Transaction<DB>, mail, now) {
    const amount = formatMoney(mail.amountMinor, mail.currency);
    const recipientId = await userIdByEmail(trx, mail.recipientEmail);
    const note = mail.message ? ['', `“${mail.message}”`] : [];
    const howTo = [
      '',
      `Your code: ${mail.code}`,
      '',
      'Enter it when you confirm a booking to pay with it, in part or whole. Check what is left on it any time on the gift card page.',
    ];
    if (recipientId) {
      const text = [
        `Hello ${mail.recipientName},`,
        '',
        `You have been given a Knotwork gift card of ${amount}.`,
        ...note,
        ...howTo,
      ].join('\n');
      await enqueueMessages(
        trx,
        [
          {
            userId: recipientId,
            kind: 'money.gift_card',
            subject: `A Knotwork gift card of ${amount} for you`,
            text,
            html: text
              .split('\n')
              .map((line) => `<p>${escapeHtml(line)}</p>`)
              .join(''),
          },
        ],
        now,
      );
    }
    const toBuyer = recipientId
      ? [`Your gift card of ${amount} for ${mail.recipientName} is paid, and we have e-mailed them the code.`]
      : [
          `Your gift card of ${amount} for ${mail.recipientName} is paid.`,
          `${mail.recipientEmail} has no Knotwork account yet, so please pass the code on to them yourself.`,
          ...howTo,
        ];
    await enqueueMessages(
      trx,
      [
        {
          userId: mail.buyerId,
          kind: 'money.gift_card_bought',
          subject: `Your Knotwork gift card for ${mail.recipientName}`,
          text: toBuyer.join('\n'),
          html: toBuyer.map((line) => `<p>${escapeHtml(line)}</p>`).join(''),
        },
      ],
      now,
    );
  },
};

export const membershipNotices: MembershipNotices = {
  async paused(trx, notice, now) {
    const text = [
      `We could not renew your ${notice.planName} membership: ${notice.reason}`,
      '',
      'We tried three times, so it is paused: no further charges, and no new credits. Credits you already have stay usable until they expire. Add a working card and join again whenever you like.',
    ];
    await enqueueMessages(
      trx,
      [
        {
          userId: notice.clientId,
          kind: 'money.membership_paused',
          subject: `Your ${notice.planName} membership is paused`,
          text: text.join('\n'),
          html: text.map((line) => `<p>${escapeHtml(line)}</p>`).join(''),
        },
      ],
      now,
    );
  },
};
