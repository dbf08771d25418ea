import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { PayWith, cardToPayWith, usePayWith } from '../../../shared/components/pay-with';
import { ApiError } from '../../../shared/lib/api-client';
import type { BookingCourse } from '../../../shared/lib/api-types';
import { timeInZone } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import { useConfirm } from '../api/bookings';
import { checkoutQuery } from '../api/checkout';
import { courseNeedsCard } from '../lib/course-payment';
import { BookingProblem } from './booking-problem';

type Outcome = { status: string } | { error: unknown };

const STATUS_WORDS: Record<string, string> = {
  held: 'Held',
  confirmed: 'Confirmed',
  awaiting_clearance: 'Waiting for your medical clearance',
};

/**
 * A held course: each session is an ordinary held booking. Confirm them all with one card (each authorised on its
 * own, at its own price; a package credit pays where it can, and when credits pay every session no card is asked
 * for), or review and confirm each; any can be moved or cancelled on its own from My bookings.
 */
export function ConfirmCourse({ course, therapistName }: { course: BookingCourse; therapistName: string }) {
  const confirm = useConfirm();
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const [busy, setBusy] = useState(false);
  const held = course.sessions.flatMap((s) => (s.booking ? [s.booking] : []));
  const open = held.filter((b) => {
    const outcome = outcomes[b.id];
    return !outcome || 'error' in outcome;
  });
  const checkouts = useQueries({ queries: open.map((b) => checkoutQuery(b.id)) });
  const totalsKnown = checkouts.every((c) => !c.isPending);
  const needsCard = courseNeedsCard(checkouts.map((c) => c.data));
  const payWith = usePayWith(needsCard);
  const expires = held[0]?.holdExpiresAt;

  const confirmAll = async () => {
    const paymentMethodId = await cardToPayWith(payWith, needsCard);
    if (paymentMethodId === null) return;
    setBusy(true);
    // One after another: each session is its own booking, screened again and authorised on its own.
    for (const booking of open) {
      try {
        const done = await confirm.mutateAsync({ id: booking.id, paymentMethodId });
        setOutcomes((o) => ({ ...o, [booking.id]: { status: done.status } }));
      } catch (error) {
        setOutcomes((o) => ({ ...o, [booking.id]: { error } }));
      }
    }
    setBusy(false);
  };
  const declined = Object.values(outcomes).find(
    (o): o is { error: ApiError } => 'error' in o && o.error instanceof ApiError && o.error.code === 'payment_declined',
  );

  return (
    <section className="card stack" aria-labelledby="held-course-heading">
      <h2 id="held-course-heading">
        {open.length === 0 ? 'Your course is booked' : `${held.length} sessions held with ${therapistName}`}
      </h2>
      {open.length > 0 && expires && (
        <p className="notice notice-info">
          Held until {timeInZone(expires, course.timeZone, 'time')}. Confirm them all, or review each on its own.
        </p>
      )}
      <ol className="course-sessions stack" aria-label="Sessions of your course">
        {held.map((booking) => {
          const outcome = outcomes[booking.id];
          return (
            <li key={booking.id} className="course-session">
              <span className="course-when">{timeInZone(booking.startsAt, course.timeZone, 'medium')}</span>{' '}
              <span className={`badge badge-${outcome && 'status' in outcome ? outcome.status : 'held'}`}>
                {outcome && 'status' in outcome ? (STATUS_WORDS[outcome.status] ?? outcome.status) : 'Held'}
              </span>{' '}
              <Link to={`/bookings/${booking.id}`}>
                {outcome && 'status' in outcome ? 'Details' : 'Review and confirm'}
              </Link>
              {outcome && 'error' in outcome && <BookingProblem error={outcome.error} />}
            </li>
          );
        })}
      </ol>
      {open.length > 0 && (
        <>
          {needsCard || !totalsKnown ? (
            <>
              <PayWith
                state={payWith}
                legend="Pay each session with"
                problem={declined ? declined.error.problem.detail || declined.error.problem.title : undefined}
              />
              <p className="small muted">
                Each session is authorised on this card at its own price when you confirm, and charged after that
                session; a package credit pays instead where you have one. The cancellation terms of each apply to it
                alone.
              </p>
            </>
          ) : (
            <p className="notice notice-success">
              Your package credits pay for {open.length === 1 ? 'this session' : `all ${open.length} sessions`}: no card
              needed. The cancellation terms of each apply to it alone.
            </p>
          )}
          <div className="actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || !totalsKnown}
              onClick={() => void confirmAll()}
            >
              {busy ? 'Confirming…' : `Confirm all ${open.length}`}
            </button>
          </div>
        </>
      )}
      <p>
        <Link to="/bookings">My bookings</Link>: move or cancel any session of the course on its own.
      </p>
    </section>
  );
}
