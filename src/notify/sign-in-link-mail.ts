import type { SignInLinkMailer } from '../accounts/sign-in-links.js';
import { escapeHtml } from '../domain/escape-html.js';
import { enqueueMessages } from './outbox.js';

/** Notify's answer to accounts' SignInLinkMailer: the link's e-mail, queued in the outbox in the link's transaction. */
export const signInLinkMailer: SignInLinkMailer = {
  async send(trx, mail, now) {
    const minutes = Math.round((mail.expiresAt - now) / 60_000);
    const text = [
      `Hello ${mail.displayName},`,
      '',
      ...(mail.intro ? [mail.intro, ''] : []),
      `Open this link to sign in to Knotwork. It works once, for ${minutes} minutes:`,
      mail.url,
      '',
      'If you did not ask for it, ignore this e-mail: nobody can sign in without the link, and your password still works.',
    ].join('\n');
    const html =
      `<p>Hello ${escapeHtml(mail.displayName)},</p>` +
      (mail.intro ? `<p>${escapeHtml(mail.intro)}</p>` : '') +
      `<p><a href="${escapeHtml(mail.url)}">Sign in to Knotwork</a>. The link works once, for ${minutes} minutes.</p>` +
      '<p>If you did not ask for it, ignore this e-mail: nobody can sign in without the link, and your password still works.</p>';
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
