import { type FormEvent, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { EmptyState, ErrorNotice } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { TherapistProfile } from '../../../shared/lib/api-types';
import { placesOf, useMarkets } from '../../../shared/lib/markets';
import { useAddStudio, useArchiveStudio } from '../api/profile';

export function StudiosForm({ profile }: { profile: TherapistProfile }) {
  const add = useAddStudio();
  const archive = useArchiveStudio();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const places = placesOf(useMarkets().data, profile.market);
  const [picked, setArea] = useState<string | null>(null);
  /** The neighbourhood chosen, or the market's first once the markets have loaded. */
  const area = picked ?? places[0]?.name ?? '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const place = places.find((p) => p.name === area) ?? places[0];
    if (!place) return;
    add.mutate({ name, address, lat: place.lat, lng: place.lng }, { onSuccess: () => (setName(''), setAddress('')) });
  };
  return (
    <section className="card form" aria-labelledby="studios-heading">
      <h2 id="studios-heading">Studios</h2>
      {profile.studios.length === 0 ? (
        <EmptyState title="No studio yet.">Add one if clients can come to you.</EmptyState>
      ) : (
        <ul className="plain-list" role="list">
          {profile.studios.map((s) => (
            <li key={s.id} className="row-between">
              <span>
                <strong>{s.name}</strong>
                <br />
                <span className="muted">{s.address}</span>
              </span>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => archive.mutate(s.id)}
                aria-label={`Remove ${s.name}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorNotice error={archive.error} />
      <form className="form subform" onSubmit={submit} noValidate aria-label="Add a studio">
        <h3>Add a studio</h3>
        <Field label="Studio name" error={fieldError(add.error, 'name')}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Street address" error={fieldError(add.error, 'address')}>
          {(p) => (
            <input {...p} autoComplete="street-address" value={address} onChange={(e) => setAddress(e.target.value)} />
          )}
        </Field>
        <Field
          label="Neighbourhood"
          hint="Clients searching near here will find this studio."
          error={fieldError(add.error, 'lat')}
        >
          {(p) => (
            <select {...p} value={area} onChange={(e) => setArea(e.target.value)}>
              {places.map((place) => (
                <option key={place.name}>{place.name}</option>
              ))}
            </select>
          )}
        </Field>
        <ErrorNotice error={add.error} shownFields={['name', 'address', 'lat', 'lng']} />
        <button type="submit" className="btn" disabled={add.isPending || places.length === 0}>
          Add studio
        </button>
      </form>
    </section>
  );
}
