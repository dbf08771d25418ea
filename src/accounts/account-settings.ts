import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import { NOTIFICATION_TOPIC_IDS, type NotificationTopic } from '../domain/notification-topics.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import type { DB } from '../schema.js';
import { judgePassword, preparePasswordJudge } from './password-strength.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { type SignedInUser, tokenHash } from './sessions.js';
import { clearSignInLimit, reserveSignInAttempt } from './sign-in-throttle.js';

/** A "forgot password" link works once, within this time. */
export const PASSWORD_RESET_MINUTES = 30;
/** A new e-mail address must be verified within this time. */
export const EMAIL_CHANGE_HOURS = 24;
/** At most this many reset or e-mail-change links are sent for one account per hour, whoever asks. */
export const ACCOUNT_LINKS_PER_HOUR = 3;

/**
 * How accounts has its e-mails written. Accounts is the lowest capability and writes no messages itself; notify
 * answers this port by queueing each e-mail in its outbox, in the caller's transaction (wired in http/).
 */
export interface AccountMailer {
  passwordReset(
    trx: Transaction<DB>,
    mail: { userId: string; displayName: string; url: string; expiresAt: number },
    now: number,
  ): Promise<void>;
  /** To the new address, which is not the account's yet. */
  verifyNewEmail(
    trx: Transaction<DB>,
    mail: { userId: string; displayName: string; newEmail: string; url: string; expiresAt: number },
    now: number,
  ): Promise<void>;
  /**
   * To `toAddress`, the account's address when the change was made (fixed now, as delivery reads the account's
   * address when it sends, and the address may change before then): something about the account's security
   * changed, or is about to.
   */
  securityNotice(trx: Transaction<DB>, mail: SecurityNotice, now: number): Promise<void>;
}

export interface SecurityNotice {
  userId: string;
  displayName: string;
  toAddress: string;
  change: 'password_changed' | 'password_reset' | 'email_change_requested' | 'email_changed';
  newEmail?: string;
}

const newToken = () => randomBytes(32).toString('base64url');

/** Ends every session of the user but `keepTokenHash` (the one making the change), in the caller's transaction. */
async function endOtherSessions(trx: Transaction<DB>, userId: string, keepTokenHash: string | null): Promise<void> {
  let query = trx.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepTokenHash) query = query.where('token_hash', '<>', keepTokenHash);
  await query.execute();
}

/**
 * Creates a one-time password-reset link for the account with this e-mail and has it e-mailed. Says nothing about
 * whether the account exists (the caller answers the same either way); an account that already had
 * ACCOUNT_LINKS_PER_HOUR of them in the last hour gets no more.
 */
export async function requestPasswordReset(
  db: Kysely<DB>,
  mailer: AccountMailer,
  email: string,
  linkBase: string,
  now: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('email', '=', email)
      .forUpdate()
      .executeTakeFirst();
    if (!user) return;
    const recent = await trx
      .selectFrom('password_resets')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', user.id)
      .where('created_at', '>', new Date(now - 3_600_000))
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= ACCOUNT_LINKS_PER_HOUR) return;
    const token = newToken();
    const expiresAt = now + PASSWORD_RESET_MINUTES * 60_000;
    await trx
      .insertInto('password_resets')
      .values({
        token_hash: tokenHash(token),
        user_id: user.id,
        created_at: new Date(now),
        expires_at: new Date(expiresAt),
      })
      .execute();
    await mailer.passwordReset(
      trx,
      { userId: user.id, displayName: user.display_name, url: `${linkBase}/reset-password#${token}`, expiresAt },
      now,
    );
  });
}

/**
 * Sets a new password with a reset link: once, before it expires. The password must be strong enough; every session
 * of the account ends (the caller starts a new one), and every other reset and sign-in link stops working.
 */
export async function resetPassword(
  db: Kysely<DB>,
  mailer: AccountMailer,
  token: string,
  password: string,
  now: number,
): Promise<SignedInUser> {
  const hash = tokenHash(token);
  const link = await db
    .selectFrom('password_resets as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['u.id', 'u.email', 'u.display_name'])
    .where('r.token_hash', '=', hash)
    .where('r.used_at', 'is', null)
    .where('r.expires_at', '>', new Date(now))
    .executeTakeFirst();
  if (!link) throw new ProblemError('password_reset_invalid');
  await preparePasswordJudge();
  const verdict = judgePassword(password, [link.email, link.display_name]);
  if (!verdict.ok) throw fieldProblem('password', 'weak_password', verdict.reason);
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('password_resets')
      .set({ used_at: new Date(now) })
      .where('token_hash', '=', hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', new Date(now))
      .returning('user_id')
      .executeTakeFirst();
    // Used by a request racing this one, between the read and here.
    if (!used) throw new ProblemError('password_reset_invalid');
    const row = await trx
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', used.user_id)
      .returning(['id', 'email', 'role', 'display_name'])
      .executeTakeFirstOrThrow();
    await endOtherSessions(trx, row.id, null);
    await trx
      .updateTable('password_resets')
      .set({ used_at: new Date(now) })
      .where('user_id', '=', row.id)
      .where('used_at', 'is', null)
      .execute();
    await trx
      .updateTable('sign_in_links')
      .set({ used_at: new Date(now) })
      .where('user_id', '=', row.id)
      .where('used_at', 'is', null)
      .execute();
    await mailer.securityNotice(
      trx,
      { userId: row.id, displayName: row.display_name, toAddress: row.email, change: 'password_reset' },
      now,
    );
    return { id: row.id, email: row.email, role: row.role, displayName: row.display_name };
  });
}

