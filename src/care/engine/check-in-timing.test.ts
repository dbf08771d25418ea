import { describe, expect, it } from 'vitest';
import { planCheckIns } from './check-in-timing.js';

const ENDED = Date.parse('2026-11-24T16:00:00Z');
const at = (hours: number) => ENDED + hours * 3_600_000;

describe('planCheckIns', () => {
  it('opens at 24 h and 48 h, reminds 8 h after opening, and expires when the next opens or after 24 h', () => {
    expect(planCheckIns(ENDED, { hours: [24, 48], reminderHours: 8, expiryHours: 24 })).toEqual([
      { seq: 1, hoursAfter: 24, dueAt: at(24), remindAt: at(32), expiresAt: at(48) },
      { seq: 2, hoursAfter: 48, dueAt: at(48), remindAt: at(56), expiresAt: at(72) },
    ]);
  });

  it('caps the expiry at the next check-in, and brings the reminder forward to half-way when it would come too late', () => {
    expect(planCheckIns(ENDED, { hours: [12, 18], reminderHours: 8, expiryHours: 24 })[0]).toEqual({
      seq: 1,
      hoursAfter: 12,
      dueAt: at(12),
      remindAt: at(15),
      expiresAt: at(18),
    });
  });

  it('refuses hours that do not rise', () => {
    expect(() => planCheckIns(ENDED, { hours: [48, 24], reminderHours: 8, expiryHours: 24 })).toThrow(RangeError);
    expect(() => planCheckIns(ENDED, { hours: [0], reminderHours: 8, expiryHours: 24 })).toThrow(RangeError);
  });
});
