import type { AccountMailer, SecurityNotice } from '../accounts/account-settings.js';
import { escapeHtml } from '../domain/escape-html.js';
import { enqueueMessages } from './outbox.js';

const IF_NOT_YOU =
  'If this was not you, reset your password now from the sign-in page ("Forgot your password?") and write to us.';

function noticeWords(notice: SecurityNotice): { subject: string; line: string } {
  switch (notice.change) {
    case 'password_changed':
      return {
        subject: 'Your Knotwork password was changed',
        line: 'Your password was changed, and every other device was signed out.',
      };
    case 'password_reset':
      return {
        subject: 'Your Knotwork password was reset',
        line: 'Your password was set anew with a reset link, and every device was signed out.',
      };
    case 'email_change_requested':
      return {
        subject: 'Your Knotwork e-mail address is about to change',
        line: `Someone signed in to your account asked to change its e-mail address to ${notice.newEmail ?? ''}. It changes only once that address is verified; until then this address stays.`,
      };
    case 'email_changed':
      return {
        subject: 'Your Knotwork e-mail address was changed',
        line: `Your account's e-mail address is now ${notice.newEmail ?? ''}. Messages will go there from now on.`,
      };
  }
}

/**
 * Notify's answer to accounts' AccountMailer: each e-mail queued in the outbox in the caller's transaction. Links are
 * given up once they expire (`sendBefore`); the verification goes to the new address (`toAddress`) and is never in the
 * in-app inbox; security notices go to the address the account had when the change was made.
 */
export const accountMailer: AccountMailer = {
  async passwordReset(trx, mail, now) {
    const minutes = Math.round((mail.expiresAt - now) / 60_000);
    const after = 'If you did not ask for it, ignore this e-mail: your password stays as it is.';
    await enqueueMessages(
      trx,
      [
        {
          userId: mail.userId,
          kind: 'account.password_reset',
          subject: 'Set a new Knotwork password',
          text: [
            `Hello ${mail.displayName},`,
            '',
            `Open this link to set a new password. It works once, for ${minutes} minutes, and signs out every device:`,
            mail.url,
            '',
            after,
          ].join('\n'),
          html:
            `<p>Hello ${escapeHtml(mail.displayName)},</p>` +
            `<p><a href="${escapeHtml(mail.url)}">Set a new password</a>. The link works once, for ${minutes} minutes, and signs out every device.</p>` +
            `<p>${escapeHtml(after)}</p>`,
          sendBefore: mail.expiresAt,
        },
      ],
      now,
    );
  },
  async verifyNewEmail(trx, mail, now) {
    const hours = Math.round((mail.expiresAt - now) / 3_600_000);
    const after = 'If you did not ask for it, ignore this e-mail: nothing changes without this link.';
    await enqueueMessages(
      trx,
      [
        {
          userId: mail.userId,
          toAddress: mail.newEmail,
          kind: 'account.verify_email',
          subject: 'Verify your new Knotwork e-mail address',
          text: [
            `Hello ${mail.displayName},`,
            '',
            `Open this link to make ${mail.newEmail} your Knotwork e-mail address. It works once, for ${hours} hours:`,
            mail.url,
            '',
            after,
          ].join('\n'),
          html:
            `<p>Hello ${escapeHtml(mail.displayName)},</p>` +
            `<p><a href="${escapeHtml(mail.url)}">Verify ${escapeHtml(mail.newEmail)}</a> as your Knotwork e-mail address. The link works once, for ${hours} hours.</p>` +
            `<p>${escapeHtml(after)}</p>`,
          sendBefore: mail.expiresAt,
        },
      ],
      now,
    );
  },
  async securityNotice(trx, notice, now) {
    const { subject, line } = noticeWords(notice);
    await enqueueMessages(
      trx,
      [
        {
          userId: notice.userId,
          toAddress: notice.toAddress,
          kind: 'account.security_notice',
          subject,
          text: [`Hello ${notice.displayName},`, '', line, '', IF_NOT_YOU].join('\n'),
          html:
            `<p>Hello ${escapeHtml(notice.displayName)},</p><p>${escapeHtml(line)}</p>` +
            `<p>${escapeHtml(IF_NOT_YOU)}</p>`,
        },
      ],
      now,
    );
  },
};
