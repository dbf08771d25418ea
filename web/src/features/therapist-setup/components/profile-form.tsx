import { type FormEvent, useState } from 'react';
import { type DistanceUnit, fromKm, speedUnit, toKm } from '../../../../../src/domain/distance';
import { SPECIALTIES } from '../../../../../src/domain/specialties';
import { Field, FieldSet } from '../../../shared/components/field';
import { ErrorNotice, Loading } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { ProfileInput, TherapistProfile } from '../../../shared/lib/api-types';
import { browserZone } from '../../../shared/lib/format';
import { type Market, type Neighbourhood, placesOf, useMarkets } from '../../../shared/lib/markets';
import { useSaveProfile } from '../api/profile';

const ZONES: string[] =
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [browserZone()];

interface Draft {
  market: string;
  gender: 'female' | 'male' | 'nonbinary';
  bio: string;
  /** Languages as typed, separated by commas. */
  languages: string;
  yearsInPractice: string;
  licenceNumber: string;
  licenceRegion: string;
  licenceExpiresOn: string;
  specialties: string[];
  timeZone: string;
  bufferBeforeMin: string;
  bufferAfterMin: string;
  minNoticeHours: string;
  bookingWindowDays: string;
  /** The market's unit: the travel speed and radius are typed in it (mph and miles in US markets). */
  unit: DistanceUnit;
  travelSpeed: string;
  visitsHomes: boolean;
  mobileBase: string;
  mobileRadius: string;
  freeUntilHoursBefore: string;
  lateFeePercent: string;
}

const inUnit = (km: number, unit: DistanceUnit) => String(Math.round(fromKm(km, unit) * 10) / 10);
const unitOf = (markets: Market[], id: string): DistanceUnit => markets.find((m) => m.id === id)?.distanceUnit ?? 'km';

function draftOf(profile: TherapistProfile | null, markets: Market[]): Draft {
  const market = profile?.market ?? markets[0]?.id ?? '';
  const unit = unitOf(markets, market);
  const places = placesOf(markets, market);
  const first = places[0]?.name ?? '';
  const base = profile?.mobileArea ? (places.find((p) => p.name === profile.mobileArea?.label)?.name ?? first) : first;
  return {
    market,
    gender: profile?.gender ?? 'female',
    bio: profile?.bio ?? '',
    languages: profile?.languages.join(', ') ?? '',
    yearsInPractice: profile?.yearsInPractice === null || !profile ? '' : String(profile.yearsInPractice),
    licenceNumber: profile?.licence.number ?? '',
    licenceRegion: profile?.licence.region ?? '',
    licenceExpiresOn: profile?.licence.expiresOn ?? '',
    specialties: profile?.specialties ?? [],
    timeZone: profile?.timeZone ?? browserZone(),
    bufferBeforeMin: String(profile?.bufferBeforeMin ?? 0),
    bufferAfterMin: String(profile?.bufferAfterMin ?? 15),
    minNoticeHours: String((profile?.minNoticeMin ?? 120) / 60),
    bookingWindowDays: String(profile?.bookingWindowDays ?? 60),
    unit,
    travelSpeed: inUnit(profile?.travelSpeedKmh ?? 25, unit),
    visitsHomes: profile ? profile.mobileArea !== null : false,
    mobileBase: base,
    mobileRadius: inUnit(profile?.mobileArea?.radiusKm ?? 8, unit),
    freeUntilHoursBefore: String(profile?.cancellationPolicy.freeUntilHoursBefore ?? 24),
    lateFeePercent: String(profile?.cancellationPolicy.lateFeePercent ?? 50),
  };
}

/** A number field's entry; one that is not a number goes to the API as typed, so the answer names that field. */
const num = (text: string) =>
  text.trim() === '' || Number.isNaN(Number(text)) ? (text as unknown as number) : Number(text);
/** A distance or speed typed in the market's unit, in km for the API. */
const km = (text: string, unit: DistanceUnit) => {
  const value = num(text);
  return typeof value === 'number' ? Math.round(toKm(value, unit) * 1000) / 1000 : value;
};

function toInput(d: Draft, places: readonly Neighbourhood[]): ProfileInput {
  const base = places.find((p) => p.name === d.mobileBase) ?? places[0];
  return {
    market: d.market,
    gender: d.gender,
    bio: d.bio,
    languages: d.languages
      .split(',')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
    yearsInPractice: d.yearsInPractice.trim() === '' ? null : num(d.yearsInPractice),
    licence: { number: d.licenceNumber, region: d.licenceRegion, expiresOn: d.licenceExpiresOn },
    specialties: d.specialties as ProfileInput['specialties'],
    timeZone: d.timeZone,
    bufferBeforeMin: num(d.bufferBeforeMin),
    bufferAfterMin: num(d.bufferAfterMin),
    minNoticeMin: Math.round(num(d.minNoticeHours) * 60),
    bookingWindowDays: num(d.bookingWindowDays),
    travelSpeedKmh: km(d.travelSpeed, d.unit),
    mobileArea:
      d.visitsHomes && base
        ? { label: base.name, lat: base.lat, lng: base.lng, radiusKm: km(d.mobileRadius, d.unit) }
        : null,
    cancellationPolicy: { freeUntilHoursBefore: num(d.freeUntilHoursBefore), lateFeePercent: num(d.lateFeePercent) },
  };
}

