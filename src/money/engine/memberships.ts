/**
 * Monthly memberships, as pure rules: the periods, the renewal retries and the member price. Instants are epoch
 * milliseconds, in UTC: a period ends on the same day of the next month (the 31st becomes the month's last day).
 */
import { applyRate } from './checkout.js';

/** Renewal attempts after the first fails: 1 day later, then 3 days later; then the membership is paused. */
export const RENEWAL_RETRY_DELAYS_MS = [86_400_000, 3 * 86_400_000] as const;

/** The end of a monthly period that starts at `start`: the same day and time next month, clamped to its last day. */
export function addMonth(start: number): number {
  const d = new Date(start);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(
    year,
    month,
    Math.min(d.getUTCDate(), lastDay),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/** What to do after a renewal attempt failed, given how many attempts have failed now (1 after the first). */
export function afterFailedRenewal(failedAttempts: number, now: number): { retryAt: number } | { pause: true } {
  const delay = RENEWAL_RETRY_DELAYS_MS[failedAttempts - 1];
  return delay === undefined ? { pause: true } : { retryAt: now + delay };
}

/** The idempotency key of the charge renewing `membershipId` for the period starting at `periodStart`. */
export function renewalKey(membershipId: string, periodStart: number): string {
  return `membership:${membershipId}:${new Date(periodStart).toISOString()}`;
}

/** The member price of a session listed at `priceMinor`: the plan's discount off, rounded like every rate. */
export function memberPrice(priceMinor: number, discountBp: number): number {
  return priceMinor - applyRate(priceMinor, discountBp);
}
