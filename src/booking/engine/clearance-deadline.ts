/**
 * When a session that waits for a medical clearance must have it verified: 24 hours before the start. The therapist
 * then still has a day's notice that the session will happen, the client a day to find another time, and a booking
 * released at the deadline costs nothing (nothing was charged). A session booked later than that cannot wait: the
 * confirm is refused at once (clearance_too_late) unless a verified document already covers it, so nobody is left
 * with a booking that vanishes minutes after it was made.
 */
export const CLEARANCE_LEAD_HOURS = 24;

export function clearanceDeadline(startsAt: number): number {
  return startsAt - CLEARANCE_LEAD_HOURS * 3_600_000;
}
