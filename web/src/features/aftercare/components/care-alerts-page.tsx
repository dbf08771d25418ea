import { useState } from 'react';
import { Field } from '../../../shared/components/field';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { CareAlert } from '../../../shared/lib/api-types';
import { formatWhen, timeInZone } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import { useAcknowledgeAlert, useCareAlerts } from '../api/aftercare';

const TREND: Record<NonNullable<CareAlert['trend']>, string> = {
  better: 'getting better',
  same: 'about the same',
  worse: 'getting worse',
};

function Acknowledge({ alert }: { alert: CareAlert }) {
  const acknowledge = useAcknowledgeAlert();
  const [note, setNote] = useState('');
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        acknowledge.mutate({ id: alert.id, note });
      }}
      noValidate
    >
      <ErrorNotice error={acknowledge.error} shownFields={['note']} />
      <Field
        label="What you did"
        hint="For example: phoned the client, who is seeing their doctor today."
        error={fieldError(acknowledge.error, 'note')}
      >
        {(control) => <textarea {...control} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={acknowledge.isPending}>
          Acknowledge
        </button>
      </div>
    </form>
  );
}

function AlertCard({ alert }: { alert: CareAlert }) {
  const emergency = alert.level === 'emergency';
  return (
    <li className={`card stack care-alert${emergency ? ' care-alert-emergency' : ''}`}>
      <h2>
        <span className={`badge ${emergency ? 'badge-outcome-not' : 'badge-outcome-clearance'}`}>
          {emergency ? 'Emergency' : 'Seek medical care'}
        </span>{' '}
        {alert.client.displayName}
      </h2>
      <p className="muted small">
        Check-in {alert.hoursAfter} hours after the session on{' '}
        {timeInZone(alert.sessionStartsAt, alert.sessionTimeZone)} with {alert.therapist.displayName} · reported{' '}
        {formatWhen(alert.createdAt)} · <Link to={`/bookings/${alert.bookingId}`}>Booking</Link>
      </p>
      <p>
        {alert.client.phone ? (
          <>
            Phone: <a href={`tel:${alert.client.phone}`}>{alert.client.phone}</a>
          </>
        ) : (
          <span className="muted">The client gave no phone number: write to them in Knotwork or by e-mail.</span>
        )}
      </p>
      <ul>
        {alert.reasons.map((r) => (
          <li key={r.id}>{r.sign}</li>
        ))}
      </ul>
      {alert.soreness !== null && (
        <p>
          Soreness {alert.soreness}/10, {alert.trend ? TREND[alert.trend] : ''}.
        </p>
      )}
      {alert.acknowledged ? (
        <p className="notice notice-success">
          Acknowledged by {alert.acknowledged.by.displayName}, {formatWhen(alert.acknowledged.at)}:{' '}
          {alert.acknowledged.note}
        </p>
      ) : (
        <Acknowledge alert={alert} />
      )}
    </li>
  );
}

/** The queue of care alerts: a therapist's own clients, or every alert for operators; open ones until acknowledged. */
export function CareAlertsPage() {
  const [status, setStatus] = useState<'open' | 'acknowledged'>('open');
  const alerts = useCareAlerts(status);
  return (
    <div className="medium stack">
      <PageHeader title="Care alerts">
        <p>
          Check-in answers that need a doctor. The client has been told what to do; contact them, then say what you did.
        </p>
      </PageHeader>
      <div className="template-choice">
        <label htmlFor="alert-status">Show</label>
        <select id="alert-status" value={status} onChange={(e) => setStatus(e.target.value as 'open' | 'acknowledged')}>
          <option value="open">Open</option>
          <option value="acknowledged">Acknowledged</option>
        </select>
      </div>
      {alerts.isLoading && <Loading />}
      <ErrorNotice error={alerts.error} />
      {alerts.data && alerts.data.items.length === 0 && (
        <EmptyState title={status === 'open' ? 'No open alerts.' : 'No acknowledged alerts.'} />
      )}
      <ul className="stack" role="list">
        {alerts.data?.items.map((a) => (
          <AlertCard key={a.id} alert={a} />
        ))}
      </ul>
    </div>
  );
}
