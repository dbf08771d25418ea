import { useState } from 'react';
import { PRESSURE_LEVELS, type PressureLevel, pressureLabel } from '../../../../../src/domain/pressure-scale';
import { pressureExceedance } from '../../../../../src/domain/screening-exceedances';
import { REGION_REFS, regionRefLabel } from '../../../../../src/domain/body-regions';
import { summarizeSignals } from '../../../../../src/domain/signal-summary';
import { Field } from '../../../shared/components/field';
import { LiveSummaryTable } from '../../../shared/components/live-summary-table';
import type { Booking, LiveSignal, RegionLimit } from '../../../shared/lib/api-types';
import { timeInZone } from '../../../shared/lib/format';
import { limitWords, screeningLimitsFrom } from '../../../shared/lib/region-limits';
import { Link } from '../../../shared/lib/router';
import type { useLiveChannel } from '../api/live';
import { LiveStatus } from './live-status';

const RECENT = 12;

function describe(signal: LiveSignal): string {
  const where = signal.region ? ` · ${regionRefLabel(signal.region)}` : '';
  switch (signal.kind) {
    case 'pressure':
      return `You: pressure ${signal.level}${where}${signal.reason ? ' (past the screening cap)' : ''}`;
    case 'discomfort':
      return `Discomfort ${signal.level}/10${where}`;
    default:
      return `${signal.kind === 'less' ? 'Less' : signal.kind === 'good' ? 'Good' : 'More'}${where}`;
  }
}

/** A level past a region's cap waiting for the therapist's confirmation and reason. */
interface PendingLevel {
  region: string;
  level: number;
}

