import { StatusBadge } from '../../../shared/components/status-badge';
import type { Booking } from '../../../shared/lib/api-types';
import { formatMoney, sessionTime } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';

export const placeOf = (booking: Booking) =>
  booking.mode === 'studio' ? `${booking.studio?.name ?? 'Studio'}, ${booking.address}` : `At home: ${booking.address}`;

export function BookingSummary({
  booking,
  headingLevel = 2,
  showClient = false,
}: {
  booking: Booking;
  headingLevel?: 2 | 3;
  showClient?: boolean;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className="booking-summary">
      <div className="summary-top">
        <Heading className="summary-title">{sessionTime(booking, 'long')}</Heading>
        <StatusBadge status={booking.status} />
      </div>
      <dl className="facts">
        {showClient && (
          <div>
            <dt>Client</dt>
            <dd>{booking.client.displayName}</dd>
          </div>
        )}
        <div>
          <dt>Therapist</dt>
          <dd>
            <Link to={`/therapists/${booking.therapist.id}`}>{booking.therapist.displayName}</Link>
          </dd>
        </div>
        <div>
          <dt>Session</dt>
          <dd>Deep tissue, {booking.durationMin} min</dd>
        </div>
        <div>
          <dt>Where</dt>
          <dd>{placeOf(booking)}</dd>
        </div>
        <div>
          <dt>Price</dt>
          <dd>{formatMoney(booking.priceCents, booking.currency)}</dd>
        </div>
      </dl>
    </div>
  );
}

export function CancellationTerms({ booking }: { booking: Booking }) {
  return (
    <section className="terms" aria-labelledby={`terms-${booking.id}`}>
      <h3 id={`terms-${booking.id}`}>Cancellation terms</h3>
      <p>{booking.cancellationTerms}</p>
    </section>
  );
}
