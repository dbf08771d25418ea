import { describe, expect, it } from 'vitest';
import {
  BLOCKING_STATUSES,
  BOOKING_STATUSES,
  type BookingAction,
  type BookingStatus,
  allowedActions,
  nextStatus,
} from './booking-states.js';

describe('booking states', () => {
  it('follows the lifecycle', () => {
    expect(nextStatus('held', 'confirm')).toBe('confirmed');
    expect(nextStatus('held', 'expire')).toBe('expired');
    expect(nextStatus('confirmed', 'cancel')).toBe('cancelled');
    expect(nextStatus('confirmed', 'reschedule')).toBe('rescheduled');
    expect(nextStatus('confirmed', 'check_in')).toBe('checked_in');
    expect(nextStatus('checked_in', 'check_out')).toBe('completed');
  });

  // The whole table: every state and the actions it allows, with where each leads.
  const TABLE: Record<BookingStatus, Partial<Record<BookingAction, BookingStatus>>> = {
    held: {
      confirm: 'confirmed',
      await_clearance: 'awaiting_clearance',
      expire: 'expired',
      cancel: 'cancelled',
    },
    awaiting_clearance: { clear: 'confirmed', release: 'cancelled', cancel: 'cancelled' },
    confirmed: { cancel: 'cancelled', reschedule: 'rescheduled', check_in: 'checked_in', no_show: 'no_show' },
    checked_in: { check_out: 'completed' },
    completed: {},
    no_show: {},
    cancelled: {},
    expired: {},
    rescheduled: {},
  };
  const ACTIONS: BookingAction[] = [
    'confirm',
    'await_clearance',
    'clear',
    'release',
    'expire',
    'cancel',
    'reschedule',
    'check_in',
    'check_out',
    'no_show',
  ];
  it.each(BOOKING_STATUSES.map((status) => [status]))('from %s goes exactly where the table says', (status) => {
    for (const action of ACTIONS) expect(nextStatus(status, action), action).toBe(TABLE[status][action]);
    expect(allowedActions(status).sort()).toEqual(Object.keys(TABLE[status]).sort());
  });

  it('waits for clearance without confirming: only verifying it confirms, and it cannot start or move meanwhile', () => {
    expect(nextStatus('awaiting_clearance', 'confirm')).toBeUndefined();
    expect(nextStatus('awaiting_clearance', 'check_in')).toBeUndefined();
    expect(nextStatus('awaiting_clearance', 'reschedule')).toBeUndefined();
    expect(nextStatus('awaiting_clearance', 'no_show')).toBeUndefined();
    expect(nextStatus('confirmed', 'clear')).toBeUndefined();
    expect(nextStatus('confirmed', 'release')).toBeUndefined();
  });

  it('refuses changes to finished bookings', () => {
    for (const done of ['cancelled', 'expired', 'rescheduled', 'completed', 'no_show'] as const) {
      expect(allowedActions(done)).toEqual([]);
    }
    expect(nextStatus('confirmed', 'confirm')).toBeUndefined();
    expect(nextStatus('held', 'check_in')).toBeUndefined();
  });

  it('lets exactly the blocking states hold therapist time: a booking awaiting clearance keeps its slot', () => {
    const released = BOOKING_STATUSES.filter((s) => !(BLOCKING_STATUSES as readonly string[]).includes(s));
    expect(released.sort()).toEqual(['cancelled', 'expired', 'rescheduled']);
    expect(BLOCKING_STATUSES).toContain('awaiting_clearance');
  });
});
