import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

/**
 * Sign-in is slowed per (e-mail, address) pair, not locked per e-mail or per address: an attacker guessing from one
 * address slows only their own pair, so the owner signing in from anywhere else is not locked out, and people
 * sharing an address do not lock each other out. Each pair has FREE_ATTEMPTS attempts; after that every further
 * attempt waits a delay that doubles from FIRST_DELAY_MS up to MAX_DELAY_MS. A success clears the pair, and a pair
 * quiet for FORGET_AFTER_MS starts again. The way out for a person who is slowed is a sign-in link by e-mail.
 *
 * The attempt is reserved (counted, on the pair's locked row) BEFORE the password is checked, so parallel
 * attempts cannot all pass the check: of any number sent at once, at most FREE_ATTEMPTS are checked.
 * The per-address flood limit on top of this is @fastify/rate-limit's (see the route's `rateLimit`).
 */
export const FREE_ATTEMPTS = 5;
export const FIRST_DELAY_MS = 60_000;
export const MAX_DELAY_MS = 60 * 60_000;
export const FORGET_AFTER_MS = 24 * 60 * 60_000;

export interface ThrottleVerdict {
  allowed: boolean;
  retryAfterSeconds: number;
}

export interface PairState {
  /** Attempts counted since the pair last succeeded or went quiet. */
  failures: number;
  lastAttemptAt: number;
}

/** How long the pair must wait after its last attempt, having made `failures` of them. */
export function delayAfter(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (failures - FREE_ATTEMPTS));
}

/** Pure: may the pair attempt now, and how many attempts will it have made if it does? */
export function throttleVerdict(state: PairState | undefined, now: number): ThrottleVerdict & { counted: number } {
  const failures = !state || now - state.lastAttemptAt >= FORGET_AFTER_MS ? 0 : state.failures;
  const readyAt = (state?.lastAttemptAt ?? now) + delayAfter(failures);
  if (failures === 0 || now >= readyAt) return { allowed: true, retryAfterSeconds: 0, counted: failures + 1 };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((readyAt - now) / 1000)), counted: failures };
}

/**
 * Reserves one attempt for the pair, atomically: the pair's row is created if need be and locked, the verdict taken
 * from it, and an allowed attempt counted, all in one transaction that commits before the (slow) password check.
 */
export async function reserveSignInAttempt(
  db: Kysely<DB>,
  email: string,
  ip: string,
  now: number,
): Promise<ThrottleVerdict> {
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sign_in_limits')
      .values({ email, ip, failures: 0, last_attempt_at: new Date(now) })
      .onConflict((oc) => oc.columns(['email', 'ip']).doNothing())
      .execute();
    const row = await trx
      .selectFrom('sign_in_limits')
      .select(['failures', 'last_attempt_at'])
      .where('email', '=', email)
      .where('ip', '=', ip)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const { counted, ...verdict } = throttleVerdict(
      { failures: row.failures, lastAttemptAt: row.last_attempt_at.getTime() },
      now,
    );
    if (verdict.allowed) {
      await trx
        .updateTable('sign_in_limits')
        .set({ failures: counted, last_attempt_at: new Date(now) })
        .where('email', '=', email)
        .where('ip', '=', ip)
        .execute();
    }
    return verdict;
  });
}

/** The right password from this pair: its count starts again. */
export async function clearSignInLimit(db: Kysely<DB>, email: string, ip: string): Promise<void> {
  await db.deleteFrom('sign_in_limits').where('email', '=', email).where('ip', '=', ip).execute();
}

/** Pairs quiet for a day count nothing any more; forgetting them keeps the table to the last day's addresses. */
export async function forgetQuietSignInLimits(db: Kysely<DB>, now: number): Promise<number> {
  const result = await db
    .deleteFrom('sign_in_limits')
    .where('last_attempt_at', '<', new Date(now - FORGET_AFTER_MS))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
