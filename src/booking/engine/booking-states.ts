/**
 * The booking lifecycle. `bookings.status` only ever changes along these edges, and every change is written
 * to booking_events with who made it.
 *
 *   held ──confirm──────────────────────────────────▶ confirmed ──check_in──▶ checked_in ──check_out──▶ completed
 *    │ │ └─await_clearance─▶ awaiting_clearance ──clear──┘  │  │
 *    │ │                       │  └─release─▶ cancelled      │  └─no_show─▶ no_show
 *    │ └─expire─▶ expired      └─cancel─▶ cancelled          │
 *    └─cancel─▶ cancelled ◀─cancel───────────────────────────┘
 *                confirmed ──reschedule──▶ rescheduled (a new confirmed booking takes its place)
 *
 * A hold whose session needs a medical clearance not yet verified is not confirmed: it waits as
 * `awaiting_clearance`, keeping the slot, uncharged. Verifying the clearance clears it (confirmed, charged then);
 * the deadline before the start releases it free of charge.
 */
export const BOOKING_STATUSES = [
  'held',
  'awaiting_clearance',
  'confirmed',
  'checked_in',
  'completed',
  'no_show',
  'cancelled',
  'expired',
  'rescheduled',
] as const;

export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export type BookingAction =
  | 'confirm'
  | 'await_clearance'
  | 'clear'
  | 'release'
  | 'expire'
  | 'cancel'
  | 'reschedule'
  | 'check_in'
  | 'check_out'
  | 'no_show';

const TRANSITIONS: Record<BookingAction, { from: readonly BookingStatus[]; to: BookingStatus }> = {
  confirm: { from: ['held'], to: 'confirmed' },
  await_clearance: { from: ['held'], to: 'awaiting_clearance' },
  clear: { from: ['awaiting_clearance'], to: 'confirmed' },
  release: { from: ['awaiting_clearance'], to: 'cancelled' },
  expire: { from: ['held'], to: 'expired' },
  cancel: { from: ['held', 'awaiting_clearance', 'confirmed'], to: 'cancelled' },
  reschedule: { from: ['confirmed'], to: 'rescheduled' },
  check_in: { from: ['confirmed'], to: 'checked_in' },
  check_out: { from: ['checked_in'], to: 'completed' },
  no_show: { from: ['confirmed'], to: 'no_show' },
};

/** States that hold the therapist's time; the same list as the exclusion constraint's WHERE clause. */
export const BLOCKING_STATUSES = [
  'held',
  'awaiting_clearance',
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
