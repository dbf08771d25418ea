import { type FormEvent, useState } from 'react';
import { NEW_YORK } from '../../../../../src/demo/demo-market';
import { Field } from '../../../shared/components/field';
import { EmptyState, ErrorNotice } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { TherapistProfile } from '../../../shared/lib/api-types';
import { useAddStudio, useArchiveStudio } from '../api/profile';

const PLACES = NEW_YORK.neighbourhoods;

export function StudiosForm({ profile }: { profile: TherapistProfile }) {
  const add = useAddStudio();
  const archive = useArchiveStudio();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [area, setArea] = useState(PLACES[0]!.name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const place = PLACES.find((p) => p.name === area) ?? PLACES[0]!;
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
              <button type="button" className="btn btn-small" onClick={() => archive.mutate(s.id)} aria-label={`Remove ${s.name}`}>
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
          {(p) => <input {...p} autoComplete="street-address" value={address} onChange={(e) => setAddress(e.target.value)} />}
        </Field>
        <Field label="Neighbourhood" hint="Clients searching near here will find this studio." error={fieldError(add.error, 'lat')}>
          {(p) => (
            <select {...p} value={area} onChange={(e) => setArea(e.target.value)}>
              {PLACES.map((place) => (
                <option key={place.name}>{place.name}</option>
              ))}
            </select>
          )}
        </Field>
        <ErrorNotice error={add.error} shownFields={['name', 'address', 'lat', 'lng']} />
        <button type="submit" className="btn" disabled={add.isPending}>
          Add studio
        </button>
      </form>
    </section>
  );
}
