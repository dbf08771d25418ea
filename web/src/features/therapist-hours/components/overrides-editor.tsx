import { type FormEvent, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { EmptyState, ErrorNotice, Loading } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { OverrideInput, TherapistProfile } from '../../../shared/lib/api-types';
import { addDays, formatIsoDate, isoDateIn } from '../../../shared/lib/format';
import { useAddOverride, useDeleteOverride, useOverrides } from '../api/hours';
import { PlaceOptions, placeFromKey, placeName } from './place-options';

type Kind = 'day_off' | 'time_off' | 'extra';

const KIND_LABELS: Record<Kind, string> = {
  day_off: 'Whole day off',
  time_off: 'Some hours off',
  extra: 'Extra hours',
};

export function OverridesEditor({ profile }: { profile: TherapistProfile }) {
  const today = isoDateIn(new Date(), profile.timeZone);
  const overrides = useOverrides(today);
  const add = useAddOverride();
  const remove = useDeleteOverride();
  const [date, setDate] = useState(addDays(today, 1));
  const [kind, setKind] = useState<Kind>('day_off');
  const [start, setStart] = useState('12:00');
  const [end, setEnd] = useState('14:00');
  const [place, setPlace] = useState(profile.studios[0]?.id ?? 'home');
  const [note, setNote] = useState('');
  const err = (field: string) => fieldError(add.error, field);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const base = { date, ...(note.trim() ? { note: note.trim() } : {}) };
    const input: OverrideInput =
      kind === 'day_off'
        ? { kind: 'off', ...base, intervals: [] }
        : kind === 'time_off'
          ? { kind: 'off', ...base, intervals: [{ start, end }] }
          : { kind: 'extra', ...base, intervals: [{ start, end, place: placeFromKey(place) }] };
    add.mutate(input, { onSuccess: () => setNote('') });
  };

  return (
    <section className="card form" aria-labelledby="overrides-heading">
      <h2 id="overrides-heading">Days off and extra hours</h2>
      <p className="muted">Changes for one date, on top of your weekly hours. Booked sessions are not moved.</p>
      {overrides.isLoading && <Loading />}
      <ErrorNotice error={overrides.error ?? remove.error} />
      {overrides.data && overrides.data.length === 0 && <EmptyState title="No changes planned." />}
      {overrides.data && overrides.data.length > 0 && (
        <ul className="plain-list" role="list" aria-label="Planned changes">
          {overrides.data.map((o) => (
            <li key={o.id} className="row-between">
              <span>
                <strong>{formatIsoDate(o.date, { weekday: 'long', month: 'long', day: 'numeric' })}</strong>
                <br />
                <span className="muted">
                  {o.kind === 'off' && o.intervals.length === 0
                    ? 'Day off'
                    : `${o.kind === 'off' ? 'Off' : 'Extra'} ${o.intervals.map((i) => `${i.start}–${i.end}${i.place ? ` (${placeName(profile, i.place)})` : ''}`).join(', ')}`}
                  {o.note ? ` · ${o.note}` : ''}
                </span>
              </span>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => remove.mutate(o.id)}
                aria-label={`Remove the change on ${o.date}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="form subform" onSubmit={submit} noValidate aria-label="Add a change for one date">
        <h3>Add a change</h3>
        <div className="field-row">
          <Field label="Date" error={err('date')}>
            {(p) => <input {...p} type="date" min={today} value={date} onChange={(e) => setDate(e.target.value)} />}
          </Field>
          <Field label="Change" error={err('kind')}>
            {(p) => (
              <select {...p} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
                {(Object.keys(KIND_LABELS) as Kind[]).map((k) => (
                  <option
                    key={k}
                    value={k}
                    disabled={k === 'extra' && profile.studios.length === 0 && !profile.mobileArea}
                  >
                    {KIND_LABELS[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {kind !== 'day_off' && (
          <div className="field-row">
            <Field label="From" error={err('intervals.0.start')}>
              {(p) => <input {...p} type="time" step={900} value={start} onChange={(e) => setStart(e.target.value)} />}
            </Field>
            <Field label="Until" error={err('intervals.0.end')}>
              {(p) => <input {...p} type="time" step={900} value={end} onChange={(e) => setEnd(e.target.value)} />}
            </Field>
            {kind === 'extra' && (
              <Field label="Where" error={err('intervals.0.place')}>
                {(p) => (
                  <select {...p} value={place} onChange={(e) => setPlace(e.target.value)}>
                    <PlaceOptions profile={profile} />
                  </select>
                )}
              </Field>
            )}
          </div>
        )}
        <Field label="Note (optional)" error={err('note')}>
          {(p) => <input {...p} maxLength={300} value={note} onChange={(e) => setNote(e.target.value)} />}
        </Field>
        <ErrorNotice error={add.error} shownFields={['date', 'kind', 'intervals', 'note']} />
        <button type="submit" className="btn" disabled={add.isPending}>
          Add change
        </button>
      </form>
    </section>
  );
}
