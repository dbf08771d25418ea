import { type FormEvent, useState } from 'react';
import { Field, FieldSet } from '../../../shared/components/field';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import { browserZone, clockTime, isoDateIn, timeInZone, zoneNotice } from '../../../shared/lib/format';
import { placesOf, useMarkets } from '../../../shared/lib/markets';
import { navigate } from '../../../shared/lib/router';
import { type PairSearch, useHoldPair, usePairAvailability } from '../api/pairs';
import { SegmentedChoice } from '../../../shared/components/segmented-choice';

const DURATIONS = [60, 90, 120] as const;
const GENDERS = [
  ['', 'No preference'],
  ['female', 'Female'],
  ['male', 'Male'],
  ['nonbinary', 'Non-binary'],
] as const;

interface PairForm {
  durationMin: 60 | 90 | 120;
  address: string;
  near: string;
  date: string;
  firstGender: string;
  secondGender: string;
  guestName: string;
  guestEmail: string;
}

/**
 * Booking for two at home: the times two therapists (one for each person, each of the gender that person prefers)
 * are both free at the address, and holding both at once. Each person then confirms and pays for their own session.
 */
export function PairBookingPage() {
  const markets = useMarkets();
  const places = placesOf(markets.data);
  const [form, setForm] = useState<PairForm>({
    durationMin: 60,
    address: '',
    near: '',
    date: isoDateIn(new Date()),
    firstGender: '',
    secondGender: '',
    guestName: '',
    guestEmail: '',
  });
  const [search, setSearch] = useState<PairSearch | null>(null);
  const [address, setAddress] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const availability = usePairAvailability(search);
  const hold = useHoldPair();
  const set = <K extends keyof PairForm>(key: K, value: PairForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const place = places.find((p) => p.name === form.near) ?? places[0];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const absent = [
      form.address.trim().length < 3 ? 'address' : null,
      form.guestName.trim() === '' ? 'guestName' : null,
      !/^\S+@\S+\.\S+$/.test(form.guestEmail.trim()) ? 'guestEmail' : null,
    ].filter((f): f is string => f !== null);
    setMissing(absent);
    if (absent.length > 0 || !place) return;
    hold.reset();
    setAddress(form.address.trim());
    setSearch({
      durationMin: form.durationMin,
      from: form.date,
      to: form.date,
      zone: browserZone(),
      lat: place.lat,
      lng: place.lng,
      limit: 12,
      ...(form.firstGender ? { firstGender: form.firstGender } : {}),
      ...(form.secondGender ? { secondGender: form.secondGender } : {}),
    });
  };

  const pick = (slot: { startsAt: string; first: { id: string }; second: { id: string } }) => {
    if (!search) return;
    hold.mutate(
      {
        durationMin: search.durationMin,
        start: slot.startsAt,
        place: { mode: 'home', address, lat: search.lat, lng: search.lng },
        first: { therapistId: slot.first.id },
        second: {
          therapistId: slot.second.id,
          guest: { name: form.guestName.trim(), email: form.guestEmail.trim() },
        },
      },
      { onSuccess: (pair) => navigate(`/book-for-two/${pair.id}`) },
    );
  };

  const data = availability.data;
  const guest = form.guestName.trim() || 'your guest';
  return (
    <div className="search-layout">
      <div className="search-side">
        <PageHeader title="Book for two">
          <p>
            Two therapists come to one home address at the same time: one for you, one for your guest. Each of you has
            your own consultation, and confirms and pays for your own session.
          </p>
        </PageHeader>
        {markets.isLoading && <Loading label="Loading places…" />}
        <form className="card form search-form" onSubmit={submit} noValidate aria-label="Search times for two">
          <FieldSet legend="Deep tissue massage, each">
            <SegmentedChoice
              name="duration"
              options={DURATIONS}
              value={form.durationMin}
              onChange={(d) => set('durationMin', d)}
              label={(d) => `${d} min`}
            />
          </FieldSet>
          <Field
            label="Your address"
            hint="Both therapists come here."
            error={missing.includes('address') ? 'Enter the address where you would like the sessions' : undefined}
          >
            {(p) => (
              <input
                {...p}
                autoComplete="street-address"
                value={form.address}
                onChange={(e) => set('address', e.target.value)}
              />
            )}
          </Field>
          <Field label="Neighbourhood">
            {(p) => (
              <select {...p} value={place?.name ?? ''} onChange={(e) => set('near', e.target.value)}>
                {places.map((n) => (
                  <option key={n.name} value={n.name}>
                    {n.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Day" error={fieldError(availability.error, 'from')}>
            {(p) => <input {...p} type="date" value={form.date} onChange={(e) => set('date', e.target.value)} />}
          </Field>
          <Field label="Your therapist">
            {(p) => (
              <select {...p} value={form.firstGender} onChange={(e) => set('firstGender', e.target.value)}>
                {GENDERS.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Your guest’s therapist">
            {(p) => (
              <select {...p} value={form.secondGender} onChange={(e) => set('secondGender', e.target.value)}>
                {GENDERS.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Your guest’s name"
            error={
              missing.includes('guestName') ? 'Enter your guest’s name' : fieldError(hold.error, 'second.guest.name')
            }
          >
            {(p) => (
              <input
                {...p}
                autoComplete="off"
                value={form.guestName}
                onChange={(e) => set('guestName', e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Your guest’s e-mail"
            hint="We e-mail them a link to sign in, fill in their own consultation if they have none, and confirm their session."
            error={
              missing.includes('guestEmail')
                ? 'Enter your guest’s e-mail address'
                : fieldError(hold.error, 'second.guest.email')
            }
          >
            {(p) => (
              <input
                {...p}
                type="email"
                autoComplete="off"
                value={form.guestEmail}
                onChange={(e) => set('guestEmail', e.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="btn btn-primary">
            Find times for two
          </button>
        </form>
      </div>
      <section className="search-results" aria-labelledby="pair-results" aria-busy={availability.isFetching}>
        <h2 id="pair-results" className={search ? undefined : 'visually-hidden'}>
          Times for two
        </h2>
        {!search && <EmptyState title="Choose a day, your address and your guest, then search." />}
        {availability.isLoading && <Loading label="Finding times when two therapists are free…" />}
        <ErrorNotice error={availability.error} shownFields={['from']} />
        <ErrorNotice error={hold.error} shownFields={['second.guest.name', 'second.guest.email']} />
        {data && data.slots.length === 0 && (
          <EmptyState title="No times when two therapists are free that day.">
            <p>Try another day, or no gender preference for one of you.</p>
          </EmptyState>
        )}
        {data && data.slots.length > 0 && (
          <>
            {zoneNotice(data.timeZone, data.slots[0]!.startsAt) && (
              <p className="muted small">{zoneNotice(data.timeZone, data.slots[0]!.startsAt)}</p>
            )}
            <ul className="stack" role="list">
              {data.slots.map((slot) => (
                <li key={slot.startsAt} className="card pair-slot">
                  <p>
                    <strong>{clockTime(slot.startsAt, data.timeZone)}</strong> ·{' '}
                    {timeInZone(slot.startsAt, data.timeZone, 'day')}
                  </p>
                  <p>
                    {slot.first.displayName} for you, {slot.second.displayName} for {guest}
                  </p>
                  <button
                    type="button"
                    className="btn btn-primary"
                    disabled={hold.isPending}
                    aria-busy={hold.isPending}
                    onClick={() => pick(slot)}
                  >
                    Hold {clockTime(slot.startsAt, data.timeZone)} for two
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}
