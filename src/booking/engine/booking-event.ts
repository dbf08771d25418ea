import type { BookingStatus } from './booking-states.js';

/** One state change of a booking, as booking's event stream hands it to consumers (plain data). */
export interface BookingEvent {
  id: number;
  bookingId: string;
  at: number;
  actorId: string | null;
  fromStatus: BookingStatus | null;
  toStatus: BookingStatus;
  detail: Record<string, unknown>;
}
