import { useState } from 'react';
import { formatLongDay, formatTime, isoDateIn } from '../../../shared/lib/format';

/** Slot buttons grouped by day (in the viewer's zone); long days fold after a few times. */
export function SlotList({
  slots,
  label,
  pending,
  onPick,
}: {
  slots: string[];
  /** Names the therapist and place in each button's accessible name. */
  label: string;
  pending: string | null;
  onPick: (start: string) => void;
}) {
  const [expanded, setExpanded] = useState(false);
  const days = new Map<string, string[]>();
  for (const slot of slots) {
    const day = isoDateIn(slot);
    days.set(day, [...(days.get(day) ?? []), slot]);
  }
  const entries = [...days.entries()];
  const shown = expanded ? entries : entries.slice(0, 3);
  return (
    <div className="slot-days">
      {shown.map(([day, times]) => (
        <div key={day} className="slot-day">
          <h4>{formatLongDay(times[0]!)}</h4>
          <ul className="slots" role="list">
            {(expanded ? times : times.slice(0, 8)).map((slot) => (
              <li key={slot}>
                <button
                  type="button"
                  className="slot"
                  disabled={pending !== null}
                  aria-busy={pending === slot}
                  aria-label={`${formatLongDay(slot)} at ${formatTime(slot)}, ${label}`}
                  onClick={() => onPick(slot)}
                >
                  {formatTime(slot)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
      {!expanded && (entries.length > 3 || entries.some(([, times]) => times.length > 8)) && (
        <button type="button" className="btn btn-link" onClick={() => setExpanded(true)}>
          Show all times
        </button>
      )}
    </div>
  );
}
