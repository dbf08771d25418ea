import { useId } from 'react';
import { BODY_REGIONS, REGION_REFS, regionRefLabel } from '../../../../../src/domain/body-regions';

const BY_VIEW = (['front', 'back'] as const).map((view) => ({
  view,
  refs: REGION_REFS.filter(
    (ref) => BODY_REGIONS.find((r) => ref === r.id || ref.startsWith(`${r.id}.`))?.view === view,
  ),
}));

/**
 * Places on the body for a condition ("where is the wound?"): the chosen ones as removable chips and a list to
 * add one more. A select works the same by touch, keyboard and screen reader, where a second body map would not.
 */
export function RegionPicker({
  label,
  hint,
  value,
  onChange,
  error,
}: {
  label: string;
  hint?: string;
  value: string[];
  onChange: (refs: string[]) => void;
  error?: string | undefined;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field region-picker${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {value.length > 0 && (
        <ul className="chips" aria-label={`${label}: chosen`}>
          {value.map((ref) => (
            <li key={ref} className="chip chip-removable">
              {regionRefLabel(ref)}
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${regionRefLabel(ref)}`}
                onClick={() => onChange(value.filter((r) => r !== ref))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <select
        id={id}
        value=""
        aria-describedby={described}
        aria-invalid={error ? true : undefined}
        onChange={(e) => {
          if (e.target.value) onChange([...value, e.target.value]);
        }}
      >
        <option value="">{value.length === 0 ? 'Choose a place…' : 'Add another place…'}</option>
        {BY_VIEW.map((group) => (
          <optgroup key={group.view} label={group.view === 'front' ? 'Front' : 'Back'}>
            {group.refs
              .filter((ref) => !value.includes(ref))
              .map((ref) => (
                <option key={ref} value={ref}>
                  {regionRefLabel(ref)}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
