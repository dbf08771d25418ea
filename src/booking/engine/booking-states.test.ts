import { describe, expect, it } from 'vitest';
import { BLOCKING_STATUSES, BOOKING_STATUSES, allowedActions, nextStatus } from './booking-states.js';

describe('booking states', () => {
  it('follows the lifecycle', () => {
    expect(nextStatus('held', 'confirm')).toBe('confirmed');
    expect(nextStatus('held', 'expire')).toBe('expired');
    expect(nextStatus('confirmed', 'cancel')).toBe('cancelled');
    expect(nextStatus('confirmed', 'reschedule')).toBe('rescheduled');
    expect(nextStatus('confirmed', 'check_in')).toBe('checked_in');
    expect(nextStatus('checked_in', 'check_out')).toBe('completed');
  });

  it('refuses changes to finished bookings', () => {
    for (const done of ['cancelled', 'expired', 'rescheduled', 'completed', 'no_show'] as const) {
      expect(allowedActions(done)).toEqual([]);
    }
    expect(nextStatus('confirmed', 'confirm')).toBeUndefined();
    expect(nextStatus('held', 'check_in')).toBeUndefined();
  });

  it('lets exactly the blocking states hold therapist time', () => {
    const released = BOOKING_STATUSES.filter((s) => !(BLOCKING_STATUSES as readonly string[]).includes(s));
    expect(released.sort()).toEqual(['cancelled', 'expired', 'rescheduled']);
  });
});
