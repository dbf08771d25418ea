import { useState } from 'react';
import { Field } from '../../../shared/components/field';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { Incident } from '../../../shared/lib/api-types';
import { formatWhen, sessionTime } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import { type IncidentQueueFilter, useIncidentQueue, useMoveIncident } from '../api/live';

const STATUSES = [
  { value: 'active', label: 'Needs attention (open or in review)' },
  { value: 'open', label: 'Open' },
  { value: 'in_review', label: 'In review' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'dismissed', label: 'Dismissed' },
  { value: '', label: 'All' },
];
const KINDS = [
  { value: '', label: 'All kinds' },
  { value: 'overdue_checkout', label: 'Check-out overdue' },
  { value: 'inappropriate_conduct', label: 'Inappropriate conduct' },
  { value: 'injury', label: 'Injury' },
  { value: 'safety', label: 'Safety concern' },
  { value: 'other', label: 'Other' },
];
const STATUS_LABEL: Record<Incident['status'], string> = {
  open: 'Open',
  in_review: 'In review',
  resolved: 'Resolved',
  dismissed: 'Dismissed',
};

function IncidentCard({ incident }: { incident: Incident }) {
  const move = useMoveIncident();
  const [note, setNote] = useState('');
  const final = incident.status === 'resolved' || incident.status === 'dismissed';
  const go = (to: Incident['status']) =>
    move.mutate({ id: incident.id, to, ...(note.trim() ? { note } : {}) }, { onSuccess: () => setNote('') });
  return (
    <article className={`card incident incident-${incident.kind}`} aria-labelledby={`incident-${incident.id}`}>
      <div className="row-between">
        <h2 id={`incident-${incident.id}`} className="h3">
          {incident.kindLabel}: {incident.session.clientName} with {incident.session.therapistName}
        </h2>
        <span className={`badge badge-incident-${incident.status}`}>{STATUS_LABEL[incident.status]}</span>
      </div>
      <p className="muted small">
        Session {sessionTime(incident.session)} ({incident.session.status.replace('_', ' ')}) · reported{' '}
        {formatWhen(incident.createdAt)} by{' '}
        {incident.reporter ? `${incident.reporter.displayName} (${incident.reporter.role})` : 'the check-out watch'} ·{' '}
        <Link to={`/bookings/${incident.bookingId}`}>Booking</Link>
      </p>
      <p>{incident.description}</p>
      <details>
        <summary>History ({incident.history.length})</summary>
        <ol className="plain-list">
          {incident.history.map((h, i) => (
            <li key={i} className="small">
              {formatWhen(h.at)}: {h.from ? `${STATUS_LABEL[h.from]} → ` : ''}
              {STATUS_LABEL[h.to]}
              {h.by ? ` by ${h.by}` : ''}
              {h.note ? ` — ${h.note}` : ''}
            </li>
          ))}
        </ol>
      </details>
      {!final && (
        <div className="stack">
          <Field
            label="Operator note"
            hint="Required to resolve or dismiss: what was done, or why."
            error={fieldError(move.error, 'note')}
          >
            {(control) => (
              <textarea {...control} rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
            )}
          </Field>
          <ErrorNotice error={move.error} shownFields={['note']} />
          <div className="actions">
            {incident.status === 'open' && (
              <button type="button" className="btn" disabled={move.isPending} onClick={() => go('in_review')}>
                Start review
              </button>
            )}
            <button type="button" className="btn btn-primary" disabled={move.isPending} onClick={() => go('resolved')}>
              Resolve
            </button>
            <button
              type="button"
              className="btn btn-danger-outline"
              disabled={move.isPending}
              onClick={() => go('dismissed')}
            >
              Dismiss
            </button>
          </div>
        </div>
      )}
    </article>
  );
}

/** The operators' safety queue: overdue check-outs and reported incidents, newest first. */
export function IncidentQueuePage() {
  // By default what still needs an operator: an incident under review stays in view until it is closed.
  const [filter, setFilter] = useState<IncidentQueueFilter>({ status: 'active', kind: '' });
  const queue = useIncidentQueue(filter);
  return (
    <div className="stack">
      <PageHeader title="Incidents">
        <p className="muted">Sessions not checked out in time, and what clients and therapists reported.</p>
      </PageHeader>
      <div className="filters">
        <Field label="Status">
          {(control) => (
            <select
              {...control}
              value={filter.status}
              onChange={(e) => setFilter({ ...filter, status: e.target.value })}
            >
              {STATUSES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Kind">
          {(control) => (
            <select {...control} value={filter.kind} onChange={(e) => setFilter({ ...filter, kind: e.target.value })}>
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {queue.isLoading ? (
        <Loading />
      ) : queue.error ? (
        <ErrorNotice error={queue.error} />
      ) : queue.data && queue.data.length > 0 ? (
        <div className="stack" data-testid="incident-queue">
          {queue.data.map((incident) => (
            <IncidentCard key={incident.id} incident={incident} />
          ))}
        </div>
      ) : (
        <EmptyState title="No incidents here." />
      )}
    </div>
  );
}
