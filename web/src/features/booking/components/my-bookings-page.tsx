import { type ReactNode, useState } from 'react';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import type { Booking } from '../../../shared/lib/api-types';
import { Link } from '../../../shared/lib/router';
import { HISTORY, UPCOMING, useMyBookings } from '../api/bookings';
import { AwaitingClearanceNotice } from './awaiting-clearance';
import { BookingSummary } from './booking-summary';
import { CancelPanel } from './cancel-panel';

function BookingItem({ booking }: { booking: Booking }) {
  const [cancelling, setCancelling] = useState(false);
  return (
    <article className="card booking-item" aria-label={`Booking with ${booking.therapist.displayName}`}>
      <BookingSummary booking={booking} headingLevel={3} />
      {booking.pairId && (
        <p className="muted">
          Part of a session for two. <Link to={`/book-for-two/${booking.pairId}`}>See both sessions</Link>
        </p>
      )}
      {booking.courseId !== null && <p className="small muted">Part of a course: moved or cancelled on its own.</p>}
      {booking.screening?.outcome === 'not_today' && (
        <p className="notice notice-error">{booking.screening.headline}</p>
      )}
      <AwaitingClearanceNotice booking={booking} viewer="client" link />
      {booking.status === 'confirmed' &&
        booking.screening?.outcome !== 'not_today' &&
        booking.screening?.clearance === 'pending' && (
          <p className="notice notice-warning">
            A note from your doctor is needed before this session.{' '}
            <Link to={`/bookings/${booking.id}`}>Upload it on the booking</Link>
          </p>
        )}
      <div className="actions">
        {booking.status === 'held' && (
          <Link className="btn btn-primary" to={`/bookings/${booking.id}`}>
            Review and confirm
          </Link>
        )}
        {booking.allowedActions.includes('reschedule') && (
          <Link className="btn" to={`/bookings/${booking.id}/reschedule`}>
            Reschedule
          </Link>
        )}
        {booking.allowedActions.includes('cancel') && !cancelling && (
          <button type="button" className="btn btn-danger-outline" onClick={() => setCancelling(true)}>
            Cancel
          </button>
        )}
        <Link className="btn btn-link" to={`/bookings/${booking.id}`}>
          Details
        </Link>
      </div>
      {cancelling && <CancelPanel booking={booking} onClose={() => setCancelling(false)} />}
    </article>
  );
}

function BookingList({ statuses, empty }: { statuses: typeof UPCOMING; empty: ReactNode }) {
  const list = useMyBookings(statuses);
  if (list.isLoading) return <Loading label="Loading your bookings…" />;
  if (list.error) return <ErrorNotice error={list.error} />;
  const items = list.data?.items ?? [];
  if (items.length === 0) return <>{empty}</>;
  return (
    <ul className="stack" role="list">
      {items.map((b) => (
        <li key={b.id}>
          <BookingItem booking={b} />
        </li>
      ))}
    </ul>
  );
}

export function MyBookingsPage() {
  const [showHistory, setShowHistory] = useState(false);
  return (
    <div className="narrow">
      <PageHeader title="My bookings">
        <p>
          <Link to="/book-for-two">Book a session for two at home</Link>
        </p>
        <p>
          Waiting for a time that was full? <Link to="/waitlist">My waitlist</Link>
        </p>
      </PageHeader>
      <section aria-labelledby="upcoming-heading" className="stack">
        <h2 id="upcoming-heading">Upcoming</h2>
        <BookingList
          statuses={UPCOMING}
          empty={
            <EmptyState title="No upcoming sessions.">
              <Link className="btn btn-primary" to="/search">
                Find a therapist
              </Link>
            </EmptyState>
          }
        />
      </section>
      <section aria-labelledby="history-heading" className="stack">
        <h2 id="history-heading">Past and cancelled</h2>
        {showHistory ? (
          <BookingList statuses={HISTORY} empty={<EmptyState title="Nothing here yet." />} />
        ) : (
          <button type="button" className="btn" onClick={() => setShowHistory(true)}>
            Show past and cancelled bookings
          </button>
        )}
      </section>
    </div>
  );
}
