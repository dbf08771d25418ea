import { regionRefLabel, sortRegionRefs } from '../../../../../src/domain/body-regions';
import { FieldSet } from '../../../shared/components/field';

/**
 * What the session should work on, from the places the client marked in their consultation. All of them (the
 * API's default) until the client narrows it; `null` means "all", so nothing is sent.
 */
export function FocusPicker({
  marked,
  value,
  onChange,
}: {
  marked: string[];
  value: string[] | null;
  onChange: (focus: string[] | null) => void;
}) {
  if (marked.length === 0) return null;
  const chosen = value ?? marked;
  const toggle = (ref: string, on: boolean) => {
    const next = on ? sortRegionRefs([...chosen, ref]) : chosen.filter((r) => r !== ref);
    onChange(next.length === marked.length ? null : next);
  };
  return (
    <div className="card focus-picker">
      <FieldSet
        legend="Focus of the session"
        hint="From your consultation. Untick places you would rather not have worked on this time."
      >
        <div className="checks">
          {sortRegionRefs(marked).map((ref) => (
            <label key={ref} className="check">
              <input
                type="checkbox"
                checked={chosen.includes(ref)}
                disabled={chosen.length === 1 && chosen.includes(ref)}
                onChange={(e) => toggle(ref, e.target.checked)}
              />
              {regionRefLabel(ref)}
            </label>
          ))}
        </div>
      </FieldSet>
    </div>
  );
}