/**
 * Checks the signed-in person's current password, counted by the sign-in throttle like a sign-in (so a borrowed
 * session cannot guess it faster than the sign-in page can): 429 when slowed, 403 `current_password_wrong` when
 * wrong.
 */
export async function checkCurrentPassword(
  db: Kysely<DB>,
  user: SignedInUser,
  password: string,
  ip: string,
  now: number,
): Promise<void> {
  const verdict = await reserveSignInAttempt(db, user.email, ip, now);
  if (!verdict.allowed || verdict.refusedBy) {
    throw new ProblemError('rate_limited', `Too many wrong passwords; try again in ${verdict.retryAfterSeconds} s`, {
      extra: { retryAfterSeconds: verdict.retryAfterSeconds },
    });
  }
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirst();
  if (!(await verifyPassword(row?.password_hash, password))) {
    throw new ProblemError('current_password_wrong', undefined, {
      errors: [
        { field: 'currentPassword', in: 'body', code: 'wrong_password', message: 'This is not your current password' },
      ],
    });
  }
  await clearSignInLimit(db, user.email, ip, now);
}

/** Changes the password: the current one is needed, the new one must be strong; every other session ends. */
export async function changePassword(
  db: Kysely<DB>,
  mailer: AccountMailer,
  user: SignedInUser,
  change: { currentPassword: string; newPassword: string; sessionToken: string; ip: string },
  now: number,
): Promise<void> {
  await checkCurrentPassword(db, user, change.currentPassword, change.ip, now);
  await preparePasswordJudge();
  const verdict = judgePassword(change.newPassword, [user.email, user.displayName]);
  if (!verdict.ok) throw fieldProblem('newPassword', 'weak_password', verdict.reason);
  const passwordHash = await hashPassword(change.newPassword);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', user.id).execute();
    await endOtherSessions(trx, user.id, tokenHash(change.sessionToken));
    await trx
      .updateTable('password_resets')
      .set({ used_at: new Date(now) })
      .where('user_id', '=', user.id)
      .where('used_at', 'is', null)
      .execute();
    await mailer.securityNotice(
      trx,
      { userId: user.id, displayName: user.displayName, toAddress: user.email, change: 'password_changed' },
      now,
    );
  });
}

const emailTaken = () =>
  new ProblemError('email_taken', undefined, {
    errors: [{ field: 'newEmail', in: 'body', code: 'taken', message: 'An account with this e-mail already exists' }],
  });

/**
 * Starts a change of e-mail address: the current password is needed; a link is sent to the new address and a notice
 * to the old one. The account keeps its address until the link is opened. Returns when the link expires.
 */
export async function requestEmailChange(
  db: Kysely<DB>,
  mailer: AccountMailer,
  user: SignedInUser,
  change: { newEmail: string; currentPassword: string; ip: string; linkBase: string },
  now: number,
): Promise<{ expiresAt: number }> {
  if (change.newEmail === user.email)
    throw fieldProblem('newEmail', 'unchanged', 'This is already your e-mail address');
  await checkCurrentPassword(db, user, change.currentPassword, change.ip, now);
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('users').select('id').where('id', '=', user.id).forUpdate().executeTakeFirstOrThrow();
    const taken = await trx.selectFrom('users').select('id').where('email', '=', change.newEmail).executeTakeFirst();
    if (taken) throw emailTaken();
    const recent = await trx
      .selectFrom('email_changes')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', user.id)
      .where('created_at', '>', new Date(now - 3_600_000))
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= ACCOUNT_LINKS_PER_HOUR)
      throw new ProblemError('rate_limited', 'Too many e-mail changes in an hour; try again later', {
        extra: { retryAfterSeconds: 3600 },
      });
    // Only the newest request counts: an earlier link stops working.
    await trx
      .updateTable('email_changes')
      .set({ used_at: new Date(now) })
      .where('user_id', '=', user.id)
      .where('used_at', 'is', null)
      .execute();
    const token = newToken();
    const expiresAt = now + EMAIL_CHANGE_HOURS * 3_600_000;
    await trx
      .insertInto('email_changes')
      .values({
        token_hash: tokenHash(token),
        user_id: user.id,
        new_email: change.newEmail,
        created_at: new Date(now),
        expires_at: new Date(expiresAt),
      })
      .execute();
    const mail = { userId: user.id, displayName: user.displayName, newEmail: change.newEmail };
    await mailer.verifyNewEmail(trx, { ...mail, url: `${change.linkBase}/verify-email#${token}`, expiresAt }, now);
    await mailer.securityNotice(trx, { ...mail, toAddress: user.email, change: 'email_change_requested' }, now);
    return { expiresAt };
  });
}

