import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

/**
 * Failed sign-ins are counted in the database, so the limit holds across app instances and restarts:
 * at most MAX_FAILURES_PER_EMAIL per e-mail and MAX_FAILURES_PER_IP per address within the window.
 */
export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 30;

export interface ThrottleVerdict {
  allowed: boolean;
  retryAfterSeconds: number;
}

/** Pure: given the failure times inside the window (oldest first), may another attempt go ahead? */
export function throttleVerdict(failures: number[], limit: number, now: number): ThrottleVerdict {
  if (failures.length < limit) return { allowed: true, retryAfterSeconds: 0 };
  const oldestCounted = failures[failures.length - limit]!;
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((oldestCounted + THROTTLE_WINDOW_MS - now) / 1000)),
  };
}

async function recentFailures(db: Kysely<DB>, column: 'email' | 'ip', value: string, now: number) {
  const rows = await db
    .selectFrom('sign_in_attempts')
    .select('attempted_at')
    .where(column, '=', value)
    .where('succeeded', '=', false)
    .where('attempted_at', '>', new Date(now - THROTTLE_WINDOW_MS))
    .orderBy('attempted_at')
    .execute();
  return rows.map((r) => r.attempted_at.getTime());
}

export async function checkSignInThrottle(
  db: Kysely<DB>,
  email: string,
  ip: string,
  now: number,
): Promise<ThrottleVerdict> {
  const [byEmail, byIp] = await Promise.all([
    recentFailures(db, 'email', email, now),
    recentFailures(db, 'ip', ip, now),
  ]);
  const verdicts = [
    throttleVerdict(byEmail, MAX_FAILURES_PER_EMAIL, now),
    throttleVerdict(byIp, MAX_FAILURES_PER_IP, now),
  ];
  const blocked = verdicts.filter((v) => !v.allowed);
  return blocked.length === 0
    ? { allowed: true, retryAfterSeconds: 0 }
    : { allowed: false, retryAfterSeconds: Math.max(...blocked.map((v) => v.retryAfterSeconds)) };
}

export async function recordSignInAttempt(db: Kysely<DB>, email: string, ip: string, succeeded: boolean, now: number) {
  await db
    .insertInto('sign_in_attempts')
    .values({ email, ip, succeeded, attempted_at: new Date(now) })
    .execute();
}
