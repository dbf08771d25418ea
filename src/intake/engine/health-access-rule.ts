import { BLOCKING_STATUSES, type BookingStatus } from '../../booking/engine/booking-states.js';

/**
 * Booking states that let a therapist read a client's health data: every booking that holds or held their time
 * with the client (held, confirmed, checked in, completed, no-show). A cancelled, expired or rescheduled booking
 * alone does not: the therapist never treated, or no longer will treat, that client on it. Access does not
 * expire after the session, so previous notes and outcomes stay readable to the therapist who wrote them.
 */
export const HEALTH_ACCESS_STATUSES = BLOCKING_STATUSES;

export function bookingGivesHealthAccess(status: BookingStatus): boolean {
  return (HEALTH_ACCESS_STATUSES as readonly BookingStatus[]).includes(status);
}
