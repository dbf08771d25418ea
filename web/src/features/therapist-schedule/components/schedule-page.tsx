import { useState } from 'react';
import { OutcomeBadge } from '../../../shared/components/outcome-badge';
import { StatusBadge } from '../../../shared/components/status-badge';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import type { Booking, WorkingDay } from '../../../shared/lib/api-types';
import { useOwnTherapistProfile } from '../../../shared/lib/own-profile';
import { Link } from '../../../shared/lib/router';
import {
  WEEKDAYS,
  addDays,
  formatIsoDate,
  isoDateIn,
  isoWeekday,
  sessionTimeFor,
  zoneName,
} from '../../../shared/lib/format';
import { useScheduledBookings, useWorkingTime } from '../api/schedule';
import { hoursWithBreaks, isWithinWorkingTime, overrideLabel } from '../lib/working-time';

type View = 'day' | 'week';

const mondayOf = (date: string) => addDays(date, 1 - isoWeekday(date));

/** "9:00 AM–12:00 PM" in the therapist's zone, which the page names once when the device's differs. */
const timeRange = (start: string, end: string, zone: string) =>
  sessionTimeFor({ startsAt: start, endsAt: end, timeZone: zone }, zone, 'time');

function Session({ booking, zone, outside }: { booking: Booking; zone: string; outside: boolean }) {
  return (
    <li className={`session session-${booking.status}${outside ? ' session-outside' : ''}`}>
      {/* A session at a place in another zone keeps that place's time, named. */}
      <p className="session-time">{sessionTimeFor(booking, zone, 'time')}</p>
      {outside && <p className="session-warning">Outside your working time</p>}
      <p className="session-client">
        <Link to={`/therapist/sessions/${booking.id}`}>{booking.client.displayName}</Link>
      </p>
      <p className="session-place muted">
        {booking.mode === 'studio' ? booking.studio?.name : `Home visit: ${booking.address}`} · {booking.durationMin}{' '}
        min
      </p>
      <p className="session-badges">
        <StatusBadge status={booking.status} />{' '}
        {booking.screening && <OutcomeBadge outcome={booking.screening.outcome} />}
      </p>
      <Link
        className="session-brief"
        to={`/briefs/${booking.id}`}
        aria-label={`Brief for ${booking.client.displayName}, ${sessionTimeFor(booking, zone, 'time')}`}
      >
        Brief
      </Link>
    </li>
  );
}

/** The day's working time as search and booking see it: overrides with their notes, hours per place, breaks. */
function WorkingTime({ day, zone, label }: { day: WorkingDay; zone: string; label: string }) {
  const rows = hoursWithBreaks(day.working);
  const dayOff = day.overrides.some((o) => o.kind === 'off' && o.intervals.length === 0);
  return (
    <div className="working-time">
      {day.overrides.map((o) => (
        <p key={o.id} className={`day-change${o.kind === 'extra' ? ' day-change-extra' : ''}`}>
          {overrideLabel(o)}
        </p>
      ))}
      {rows.length === 0 && !dayOff && <p className="muted small">Not working</p>}
      {rows.length > 0 && (
        <ul className="working-hours" aria-label={`Working time, ${label}`}>
          {rows.map((row) =>
            row.kind === 'break' ? (
              <li key={`break-${row.start}`} className="working-break">
                Break {timeRange(row.start, row.end, zone)}
              </li>
            ) : (
              <li key={`${row.start}-${row.place.mode === 'home' ? 'home' : row.place.studioId}`}>
                <span className="working-span">{timeRange(row.start, row.end, zone)}</span>{' '}
                <span className="muted">{row.place.mode === 'home' ? 'Home visits' : row.place.name}</span>
              </li>
            ),
          )}
        </ul>
      )}
    </div>
  );
}

export function SchedulePage() {
  const profile = useOwnTherapistProfile();
  if (profile.isLoading) return <Loading label="Loading your schedule…" />;
  if (profile.error) return <ErrorNotice error={profile.error} />;
  if (!profile.data) {
    return (
      <EmptyState title="Set up your practice to start taking bookings.">
        <Link className="btn btn-primary" to="/therapist/setup">
          Set up your practice
        </Link>
      </EmptyState>
    );
  }
  return <Schedule zone={profile.data.timeZone} />;
}

