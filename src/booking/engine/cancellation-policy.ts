import { formatMoney } from '../../domain/session-time.js';
/**
 * A therapist's cancellation terms, copied onto each booking when it is held so later changes to the
 * therapist's terms never change what a client agreed to.
 */
export interface CancellationPolicy {
  /** Cancelling at least this many hours before the start is free. */
  freeUntilHoursBefore: number;
  /** Share of the price charged when cancelling later than that. */
  lateFeePercent: number;
  /** Minutes after confirming during which any change is free. */
  graceMinutes: number;
}

export type CancellationCharge =
  | { feeCents: 0; reason: 'hold_released' | 'grace_period' | 'before_cutoff' | 'cancelled_by_therapist' }
  | { feeCents: number; reason: 'late_cancellation' };

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** What the client pays for cancelling now; pure, so the same rule prices the preview and the cancellation. */
export function cancellationCharge(
  policy: CancellationPolicy,
  booking: { priceCents: number; startsAt: number; confirmedAt: number | null },
  now: number,
  by: 'client' | 'therapist' | 'operator',
): CancellationCharge {
  if (booking.confirmedAt === null) return { feeCents: 0, reason: 'hold_released' };
  if (by !== 'client') return { feeCents: 0, reason: 'cancelled_by_therapist' };
  if (now < booking.confirmedAt + policy.graceMinutes * MINUTE) return { feeCents: 0, reason: 'grace_period' };
  if (now <= booking.startsAt - policy.freeUntilHoursBefore * HOUR) return { feeCents: 0, reason: 'before_cutoff' };
  return { feeCents: Math.round((booking.priceCents * policy.lateFeePercent) / 100), reason: 'late_cancellation' };
}

/** The terms in words, shown before the client confirms and repeated in reminders. */
export function describeCancellationPolicy(policy: CancellationPolicy, priceCents: number, currency: string): string {
  const fee = Math.round((priceCents * policy.lateFeePercent) / 100);
  const money = formatMoney(fee, currency);
  const grace =
    policy.graceMinutes > 0 ? ` Changes within ${policy.graceMinutes} minutes of booking are always free.` : '';
  if (policy.lateFeePercent === 0) return `Free cancellation at any time.${grace}`;
  return `Free cancellation until ${policy.freeUntilHoursBefore} hours before the session; after that the fee is ${policy.lateFeePercent}% (${money}).${grace}`;
}
