import { useState } from 'react';
import { regionRefLabel } from '../../../../../src/domain/body-regions';
import { pressureLabel } from '../../../../../src/domain/pressure-scale';
import type { Booking, LiveSignal } from '../../../shared/lib/api-types';
import { Link } from '../../../shared/lib/router';
import type { useLiveChannel } from '../api/live';
import { LiveStatus } from './live-status';

const FEEDBACK = [
  { kind: 'less', label: 'Less', hint: 'lighter, please' },
  { kind: 'good', label: 'Good', hint: 'just right' },
  { kind: 'more', label: 'More', hint: 'firmer is fine' },
] as const;

const WORDS: Record<string, string> = { less: 'Less', good: 'Good', more: 'More' };

function lastOwn(signals: readonly LiveSignal[]) {
  return [...signals].reverse().find((s) => s.by === 'client');
}

/**
 * The client's panel, made for a phone on the table: three large buttons, the discomfort scale, what the
 * therapist is working on, and the connection's state. Taps made while reconnecting are sent when it is back.
 */
export function ClientLivePanel({ booking, live }: { booking: Booking; live: ReturnType<typeof useLiveChannel> }) {
  const [discomfort, setDiscomfort] = useState(0);
  const working = [...live.signals].reverse().find((s) => s.kind === 'pressure');
  const mine = lastOwn(live.signals);
  const closed = live.state === 'ended';
  return (
    <div className="live-client stack">
      <LiveStatus state={live.state} unsent={live.unsent} />
      <section className="card live-working" aria-labelledby="working-heading">
        <h2 id="working-heading" className="h3">
          Now
        </h2>
        <p data-testid="working">
          {working?.region && working.level
            ? `${booking.therapist.displayName} is working on: ${regionRefLabel(working.region)}, ${pressureLabel(working.level as 1 | 2 | 3 | 4 | 5).toLowerCase()} pressure (${working.level} of 5)`
            : `${booking.therapist.displayName} has not started yet.`}
        </p>
      </section>
      <section aria-labelledby="pressure-heading" className="stack">
        <h2 id="pressure-heading" className="h3">
          Pressure
        </h2>
        <div className="live-buttons">
          {FEEDBACK.map((f) => (
            <button
              key={f.kind}
              type="button"
              className={`btn live-button live-${f.kind}`}
              disabled={closed}
              onClick={() => live.send({ type: 'signal', kind: f.kind })}
            >
              <span className="live-button-label">{f.label}</span>
              <span className="live-button-hint">{f.hint}</span>
            </button>
          ))}
        </div>
      </section>
      <section aria-labelledby="discomfort-heading" className="card stack">
        <h2 id="discomfort-heading" className="h3">
          Discomfort
        </h2>
        <label htmlFor="discomfort" className="live-discomfort-label">
          How much does it hurt? <strong>{discomfort}</strong> of 10
        </label>
        <input
          id="discomfort"
          className="live-slider"
          type="range"
          min={0}
          max={10}
          step={1}
          value={discomfort}
          aria-valuetext={`${discomfort} of 10`}
          disabled={closed}
          onChange={(e) => setDiscomfort(Number(e.target.value))}
        />
        <div className="live-scale muted small" aria-hidden="true">
          <span>0 none</span>
          <span>10 worst</span>
        </div>
        <button
          type="button"
          className="btn btn-primary live-send"
          disabled={closed}
          onClick={() => live.send({ type: 'discomfort', level: discomfort })}
        >
          Send discomfort {discomfort}
        </button>
      </section>
      <p className="muted" data-testid="last-sent">
        {mine
          ? `Last sent: ${mine.kind === 'discomfort' ? `discomfort ${mine.level}` : WORDS[mine.kind]}`
          : 'Nothing sent yet.'}
      </p>
      {live.lastError && (
        <p className="notice notice-error" role="alert">
          {live.lastError}
        </p>
      )}
      <p className="live-safety">
        <Link to={`/bookings/${booking.id}/report`}>Report a problem or block {booking.therapist.displayName}</Link>
      </p>
    </div>
  );
}
