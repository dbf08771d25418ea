import type { BookingStatus } from '../../booking/engine/booking-states.js';
import type { CancellationPolicy } from '../../booking/engine/cancellation-policy.js';

/**
 * What calendars and notices say about one booked session: no health data, ever. Plain data, so the cores that
 * word and draw a session (session-wording, session-event, notify's booking notices) take it without the store;
 * calendar/session-facts.ts reads it from a booking.
 */
export interface SessionFacts {
  bookingId: string;
  status: BookingStatus;
  startsAt: number;
  endsAt: number;
  /** The IANA zone of the place: the session's time is the wall-clock time there. */
  zone: string;
  durationMin: number;
  mode: 'studio' | 'home';
  studioName: string | null;
  address: string;
  therapist: { id: string; name: string; zone: string };
  client: { id: string; name: string };
  priceCents: number;
  currency: string;
  policy: CancellationPolicy;
  cancellationFeeCents: number | null;
  /**
   * Set once the session waited for a medical clearance (awaiting_clearance): the instant it is released unless
   * confirmed. Calendars show a session awaiting clearance as TENTATIVE with this deadline (no health data: it says
   * what is still needed only in the app).
   */
  clearanceDueAt: number | null;
  /** Status changes after the first: the iCalendar SEQUENCE, so every change supersedes the copy before it. */
  revision: number;
  createdAt: number;
  updatedAt: number;
}
