import { type FormEvent, useState } from 'react';
import { type DistanceUnit, SEARCH_RADII, searchRadiusKm, toKm } from '../../../../../src/domain/distance';
import { SPECIALTIES } from '../../../../../src/domain/specialties';
import { Field, FieldSet } from '../../../shared/components/field';
import { fieldError } from '../../../shared/lib/api-client';
import { Link } from '../../../shared/lib/router';
import type { Neighbourhood } from '../../../shared/lib/markets';
import { CURRENT_LOCATION, type SearchForm } from './search-params';
import { SegmentedChoice } from '../../../shared/components/segmented-choice';

const DURATIONS = [60, 90, 120] as const;

export function SearchFormPanel({
  initial,
  places,
  unit,
  error,
  onSearch,
}: {
  initial: SearchForm;
  places: readonly Neighbourhood[];
  unit: DistanceUnit;
  error: unknown;
  onSearch: (form: SearchForm) => void;
}) {
  const [form, setForm] = useState(initial);
  const radius = searchRadiusKm(form.radiusKm, unit);
  const [addressMissing, setAddressMissing] = useState(false);
  const [locating, setLocating] = useState<string | null>(null);
  const set = <K extends keyof SearchForm>(key: K, value: SearchForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const pickPlace = (name: string) => {
    const place = places.find((p) => p.name === name);
    if (place) setForm((f) => ({ ...f, near: place.name, lat: place.lat, lng: place.lng }));
  };

  const useMyLocation = () => {
    if (!('geolocation' in navigator)) {
      setLocating('This device cannot share its location; pick a neighbourhood instead.');
      return;
    }
    setLocating('Finding you…');
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setForm((f) => ({
          ...f,
          near: CURRENT_LOCATION,
          lat: Number(position.coords.latitude.toFixed(5)),
          lng: Number(position.coords.longitude.toFixed(5)),
        }));
        setLocating(null);
      },
      () => setLocating('Your location is not available; pick a neighbourhood instead.'),
      { timeout: 10_000 },
    );
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const missing = form.mode === 'home' && form.address.trim().length < 3;
    setAddressMissing(missing);
    if (!missing) onSearch({ ...form, radiusKm: radius, page: 1 });
  };

  return (
    <form className="card form search-form" onSubmit={submit} noValidate aria-label="Search for a therapist">
      <FieldSet legend="Deep tissue massage" error={fieldError(error, 'durationMin')}>
        <SegmentedChoice
          name="duration"
          options={DURATIONS}
          value={form.durationMin}
          onChange={(d) => set('durationMin', d)}
          label={(d) => `${d} min`}
        />
      </FieldSet>
      <FieldSet legend="Where" error={fieldError(error, 'mode')}>
        <div className="segmented">
          <label>
            <input
              type="radio"
              name="mode"
              value="studio"
              checked={form.mode === 'studio'}
              onChange={() => set('mode', 'studio')}
            />
            <span>At a studio</span>
          </label>
          <label>
            <input
              type="radio"
              name="mode"
              value="home"
              checked={form.mode === 'home'}
              onChange={() => set('mode', 'home')}
            />
            <span>At my home</span>
          </label>
        </div>
      </FieldSet>
      {form.mode === 'home' && (
        <Field
          label="Your address"
          hint="The therapist comes here. Only therapists who travel to your neighbourhood are shown."
          error={addressMissing ? 'Enter the address where you would like the session' : fieldError(error, 'address')}
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
      )}
      {form.mode === 'home' && (
        <p className="small">
          <Link to="/book-for-two">For two people? Book two therapists at once</Link>
        </p>
      )}
      <div className="field-row">
        <Field
          label={form.mode === 'home' ? 'Neighbourhood' : 'Near'}
          error={fieldError(error, 'lat') ?? fieldError(error, 'lng')}
        >
          {(p) => (
            <select {...p} value={form.near} onChange={(e) => pickPlace(e.target.value)}>
              {form.near === CURRENT_LOCATION && <option value={CURRENT_LOCATION}>Current location</option>}
              {places.map((place) => (
                <option key={place.name} value={place.name}>
                  {place.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {form.mode === 'studio' && (
          <Field label="Within" error={fieldError(error, 'radiusKm')}>
            {(p) => (
              <select {...p} value={radius} onChange={(e) => set('radiusKm', Number(e.target.value))}>
                {SEARCH_RADII[unit].map((value) => (
                  <option key={value} value={searchRadiusKm(toKm(value, unit), unit)}>
                    {value} {unit}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <div>
        <button type="button" className="btn btn-link" onClick={useMyLocation}>
          Use my current location
        </button>
        {locating && (
          <p className="field-hint" role="status">
            {locating}
          </p>
        )}
      </div>
      <div className="field-row">
        <Field label="From" error={fieldError(error, 'from')}>
          {(p) => <input {...p} type="date" required value={form.from} onChange={(e) => set('from', e.target.value)} />}
        </Field>
        <Field label="To" error={fieldError(error, 'to')}>
          {(p) => (
            <input
              {...p}
              type="date"
              required
              value={form.to}
              min={form.from}
              onChange={(e) => set('to', e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="field-row">
        <Field label="Therapist’s gender" error={fieldError(error, 'gender')}>
          {(p) => (
            <select {...p} value={form.gender} onChange={(e) => set('gender', e.target.value)}>
              <option value="">No preference</option>
              <option value="female">Woman</option>
              <option value="male">Man</option>
              <option value="nonbinary">Non-binary</option>
            </select>
          )}
        </Field>
        <Field label="Specialty" error={fieldError(error, 'specialty')}>
          {(p) => (
            <select {...p} value={form.specialty} onChange={(e) => set('specialty', e.target.value)}>
              <option value="">Any</option>
              {SPECIALTIES.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field label="Show first">
        {(p) => (
          <select {...p} value={form.sort} onChange={(e) => set('sort', e.target.value as SearchForm['sort'])}>
            <option value="earliest">Earliest available</option>
            <option value="rating">Best rated</option>
            <option value="distance">Nearest</option>
          </select>
        )}
      </Field>
      <button className="btn btn-primary btn-block" type="submit">
        Search
      </button>
    </form>
  );
}