/** Asks before pressure goes past the screening's limit on a region: the limit, why, and the therapist's reason. */
function PastCapConfirmation({
  pending,
  limit,
  clientName,
  onSend,
  onCancel,
}: {
  pending: PendingLevel;
  limit: RegionLimit;
  clientName: string;
  onSend: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const level = `${pending.level} · ${pressureLabel(pending.level as PressureLevel)}`;
  const send = () => {
    if (reason.trim().length < 10) return setError('Say why, in at least 10 characters');
    onSend(reason.trim());
  };
  return (
    <div
      className="notice notice-warning stack past-cap"
      role="group"
      aria-labelledby="past-cap-heading"
      data-testid="past-cap"
    >
      <h3 id="past-cap-heading" className="h3">
        Go past the screening {limit.excluded ? 'exclusion' : 'cap'}?
      </h3>
      <p>
        {limit.excluded
          ? `Screening says to leave ${limit.label.toLowerCase()} out for ${clientName}.`
          : `Screening caps ${limit.label.toLowerCase()} at ${limitWords(limit).replace('up to ', '')} for ${clientName}.`}{' '}
        {limit.reasons.join(' ')}
      </p>
      <Field
        label={`Reason for ${level} on ${limit.label.toLowerCase()}`}
        hint="Kept with the session record; the note asks for it again before signing."
        error={error}
      >
        {(control) => (
          <textarea
            {...control}
            rows={2}
            maxLength={500}
            value={reason}
            autoFocus
            onChange={(e) => setReason(e.target.value)}
          />
        )}
      </Field>
      <div className="actions">
        <button type="button" className="btn btn-primary" onClick={send}>
          Send {level} with this reason
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Keep within the screening
        </button>
      </div>
    </div>
  );
}

/**
 * The therapist's live view: where they are working and how firmly (sent to the channel, so the client's
 * "good" is tied to a pressure), each region's screening limit on the controls, the client's latest word in large
 * type, the summary per region and the recent signals. A level past a region's cap is sent only after the
 * therapist confirms it with a reason; that reason covers the region up to that level for the rest of the session.
 */
export function TherapistLiveView({ booking, live }: { booking: Booking; live: ReturnType<typeof useLiveChannel> }) {
  const zone = booking.timeZone;
  const client = booking.client.displayName;
  const lastPressure = [...live.signals].reverse().find((s) => s.kind === 'pressure');
  const [region, setRegion] = useState<string>(lastPressure?.region ?? 'hamstrings.left');
  const [pending, setPending] = useState<PendingLevel | null>(null);
  const [confirmed, setConfirmed] = useState<Record<string, { level: number; reason: string }>>({});
  const latest = [...live.signals].reverse().find((s) => s.by === 'client');
  const summary = summarizeSignals(live.signals);
  const recent = [...live.signals].reverse().slice(0, RECENT);
  const closed = live.state === 'ended';
  const limits = screeningLimitsFrom(live.limits);
  const limitOf = (ref: string) => live.limits.find((l) => l.region === ref);
  const limit = limitOf(region);
  const pastLimit = (ref: string, level: number) => pressureExceedance(ref, level, limits) !== null;
  const choose = (level: number) => {
    if (!pastLimit(region, level)) return live.send({ type: 'pressure', region, level });
    const onFile = confirmed[region];
    if (onFile && onFile.level >= level) return live.send({ type: 'pressure', region, level, reason: onFile.reason });
    setPending({ region, level });
  };
  const sendPending = (reason: string) => {
    if (!pending) return;
    setConfirmed({
      ...confirmed,
      [pending.region]: { level: Math.max(pending.level, confirmed[pending.region]?.level ?? 0), reason },
    });
    live.send({ type: 'pressure', region: pending.region, level: pending.level, reason });
    setPending(null);
  };
  const pendingLimit = pending ? limitOf(pending.region) : undefined;
  return (
    <div className="live-therapist stack">
      <LiveStatus state={live.state} unsent={live.unsent} />
      <div className="live-grid">
        <section className="card stack" aria-labelledby="applying-heading">
          <h2 id="applying-heading" className="h3">
            Pressure you are applying
          </h2>
          <label htmlFor="live-region">Area being worked</label>
          <select
            id="live-region"
            value={region}
            aria-describedby={limit ? 'live-region-limit' : undefined}
            onChange={(e) => {
              setRegion(e.target.value);
              setPending(null);
            }}
            disabled={closed}
          >
            {REGION_REFS.map((ref) => {
              const capped = limitOf(ref);
              return (
                <option key={ref} value={ref}>
                  {regionRefLabel(ref)}
                  {capped ? ` (screening: ${limitWords(capped)})` : ''}
                </option>
              );
            })}
          </select>
          {limit && (
            <p id="live-region-limit" className="notice notice-warning small" data-testid="region-limit">
              <strong>
                Screening:{' '}
                {limit.excluded
                  ? `leave ${limit.label.toLowerCase()} out`
                  : `${limitWords(limit)} on ${limit.label.toLowerCase()}`}
                .
              </strong>{' '}
              {limit.reasons.join(' ')}
            </p>
          )}
          <div className="live-levels" role="group" aria-label="Pressure level">
            {PRESSURE_LEVELS.map((p) => {
              const current = lastPressure?.region === region && lastPressure.level === p.level;
              const past = pastLimit(region, p.level);
              return (
                <button
                  key={p.level}
                  type="button"
                  className={`btn live-level${current ? ' btn-primary' : ''}${past ? ' live-level-past' : ''}`}
                  aria-pressed={current}
                  disabled={closed}
                  onClick={() => choose(p.level)}
                >
                  {p.level} · {p.label}
                  {past && <span className="live-level-note">past the cap</span>}
                </button>
              );
            })}
          </div>
          {pending && pendingLimit && (
            <PastCapConfirmation
              key={`${pending.region}-${pending.level}`}
              pending={pending}
              limit={pendingLimit}
              clientName={client}
              onSend={sendPending}
              onCancel={() => setPending(null)}
            />
          )}
          <p className="muted small" data-testid="applying">
            {lastPressure?.region
              ? `Now: ${regionRefLabel(lastPressure.region)} at ${lastPressure.level} of 5${lastPressure.reason ? ', past the screening cap (reason recorded)' : ''}`
              : 'Choose the area and level as you start.'}
          </p>
        </section>
        <section className="card live-latest" aria-labelledby="latest-heading" aria-live="polite">
          <h2 id="latest-heading" className="h3">
            {client} says
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
        <LiveSummaryTable
          summary={summary}
          limits={live.limits}
          caption="The client’s feedback per area in this session"
        />
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
        <Link to={`/bookings/${booking.id}/report`}>Report a problem or block {client}</Link>
      </p>
    </div>
  );
}