/** Days, "today" and session times all in the therapist's own zone, whatever the device's zone is. */
function Schedule({ zone }: { zone: string }) {
  const today = isoDateIn(new Date(), zone);
  const [view, setView] = useState<View>('week');
  const [anchor, setAnchor] = useState(today);
  const from = view === 'day' ? anchor : mondayOf(anchor);
  const days = view === 'day' ? [anchor] : Array.from({ length: 7 }, (_, i) => addDays(from, i));
  const to = days[days.length - 1]!;
  const bookings = useScheduledBookings(from, to);
  const working = useWorkingTime(from, to);
  const byDay = new Map<string, Booking[]>(days.map((d) => [d, []]));
  for (const b of bookings.data?.items ?? []) byDay.get(isoDateIn(b.startsAt, zone))?.push(b);
  const workingDays = new Map((working.data?.days ?? []).map((d) => [d.date, d]));
  const allWorking = working.data?.days.flatMap((d) => d.working);
  const step = view === 'day' ? 1 : 7;
  const title =
    view === 'day'
      ? formatIsoDate(anchor, { weekday: 'long', month: 'long', day: 'numeric' })
      : `Week of ${formatIsoDate(from, { month: 'long', day: 'numeric' })}`;
  const total = [...byDay.values()].reduce((n, list) => n + list.length, 0);

  return (
    <div className="stack">
      <PageHeader title="Schedule">
        <p>Times in {zoneName(zone, `${from}T12:00:00Z`)}, your practice’s time zone.</p>
      </PageHeader>
      <div className="toolbar" role="group" aria-label="Schedule view">
        <div className="segmented">
          {(['day', 'week'] as const).map((v) => (
            <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)}>
              {v === 'day' ? 'Day' : 'Week'}
            </button>
          ))}
        </div>
        <div className="toolbar-nav">
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setAnchor(addDays(anchor, -step))}
            aria-label={`Previous ${view}`}
          >
            ‹
          </button>
          <button type="button" className="btn btn-small" onClick={() => setAnchor(today)}>
            Today
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setAnchor(addDays(anchor, step))}
            aria-label={`Next ${view}`}
          >
            ›
          </button>
        </div>
      </div>
      <h2 aria-live="polite">{title}</h2>
      {bookings.isLoading && <Loading label="Loading your sessions…" />}
      <ErrorNotice error={bookings.error ?? working.error} />
      {bookings.data && total === 0 && (
        <EmptyState title={view === 'day' ? 'No sessions this day.' : 'No sessions this week.'} />
      )}
      <div className={view === 'week' ? 'week-grid' : 'day-list'}>
        {days.map((day) => {
          const workingDay = workingDays.get(day);
          const label = formatIsoDate(day, { weekday: 'long', month: 'long', day: 'numeric' });
          return (
            <section
              key={day}
              className={`day-column${day === today ? ' is-today' : ''}${workingDay?.working.length === 0 ? ' is-off' : ''}`}
              aria-labelledby={`day-${day}`}
            >
              <h3 id={`day-${day}`}>
                {view === 'week' ? (
                  <button type="button" className="link-button" onClick={() => (setView('day'), setAnchor(day))}>
                    {WEEKDAYS[isoWeekday(day) - 1]!.slice(0, 3)} {formatIsoDate(day, { day: 'numeric' })}
                  </button>
                ) : (
                  formatIsoDate(day, { weekday: 'long' })
                )}
              </h3>
              {workingDay && <WorkingTime day={workingDay} zone={zone} label={label} />}
              <ul className="sessions" role="list" aria-label={`Sessions, ${label}`}>
                {byDay.get(day)!.map((b) => (
                  <Session
                    key={b.id}
                    booking={b}
                    zone={zone}
                    outside={allWorking !== undefined && !isWithinWorkingTime(b, allWorking)}
                  />
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </div>
  );
}
