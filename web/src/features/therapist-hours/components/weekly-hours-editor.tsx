import { type FormEvent, useState } from 'react';
import { ErrorNotice } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { TherapistProfile, WeeklyHoursRule } from '../../../shared/lib/api-types';
import { WEEKDAYS } from '../../../shared/lib/format';
import { useSaveWeeklyHours } from '../api/hours';
import { PlaceOptions, placeFromKey, placeKey } from './place-options';

interface Row {
  key: number;
  weekday: number;
  start: string;
  end: string;
  place: string;
}

let nextKey = 1;

const sortRows = (rows: Row[]) =>
  [...rows].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start) || a.key - b.key);

export function WeeklyHoursEditor({ profile }: { profile: TherapistProfile }) {
  const save = useSaveWeeklyHours();
  const defaultPlace = profile.studios[0]?.id ?? (profile.mobileArea ? 'home' : '');
  const [rows, setRows] = useState<Row[]>(() =>
    sortRows(
      profile.weeklyHours.map((r) => ({
        key: nextKey++,
        weekday: r.weekday,
        start: r.start,
        end: r.end,
        place: placeKey(r.place),
      })),
    ),
  );
  const [saved, setSaved] = useState(false);
  const update = (key: number, patch: Partial<Row>) => {
    setSaved(false);
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  };
  const add = (weekday: number) => {
    setSaved(false);
    setRows((rs) => [...rs, { key: nextKey++, weekday, start: '09:00', end: '17:00', place: defaultPlace }]);
  };
  const remove = (key: number) => {
    setSaved(false);
    setRows((rs) => rs.filter((r) => r.key !== key));
  };
  const copyMonday = () => {
    setSaved(false);
    setRows((rs) => {
      const monday = rs.filter((r) => r.weekday === 1);
      const rest = rs.filter((r) => r.weekday === 1 || r.weekday > 5);
      return sortRows([
        ...rest,
        ...[2, 3, 4, 5].flatMap((weekday) => monday.map((r) => ({ ...r, key: nextKey++, weekday }))),
      ]);
    });
  };
  /** The order sent to the API, so `rules.N` in an error points back at a row. */
  const ordered = sortRows(rows);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const rules: WeeklyHoursRule[] = ordered.map((r) => ({
      weekday: r.weekday,
      start: r.start,
      end: r.end,
      place: placeFromKey(r.place),
    }));
    save.mutate(rules, { onSuccess: () => setSaved(true) });
  };
  const noPlaces = profile.studios.length === 0 && !profile.mobileArea;

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="weekly-heading">
      <div className="row-between">
        <h2 id="weekly-heading">Weekly hours</h2>
        <button
          type="button"
          className="btn btn-small"
          onClick={copyMonday}
          disabled={!rows.some((r) => r.weekday === 1)}
        >
          Copy Monday to Tuesday–Friday
        </button>
      </div>
      <p className="muted">
        Local time in {profile.timeZone.replaceAll('_', ' ')}. Clients can book sessions that fit inside these hours.
      </p>
      {noPlaces && <p className="notice notice-warning">Add a studio or an at-home area in your profile first.</p>}
      <div className="week-editor">
        {WEEKDAYS.map((name, i) => {
          const weekday = i + 1;
          const dayRows = ordered.filter((r) => r.weekday === weekday);
          return (
            <fieldset key={name} className="day-hours">
              <legend>{name}</legend>
              {dayRows.length === 0 && <p className="muted small">Not working</p>}
              {dayRows.map((row) => {
                const index = ordered.indexOf(row);
                const error = fieldError(save.error, `rules.${index}`);
                return (
                  <div key={row.key} className={`hours-row${error ? ' field-invalid' : ''}`}>
                    <label>
                      <span className="visually-hidden">{name} from</span>
                      <input
                        type="time"
                        step={900}
                        value={row.start}
                        onChange={(e) => update(row.key, { start: e.target.value })}
                        aria-invalid={error ? true : undefined}
                      />
                    </label>
                    <span aria-hidden="true">–</span>
                    <label>
                      <span className="visually-hidden">{name} until</span>
                      <input
                        type="time"
                        step={900}
                        value={row.end}
                        onChange={(e) => update(row.key, { end: e.target.value })}
                        aria-invalid={error ? true : undefined}
                      />
                    </label>
                    <label>
                      <span className="visually-hidden">{name} place</span>
                      <select value={row.place} onChange={(e) => update(row.key, { place: e.target.value })}>
                        <PlaceOptions profile={profile} />
                      </select>
                    </label>
                    <button
                      type="button"
                      className="btn btn-small btn-quiet"
                      onClick={() => remove(row.key)}
                      aria-label={`Remove ${name} ${row.start}–${row.end}`}
                    >
                      Remove
                    </button>
                    {error && <p className="field-error hours-error">{error}</p>}
                  </div>
                );
              })}
              <button type="button" className="btn btn-small btn-link" onClick={() => add(weekday)} disabled={noPlaces}>
                Add hours on {name}
              </button>
            </fieldset>
          );
        })}
      </div>
      <ErrorNotice error={save.error} shownFields={['rules']} />
      {saved && (
        <p className="notice notice-success" role="status">
          Weekly hours saved.
        </p>
      )}
      <div className="sticky-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending || noPlaces}>
          {save.isPending ? 'Saving…' : 'Save weekly hours'}
        </button>
      </div>
    </form>
  );
}
