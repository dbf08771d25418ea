import { useState } from 'react';
import { clockTime, isoDateIn, timeInZone, zoneNotice } from '../../../shared/lib/format';

/**
 * Slot buttons grouped by the local day where the session happens, in that place's zone (named above the days when
 * the viewer's clock reads differently); long days fold after a few times.
 */
export function SlotList({
  slots,
  zone,
  label,
  pending,
  onPick,
}: {
  slots: string[];
  /** The place's IANA zone: the times are local time there. */
  zone: string;
  /** Names the therapist and place in each button's accessible name. */
  label: string;
  pending: string | null;
  onPick: (start: string) => void;
}) {
  const [expanded, setExpanded] = useState(false);
  const days = new Map<string, string[]>();
  for (const slot of slots) {
    const day = isoDateIn(slot, zone);
    days.set(day, [...(days.get(day) ?? []), slot]);
  }
  const entries = [...days.entries()];
  const shown = expanded ? entries : entries.slice(0, 3);
  const notice = slots[0] ? zoneNotice(zone, slots[0]) : null;
  return (
    <div className="slot-days">
      {notice && <p className="muted small">{notice}</p>}
      {shown.map(([day, times]) => (
        <div key={day} className="slot-day">
          <h4>{timeInZone(times[0]!, zone, 'day')}</h4>
          <ul className="slots" role="list">
            {(expanded ? times : times.slice(0, 8)).map((slot) => (
              <li key={slot}>
                <button
                  type="button"
                  className="slot"
                  disabled={pending !== null}
                  aria-busy={pending === slot}
                  aria-label={`${timeInZone(slot, zone, 'day')} at ${timeInZone(slot, zone, 'time')}, ${label}`}
                  onClick={() => onPick(slot)}
                >
                  {clockTime(slot, zone)}
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
