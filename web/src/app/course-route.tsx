import { useState } from 'react';
import { HISTORY, type HoldInput, UPCOMING, useMyBookings } from '../features/booking/api/bookings';
import { BookingProblem } from '../features/booking/components/booking-problem';
import { CoursePlanner, MAX_COURSE_SESSIONS } from '../features/booking/components/course-planner';
import { useTherapistProfile } from '../features/search/api/therapist-profile';
import { TherapistSlotPicker } from '../features/search/components/therapist-slot-picker';
import { Field, FieldSet } from '../shared/components/field';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../shared/components/states';
import { Link, type Location } from '../shared/lib/router';
import { SegmentedChoice } from '../shared/components/segmented-choice';

type Length = 60 | 90 | 120;

const numberParam = (value: string | null) => (value !== null && /^\d+$/.test(value) ? Number(value) : undefined);

/** A home visit's place from the link (mode=home&address&lat&lng&zone), or null when any part is missing. */
function homeFromLink(q: URLSearchParams) {
  if (q.get('mode') !== 'home') return null;
  const address = q.get('address')?.trim() ?? '';
  const lat = Number(q.get('lat'));
  const lng = Number(q.get('lng'));
  const zone = q.get('zone') ?? '';
  const latOk = q.get('lat') !== null && Number.isFinite(lat) && Math.abs(lat) <= 90;
  const lngOk = q.get('lng') !== null && Number.isFinite(lng) && Math.abs(lng) <= 180;
  if (address.length < 3 || !latOk || !lngOk || zone === '') return null;
  return { address, lat, lng, zone };
}

/**
 * Book a course (the booking screen's "Make it a course", or a treatment plan's "Book these sessions as a course"):
 * the therapist's studio and session length (the link's, else the client's latest with them), the first session
 * picked from their open times (or given by the link),
 * then the course planner. A home visit comes from a held home visit's "Make it a course": the link carries its
 * address, position and zone (mode=home&address&lat&lng&zone), and every session is at that address.
 */
export function CourseRoute({ location }: { location: Location }) {
  const q = location.search;
  const therapistId = q.get('therapistId') ?? '';
  const profile = useTherapistProfile(therapistId);
  const [start, setStart] = useState<string | null>(q.get('start'));
  // The length asked for, else the length of the client's latest session with this therapist (a plan names none).
  const mine = useMyBookings([...UPCOMING, ...HISTORY]);
  const latestWith = (mine.data?.items ?? [])
    .filter((b) => b.therapist.id === therapistId)
    .sort((a, b) => b.startsAt.localeCompare(a.startsAt))[0];
  const wantedLength = numberParam(q.get('durationMin')) ?? latestWith?.durationMin;
  const [chosenLength, setLength] = useState<Length | undefined>(undefined);
  const [studioId, setStudioId] = useState(q.get('studioId') ?? undefined);
  const count = numberParam(q.get('count'));
  const every = q.get('every') === '2' ? 2 : 1;

  if (profile.isLoading || mine.isLoading) return <Loading />;
  if (profile.error || !profile.data)
    return (
      <div className="narrow">
        <ErrorNotice error={profile.error} />
        <EmptyState title="This therapist cannot be booked.">
          <Link to="/search">Find a therapist</Link>
        </EmptyState>
      </div>
    );
  const p = profile.data;
  const lengths = [...new Set(p.services.map((s) => s.durationMin))].sort((a, b) => a - b);
  const durationMin: Length | undefined = chosenLength ?? lengths.find((l) => l === wantedLength) ?? lengths[0];
  const home = homeFromLink(q);
  const studio = p.studios.find((s) => s.id === studioId) ?? p.studios[0];
  if ((!home && !studio) || durationMin === undefined)
    return (
      <div className="narrow">
        <EmptyState title="This therapist has no studio to book a course at.">
          <Link to="/search">Find a time</Link>
        </EmptyState>
      </div>
    );
  const where = home
    ? {
        key: `home-${home.lat}-${home.lng}`,
        name: home.address,
        place: { mode: 'home', address: home.address, lat: home.lat, lng: home.lng } as HoldInput['place'],
        picker: { mode: 'home' as const, studioId: null, lat: home.lat, lng: home.lng },
        zone: home.zone,
      }
    : {
        key: studio!.id,
        name: studio!.name,
        place: { mode: 'studio', studioId: studio!.id } as HoldInput['place'],
        picker: { mode: 'studio' as const, studioId: studio!.id, lat: studio!.lat, lng: studio!.lng },
        zone: studio!.timeZone,
      };

  return (
    <div className="narrow stack">
      <PageHeader title="Book a course">
        <p className="muted">
          The same time every week or every other week with {p.displayName}, at {where.name}. Every date is checked and
          held in one go; each session can then be moved or cancelled on its own.
        </p>
      </PageHeader>
      {start === null ? (
        <section className="card stack" aria-labelledby="first-session-heading">
          <h2 id="first-session-heading">Choose the first session</h2>
          <div className="field-row">
            {lengths.length > 1 && (
              <FieldSet legend="Session length">
                <SegmentedChoice
                  name="course-length"
                  options={lengths}
                  value={durationMin}
                  onChange={setLength}
                  label={(length) => `${length} min`}
                />
              </FieldSet>
            )}
            {!home && studio && p.studios.length > 1 && (
              <Field label="Studio">
                {(control) => (
                  <select {...control} value={studio.id} onChange={(e) => setStudioId(e.target.value)}>
                    {p.studios.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          </div>
          {count !== undefined && (
            <p className="small muted">
              {Math.min(MAX_COURSE_SESSIONS, Math.max(2, count))} sessions,{' '}
              {every === 2 ? 'every 2 weeks' : 'every week'}, from your treatment plan: you can change both next.
            </p>
          )}
          <TherapistSlotPicker
            key={`${where.key}-${durationMin}`}
            therapistId={p.id}
            therapistName={p.displayName}
            durationMin={durationMin}
            place={where.picker}
            onPick={async (picked) => setStart(picked)}
            renderPickError={(error) => <BookingProblem error={error} />}
          />
        </section>
      ) : (
        <CoursePlanner
          key={`${start}-${durationMin}-${where.key}`}
          course={{
            therapistId: p.id,
            therapistName: p.displayName,
            durationMin,
            place: where.place,
            start,
            zone: where.zone,
            replacesBookingId: q.get('replaces') ?? undefined,
          }}
          initialCount={count ?? 6}
          initialEvery={every}
          onChangeStart={() => setStart(null)}
        />
      )}
    </div>
  );
}