export function ProfileForm(props: { profile: TherapistProfile | null; onSaved?: () => void }) {
  const markets = useMarkets();
  if (markets.isLoading) return <Loading label="Loading…" />;
  return <LoadedProfileForm {...props} markets={markets.data ?? []} />;
}

function LoadedProfileForm({
  profile,
  onSaved,
  markets,
}: {
  profile: TherapistProfile | null;
  onSaved?: (() => void) | undefined;
  markets: Market[];
}) {
  const save = useSaveProfile();
  const [draft, setDraft] = useState(() => draftOf(profile, markets));
  const places = placesOf(markets, draft.market);
  /** Another market may count in other units and has its own neighbourhoods: what was typed keeps its meaning. */
  const chooseMarket = (market: string) =>
    setDraft((d) => {
      const unit = unitOf(markets, market);
      const convert = (text: string) =>
        Number.isNaN(Number(text)) || text.trim() === '' ? text : inUnit(toKm(Number(text), d.unit), unit);
      const hoods = placesOf(markets, market);
      const mobileBase = hoods.some((p) => p.name === d.mobileBase) ? d.mobileBase : (hoods[0]?.name ?? '');
      return {
        ...d,
        market,
        unit,
        mobileBase,
        travelSpeed: convert(d.travelSpeed),
        mobileRadius: convert(d.mobileRadius),
      };
    });
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const err = (field: string) => fieldError(save.error, field);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(toInput(draft, places), { onSuccess: () => onSaved?.() });
  };
  const toggleSpecialty = (code: string) =>
    set(
      'specialties',
      draft.specialties.includes(code) ? draft.specialties.filter((s) => s !== code) : [...draft.specialties, code],
    );

  return (
    <form className="form stack" onSubmit={submit} noValidate aria-label="Practice profile">
      <section className="card form" aria-labelledby="about-heading">
        <h2 id="about-heading">About you</h2>
        <div className="field-row">
          <Field label="Market" error={err('market')}>
            {(p) => (
              <select {...p} value={draft.market} onChange={(e) => chooseMarket(e.target.value)}>
                {markets.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Gender" hint="Clients may ask for a therapist of a given gender." error={err('gender')}>
            {(p) => (
              <select {...p} value={draft.gender} onChange={(e) => set('gender', e.target.value as Draft['gender'])}>
                <option value="female">Woman</option>
                <option value="male">Man</option>
                <option value="nonbinary">Non-binary</option>
              </select>
            )}
          </Field>
        </div>
        <Field label="About your practice" hint="Shown to clients on your profile." error={err('bio')}>
          {(p) => (
            <textarea {...p} rows={3} maxLength={2000} value={draft.bio} onChange={(e) => set('bio', e.target.value)} />
          )}
        </Field>
        <div className="field-row">
          <Field
            label="Languages"
            hint="Separated by commas, as clients should read them: English, Español."
            error={err('languages')}
          >
            {(p) => <input {...p} value={draft.languages} onChange={(e) => set('languages', e.target.value)} />}
          </Field>
          <Field label="Years in practice" hint="Shown on your profile." error={err('yearsInPractice')}>
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min={0}
                max={70}
                value={draft.yearsInPractice}
                onChange={(e) => set('yearsInPractice', e.target.value)}
              />
            )}
          </Field>
        </div>
      </section>

      <section className="card form" aria-labelledby="licence-heading">
        <h2 id="licence-heading">Licence</h2>
        <p className="muted">
          An operator checks your licence before you appear in search. Changing it sends it back for review.
        </p>
        <div className="field-row">
          <Field label="Licence number" error={err('licence.number')}>
            {(p) => <input {...p} value={draft.licenceNumber} onChange={(e) => set('licenceNumber', e.target.value)} />}
          </Field>
          <Field label="Issued by (state or region)" error={err('licence.region')}>
            {(p) => <input {...p} value={draft.licenceRegion} onChange={(e) => set('licenceRegion', e.target.value)} />}
          </Field>
        </div>
        <Field label="Expires on" error={err('licence.expiresOn')}>
          {(p) => (
            <input
              {...p}
              type="date"
              value={draft.licenceExpiresOn}
              onChange={(e) => set('licenceExpiresOn', e.target.value)}
            />
          )}
        </Field>
      </section>

      <section className="card form" aria-labelledby="specialties-heading">
        <h2 id="specialties-heading">Specialties</h2>
        <FieldSet legend="What clients can search you for" error={err('specialties')}>
          <div className="checks">
            {SPECIALTIES.map((s) => (
              <label key={s.code} className="check">
                <input
                  type="checkbox"
                  checked={draft.specialties.includes(s.code)}
                  onChange={() => toggleSpecialty(s.code)}
                />
                {s.label}
              </label>
            ))}
          </div>
        </FieldSet>
      </section>

      <section className="card form" aria-labelledby="rules-heading">
        <h2 id="rules-heading">Booking rules</h2>
        <Field label="Time zone" hint="Your weekly hours are in this zone." error={err('timeZone')}>
          {(p) => (
            <select {...p} value={draft.timeZone} onChange={(e) => set('timeZone', e.target.value)}>
              {(ZONES.includes(draft.timeZone) ? ZONES : [draft.timeZone, ...ZONES]).map((z) => (
                <option key={z} value={z}>
                  {z.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field-row">
          <Field label="Break before a session (min)" error={err('bufferBeforeMin')}>
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min={0}
                max={120}
                value={draft.bufferBeforeMin}
                onChange={(e) => set('bufferBeforeMin', e.target.value)}
              />
            )}
          </Field>
          <Field label="Break after a session (min)" error={err('bufferAfterMin')}>
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min={0}
                max={120}
                value={draft.bufferAfterMin}
                onChange={(e) => set('bufferAfterMin', e.target.value)}
              />
            )}
          </Field>
        </div>
        <div className="field-row">
          <Field label="Minimum notice (hours)" error={err('minNoticeMin')}>
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="decimal"
                min={0}
                step={0.5}
                value={draft.minNoticeHours}
                onChange={(e) => set('minNoticeHours', e.target.value)}
              />
            )}
          </Field>
          <Field label="Bookable up to (days ahead)" error={err('bookingWindowDays')}>
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min={1}
                max={365}
                value={draft.bookingWindowDays}
                onChange={(e) => set('bookingWindowDays', e.target.value)}
              />
            )}
          </Field>
        </div>
      </section>

      <section className="card form" aria-labelledby="home-heading">
        <h2 id="home-heading">At-home visits</h2>
        <label className="check">
          <input type="checkbox" checked={draft.visitsHomes} onChange={(e) => set('visitsHomes', e.target.checked)} />I
          visit clients at home
        </label>
        {draft.visitsHomes && (
          <>
            <div className="field-row">
              <Field label="Travelling from" error={err('mobileArea.lat') ?? err('mobileArea.label')}>
                {(p) => (
                  <select {...p} value={draft.mobileBase} onChange={(e) => set('mobileBase', e.target.value)}>
                    {places.map((place) => (
                      <option key={place.name}>{place.name}</option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={`Up to (${draft.unit})`} error={err('mobileArea.radiusKm')}>
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    inputMode="decimal"
                    min={1}
                    max={Math.floor(fromKm(100, draft.unit))}
                    value={draft.mobileRadius}
                    onChange={(e) => set('mobileRadius', e.target.value)}
                  />
                )}
              </Field>
            </div>
            <Field
              label={`Average travel speed (${speedUnit(draft.unit)})`}
              hint="Used to leave travel time between home visits."
              error={err('travelSpeedKmh')}
            >
              {(p) => (
                <input
                  {...p}
                  type="number"
                  inputMode="numeric"
                  min={Math.ceil(fromKm(5, draft.unit))}
                  max={Math.floor(fromKm(120, draft.unit))}
                  value={draft.travelSpeed}
                  onChange={(e) => set('travelSpeed', e.target.value)}
                />
              )}
            </Field>
          </>
        )}
        {err('mobileArea') && !err('mobileArea.lat') && !err('mobileArea.radiusKm') && (
          <p className="field-error">{err('mobileArea')}</p>
        )}
      </section>

      <section className="card form" aria-labelledby="policy-heading">
        <h2 id="policy-heading">Cancellation policy</h2>
        <p className="muted">Clients see this before they confirm. Changes apply to new bookings only.</p>
        <div className="field-row">
          <Field label="Free until (hours before)" error={err('cancellationPolicy.freeUntilHoursBefore')}>
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min={0}
                max={168}
                value={draft.freeUntilHoursBefore}
                onChange={(e) => set('freeUntilHoursBefore', e.target.value)}
              />
            )}
          </Field>
          <Field label="Late fee (% of price)" error={err('cancellationPolicy.lateFeePercent')}>
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min={0}
                max={100}
                value={draft.lateFeePercent}
                onChange={(e) => set('lateFeePercent', e.target.value)}
              />
            )}
          </Field>
        </div>
      </section>

      <ErrorNotice
        error={save.error}
        shownFields={[
          'market',
          'gender',
          'bio',
          'languages',
          'yearsInPractice',
          'licence',
          'specialties',
          'timeZone',
          'bufferBeforeMin',
          'bufferAfterMin',
          'minNoticeMin',
          'bookingWindowDays',
          'travelSpeedKmh',
          'mobileArea',
          'cancellationPolicy',
        ]}
      />
      {save.isSuccess && (
        <p className="notice notice-success" role="status">
          Profile saved.
        </p>
      )}
      <div className="sticky-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : profile ? 'Save profile' : 'Save and continue'}
        </button>
      </div>
    </form>
  );
}
