import { type ReactNode, useState } from 'react';
import { useNow } from '../../../shared/lib/use-now';
import { ScreeningResult } from '../../../shared/components/screening-result';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import type { Booking } from '../../../shared/lib/api-types';
import { PayWith, cardToPayWith, focusPayWithProblem, usePayWith } from '../../../shared/components/pay-with';
import { Field } from '../../../shared/components/field';
import { ApiError, fieldError } from '../../../shared/lib/api-client';
import { formatMoney } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import { useBooking, useConfirm } from '../api/bookings';
import { useCheckout } from '../api/checkout';
import { useBookingScreening } from '../api/screening';
import { BookingProblem } from './booking-problem';
import { BookingSummary, CancellationTerms } from './booking-summary';
import { CancelPanel } from './cancel-panel';
import { CheckoutTotal, PaymentNote } from './checkout-total';
import { AwaitingClearanceNotice } from './awaiting-clearance';
import { ClearanceSection } from './clearance-section';
import { GUIDE_TITLES, guidePath } from '../../../../../src/domain/guide-links';

function useSecondsLeft(until: string | null) {
  const now = useNow(1000);
  return until ? Math.max(0, Math.floor((Date.parse(until) - now) / 1000)) : 0;
}

function HoldCountdown({ booking }: { booking: Booking }) {
  const left = useSecondsLeft(booking.holdExpiresAt);
  const text = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  if (left === 0)
    return (
      <p className="notice notice-warning">
        The hold has run out. Confirm now to try to keep this time, or search again.
      </p>
    );
  return (
    <p className="notice notice-info">
      This time is held for you for{' '}
      <strong role="timer" aria-live="off">
        {text}
      </strong>
      . Read the terms, then confirm.
    </p>
  );
}

/** The screening of this session in the client's words, with the way to update the consultation. */
function SessionScreening({ booking }: { booking: Booking }) {
  const screening = useBookingScreening(booking.id, booking.screening !== null);
  if (!booking.screening) return null;
  if (screening.isLoading) return <Loading label="Checking your screening…" />;
  if (screening.error) return <ErrorNotice error={screening.error} />;
  if (!screening.data) return null;
  return (
    <div className="booking-screening">
      <ScreeningResult
        screening={screening.data.forClient}
        headingLevel={3}
        title="Your health screening for this session"
      />
      <p className="small muted">
        Something changed?{' '}
        <Link to={`/consultation/edit?next=${encodeURIComponent(`/bookings/${booking.id}`)}`}>
          Update your consultation
        </Link>{' '}
        and this session is checked again.
      </p>
    </div>
  );
}

/** Problems of the payment itself, said at the card (a decline, in the processor's words; no card chosen). */
const PAYMENT_CODES = new Set(['payment_declined', 'payment_method_required']);

function paymentProblem(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const atField = error.fieldMessage('paymentMethodId');
  if (atField) return atField;
  return PAYMENT_CODES.has(error.code) ? error.problem.detail || error.problem.title : undefined;
}

/**
 * "Make it a course": this held time becomes the first session of a weekly course (the course planner,
 * /courses/new). The hold stays until the course is held, which releases it in the same transaction (`replaces`).
 */
function MakeItACourse({ booking }: { booking: Booking }) {
  if (booking.courseId !== null) return null;
  if (booking.mode === 'studio' && !booking.studio) return null;
  // The place goes with it: the studio, or the home address with its position and zone.
  const place: Record<string, string> =
    booking.mode === 'studio' && booking.studio
      ? { studioId: booking.studio.id }
      : {
          mode: 'home',
          address: booking.address,
          lat: String(booking.lat),
          lng: String(booking.lng),
          zone: booking.timeZone,
        };
  const href = `/courses/new?${new URLSearchParams({
    therapistId: booking.therapist.id,
    durationMin: String(booking.durationMin),
    ...place,
    start: booking.startsAt,
    replaces: booking.id,
  }).toString()}`;
  return (
    <div className="make-course">
      <Link to={href} className="btn">
        Make it a course
      </Link>
      <p className="small muted">
        The same time every week or every other week: this time becomes the first date and stays yours until every date
        is checked and held in one go.
      </p>
    </div>
  );
}

