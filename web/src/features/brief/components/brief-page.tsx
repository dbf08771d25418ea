import { useState } from 'react';
import { ADVICE_TOPIC_LABELS, PRESSURE_LABELS } from '../../../../../src/domain/screening-vocabulary';
import type { PressureLevel } from '../../../../../src/domain/pressure-scale';
import { BodyMapView } from '../../../shared/components/body-map/body-map';
import { Field } from '../../../shared/components/field';
import { OutcomeBadge } from '../../../shared/components/outcome-badge';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { StatusBadge } from '../../../shared/components/status-badge';
import { fieldError } from '../../../shared/lib/api-client';
import type { Brief, BookingStatus, ScreeningFlag } from '../../../shared/lib/api-types';
import { sessionTime, timeInZone } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import { useBrief, useOverride } from '../api/brief';
import { GUIDE_TITLES, guidePath } from '../../../../../src/domain/guide-links';

const CLASS_WORDS: Record<ScreeningFlag['class'], string> = {
  A: 'A · absolute: no massage',
  L: 'L · local: avoid the area',
  R: 'R · relative: adapt, or clearance',
};

const pressureWords = (level: number) => `${level} (${PRESSURE_LABELS[level as PressureLevel]})`;

function Sources({ sources }: { sources: { key: string; where: string }[] }) {
  return (
    <p className="sources small">
      <span className="muted">Sources: </span>
      {sources.map((s, i) => (
        <span key={s.key}>
          {i > 0 && '; '}
          <abbr title={s.where}>{s.key}</abbr> <span className="muted">({s.where})</span>
        </span>
      ))}
    </p>
  );
}

