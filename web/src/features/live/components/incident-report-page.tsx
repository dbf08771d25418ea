import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Field, FieldSet } from '../../../shared/components/field';
import { ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { api, fieldError } from '../../../shared/lib/api-client';
import type { Booking, IncidentInput } from '../../../shared/lib/api-types';
import { sessionTime } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import { useBlock, useBookingIncidents, useReportIncident } from '../api/live';

const KINDS: { value: IncidentInput['kind']; label: string; hint: string }[] = [
  {
    value: 'inappropriate_conduct',
    label: 'Inappropriate conduct',
    hint: 'Remarks, touch or behaviour that was not right',
  },
  { value: 'injury', label: 'Injury', hint: 'Someone was hurt' },
  { value: 'safety', label: 'Safety concern', hint: 'The place, a threat, anything that felt unsafe' },
  { value: 'other', label: 'Something else', hint: '' },
];

const STATUS_WORDS = {
  open: 'Received',
  in_review: 'Being reviewed',
  resolved: 'Resolved',
  dismissed: 'Closed',
} as const;

/** Either party reports an incident about the session, during or after it, and may block the other person. */
export function IncidentReportPage({ id, role }: { id: string; role: 'client' | 'therapist' }) {
  const booking = useQuery({ queryKey: ['bookings', id], queryFn: () => api.get<Booking>(`/api/bookings/${id}`) });
  const mine = useBookingIncidents(id);
  const report = useReportIncident(id);
  const block = useBlock();
  const [kind, setKind] = useState<IncidentInput['kind'] | ''>('');
  const [description, setDescription] = useState('');
  const [alsoBlock, setAlsoBlock] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  if (booking.isLoading) return <Loading />;
  if (booking.error || !booking.data) return <ErrorNotice error={booking.error} />;
  const b = booking.data;
  const other = role === 'client' ? b.therapist : b.client;
  const submit = async () => {
    setDone(null);
    const sent = await report.mutateAsync({ kind: kind as IncidentInput['kind'], description });
    if (alsoBlock) await block.mutateAsync(other.id);
    setDone(
      `Reported (${sent.kindLabel}). Our operators will review it${alsoBlock ? `, and ${other.displayName} can no longer book with you` : ''}.`,
    );
    setDescription('');
    setKind('');
  };
  return (
    <div className="narrow stack">
      <PageHeader title="Report a problem">
        <p className="muted">
          Session with {other.displayName}, {sessionTime(b)}. If anyone is in danger, call the emergency number first.
        </p>
      </PageHeader>
      {done && (
        <p className="notice notice-info" role="status">
          {done}
        </p>
      )}
      <form
        className="card stack"
        onSubmit={(e) => {
          e.preventDefault();
          void submit().catch(() => {});
        }}
      >
        <FieldSet legend="What happened?" error={fieldError(report.error, 'kind')}>
          {KINDS.map((k) => (
            <label key={k.value} className="choice">
              <input
                type="radio"
                name="incident-kind"
                value={k.value}
                checked={kind === k.value}
                onChange={() => setKind(k.value)}
              />
              <span>
                {k.label}
                {k.hint && <small>{k.hint}</small>}
              </span>
            </label>
          ))}
        </FieldSet>
        <Field
          label="Describe it"
          hint="What happened, when, and anything we should know. Only our operators read it."
          error={fieldError(report.error, 'description')}
        >
          {(control) => (
            <textarea
              {...control}
              rows={5}
              maxLength={4000}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          )}
        </Field>
        <label className="choice">
          <input type="checkbox" checked={alsoBlock} onChange={(e) => setAlsoBlock(e.target.checked)} />
          <span>Also block {other.displayName}: no more bookings between us</span>
        </label>
        <ErrorNotice error={report.error ?? block.error} shownFields={['kind', 'description']} />
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={report.isPending}>
            Send report
          </button>
        </div>
      </form>
      <section className="card stack" aria-labelledby="block-heading">
        <h2 id="block-heading" className="h3">
          Block {other.displayName}
        </h2>
        <p className="muted">Neither of you will be able to book the other again. They are not told who chose it.</p>
        {block.isSuccess ? (
          <p role="status">{other.displayName} is blocked.</p>
        ) : (
          <button
            type="button"
            className="btn btn-danger-outline"
            disabled={block.isPending}
            onClick={() => block.mutate(other.id)}
          >
            Block {other.displayName}
          </button>
        )}
      </section>
      {mine.data && mine.data.length > 0 && (
        <section aria-labelledby="mine-heading" className="stack">
          <h2 id="mine-heading" className="h3">
            Your reports about this session
          </h2>
          <ul className="plain-list stack">
            {mine.data.map((i) => (
              <li key={i.id} className="card">
                <strong>{i.kindLabel}</strong> · <span className="badge">{STATUS_WORDS[i.status]}</span>
                <p className="small">{i.description}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
      <p>
        <Link
          to={
            b.status === 'checked_in'
              ? `/live/${id}`
              : role === 'client'
                ? `/bookings/${id}`
                : `/therapist/sessions/${id}`
          }
        >
          Back to the session
        </Link>
      </p>
    </div>
  );
}
