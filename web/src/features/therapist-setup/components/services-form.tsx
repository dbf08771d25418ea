import { type FormEvent, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { ErrorNotice } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { TherapistProfile } from '../../../shared/lib/api-types';
import { useSaveServices } from '../api/profile';

const DURATIONS = [60, 90, 120] as const;
const SUGGESTED: Record<(typeof DURATIONS)[number], string> = { 60: '120', 90: '170', 120: '220' };

export function ServicesForm({ profile }: { profile: TherapistProfile }) {
  const save = useSaveServices();
  const [rows, setRows] = useState(() =>
    DURATIONS.map((d) => {
      const existing = profile.services.find((s) => s.durationMin === d);
      return {
        durationMin: d,
        offered: profile.services.length === 0 || existing !== undefined,
        price: existing ? String(existing.priceCents / 100) : SUGGESTED[d],
      };
    }),
  );
  const offered = rows.filter((r) => r.offered);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      offered.map((r) => ({
        durationMin: r.durationMin,
        priceCents: Math.round(Number(r.price) * 100),
        currency: 'USD',
      })),
    );
  };
  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="services-heading">
      <h2 id="services-heading">Services and prices</h2>
      <p className="muted">Deep tissue massage; choose the lengths you offer.</p>
      {rows.map((row, i) => {
        const index = offered.indexOf(row);
        return (
          <div key={row.durationMin} className="service-row">
            <label className="check">
              <input
                type="checkbox"
                checked={row.offered}
                onChange={(e) => setRows(rows.map((r, j) => (j === i ? { ...r, offered: e.target.checked } : r)))}
              />
              {row.durationMin} minutes
            </label>
            {row.offered && (
              <Field
                label={`Price for ${row.durationMin} minutes (USD)`}
                error={index >= 0 ? fieldError(save.error, `services.${index}`) : undefined}
              >
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    inputMode="decimal"
                    min={1}
                    step={1}
                    value={row.price}
                    onChange={(e) => setRows(rows.map((r, j) => (j === i ? { ...r, price: e.target.value } : r)))}
                  />
                )}
              </Field>
            )}
          </div>
        );
      })}
      {fieldError(save.error, 'services') && offered.length === 0 && (
        <p className="field-error">Offer at least one length.</p>
      )}
      <ErrorNotice error={save.error} shownFields={['services']} />
      {save.isSuccess && (
        <p className="notice notice-success" role="status">
          Services saved.
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={save.isPending}>
        Save services
      </button>
    </form>
  );
}