function OverrideForm({ bookingId, flag, onDone }: { bookingId: string; flag: ScreeningFlag; onDone: () => void }) {
  const override = useOverride(bookingId);
  const [reason, setReason] = useState('');
  return (
    <form
      className="form panel"
      onSubmit={(event) => {
        event.preventDefault();
        override.mutate({ ruleId: flag.ruleId, reason }, { onSuccess: onDone });
      }}
    >
      <Field
        label="Why is it safe to lift this caution for this session?"
        hint="At least 10 characters. The reason stays on record with the flag."
        error={fieldError(override.error, 'reason')}
      >
        {(p) => <textarea {...p} rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <ErrorNotice error={override.error} shownFields={['reason']} />
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={override.isPending}>
          Override this caution
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function FlagCard({ flag, brief, canOverride }: { flag: ScreeningFlag; brief: Brief; canOverride: boolean }) {
  const [overriding, setOverriding] = useState(false);
  const override = brief.screening?.overrides.find((o) => o.ruleId === flag.ruleId);
  const where = flag.wholeBody ? 'Whole body' : flag.regions.map((r) => r.label).join(', ');
  return (
    <li className={`card flag flag-${flag.class}${flag.overridden ? ' is-overridden' : ''}`}>
      <div className="row-between">
        <h4>{flag.condition}</h4>
        <span className={`badge flag-class flag-class-${flag.class}`}>{CLASS_WORDS[flag.class]}</span>
      </div>
      {flag.urgency && (
        <p className="notice notice-error">
          {flag.urgency === 'emergency' ? 'Emergency: refer now.' : 'Refer for medical assessment today.'}
        </p>
      )}
      <p>{flag.reason}</p>
      {flag.facts && <p className="small">Client said: {flag.facts}</p>}
      {where && <p className="small">Where: {where}</p>}
      <Sources sources={flag.sources} />
      {flag.overridden && (
        <p className="notice notice-info small">Overridden for this session{override ? `: ${override.reason}` : ''}</p>
      )}
      {canOverride && flag.overridable && !flag.overridden && !overriding && (
        <button type="button" className="btn btn-small" onClick={() => setOverriding(true)}>
          Override with a reason
        </button>
      )}
      {overriding && <OverrideForm bookingId={brief.booking.id} flag={flag} onDone={() => setOverriding(false)} />}
    </li>
  );
}

function ScreeningSection({ brief, canOverride }: { brief: Brief; canOverride: boolean }) {
  const s = brief.screening;
  if (!s) {
    return (
      <section className="card" aria-labelledby="brief-screening">
        <h2 id="brief-screening">Screening</h2>
        <p className="notice notice-warning">
          No current screening: the client has no consultation on file. The session cannot start until they complete it.
        </p>
      </section>
    );
  }
  const d = s.decision;
  const upcoming =
    brief.booking.status === 'held' ||
    brief.booking.status === 'awaiting_clearance' ||
    brief.booking.status === 'confirmed';
  return (
    <section className="card stack" aria-labelledby="brief-screening">
      <div className="row-between">
        <h2 id="brief-screening">Screening</h2>
        <OutcomeBadge outcome={s.outcome} />
      </div>
      <p>
        <strong>{d.staffHeadline}</strong>
      </p>
      <p className="small muted">
        Screened {timeInZone(s.screenedAt, brief.booking.timeZone)} on consultation version {s.intakeVersion}.{' '}
        {s.clearance.status === 'pending' && brief.booking.status === 'awaiting_clearance' && (
          <strong className="text-danger">
            Not confirmed: awaiting clearance. Released unless a document is verified by{' '}
            {timeInZone(brief.booking.clearanceDueAt ?? brief.booking.startsAt, brief.booking.timeZone)}.
          </strong>
        )}
        {s.clearance.status === 'pending' && brief.booking.status !== 'awaiting_clearance' && (
          <strong className="text-danger">Clearance pending: check-in waits for a verified document.</strong>
        )}
        {s.clearance.status === 'verified' && 'Clearance verified.'}
      </p>
      <h3>Flags</h3>
      {d.flags.length === 0 ? (
        <p>No flags.</p>
      ) : (
        <ul className="stack flags" role="list">
          {d.flags.map((flag) => (
            <FlagCard key={flag.ruleId} flag={flag} brief={brief} canOverride={canOverride && upcoming} />
          ))}
        </ul>
      )}
      {d.advice.length > 0 && (
        <>
          <h3>Position and session advice</h3>
          <ul>
            {d.advice.map((a) => (
              <li key={a.ruleId + a.text}>
                <span className="muted small">{ADVICE_TOPIC_LABELS[a.topic]}: </span>
                {a.text}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function PressureSection({ brief }: { brief: Brief }) {
  const d = brief.screening?.decision;
  const restrictions = d?.restrictions ?? [];
  const excluded = restrictions.filter((r) => r.excluded);
  return (
    <section className="card stack" aria-labelledby="brief-pressure">
      <h2 id="brief-pressure">Pressure</h2>
      <p>
        Client prefers:{' '}
        <strong>{brief.pressurePreference ? pressureWords(brief.pressurePreference.level) : 'not given'}</strong>
      </p>
      {d && d.plan.regions.length > 0 && (
        <>
          <h3>Focus of this session</h3>
          <ul>
            {d.plan.regions.map((r) => (
              <li key={r.region}>
                {r.label}:{' '}
                {r.allowedPressure === null ? (
                  <strong className="text-danger">avoid</strong>
                ) : (
                  `up to ${pressureWords(r.allowedPressure)}`
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {restrictions.length > 0 && (
        <div className="table-wrap">
          <table className="data-table">
            <caption>Pressure caps per region</caption>
            <thead>
              <tr>
                <th scope="col">Region</th>
                <th scope="col">Allowed</th>
                <th scope="col">Because of</th>
              </tr>
            </thead>
            <tbody>
              {restrictions.map((r) => (
                <tr key={r.region}>
                  <td data-label="Region">{r.label}</td>
                  <td data-label="Allowed">
                    {r.excluded ? 'Avoid' : r.cap === null ? 'No cap' : `Up to ${pressureWords(r.cap)}`}
                  </td>
                  <td data-label="Because of">{r.because.join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Excluded regions</h3>
      <p>{excluded.length > 0 ? excluded.map((r) => r.label).join(', ') : 'None.'}</p>
      {brief.avoidRegions.length > 0 && (
        <p>The client asked not to be worked on: {brief.avoidRegions.map((r) => r.label).join(', ')}.</p>
      )}
      {d && d.techniqueLimits.length > 0 && (
        <p>No cross-fibre friction on: {d.techniqueLimits.map((t) => t.label).join(', ')}.</p>
      )}
    </section>
  );
}

function BodySection({ brief }: { brief: Brief }) {
  return (
    <section className="card stack span-all" aria-labelledby="brief-body">
      <h2 id="brief-body">Body map</h2>
      <BodyMapView
        value={Object.fromEntries(brief.bodyMap.map((e) => [e.region, { tightness: e.tightness, pain: e.pain }]))}
      />
      {brief.bodyMap.length === 0 ? (
        <p className="muted">Nothing marked.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">Marked areas</caption>
            <thead>
              <tr>
                <th scope="col">Area</th>
                <th scope="col">Tightness</th>
                <th scope="col">Pain</th>
                <th scope="col">Muscles</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {brief.bodyMap.map((e) => (
                <tr key={e.region}>
                  <td data-label="Area">{e.label}</td>
                  <td data-label="Tightness">{e.tightness}/10</td>
                  <td data-label="Pain">{e.pain}/10</td>
                  <td data-label="Muscles">{e.muscles.join(', ')}</td>
                  <td data-label="Note">{e.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function BackgroundSection({ brief }: { brief: Brief }) {
  return (
    <section className="card stack" aria-labelledby="brief-background">
      <h2 id="brief-background">Goals and background</h2>
      <h3>Goals</h3>
      {brief.goals.length > 0 ? (
        <ul>
          {brief.goals.map((g) => (
            <li key={g}>{g}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">None given.</p>
      )}
      <dl className="facts">
        <div>
          <dt>Likely causes</dt>
          <dd>{brief.causes.join(', ') || 'None given'}</dd>
        </div>
        <div>
          <dt>Activity</dt>
          <dd>
            {brief.activity
              ? `${brief.activity.level}, ${brief.activity.deskHoursPerDay} h a day at a desk`
              : 'Not given'}
          </dd>
        </div>
      </dl>
      <h3>Health history</h3>
      {brief.healthHistory.length > 0 ? (
        <ul>
          {brief.healthHistory.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : (
        <p>Nothing reported.</p>
      )}
    </section>
  );
}

function ReferredPainSection({ brief }: { brief: Brief }) {
  const { hints, clotReminder } = brief.referredPain;
  return (
    <section className="card stack" aria-labelledby="brief-referred">
      <h2 id="brief-referred">Referred pain</h2>
      {clotReminder && (
        <div className="notice notice-warning">
          <p>
            <strong>Calf pain ({clotReminder.regions.map((r) => r.label).join(', ')}):</strong> {clotReminder.text}
          </p>
          <Sources sources={clotReminder.sources} />
        </div>
      )}
      {hints.length === 0 ? (
        <p className="muted">No hints for the areas marked.</p>
      ) : (
        <ul className="plain-list">
          {hints.map((h) => (
            <li key={h.muscle}>
              Pain at <strong>{h.explains.map((r) => r.label).join(', ')}</strong> may come from a trigger point in{' '}
              <strong>{h.muscleName}</strong> (assess at {h.assessAt.map((r) => r.label).join(', ')}): {h.pattern}
              <Sources sources={h.sources} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PreviousSessions({ brief }: { brief: Brief }) {
  return (
    <section className="card stack" aria-labelledby="brief-previous">
      <h2 id="brief-previous">Previous sessions</h2>
      {brief.previousSessions.length === 0 ? (
        <p>First session with this client.</p>
      ) : (
        <ul className="plain-list">
          {brief.previousSessions.map((p) => (
            <li key={p.bookingId}>
              <div className="row-between">
                <span>
                  {timeInZone(p.startsAt, p.timeZone)} · {p.durationMin} min
                </span>
                <StatusBadge status={p.status as BookingStatus} />
              </div>
              {p.sessionRecord.liveSummary.some((r) => r.highestAcceptedPressure !== null) && (
                <p className="small muted">
                  Pressure accepted:{' '}
                  {p.sessionRecord.liveSummary
                    .filter((r) => r.highestAcceptedPressure !== null)
                    .map((r) => `${r.label} up to ${r.highestAcceptedPressure} of 5`)
                    .join('; ')}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The one-page brief before a session: what to do, where to be careful, and why, with the printable page a click away. */
export function BriefPage({ id, canOverride }: { id: string; canOverride: boolean }) {
  const brief = useBrief(id);
  if (brief.isLoading) return <Loading label="Loading the brief…" />;
  if (brief.error) return <ErrorNotice error={brief.error} />;
  const b = brief.data;
  if (!b) return <EmptyState title="No such booking." />;
  return (
    <div className="stack brief">
      <PageHeader title={`Brief: ${b.client.displayName}`}>
        <p>
          {sessionTime(b.booking, 'long')} ·{' '}
          {b.booking.mode === 'home' ? `Home visit: ${b.booking.address}` : b.booking.address}
        </p>
        <div className="actions">
          <a className="btn" href={`/bookings/${b.booking.id}/brief`} target="_blank" rel="noopener">
            Printable page
          </a>
          <Link className="btn btn-link" to={`/bookings/${b.booking.id}`}>
            Booking and clearance
          </Link>
        </div>
        <p className="muted">
          The client’s guide to the session, to share or go through together:{' '}
          <a href={guidePath('what-to-expect')}>{GUIDE_TITLES['what-to-expect']}</a>
        </p>
      </PageHeader>
      <div className="brief-grid">
        <ScreeningSection brief={b} canOverride={canOverride} />
        <PressureSection brief={b} />
        <BodySection brief={b} />
        <BackgroundSection brief={b} />
        <ReferredPainSection brief={b} />
        <PreviousSessions brief={b} />
      </div>
    </div>
  );
}
