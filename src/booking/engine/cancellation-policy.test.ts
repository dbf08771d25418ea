import { describe, expect, it } from 'vitest';
import { cancellationCharge, describeCancellationPolicy } from './cancellation-policy.js';

const policy = { freeUntilHoursBefore: 24, lateFeePercent: 50, graceMinutes: 10 };
const HOUR = 3_600_000;
const start = Date.UTC(2026, 11, 10, 15);

describe('cancellationCharge', () => {
  const booking = { priceCents: 12_000, startsAt: start, confirmedAt: start - 72 * HOUR };

  it('is free before the cut-off, and exactly at it', () => {
    expect(cancellationCharge(policy, booking, start - 25 * HOUR, 'client')).toEqual({
      feeCents: 0,
      reason: 'before_cutoff',
    });
    expect(cancellationCharge(policy, booking, start - 24 * HOUR, 'client').feeCents).toBe(0);
  });

  it('charges the late fee after the cut-off', () => {
    expect(cancellationCharge(policy, booking, start - 23 * HOUR, 'client')).toEqual({
      feeCents: 6000,
      reason: 'late_cancellation',
    });
  });

  it('is free within the grace period even after the cut-off', () => {
    const lastMinute = { ...booking, confirmedAt: start - 3 * HOUR };
    expect(cancellationCharge(policy, lastMinute, start - 3 * HOUR + 9 * 60_000, 'client').reason).toBe('grace_period');
    expect(cancellationCharge(policy, lastMinute, start - 3 * HOUR + 10 * 60_000, 'client').reason).toBe(
      'late_cancellation',
    );
  });

  it('never charges the client when the therapist cancels, or for a hold that was never confirmed', () => {
    expect(cancellationCharge(policy, booking, start - HOUR, 'therapist').feeCents).toBe(0);
    expect(cancellationCharge(policy, { ...booking, confirmedAt: null }, start - HOUR, 'client').reason).toBe(
      'hold_released',
    );
  });
});

describe('describeCancellationPolicy', () => {
  it('states the cut-off, the fee in money and the grace period', () => {
    expect(describeCancellationPolicy(policy, 12_000, 'USD')).toBe(
      'Free cancellation until 24 hours before the session; after that the fee is 50% ($60). Changes within 10 minutes of booking are always free.',
    );
  });
});
