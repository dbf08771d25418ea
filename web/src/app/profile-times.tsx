import { Suspense, lazy, useState } from 'react';
import { useCurrentUser } from '../features/auth/api/session';
import { useHold } from '../features/booking/api/bookings';
import { BookingProblem } from '../features/booking/components/booking-problem';
import { TherapistSlotPicker } from '../features/search/components/therapist-slot-picker';
import { Field, FieldSet } from '../shared/components/field';
import { ApiError, withQuery } from '../shared/lib/api-client';
import type { TherapistProfile } from '../shared/lib/api-types';
import { pendingSlotPath } from '../shared/lib/pending-slot';
import { Link, navigate } from '../shared/lib/router';
import { holdOrConsultFirst } from './pending-hold';
import { addDays, isoDateIn } from '../shared/lib/format';
import { SegmentedChoice } from '../shared/components/segmented-choice';

/** The waitlist's join form: loaded when a profile offers it, not with the first screen. */
const WaitlistJoin = lazy(() =>
  import('../features/waitlist/components/waitlist-join').then((m) => ({ default: m.WaitlistJoin })),
);

type Length = 60 | 90 | 120;

/**
 * A therapist's open times on their profile: the session length and studio chosen here, a tapped time held as search
 * holds it (a visitor signs in first, and a client without a consultation completes it, the time kept through both).
 * A visit at home needs the client's address, which search asks for.
 */
export function ProfileTimes({ profile }: { profile: TherapistProfile }) {
  const me = useCurrentUser();
  const hold = useHold();
  const lengths = [...new Set(profile.services.map((s) => s.durationMin))].sort((a, b) => a - b);
  const [durationMin, setDurationMin] = useState<Length | undefined>(lengths[0]);
  const [studioId, setStudioId] = useState(profile.studios[0]?.id);
  const studio = profile.studios.find((s) => s.id === studioId);
  const homeVisits = profile.mobileArea !== null;
  if (!studio || durationMin === undefined) {
    return (
      <p>
        <Link className="btn btn-primary" to="/search">
          Find a time
        </Link>
      </p>
    );
  }
  const onPick = async (start: string) => {
    const slot = {
      therapistId: profile.id,
      durationMin,
      start,
      zone: studio.timeZone,
      place: { mode: 'studio' as const, studioId: studio.id },
      focusRegions: null,
    };
    const user = me.data;
    if (!user) {
      navigate(withQuery('/sign-in', { next: pendingSlotPath(slot) }));
      return;
    }
    if (user.role !== 'client') {
      throw new ApiError({
        type: 'about:blank',
        title: 'Only clients book sessions',
        status: 403,
        detail: 'Sign in with a client account to book.',
        code: 'forbidden',
      });
    }
    await holdOrConsultFirst(hold.mutateAsync, slot);
  };
  return (
    <section className="card stack" aria-labelledby="open-times-heading">
      <h2 id="open-times-heading">Open times</h2>
      <div className="field-row">
        {lengths.length > 1 && (
          <FieldSet legend="Session length">
            <SegmentedChoice
              name="profile-length"
              options={lengths}
              value={durationMin}
              onChange={setDurationMin}
              label={(length) => `${length} min`}
            />
          </FieldSet>
        )}
        {profile.studios.length > 1 && (
          <Field label="Studio">
            {(p) => (
              <select {...p} value={studio.id} onChange={(e) => setStudioId(e.target.value)}>
                {profile.studios.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <p className="muted">
        At {studio.name}, {studio.address}.
        {homeVisits && (
          <>
            {' '}
            For a visit at your home, <Link to="/search">search with your address</Link>.
          </>
        )}
      </p>
      <TherapistSlotPicker
        key={`${studio.id}-${durationMin}`}
        therapistId={profile.id}
        therapistName={profile.displayName}
        durationMin={durationMin}
        place={{ mode: 'studio', studioId: studio.id, lat: studio.lat, lng: studio.lng }}
        onPick={onPick}
        renderPickError={(error) => <BookingProblem error={error} />}
      />
      {me.data?.role === 'client' && (
        <Suspense fallback={null}>
          <WaitlistJoin
            key={`waitlist-${studio.id}-${durationMin}`}
            therapist={{ id: profile.id, displayName: profile.displayName }}
            criteria={{
              durationMin,
              mode: 'studio',
              lat: studio.lat,
              lng: studio.lng,
              radiusKm: 1,
              from: isoDateIn(new Date()),
              to: addDays(isoDateIn(new Date()), 6),
            }}
          />
        </Suspense>
      )}
    </section>
  );
}
