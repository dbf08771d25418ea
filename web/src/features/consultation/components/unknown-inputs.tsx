import { Field } from '../../../shared/components/field';

/**
 * "I don't know" for a detail of the consultation (a reading, a date, a severity): a client who does not know it can
 * still save the condition. The detail is sent as null, and screening reads it as the strictest value it could be.
 */
export const I_DONT_KNOW = 'I don’t know';

export function UnknownCheck({
  unknown,
  onChange,
  label = I_DONT_KNOW,
}: {
  unknown: boolean;
  onChange: (unknown: boolean) => void;
  label?: string;
}) {
  return (
    <label className="check unknown-check">
      <input type="checkbox" checked={unknown} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** A date the client may not know: null is "I don't know", and the date box is then set aside. */
export function DateOrUnknown({
  label,
  value,
  onChange,
  error,
  unknownLabel = 'I don’t know the date',
}: {
  label: string;
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string | undefined;
  unknownLabel?: string;
}) {
  return (
    <Field label={label} error={error} className="field-with-unknown">
      {(p) => (
        <div className="with-unknown">
          <input
            {...p}
            type="date"
            value={value ?? ''}
            disabled={value === null}
            onChange={(e) => onChange(e.target.value)}
          />
          <UnknownCheck
            unknown={value === null}
            onChange={(unknown) => onChange(unknown ? null : '')}
            label={unknownLabel}
          />
        </div>
      )}
    </Field>
  );
}
