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

/** Why check-in is not open at `now` (and when it opens or closed), or null when it is open. */
export type CheckInClosed = { why: 'not_yet'; opensAt: number } | { why: 'over'; closedAt: number };

export function checkInClosed(session: BookedTime, now: number): CheckInClosed | null {
  const opensAt = session.startsAt - CHECK_IN_OPENS_MIN_BEFORE * MINUTE;
  if (now < opensAt) return { why: 'not_yet', opensAt };
  if (now >= session.endsAt) return { why: 'over', closedAt: session.endsAt };
  return null;
}

/** When a no-show can first be recorded, if not yet at `now`; null when it can. */
export function noShowOpensAt(session: BookedTime, now: number): number | null {
  const opensAt = session.startsAt + NO_SHOW_GRACE_MIN * MINUTE;
  return now < opensAt ? opensAt : null;
}

/** Why check-in is not open at `now`, in words, or null when it is. */
export function checkInTimingProblem(session: BookedTime, now: number): string | null {
  const closed = checkInClosed(session, now);
  if (!closed) return null;
  return closed.why === 'not_yet'
    ? `Check-in opens ${CHECK_IN_OPENS_MIN_BEFORE} minutes before the session starts`
    : 'The booked time is over: record a no-show instead, or ask an operator';
}

/** Why a no-show cannot be recorded yet, in words, or null when it can. */
export function noShowTimingProblem(session: BookedTime, now: number): string | null {
  return noShowOpensAt(session, now) === null
    ? null
    : `A no-show can be recorded ${NO_SHOW_GRACE_MIN} minutes after the start, if the client has not arrived`;
}
