import { formatWhen } from '../../../shared/lib/format';
import { useBookingIncidents } from '../api/live';

const STATUS_LABEL = { open: 'Open', in_review: 'In review', resolved: 'Resolved', dismissed: 'Dismissed' } as const;

/** The incidents of a booking its viewer may see (operators: all; a party: their own reports), in its record. */
export function BookingIncidents({ bookingId }: { bookingId: string }) {
  const incidents = useBookingIncidents(bookingId);
  if (!incidents.data || incidents.data.length === 0) return null;
  return (
    <section className="card stack" aria-labelledby="booking-incidents-heading">
      <h2 id="booking-incidents-heading" className="h3">
        Incidents
      </h2>
      <ul className="plain-list">
        {incidents.data.map((i) => (
          <li key={i.id}>
            <strong>{i.kindLabel}</strong>{' '}
            <span className={`badge badge-incident-${i.status}`}>{STATUS_LABEL[i.status]}</span>
            <p className="small muted">
              {formatWhen(i.createdAt)} ·{' '}
              {i.reporter ? `reported by ${i.reporter.displayName}` : 'raised by the check-out watch'}
            </p>
            <p className="small">{i.description}</p>
            {i.history.some((h) => h.note) && (
              <ul className="small">
                {i.history
                  .filter((h) => h.note)
                  .map((h) => (
                    <li key={h.at}>
                      {STATUS_LABEL[h.to]}: {h.note}
                    </li>
                  ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
