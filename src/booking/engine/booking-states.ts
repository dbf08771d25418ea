/**
 * The booking lifecycle. `bookings.status` only ever changes along these edges, and every change is written
 * to booking_events with who made it.
 *
 *   held ──confirm──▶ confirmed ──check_in──▶ checked_in ──check_out──▶ completed
 *    │ │                 │  │  
 *    │ └─expire─▶ expired │  └─no_show─▶ no_show
 *    └─cancel─▶ cancelled ◀─cancel─┘
 *                confirmed ──reschedule──▶ rescheduled (a new confirmed booking takes its place)
 */
export const BOOKING_STATUSES = [
  'held',
  'confirmed',
  'checked_in',
  'completed',
  'no_show',
  'cancelled',
  'expired',
  'rescheduled',
] as const;

export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export type BookingAction = 'confirm' | 'expire' | 'cancel' | 'reschedule' | 'check_in' | 'check_out' | 'no_show';

const TRANSITIONS: Record<BookingAction, { from: readonly BookingStatus[]; to: BookingStatus }> = {
  confirm: { from: ['held'], to: 'confirmed' },
  expire: { from: ['held'], to: 'expired' },
  cancel: { from: ['held', 'confirmed'], to: 'cancelled' },
  reschedule: { from: ['confirmed'], to: 'rescheduled' },
  check_in: { from: ['confirmed'], to: 'checked_in' },
  check_out: { from: ['checked_in'], to: 'completed' },
  no_show: { from: ['confirmed'], to: 'no_show' },
};

/** States that hold the therapist's time; the same list as the exclusion constraint's WHERE clause. */
export const BLOCKING_STATUSES = [
  'held',
  'confirmed',
  'checked_in',
  'completed',
  'no_show',
] as const satisfies readonly BookingStatus[];

/** The state an action leads to from `from`, or undefined when the action is not allowed there. */
export function nextStatus(from: BookingStatus, action: BookingAction): BookingStatus | undefined {
  const transition = TRANSITIONS[action];
  return transition.from.includes(from) ? transition.to : undefined;
}

export function allowedActions(from: BookingStatus): BookingAction[] {
  return (Object.keys(TRANSITIONS) as BookingAction[]).filter((action) => nextStatus(from, action) !== undefined);
}
