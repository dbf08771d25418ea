import type { Booking } from '../../../shared/lib/api-types';
import { Link } from '../../../shared/lib/router';
import { timeInZone } from '../../../shared/lib/format';

/** Released at its clearance deadline: never confirmed, cancelled at (or after) the deadline. */
const releasedForClearance = (booking: Booking) =>
  booking.status === 'cancelled' &&
  booking.clearanceDueAt !== null &&
  booking.confirmedAt === null &&
  booking.cancelledAt !== null &&
  Date.parse(booking.cancelledAt) >= Date.parse(booking.clearanceDueAt);

/**
 * A booking that waits for a medical clearance before it is confirmed: what is missing and by when, and what happens
 * otherwise; once released at the deadline, that it was, free of charge. Shown to the client (My bookings, the booking) and to staff (their booking page).
 */
export function AwaitingClearanceNotice({
  booking,
  viewer,
  link = false,
}: {
  booking: Booking;
  viewer: 'client' | 'staff';
  /** Add a link to the booking, where the document is uploaded (My bookings). */
  link?: boolean;
}) {
  if (releasedForClearance(booking)) {
    return (
      <p className="notice notice-info">
        Released free of charge: the medical clearance was not verified by{' '}
        {timeInZone(booking.clearanceDueAt!, booking.timeZone)}.
      </p>
    );
  }
  if (booking.status !== 'awaiting_clearance' || !booking.clearanceDueAt) return null;
  const by = timeInZone(booking.clearanceDueAt, booking.timeZone);
  const toReview = booking.screening?.documentsToReview ?? 0;
  if (viewer === 'staff') {
    return (
      <div className="notice notice-warning awaiting-clearance" role="status">
        <p>
          <strong>Not confirmed yet: waiting for the client’s medical clearance.</strong>
        </p>
        <p>
          Missing: a clearance document, verified by the therapist or an operator
          {toReview > 0 ? ` (${toReview} sent, waiting for review)` : ' (none sent yet)'}.
        </p>
        <p>
          By <strong>{by}</strong>. Otherwise the session is released and the time is free again.
        </p>
      </div>
    );
  }
  return (
    <div className="notice notice-warning awaiting-clearance" role="status">
      <p>
        <strong>Not confirmed yet: waiting for your medical clearance.</strong>
      </p>
      <p>
        Missing: a note from your doctor saying deep tissue massage is safe for you, checked by your therapist.{' '}
        {toReview > 0 ? 'Your document is sent and waits for their review.' : 'You have not sent it yet.'}
      </p>
      <p>
        Needed by <strong>{by}</strong>. The time is kept for you and nothing is charged until then; if it is not
        verified by then, the session is released free of charge.
      </p>
      {link && (
        <p>
          <Link to={`/bookings/${booking.id}`}>{toReview > 0 ? 'See the booking' : 'Upload it on the booking'}</Link>
        </p>
      )}
    </div>
  );
}
