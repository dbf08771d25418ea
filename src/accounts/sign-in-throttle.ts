import { type Kysely, sql } from 'kysely';
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
 *
 * Pairs alone let guessing spread over many addresses have five attempts from each. So the e-mail as a whole also has
 * a budget: ACCOUNT_BUDGET attempts per ACCOUNT_WINDOW_MS from addresses that never signed in to it. Beyond it, a
 * password attempt from such a NEW address is refused with `sign_in_link_required` (nothing counted, nothing checked):
 * the e-mailed link is the way in, and it makes that address known. An address KNOWN to the account (it signed in
 * there, by password, link or sign-up, within KNOWN_FOR_MS) neither counts against the budget nor is refused by it,
 * so the owner at home keeps the pair limits only. The budget is reserved like the pair, on its locked row; the
 * budget row is always locked before the pair row (same order everywhere), so parallel attempts cannot deadlock.
 */
export const FREE_ATTEMPTS = 5;
export const FIRST_DELAY_MS = 60_000;
export const MAX_DELAY_MS = 60 * 60_000;
export const FORGET_AFTER_MS = 24 * 60 * 60_000;
export const ACCOUNT_BUDGET = 20;
export const ACCOUNT_WINDOW_MS = 24 * 60 * 60_000;
export const KNOWN_FOR_MS = 90 * 24 * 60 * 60_000;

export interface BudgetState {
  /** Attempts counted from new addresses since the window started. */
  failures: number;
  windowStartedAt: number;
}

/**
 * Pure: may a new address spend from the e-mail's budget now? When allowed, `counted` and `windowStartedAt` are the
 * budget after spending one (a window that has run out starts again now). When refused, how long until it does.
 */
export function budgetVerdict(
  state: BudgetState | undefined,
  now: number,
): ThrottleVerdict & { counted: number; windowStartedAt: number } {
  const fresh = !state || now - state.windowStartedAt >= ACCOUNT_WINDOW_MS;
  const failures = fresh ? 0 : state.failures;
  const windowStartedAt = fresh ? now : state.windowStartedAt;
  if (failures < ACCOUNT_BUDGET) return { allowed: true, retryAfterSeconds: 0, counted: failures + 1, windowStartedAt };
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStartedAt + ACCOUNT_WINDOW_MS - now) / 1000));
  return { allowed: false, retryAfterSeconds, counted: failures, windowStartedAt };
}

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
 * Reserves one attempt, atomically, in one transaction that commits before the (slow) password check: the e-mail's
 * budget row and then the pair's row are created if need be and locked (always in that order), the verdicts taken,
 * and an allowed attempt counted on the pair and, from a new address, on the budget.
 */
export async function reserveSignInAttempt(
  db: Kysely<DB>,
  email: string,
  ip: string,
  now: number,
): Promise<ThrottleVerdict & { refusedBy?: 'pair' | 'budget' }> {
  return db.transaction().execute(async (trx) => {
    // Each row is made if need be and locked in ONE statement (an upsert locks the row it meets and returns it): as
    // an insert-if-missing and then a locking read, a sign-in that cleared the pair (or the quiet-row sweep) between
    // the two left nothing to lock, and the attempt failed with a 500.
    const budgetRow = await trx
      .insertInto('sign_in_budgets')
      .values({ email, failures: 0, window_started_at: new Date(now) })
      .onConflict((oc) => oc.column('email').doUpdateSet((eb) => ({ email: eb.ref('excluded.email') })))
      .returning(['failures', 'window_started_at'])
      .executeTakeFirstOrThrow();
    const known = await isKnownAddress(trx, email, ip, now);
    const budget = budgetVerdict(
      { failures: budgetRow.failures, windowStartedAt: budgetRow.window_started_at.getTime() },
      now,
    );
    if (!known && !budget.allowed) {
      return { allowed: false, retryAfterSeconds: budget.retryAfterSeconds, refusedBy: 'budget' as const };
    }

    const row = await trx
      .insertInto('sign_in_limits')
      .values({ email, ip, failures: 0, last_attempt_at: new Date(now) })
      .onConflict((oc) => oc.columns(['email', 'ip']).doUpdateSet((eb) => ({ email: eb.ref('excluded.email') })))
      .returning(['failures', 'last_attempt_at'])
      .executeTakeFirstOrThrow();
    const { counted, ...verdict } = throttleVerdict(
      { failures: row.failures, lastAttemptAt: row.last_attempt_at.getTime() },
      now,
    );
    if (!verdict.allowed) return { ...verdict, refusedBy: 'pair' as const };
    await trx
      .updateTable('sign_in_limits')
      .set({ failures: counted, last_attempt_at: new Date(now) })
      .where('email', '=', email)
      .where('ip', '=', ip)
      .execute();
    if (!known) {
      await trx
        .updateTable('sign_in_budgets')
        .set({ failures: budget.counted, window_started_at: new Date(budget.windowStartedAt) })
        .where('email', '=', email)
        .execute();
    }
    return verdict;
  });
}

