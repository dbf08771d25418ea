import { type ReactNode, useEffect, useRef } from 'react';
import { type HoldInput, useHold, useMyBookings } from '../features/booking/api/bookings';
import { BookingProblem } from '../features/booking/components/booking-problem';
import { useTherapistProfile } from '../features/search/api/therapist-profile';
import { type PickerPlace, TherapistSlotPicker } from '../features/search/components/therapist-slot-picker';
import { ErrorNotice, Loading, PageHeader } from '../shared/components/states';
import { ApiError, withQuery } from '../shared/lib/api-client';
import type { Booking, TherapistProfile } from '../shared/lib/api-types';
import { timeInZone } from '../shared/lib/format';
import {
  type PendingPlaceCheck,
  type PendingSlot,
  checkPendingPlace,
  pendingSlotFromParams,
  pendingSlotPath,
} from '../shared/lib/pending-slot';
import { Link, type Location, navigate } from '../shared/lib/router';
import { Redirect } from './redirect';

/**
 * The time a person tapped before they could hold it, kept through sign-in, sign-up and the consultation
 * (shared/lib/pending-slot.ts): the sentence those pages show about it, and the `/hold` page that holds it at last,
 * or says it was taken meanwhile and offers the same therapist's nearest open times.
 */

const isNotFound = (error: unknown) => error instanceof ApiError && error.status === 404;

/**
 * "Sign in to hold Tue, Nov 24, 9:30 AM with Dana Whitfield", with the session and its place under it. Nothing
 * until the therapist is known, and nothing for a slot that does not match them (a tampered address).
 */
export function PendingSlotNotice({
  slot,
  say,
  children,
}: {
  slot: PendingSlot;
  say: (when: string, therapist: string) => string;
  children?: ReactNode;
}) {
  const therapist = useTherapistProfile(slot.therapistId);
  const place = therapist.data ? checkPendingPlace(slot, therapist.data) : null;
  if (!therapist.data || !place) return null;
  return (
    <div className="notice notice-info" role="status">
      <p>
        <strong>{say(timeInZone(slot.start, place.zone), therapist.data.displayName)}</strong>
      </p>
      <p>{place.words}</p>
      {children}
    </div>
  );
}

const holdInput = (slot: PendingSlot): HoldInput => ({
  therapistId: slot.therapistId,
  durationMin: slot.durationMin,
  start: slot.start,
  place: slot.place,
  ...(slot.focusRegions ? { focusRegions: slot.focusRegions } : {}),
});

/**
 * Holds a tapped time and opens its booking. Without a consultation the server refuses the hold (once it has found
 * the time free): the client completes the consultation first, and comes back here to hold this very time.
 */
export async function holdOrConsultFirst(
  hold: (input: HoldInput) => Promise<Booking>,
  slot: PendingSlot,
  options: { replace?: boolean } = {},
) {
  try {
    const booking = await hold(holdInput(slot));
    navigate(`/bookings/${booking.id}`, options);
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 'intake_required')) throw error;
    navigate(withQuery('/consultation', { next: pendingSlotPath(slot) }), options);
  }
}

/** A booking of the client's that already holds this very slot (they came back, or reloaded). */
const holdsSlot = (booking: Booking, slot: PendingSlot) =>
  booking.therapist.id === slot.therapistId &&
  booking.durationMin === slot.durationMin &&
  Date.parse(booking.startsAt) === Date.parse(slot.start);

/** Another client took the time (409), or the therapist no longer offers it (too soon now, hours changed). */
const TAKEN = new Set(['slot_unavailable', 'slot_not_offered']);

function TakenSlot({
  slot,
  therapist,
  place,
  code,
}: {
  slot: PendingSlot;
  therapist: TherapistProfile;
  place: PendingPlaceCheck;
  code: string;
}) {
  const hold = useHold();
  const when = timeInZone(slot.start, place.zone);
  const name = therapist.displayName;
  const pickerPlace: PickerPlace = {
    mode: slot.place.mode,
    studioId: slot.place.mode === 'studio' ? slot.place.studioId : null,
    lat: place.lat,
    lng: place.lng,
  };
  const taken = code === 'slot_unavailable';
  return (
    <div className="narrow stack">
      <PageHeader title={taken ? 'That time was just taken' : 'That time is no longer offered'}>
        <p>
          {taken ? `Another client booked ${when} with ${name} in the meantime.` : `${name} no longer offers ${when}.`}{' '}
          Tap one of {name}’s nearest open times to hold it instead.
        </p>
      </PageHeader>
      <section className="stack" aria-labelledby="nearest-heading">
        <h2 id="nearest-heading">{name}’s nearest open times</h2>
        <TherapistSlotPicker
          therapistId={slot.therapistId}
          therapistName={name}
          durationMin={slot.durationMin}
          place={pickerPlace}
          around={slot.start}
          onPick={(start) => holdOrConsultFirst(hold.mutateAsync, { ...slot, start })}
          renderPickError={(error) => <BookingProblem error={error} />}
        />
      </section>
      <p>
        <Link to="/search">Search all therapists instead</Link>
      </p>
    </div>
  );
}

function HoldPendingSlot({ slot }: { slot: PendingSlot }) {
  const therapist = useTherapistProfile(slot.therapistId);
  const mine = useMyBookings(['held', 'awaiting_clearance', 'confirmed']);
  const hold = useHold();
  const asked = useRef(false);
  const place = therapist.data ? checkPendingPlace(slot, therapist.data) : null;
  const ready = place !== null && mine.data !== undefined;

  // Once, as soon as the therapist and the client's own bookings are known; later renders change nothing here.
  useEffect(() => {
    if (!ready || asked.current) return;
    asked.current = true;
    const already = mine.data?.items.find((booking) => holdsSlot(booking, slot));
    if (already) {
      navigate(`/bookings/${already.id}`, { replace: true });
      return;
    }
    // A refusal stays in `hold.error`, which the page explains.
    holdOrConsultFirst(hold.mutateAsync, slot, { replace: true }).catch(() => undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when `ready` turns true (see above): later changes to the bookings or the mutation must not hold again
  }, [ready]);

  if (isNotFound(therapist.error) || (therapist.data && !place)) return <Redirect to="/search" />;
  if (therapist.error || mine.error) return <ErrorNotice error={therapist.error ?? mine.error} />;
  const refused =
    hold.error && !(hold.error instanceof ApiError && hold.error.code === 'intake_required') ? hold.error : null;
  if (refused instanceof ApiError && TAKEN.has(refused.code) && therapist.data && place) {
    return <TakenSlot slot={slot} therapist={therapist.data} place={place} code={refused.code} />;
  }
  const when = timeInZone(slot.start, place?.zone ?? slot.zone);
  const name = therapist.data?.displayName;
  if (refused) {
    return (
      <div className="narrow stack">
        <PageHeader title="We could not hold that time">
          <p>
            {when} with {name}
          </p>
        </PageHeader>
        <BookingProblem error={refused} />
        <p>
          <Link to="/search">Find another time</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <PageHeader title="Holding your time" />
      <Loading label={name ? `Holding ${when} with ${name}…` : 'Holding your time…'} />
    </div>
  );
}

/** `/hold?…`: holds the slot in the address for the signed-in client; a malformed one goes back to search. */
export function HoldRoute({ location }: { location: Location }) {
  const slot = pendingSlotFromParams(location.search);
  if (!slot) return <Redirect to="/search" />;
  return <HoldPendingSlot key={location.href} slot={slot} />;
}
