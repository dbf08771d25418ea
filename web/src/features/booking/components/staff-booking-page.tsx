import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { Link } from '../../../shared/lib/router';
import { useBooking } from '../api/bookings';
import { BookingSummary } from './booking-summary';
import { AwaitingClearanceNotice } from './awaiting-clearance';
import { ClearanceSection } from './clearance-section';
import { OutcomeBadge } from '../../../shared/components/outcome-badge';

/** A booking as its therapist or an operator sees it: the session, its screening outcome, clearance, and the brief. */
export function StaffBookingPage({ id }: { id: string }) {
  const booking = useBooking(id);
  if (booking.isLoading) return <Loading />;
  if (booking.error) return <ErrorNotice error={booking.error} />;
  const b = booking.data;
  if (!b) return <EmptyState title="No such booking." />;
  return (
    <div className="narrow stack">
      <PageHeader title={`Session with ${b.client.displayName}`} />
      <div className="card stack">
        <BookingSummary booking={b} showClient />
        <AwaitingClearanceNotice booking={b} viewer="staff" />
        {b.screening ? (
          <section aria-labelledby={`screening-${b.id}`}>
            <div className="row-between">
              <h3 id={`screening-${b.id}`}>Health screening</h3>
              <OutcomeBadge outcome={b.screening.outcome} />
            </div>
            <p>{b.screening.headline}</p>
          </section>
        ) : (
          <p className="muted">No current health screening: the client has no consultation on file for this session.</p>
        )}
        <ClearanceSection booking={b} viewer="staff" />
        <div className="actions">
          <Link className="btn btn-primary" to={`/briefs/${b.id}`}>
            Read the pre-session brief
          </Link>
          <a className="btn" href={`/bookings/${b.id}/brief`} target="_blank" rel="noopener">
            Printable brief
          </a>
        </div>
      </div>
    </div>
  );
}