async function isKnownAddress(db: Kysely<DB>, email: string, ip: string, now: number): Promise<boolean> {
  const row = await db
    .selectFrom('sign_in_known_addresses')
    .select('last_success_at')
    .where('email', '=', email)
    .where('ip', '=', ip)
    .executeTakeFirst();
  return row !== undefined && now - row.last_success_at.getTime() < KNOWN_FOR_MS;
}

/**
 * The account's owner proved who they are from this address (right password, a sign-in link, or sign-up): the pair
 * starts again, the address becomes known, and an attempt a new address had spent from the budget is given back
 * (it was counted before it was checked, and it was not a failure). Locks the budget row before the pair row.
 */
export async function clearSignInLimit(db: Kysely<DB>, email: string, ip: string, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const known = await isKnownAddress(trx, email, ip, now);
    const pair = await trx
      .selectFrom('sign_in_limits')
      .select('failures')
      .where('email', '=', email)
      .where('ip', '=', ip)
      .executeTakeFirst();
    if (!known && pair && pair.failures > 0) {
      await trx
        .updateTable('sign_in_budgets')
        .set((eb) => ({ failures: sql<number>`greatest(${eb.ref('failures')} - 1, 0)` }))
        .where('email', '=', email)
        .execute();
    }
    await trx.deleteFrom('sign_in_limits').where('email', '=', email).where('ip', '=', ip).execute();
    await trx
      .insertInto('sign_in_known_addresses')
      .values({ email, ip, last_success_at: new Date(now) })
      .onConflict((oc) => oc.columns(['email', 'ip']).doUpdateSet({ last_success_at: new Date(now) }))
      .execute();
  });
}

/**
 * Pairs quiet for a day count nothing any more, nor do budgets whose window ended, nor addresses not signed in from
 * for KNOWN_FOR_MS; forgetting them keeps the tables small. Each delete is its own statement (no transaction holding
 * one table's locks while waiting for another's), so it cannot deadlock with a reservation.
 */
export async function forgetQuietSignInLimits(db: Kysely<DB>, now: number): Promise<number> {
  const pairs = await db
    .deleteFrom('sign_in_limits')
    .where('last_attempt_at', '<', new Date(now - FORGET_AFTER_MS))
    .executeTakeFirst();
  const budgets = await db
    .deleteFrom('sign_in_budgets')
    .where('window_started_at', '<', new Date(now - ACCOUNT_WINDOW_MS))
    .executeTakeFirst();
  const known = await db
    .deleteFrom('sign_in_known_addresses')
    .where('last_success_at', '<', new Date(now - KNOWN_FOR_MS))
    .executeTakeFirst();
  return Number(pairs.numDeletedRows) + Number(budgets.numDeletedRows) + Number(known.numDeletedRows);
}