function HeldBooking({
  booking,
  payAhead,
}: {
  booking: Booking;
  payAhead?: ((booking: Booking) => ReactNode) | undefined;
}) {
  const confirm = useConfirm();
  const [releasing, setReleasing] = useState(false);
  const refused = booking.screening?.outcome === 'not_today';
  const [giftCardCode, setGiftCardCode] = useState('');
  const [appliedCode, setAppliedCode] = useState<string | undefined>(undefined);
  const listed = useCheckout(booking.id, !refused);
  const withGiftCard = useCheckout(booking.id, !refused && appliedCode !== undefined, appliedCode);
  // The gift card's preview when its code is good; the total without it otherwise (the code's problem at its field).
  const previewed = appliedCode !== undefined && withGiftCard.data !== undefined;
  const checkout = previewed ? withGiftCard : listed;
  const giftCardProblem =
    appliedCode !== undefined
      ? fieldError(withGiftCard.error, 'giftCardCode')
      : fieldError(confirm.error, 'giftCardCode');
  const needsCard = checkout.data?.paymentMethodRequired ?? false;
  const payWith = usePayWith(needsCard);
  const total = checkout.data ? formatMoney(checkout.data.totalMinor, checkout.data.currency) : null;
  const credit = checkout.data?.packageCredit ?? null;
  const declined = paymentProblem(confirm.error);
  // A decline is said at the card it was for; choosing another card clears it.
  const problemAtCard =
    declined !== undefined &&
    (confirm.variables?.paymentMethodId === undefined || confirm.variables.paymentMethodId === payWith.selected)
      ? declined
      : undefined;
  const otherError =
    confirm.error !== null && declined === undefined && !fieldError(confirm.error, 'giftCardCode')
      ? confirm.error
      : null;

  const onConfirm = async () => {
    confirm.reset();
    const paymentMethodId = await cardToPayWith(payWith, needsCard);
    if (paymentMethodId === null) return;
    confirm.mutate(
      { id: booking.id, paymentMethodId, giftCardCode: previewed ? appliedCode : undefined },
      {
        onError: (error) => {
          if (paymentProblem(error) !== undefined) focusPayWithProblem(payWith, error, paymentMethodId);
        },
      },
    );
  };
  const busy = confirm.isPending || payWith.saving;

  return (
    <>
      <PageHeader title={refused ? 'This session cannot go ahead' : 'Review and confirm'} />
      {!refused && <HoldCountdown booking={booking} />}
      <div className="card">
        <BookingSummary booking={booking} />
        <SessionScreening booking={booking} />
        {!refused && <CancellationTerms booking={booking} />}
        {!refused && checkout.isLoading && <Loading label="Adding up the total…" />}
        {!refused && checkout.error !== null && <ErrorNotice error={checkout.error} />}
        {!refused && checkout.data && <CheckoutTotal checkout={checkout.data} id={booking.id} />}
        {!refused && credit && (
          <p className="notice notice-success">Paid with a package credit ({credit.creditsLeft} left).</p>
        )}
        {!refused && checkout.data && !credit && payAhead?.(booking)}
        {!refused && checkout.data && (
          <div className="gift-card-code">
            <Field
              label="Gift card code"
              hint="Its balance pays as much of the total as it can."
              error={giftCardProblem}
            >
              {(p) => (
                <input
                  {...p}
                  type="text"
                  autoComplete="off"
                  maxLength={40}
                  value={giftCardCode}
                  onChange={(e) => setGiftCardCode(e.target.value)}
                />
              )}
            </Field>
            <button
              type="button"
              className="btn"
              disabled={giftCardCode.trim() === '' || withGiftCard.isFetching}
              onClick={() => setAppliedCode(giftCardCode.trim())}
            >
              {withGiftCard.isFetching ? 'Checking…' : 'Apply'}
            </button>
          </div>
        )}
        {!refused && needsCard && <PayWith state={payWith} problem={problemAtCard} />}
        {otherError !== null && <BookingProblem error={otherError} />}
        {otherError !== null && (
          <p>
            <Link to="/search">Search for another time</Link>
          </p>
        )}
        <div className="actions">
          {!refused && (
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || checkout.isLoading}
              onClick={() => void onConfirm()}
            >
              {payWith.saving
                ? 'Saving your card…'
                : confirm.isPending
                  ? needsCard
                    ? 'Authorising…'
                    : 'Confirming…'
                  : needsCard && total
                    ? `Confirm and authorise ${total}`
                    : 'Confirm booking'}
            </button>
          )}
          <button type="button" className="btn" onClick={() => setReleasing(true)}>
            Release this time
          </button>
        </div>
        {releasing && <CancelPanel booking={booking} onClose={() => setReleasing(false)} />}
        {!refused && <MakeItACourse booking={booking} />}
      </div>
      {!refused && (
        <p className="muted small">
          By confirming you agree to these cancellation terms.{' '}
          {needsCard && total
            ? `Your card is authorised for ${total} now and charged after the session; a cancellation or no-show fee, if one applies, is charged from that authorisation.`
            : checkout.data && checkout.data.totalMinor === 0
              ? 'There is nothing to pay for this session.'
              : 'Payment is settled after the session.'}
        </p>
      )}
    </>
  );
}

