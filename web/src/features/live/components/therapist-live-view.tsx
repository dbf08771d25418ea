import { useState } from 'react';
import { PRESSURE_LEVELS } from '../../../../../src/care/pressure-scale';
import { REGION_REFS, regionRefLabel } from '../../../../../src/intake/body-regions';
import { summarizeSignals } from '../../../../../src/live/signal-summary';
import { LiveSummaryTable } from '../../../shared/components/live-summary-table';
import type { Booking, LiveSignal } from '../../../shared/lib/api-types';
import { timeInZone } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import type { useLiveChannel } from '../api/live';
import { LiveStatus } from './live-status';

const RECENT = 12;

function describe(signal: LiveSignal): string {
  const where = signal.region ? ` · ${regionRefLabel(signal.region)}` : '';
  switch (signal.kind) {
    case 'pressure':
      return `You: pressure ${signal.level}${where}`;
    case 'discomfort':
      return `Discomfort ${signal.level}/10${where}`;
    default:
      return `${signal.kind === 'less' ? 'Less' : signal.kind === 'good' ? 'Good' : 'More'}${where}`;
  }
}

/**
 * The therapist's live view: where they are working and how firmly (sent to the channel, so the client's
 * "good" is tied to a pressure), the client's latest word in large type, the summary per region and the recent
 * signals.
 */
export function TherapistLiveView({ booking, live }: { booking: Booking; live: ReturnType<typeof useLiveChannel> }) {
  const zone = booking.timeZone;
  const lastPressure = [...live.signals].reverse().find((s) => s.kind === 'pressure');
  const [region, setRegion] = useState<string>(lastPressure?.region ?? 'hamstrings.left');
  const latest = [...live.signals].reverse().find((s) => s.by === 'client');
  const summary = summarizeSignals(live.signals);
  const recent = [...live.signals].reverse().slice(0, RECENT);
  const closed = live.state === 'ended';
  return (
    <div className="live-therapist stack">
      <LiveStatus state={live.state} unsent={live.unsent} />
      <div className="live-grid">
        <section className="card stack" aria-labelledby="applying-heading">
          <h2 id="applying-heading" className="h3">
            Pressure you are applying
          </h2>
          <label htmlFor="live-region">Area being worked</label>
          <select id="live-region" value={region} onChange={(e) => setRegion(e.target.value)} disabled={closed}>
            {REGION_REFS.map((ref) => (
              <option key={ref} value={ref}>
                {regionRefLabel(ref)}
              </option>
            ))}
          </select>
          <div className="live-levels" role="group" aria-label="Pressure level">
            {PRESSURE_LEVELS.map((p) => {
              const current = lastPressure?.region === region && lastPressure.level === p.level;
              return (
                <button key={p.level} type="button" className={`btn live-level${current ? ' btn-primary' : ''}`} aria-pressed={current} disabled={closed} onClick={() => live.send({ type: 'pressure', region, level: p.level })}>
                  {p.level} · {p.label}
                </button>
              );
            })}
          </div>
          <p className="muted small" data-testid="applying">
            {lastPressure?.region ? `Now: ${regionRefLabel(lastPressure.region)} at ${lastPressure.level} of 5` : 'Choose the area and level as you start.'}
          </p>
        </section>
        <section className="card live-latest" aria-labelledby="latest-heading" aria-live="polite">
          <h2 id="latest-heading" className="h3">
            {booking.client.displayName} says
          </h2>
          <p className={`live-latest-word${latest ? ` live-word-${latest.kind}` : ''}`} data-testid="latest">
            {latest ? describe(latest) : 'Nothing yet'}
          </p>
          {latest && <p className="muted small">at {timeInZone(latest.at, zone, 'time')}</p>}
        </section>
      </div>
      <section className="stack" aria-labelledby="regions-heading">
        <h2 id="regions-heading" className="h3">
          By area
        </h2>
        <LiveSummaryTable summary={summary} caption="The client’s feedback per area in this session" />
      </section>
      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading" className="h3">
          Recent signals
        </h2>
        {recent.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <ol className="live-recent" data-testid="recent">
            {recent.map((s) => (
              <li key={s.seq} className={`live-recent-${s.by}`}>
                <span className="muted small">{timeInZone(s.at, zone, 'time')}</span> {describe(s)}
              </li>
            ))}
          </ol>
        )}
      </section>
      {live.lastError && (
        <p className="notice notice-error" role="alert">
          {live.lastError}
        </p>
      )}
      <p className="live-safety">
        <Link to={`/therapist/sessions/${booking.id}`}>Session record and check-out</Link> ·{' '}
        <Link to={`/bookings/${booking.id}/report`}>Report a problem or block {booking.client.displayName}</Link>
      </p>
    </div>
  );
}
