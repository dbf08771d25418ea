import type { ReactNode } from 'react';

/**
 * One choice of a few, shown as joined buttons: radio inputs under their labels, so keyboards and screen readers meet
 * an ordinary radio group (put it in a FieldSet for its legend).
 */
export function SegmentedChoice<T extends string | number>({
  name,
  options,
  value,
  onChange,
  label = (option) => option,
}: {
  name: string;
  options: readonly T[];
  value: T;
  onChange: (option: T) => void;
  label?: (option: T) => ReactNode;
}) {
  return (
    <div className="segmented">
      {options.map((option) => (
        <label key={option}>
          <input type="radio" name={name} value={option} checked={value === option} onChange={() => onChange(option)} />
          <span>{label(option)}</span>
        </label>
      ))}
    </div>
  );
}