/** The booking's payment in words, once there is one (the card it is authorised on, charged, refunded). */
function BookingPayment({ booking }: { booking: Booking }) {
  const checkout = useCheckout(booking.id);
  if (!checkout.data?.payment) return null;
  return <PaymentNote checkout={checkout.data} />;
}

function SettledBooking({
  booking,
  notice,
  after,
}: {
  booking: Booking;
  notice?: string | undefined;
  after?: ((booking: Booking) => ReactNode) | undefined;
}) {
  const [cancelling, setCancelling] = useState(false);
  const standing = booking.status === 'confirmed' || booking.status === 'awaiting_clearance';
  const title =
    booking.status === 'confirmed'
      ? 'You are booked'
      : booking.status === 'awaiting_clearance'
        ? 'Waiting for your medical clearance'
        : booking.status === 'cancelled'
          ? 'Booking cancelled'
          : booking.status === 'expired'
            ? 'Hold expired'
            : booking.status === 'completed'
              ? 'Your session'
              : 'Booking';
  return (
    <>
      {/* The notice ("Your booking moved to the new time") is news about a booking that stands; once it is cancelled it would contradict the title. */}
      <PageHeader title={title}>
        {notice && booking.status === 'confirmed' && <p className="notice notice-success">{notice}</p>}
      </PageHeader>
      <div className="card">
        <BookingSummary booking={booking} />
        <AwaitingClearanceNotice booking={booking} viewer="client" />
        <BookingPayment booking={booking} />
        {standing && <SessionScreening booking={booking} />}
        {standing && <ClearanceSection booking={booking} viewer="client" />}
        {standing && <CancellationTerms booking={booking} />}
        {standing && (
          <p>
            Before your session: <a href={guidePath('what-to-expect')}>{GUIDE_TITLES['what-to-expect']}</a>
          </p>
        )}
        {booking.status === 'cancelled' &&
          booking.cancellationFeeCents !== null &&
          booking.cancellationFeeCents > 0 && (
            <p className="notice notice-warning">A cancellation fee applied under the terms of this booking.</p>
          )}
        {booking.status === 'expired' && (
          <p>
            The time was released. <Link to="/search">Search again</Link>
          </p>
        )}
        {booking.rescheduledTo && (
          <p>
            This booking moved. <Link to={`/bookings/${booking.rescheduledTo}`}>See the new time</Link>
          </p>
        )}
        <div className="actions">
          {booking.allowedActions.includes('reschedule') && (
            <Link className="btn" to={`/bookings/${booking.id}/reschedule`}>
              Reschedule
            </Link>
          )}
          {booking.allowedActions.includes('cancel') && !cancelling && (
            <button type="button" className="btn btn-danger-outline" onClick={() => setCancelling(true)}>
              Cancel booking
            </button>
          )}
          <Link className="btn btn-link" to="/bookings">
            All my bookings
          </Link>
        </div>
        {cancelling && booking.allowedActions.includes('cancel') && (
          <CancelPanel booking={booking} onClose={() => setCancelling(false)} />
        )}
      </div>
      {after?.(booking)}
    </>
  );
}

/**
 * `after` adds what other features show under a booking that is no longer held (the session record, the rating);
 * `payAhead`, under a held booking's total when no package credit pays it (the therapist's packages).
 */
export function BookingPage({
  id,
  notice,
  after,
  payAhead,
}: {
  id: string;
  notice?: string | undefined;
  after?: (booking: Booking) => ReactNode;
  payAhead?: (booking: Booking) => ReactNode;
}) {
  const booking = useBooking(id);
  if (booking.isLoading) return <Loading />;
  if (booking.error) return <ErrorNotice error={booking.error} />;
  if (!booking.data) return <EmptyState title="No such booking." />;
  return (
    <div className="narrow">
      {booking.data.status === 'held' ? (
        <HeldBooking booking={booking.data} payAhead={payAhead} />
      ) : (
        <SettledBooking booking={booking.data} notice={notice} after={after} />
      )}
    </div>
  );
}
