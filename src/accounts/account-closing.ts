import type { Kysely, Transaction } from 'kysely';
import { ProblemError } from '../domain/problems.js';
import type { DB } from '../schema.js';
import { writeAudit } from './audit.js';
import type { SignedInUser } from './sessions.js';

/**
 * Booking's answer to "does this client have sessions to come?" (accounts is below booking: wired in http/). Held,
 * awaiting clearance or confirmed sessions that have not started count.
 */
export interface UpcomingSessions {
  countOfClient(trx: Transaction<DB>, clientId: string, now: number): Promise<number>;
}

/** What a closed account's password hash is: no argon2 hash, so no password ever matches it. */
const CLOSED_PASSWORD = '!closed';

/**
 * Closes a client's account. Refused while sessions are still to come (409 `account_has_upcoming_bookings`): the
 * client cancels them first, each under its cancellation terms, which the booking screens show with the fee. Then, in
 * one transaction: the name, e-mail address, phone and password are scrubbed (the address is free for a new
 * account), every session, link and preference of the account is deleted, and the closing is audited. The row stays,
 * because bookings, the ledger, receipts, session records and audit rows point at it and must be kept; health data is
 * not erased by closing (the client's erasure request does that, for what may be erased).
 */
export async function closeAccount(
  db: Kysely<DB>,
  upcoming: UpcomingSessions,
  user: SignedInUser,
  now: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.selectFrom('users').select('id').where('id', '=', user.id).forUpdate().executeTakeFirstOrThrow();
    const count = await upcoming.countOfClient(trx, user.id, now);
    if (count > 0)
      throw new ProblemError(
        'account_has_upcoming_bookings',
        `You have ${count} upcoming ${count === 1 ? 'session' : 'sessions'}: cancel ${count === 1 ? 'it' : 'them'} in My bookings first, under the cancellation terms shown there`,
        { extra: { upcomingBookings: count } },
      );
    await trx
      .updateTable('users')
      .set({
        email: `closed-${user.id}@closed.invalid`,
        display_name: 'Closed account',
        phone: null,
        password_hash: CLOSED_PASSWORD,
        closed_at: new Date(now),
      })
      .where('id', '=', user.id)
      .execute();
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    await trx.deleteFrom('sign_in_links').where('user_id', '=', user.id).execute();
    await trx.deleteFrom('password_resets').where('user_id', '=', user.id).execute();
    await trx.deleteFrom('email_changes').where('user_id', '=', user.id).execute();
    await trx.deleteFrom('notification_preferences').where('user_id', '=', user.id).execute();
    await writeAudit(
      trx,
      { actor: user, action: 'account.close', subjectType: 'user', subjectId: user.id, subjectUserId: user.id },
      now,
    );
  });
}
