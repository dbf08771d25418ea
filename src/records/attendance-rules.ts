/**
 * When a session can be checked in, checked out or marked a no-show (pure; `now` is passed in).
 *
 * - Check-in is the therapist's: they record that the client is there and the session starts. It opens
 *   CHECK_IN_OPENS_MIN_BEFORE minutes before the booked start (a client arriving early) and closes at the booked
 *   end: a session that never started is a no-show, not a late check-in. Screening must clear it as well
 *   (screening/booking-screening.ts: bookingClearedForCheckIn).
 * - Check-out records the end of a checked-in session, whenever that is.
 * - A no-show can be recorded once NO_SHOW_GRACE_MIN minutes have passed after the booked start without a check-in.
 */

const MINUTE = 60_000;

export const CHECK_IN_OPENS_MIN_BEFORE = 30;
export const NO_SHOW_GRACE_MIN = 15;

export interface BookedTime {
  startsAt: number;
  endsAt: number;
}

/** Why check-in is not open at `now`, or null when it is. */
export function checkInTimingProblem(session: BookedTime, now: number): string | null {
  const opens = session.startsAt - CHECK_IN_OPENS_MIN_BEFORE * MINUTE;
  if (now < opens) return `Check-in opens ${CHECK_IN_OPENS_MIN_BEFORE} minutes before the session starts`;
  if (now >= session.endsAt) return 'The booked time is over: record a no-show instead, or ask an operator';
  return null;
}

/** Why a no-show cannot be recorded yet, or null when it can. */
export function noShowTimingProblem(session: BookedTime, now: number): string | null {
  if (now < session.startsAt + NO_SHOW_GRACE_MIN * MINUTE) {
    return `A no-show can be recorded ${NO_SHOW_GRACE_MIN} minutes after the start, if the client has not arrived`;
  }
  return null;
}

export interface AttendanceEvent {
  toStatus: string;
  at: Date;
}

export interface Attendance {
  checkedInAt: Date | null;
  checkedOutAt: Date | null;
  noShowAt: Date | null;
}

/** The attendance times of a booking, read from its state changes (booking_events is where they are recorded). */
export function attendanceOf(events: readonly AttendanceEvent[]): Attendance {
  const at = (status: string) => events.find((e) => e.toStatus === status)?.at ?? null;
  return { checkedInAt: at('checked_in'), checkedOutAt: at('completed'), noShowAt: at('no_show') };
}