/**
 * Verifies a new address with the link sent to it: once, before it expires, and only the newest request. The account
 * then has the new address; the old one is told.
 */
export async function verifyEmailChange(
  db: Kysely<DB>,
  mailer: AccountMailer,
  token: string,
  now: number,
): Promise<{ email: string }> {
  return db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('email_changes')
      .set({ used_at: new Date(now) })
      .where('token_hash', '=', tokenHash(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', new Date(now))
      .returning(['user_id', 'new_email'])
      .executeTakeFirst();
    if (!used) throw new ProblemError('email_change_invalid');
    const taken = await trx.selectFrom('users').select('id').where('email', '=', used.new_email).executeTakeFirst();
    if (taken) throw new ProblemError('email_taken', 'Another account took this e-mail address in the meantime');
    const old = await trx
      .selectFrom('users')
      .select(['id', 'email', 'display_name'])
      .where('id', '=', used.user_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('users')
      .set({ email: used.new_email })
      .where('id', '=', old.id)
      .execute()
      .catch((error: unknown) => {
        // A sign-up with the address that committed after the check above.
        if ((error as { code?: unknown }).code === '23505') throw new ProblemError('email_taken');
        throw error;
      });
    // The old address is told, so an owner whose account was taken over hears of it where they still read.
    await mailer.securityNotice(
      trx,
      {
        userId: old.id,
        displayName: old.display_name,
        toAddress: old.email,
        change: 'email_changed',
        newEmail: used.new_email,
      },
      now,
    );
    return { email: used.new_email };
  });
}

/** Parses a phone number as a person types it: E.164, or a field error naming `phone`. */
export function toE164(phone: string, defaultCountry?: string): string {
  const parsed = parsePhoneNumberFromString(phone, defaultCountry as CountryCode | undefined);
  if (!parsed?.isValid())
    throw fieldProblem(
      'phone',
      'invalid_phone',
      defaultCountry
        ? 'This is not a valid phone number'
        : 'This is not a valid phone number: start with + and the country code, e.g. +1 212 555 0100',
    );
  return parsed.number;
}

export async function setPhone(db: Kysely<DB>, userId: string, phone: string | null): Promise<void> {
  await db.updateTable('users').set({ phone }).where('id', '=', userId).execute();
}

export interface AccountSettings {
  email: string;
  displayName: string;
  phone: string | null;
  pendingEmail: { email: string; expiresAt: number } | null;
  notifications: Record<NotificationTopic, boolean>;
}

export async function accountSettings(db: Kysely<DB>, userId: string, now: number): Promise<AccountSettings> {
  const user = await db
    .selectFrom('users')
    .select(['email', 'display_name', 'phone'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const pending = await db
    .selectFrom('email_changes')
    .select(['new_email', 'expires_at'])
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date(now))
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  const prefs = await db
    .selectFrom('notification_preferences')
    .select(['topic', 'email'])
    .where('user_id', '=', userId)
    .execute();
  const off = new Set(prefs.filter((p) => !p.email).map((p) => p.topic));
  return {
    email: user.email,
    displayName: user.display_name,
    phone: user.phone,
    pendingEmail: pending ? { email: pending.new_email, expiresAt: pending.expires_at.getTime() } : null,
    notifications: Object.fromEntries(NOTIFICATION_TOPIC_IDS.map((t) => [t, !off.has(t)])) as Record<
      NotificationTopic,
      boolean
    >,
  };
}

/** Turns optional e-mails on or off, by topic; topics not named keep their setting. */
export async function setNotificationPreferences(
  db: Kysely<DB>,
  userId: string,
  choices: Partial<Record<NotificationTopic, boolean>>,
  now: number,
): Promise<void> {
  const rows = Object.entries(choices)
    .filter((entry): entry is [NotificationTopic, boolean] => typeof entry[1] === 'boolean')
    .map(([topic, email]) => ({ user_id: userId, topic, email, updated_at: new Date(now) }));
  if (rows.length === 0) return;
  await db
    .insertInto('notification_preferences')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['user_id', 'topic']).doUpdateSet((eb) => ({
        email: eb.ref('excluded.email'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}
