import { useId } from 'react';
import { REGION_REFS } from '../../../../../../src/domain/body-regions';
import { regionRefLabel } from '../../../../../../src/domain/region-label';
import { Field } from '../../../../shared/components/field';

export const REGION_OPTIONS = REGION_REFS.map((ref) => ({ ref, label: regionRefLabel(ref) }));

/** A short visible label whose accessible name says which region it belongs to. */
export function Hidden({ visible, rest }: { visible: string; rest: string }) {
  return (
    <>
      <span aria-hidden="true">{visible}</span>
      <span className="visually-hidden">{rest}</span>
    </>
  );
}

export function RegionSelect({
  label,
  exclude,
  onPick,
}: {
  label: string;
  exclude: readonly string[];
  onPick: (ref: string) => void;
}) {
  const id = useId();
  return (
    <div className="add-region">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value=""
        onChange={(e) => {
          if (e.target.value) onPick(e.target.value);
        }}
      >
        <option value="">Choose a region…</option>
        {REGION_OPTIONS.filter((o) => !exclude.includes(o.ref)).map((o) => (
          <option key={o.ref} value={o.ref}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Score({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: number | undefined;
  onChange: (v: number | undefined) => void;
  error?: string | undefined;
}) {
  return (
    <Field label={label} error={error} className="score-field">
      {(control) => (
        <input
          {...control}
          type="number"
          inputMode="numeric"
          min={0}
          max={10}
          step={1}
          value={value ?? ''}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      )}
    </Field>
  );
}
