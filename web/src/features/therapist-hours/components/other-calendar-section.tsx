import { useState } from 'react';
import { Field } from '../../../shared/components/field';
import { ErrorNotice, Loading } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { ExternalCalendar } from '../../../shared/lib/api-types';
import { formatWhen } from '../../../shared/lib/format';
import {
  useAddExternalCalendar,
  useExternalCalendars,
  useRefreshExternalCalendar,
  useRemoveExternalCalendar,
} from '../api/external-calendars';

function CalendarRow({ calendar }: { calendar: ExternalCalendar }) {
  const refresh = useRefreshExternalCalendar();
  const remove = useRemoveExternalCalendar();
  return (
    <li className="feed" aria-label={calendar.address}>
      <div className="row-between">
        <div>
          <strong className="feed-url">{calendar.address}</strong>
          <p className="muted small">
            {calendar.lastRefreshedAt
              ? `Last refreshed ${formatWhen(calendar.lastRefreshedAt)} · ${calendar.busyTimes} busy ${
                  calendar.busyTimes === 1 ? 'time' : 'times'
                } ahead`
              : 'Not read yet'}
          </p>
        </div>
        <div className="actions">
          <button
            type="button"
            className="btn btn-small"
            disabled={refresh.isPending}
            onClick={() => refresh.mutate(calendar.id)}
          >
            {refresh.isPending ? 'Refreshing…' : 'Refresh now'}
          </button>
          <button
            type="button"
            className="btn btn-small btn-danger-outline"
            disabled={remove.isPending}
            onClick={() => remove.mutate(calendar.id)}
          >
            Remove<span className="visually-hidden"> {calendar.address}</span>
          </button>
        </div>
      </div>
      {calendar.error && (
        <p className="notice notice-error small" role="alert">
          Could not refresh{calendar.lastAttemptAt ? ` (${formatWhen(calendar.lastAttemptAt)})` : ''}:{' '}
          {calendar.error.message}.
          {calendar.lastRefreshedAt ? ' The busy times of the last good refresh still block your slots.' : ''}
        </p>
      )}
      <ErrorNotice error={refresh.error ?? remove.error} />
    </li>
  );
}

/**
 * "Your other calendar": the secret iCalendar address of the therapist's Google, Apple or Outlook calendar, whose
 * busy times block their slots. The address is shown only as its host and last characters.
 */
export function OtherCalendarSection() {
  const calendars = useExternalCalendars();
  const add = useAddExternalCalendar();
  const [url, setUrl] = useState('');
  const items = calendars.data?.items ?? [];
  return (
    <section className="card stack" aria-labelledby="other-calendar-heading">
      <h2 id="other-calendar-heading">Your other calendar</h2>
      <p>
        Add the secret address of your Google, Apple or Outlook calendar (the “secret address in iCal format”, “public
        calendar” or “ICS” link). Clients cannot book you when it says you are busy. It is refreshed every 15 minutes.
      </p>
      <form
        className="form-inline"
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate(url, { onSuccess: () => setUrl('') });
        }}
      >
        <Field label="Calendar address" error={fieldError(add.error, 'url')}>
          {(p) => (
            <input
              {...p}
              type="text"
              inputMode="url"
              autoComplete="off"
              maxLength={2048}
              placeholder="https://calendar.google.com/calendar/ical/…/basic.ics"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="btn" disabled={add.isPending || url.trim() === ''}>
          {add.isPending ? 'Adding…' : 'Add calendar'}
        </button>
      </form>
      <ErrorNotice error={add.error} shownFields={['url']} />
      {calendars.isLoading && <Loading label="Loading your other calendars…" />}
      <ErrorNotice error={calendars.error} />
      {items.length > 0 && (
        <ul className="plain-list" aria-label="Other calendars">
          {items.map((calendar) => (
            <CalendarRow key={calendar.id} calendar={calendar} />
          ))}
        </ul>
      )}
      {calendars.data && items.length === 0 && <p className="muted">No other calendar yet.</p>}
    </section>
  );
}
