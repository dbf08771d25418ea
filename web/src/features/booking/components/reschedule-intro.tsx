import type { Booking } from '../../../shared/lib/api-types';
import { BookingSummary } from './booking-summary';
import { QuoteLine } from './cancel-panel';

/** The booking being moved, and what moving it now costs, above the new times. */
export function RescheduleIntro({ booking }: { booking: Booking }) {
  return (
    <div className="card stack">
      <BookingSummary booking={booking} />
      <QuoteLine booking={booking} verb="Moving" />
      <p className="muted small">
        The new time keeps the cancellation terms you agreed to. Your current time is released only when the new one is
        secured.
      </p>
    </div>
  );
}
