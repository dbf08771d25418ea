import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import { type SignedInUser, tokenHash } from './sessions.js';

/** A sign-in link works once, within this time. */
export const SIGN_IN_LINK_MINUTES = 15;
/** At most this many links are sent to one account per hour, whoever asks. */
export const SIGN_IN_LINKS_PER_HOUR = 3;

/**
 * How accounts has a sign-in link e-mailed. Accounts is the lowest capability and writes no messages itself; notify
 * answers this port by queueing the e-mail in its outbox, in the same transaction as the link (wired in http/).
 */
export interface SignInLinkMailer {
  send(
    trx: Transaction<DB>,
    mail: { userId: string; displayName: string; url: string; expiresAt: number; intro?: string },
    now: number,
  ): Promise<void>;
}

/**
 * Creates a one-time link for the account with this e-mail and has it e-mailed. Says nothing about whether the
 * account exists (the caller answers the same either way); an account that already had SIGN_IN_LINKS_PER_HOUR
 * links in the last hour gets no more.
 */
export async function sendSignInLink(
  db: Kysely<DB>,
  mailer: SignInLinkMailer,
  email: string,
  linkBase: string,
  now: number,
  /** Why the link is sent, when nobody asked for it (an invitation): its first paragraph. */
  intro?: string,
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
      .selectFrom('sign_in_links')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', user.id)
      .where('created_at', '>', new Date(now - 3_600_000))
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= SIGN_IN_LINKS_PER_HOUR) return;
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + SIGN_IN_LINK_MINUTES * 60_000;
    await trx
      .insertInto('sign_in_links')
      .values({
        token_hash: tokenHash(token),
        user_id: user.id,
        created_at: new Date(now),
        expires_at: new Date(expiresAt),
      })
      .execute();
    await mailer.send(
      trx,
      {
        userId: user.id,
        displayName: user.display_name,
        url: `${linkBase}/sign-in/link#${token}`,
        expiresAt,
        ...(intro ? { intro } : {}),
      },
      now,
    );
  });
}

/** Uses a link: its account, once, if it has not expired; undefined otherwise (unknown, used or expired alike). */
export async function useSignInLink(db: Kysely<DB>, token: string, now: number): Promise<SignedInUser | undefined> {
  const used = await db
    .updateTable('sign_in_links')
    .set({ used_at: new Date(now) })
    .where('token_hash', '=', tokenHash(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date(now))
    .returning('user_id')
    .executeTakeFirst();
  if (!used) return undefined;
  const row = await db
    .selectFrom('users')
    .select(['id', 'email', 'role', 'display_name'])
    .where('id', '=', used.user_id)
    .executeTakeFirstOrThrow();
  return { id: row.id, email: row.email, role: row.role, displayName: row.display_name };
}
