import { type FormEvent, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { ErrorNotice } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import { Link } from '../../../shared/lib/router';
import { type JoinInput, useJoinWaitlist } from '../api/waitlist';

/** What the client searched for: the waitlist keeps it and looks again when time frees. */
export type WaitlistCriteria = Omit<JoinInput, 'from' | 'to' | 'fromTime' | 'toTime' | 'therapistId'> & {
  from: string;
  to: string;
};

/**
 * "No time that suits?": join the waitlist for any therapist matching the search (or one therapist), with dates and
 * a daily time range. When time frees, the client is told by e-mail and on My waitlist, in the order they joined.
 */
export function WaitlistJoin({
  criteria,
  therapist,
}: {
  criteria: WaitlistCriteria;
  therapist?: { id: string; displayName: string };
}) {
  const join = useJoinWaitlist();
  const [from, setFrom] = useState(criteria.from);
  const [to, setTo] = useState(criteria.to);
  const [fromTime, setFromTime] = useState('09:00');
  const [toTime, setToTime] = useState('21:00');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    join.mutate({
      ...criteria,
      ...(therapist ? { therapistId: therapist.id } : {}),
      from,
      to,
      fromTime,
      toTime,
    });
  };
  const who = therapist ? therapist.displayName : 'any therapist matching this search';
  return (
    <section className="card stack waitlist-join" aria-labelledby="waitlist-join-heading">
      <h2 id="waitlist-join-heading">No time that suits? Join the waitlist</h2>
      {join.data ? (
        <div className="notice notice-success" role="status">
          <p>
            You are on the waitlist for {who}. When a time frees between {join.data.fromTime} and {join.data.toTime}, we
            e-mail you; the first to claim it gets it. <Link to="/waitlist">See My waitlist</Link>
          </p>
        </div>
      ) : (
        <form className="stack" onSubmit={submit} noValidate>
          <p className="muted">
            Wait for {who}. When a time in your dates and hours frees (a cancellation, new hours), clients are told in
            the order they joined, and the first to claim it gets it.
          </p>
          <div className="field-row">
            <Field label="From date" error={fieldError(join.error, 'from')}>
              {(control) => (
                <input {...control} type="date" value={from} required onChange={(e) => setFrom(e.target.value)} />
              )}
            </Field>
            <Field label="To date" error={fieldError(join.error, 'to')}>
              {(control) => (
                <input {...control} type="date" value={to} required onChange={(e) => setTo(e.target.value)} />
              )}
            </Field>
          </div>
          <div className="field-row">
            <Field
              label="Starting from"
              hint="Local time at the session’s place"
              error={fieldError(join.error, 'fromTime')}
            >
              {(control) => (
                <input
                  {...control}
                  type="time"
                  step={900}
                  value={fromTime}
                  required
                  onChange={(e) => setFromTime(e.target.value)}
                />
              )}
            </Field>
            <Field label="Finished by" error={fieldError(join.error, 'toTime')}>
              {(control) => (
                <input
                  {...control}
                  type="time"
                  step={900}
                  value={toTime}
                  required
                  onChange={(e) => setToTime(e.target.value)}
                />
              )}
            </Field>
          </div>
          <ErrorNotice error={join.error} shownFields={['from', 'to', 'fromTime', 'toTime']} />
          <div className="actions">
            <button className="btn btn-primary" type="submit" disabled={join.isPending}>
              {join.isPending ? 'Joining…' : 'Join the waitlist'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
