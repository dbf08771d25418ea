import type { SignInLinkMailer } from '../accounts/sign-in-links.js';
import { escapeHtml } from '../domain/escape-html.js';
import { enqueueMessages } from './outbox.js';

/** Notify's answer to accounts' SignInLinkMailer: the link's e-mail, queued in the outbox in the link's transaction. */
export const signInLinkMailer: SignInLinkMailer = {
  async send(trx, mail, now) {
    const minutes = Math.round((mail.expiresAt - now) / 60_000);
    // An invitation goes to someone who may have no password yet: its last line says what ignoring it means instead.
    const closing = mail.intro
      ? 'If you were not expecting this, ignore this e-mail: nobody can sign in without the link, and nothing is confirmed or paid for you until you do it yourself.'
      : 'If you did not ask for it, ignore this e-mail: nobody can sign in without the link, and your password still works.';
    const text = [
      `Hello ${mail.displayName},`,
      '',
      ...(mail.intro ? [mail.intro, ''] : []),
      `Open this link to sign in to Knotwork. It works once, for ${minutes} minutes:`,
      mail.url,
      '',
      closing,
    ].join('\n');
    const html =
      `<p>Hello ${escapeHtml(mail.displayName)},</p>` +
      (mail.intro ? `<p>${escapeHtml(mail.intro)}</p>` : '') +
      `<p><a href="${escapeHtml(mail.url)}">Sign in to Knotwork</a>. The link works once, for ${minutes} minutes.</p>` +
      `<p>${closing}</p>`;
    await enqueueMessages(
      trx,
      [
        {
          userId: mail.userId,
          kind: 'account.sign_in_link',
          subject: mail.intro ? 'You are invited to a massage for two on Knotwork' : 'Your Knotwork sign-in link',
          text,
          html,
          sendBefore: mail.expiresAt,
        },
      ],
      now,
    );
  },
};
