import { useState } from 'react';
import { OutcomeBadge } from '../../../shared/components/outcome-badge';
import { StatusBadge } from '../../../shared/components/status-badge';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import type { Booking, TherapistProfile } from '../../../shared/lib/api-types';
import { useOwnTherapistProfile } from '../../../shared/lib/own-profile';
import { Link } from '../../../shared/lib/router';
import { WEEKDAYS, addDays, browserZone, formatIsoDate, isoDateIn, isoWeekday, sessionTime } from '../../../shared/lib/format';
import { useScheduledBookings } from '../api/schedule';

type View = 'day' | 'week';

const mondayOf = (date: string) => addDays(date, 1 - isoWeekday(date));

function Session({ booking }: { booking: Booking }) {
  return (
    <li className={`session session-${booking.status}`}>
      <p className="session-time">
        {sessionTime(booking, 'time')}
      </p>
      <p className="session-client">
        <Link to={`/therapist/sessions/${booking.id}`}>{booking.client.displayName}</Link>
      </p>
      <p className="session-place muted">
        {booking.mode === 'studio' ? booking.studio?.name : `Home visit: ${booking.address}`} · {booking.durationMin} min
      </p>
      <p className="session-badges">
        <StatusBadge status={booking.status} /> {booking.screening && <OutcomeBadge outcome={booking.screening.outcome} />}
      </p>
      <Link className="session-brief" to={`/briefs/${booking.id}`} aria-label={`Brief for ${booking.client.displayName}, ${sessionTime(booking, 'time')}`}>
        Brief
      </Link>
    </li>
  );
}

function WorkingHours({ profile, date }: { profile: TherapistProfile | null | undefined; date: string }) {
  if (!profile) return null;
  const rules = profile.weeklyHours.filter((r) => r.weekday === isoWeekday(date));
  if (rules.length === 0) return <p className="muted small">Not working</p>;
  return (
    <p className="muted small">
      Hours{' '}
      {rules
        .map((r) => `${r.start}–${r.end} ${r.place.mode === 'home' ? 'home visits' : (profile.studios.find((s) => s.id === (r.place as { studioId: string }).studioId)?.name ?? '')}`)
        .join(', ')}
    </p>
  );
}

export function SchedulePage() {
  const profile = useOwnTherapistProfile();
  const zone = profile.data?.timeZone ?? browserZone();
  const today = isoDateIn(new Date(), zone);
  const [view, setView] = useState<View>('week');
  const [anchor, setAnchor] = useState(today);
  const from = view === 'day' ? anchor : mondayOf(anchor);
  const days = view === 'day' ? [anchor] : Array.from({ length: 7 }, (_, i) => addDays(from, i));
  const to = days[days.length - 1]!;
  const bookings = useScheduledBookings(from, to);
  const byDay = new Map<string, Booking[]>(days.map((d) => [d, []]));
  for (const b of bookings.data?.items ?? []) byDay.get(isoDateIn(b.startsAt, zone))?.push(b);
  const step = view === 'day' ? 1 : 7;
  const title = view === 'day' ? formatIsoDate(anchor, { weekday: 'long', month: 'long', day: 'numeric' }) : `Week of ${formatIsoDate(from, { month: 'long', day: 'numeric' })}`;
  const total = [...byDay.values()].reduce((n, list) => n + list.length, 0);
  if (profile.data === null) {
    return (
      <EmptyState title="Set up your practice to start taking bookings.">
        <Link className="btn btn-primary" to="/therapist/setup">
          Set up your practice
        </Link>
      </EmptyState>
    );
  }

  return (
    <div className="stack">
      <PageHeader title="Schedule">
        <p>Times in {zone.replaceAll('_', ' ')}.</p>
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
          <button type="button" className="btn btn-small" onClick={() => setAnchor(addDays(anchor, -step))} aria-label={`Previous ${view}`}>
            ‹
          </button>
          <button type="button" className="btn btn-small" onClick={() => setAnchor(today)}>
            Today
          </button>
          <button type="button" className="btn btn-small" onClick={() => setAnchor(addDays(anchor, step))} aria-label={`Next ${view}`}>
            ›
          </button>
        </div>
      </div>
      <h2 aria-live="polite">{title}</h2>
      {bookings.isLoading && <Loading label="Loading your sessions…" />}
      <ErrorNotice error={bookings.error} />
      {bookings.data && total === 0 && <EmptyState title={view === 'day' ? 'No sessions this day.' : 'No sessions this week.'} />}
      <div className={view === 'week' ? 'week-grid' : 'day-list'}>
        {days.map((day) => (
          <section key={day} className={`day-column${day === today ? ' is-today' : ''}`} aria-labelledby={`day-${day}`}>
            <h3 id={`day-${day}`}>
              {view === 'week' ? (
                <button type="button" className="link-button" onClick={() => (setView('day'), setAnchor(day))}>
                  {WEEKDAYS[isoWeekday(day) - 1]!.slice(0, 3)} {formatIsoDate(day, { day: 'numeric' })}
                </button>
              ) : (
                formatIsoDate(day, { weekday: 'long' })
              )}
            </h3>
            <WorkingHours profile={profile.data} date={day} />
            <ul className="sessions" role="list">
              {byDay.get(day)!.map((b) => (
                <Session key={b.id} booking={b} />
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}
