import { type FormEvent, useState } from 'react';
import { FieldSet } from '../../../shared/components/field';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { CheckIn, CheckInAnswer } from '../../../shared/lib/api-types';
import { Link } from '../../../shared/lib/router';
import { useAnswerCheckIn, useCheckIn } from '../api/aftercare';

type Outcome = NonNullable<CheckIn['outcome']>;
type RedFlagId = CheckIn['questions'][number]['id'];

/**
 * What the answer means, impossible to miss: an emergency says to call the emergency number now, in large type, as
 * an alert; "seek medical care" is an alert too; normal soreness is a quiet confirmation.
 */
export function CheckInResult({ outcome }: { outcome: Outcome }) {
  if (outcome.level === 'emergency') {
    return (
      <div className="notice notice-error emergency-result" role="alert">
        <h2>Call your local emergency number now</h2>
        <p className="emergency-numbers">
          911 in the US and Canada · 999 in the UK · 112 in the EU. Do not drive yourself.
        </p>
        <p>{outcome.message}</p>
        <p>We have told your therapist.</p>
      </div>
    );
  }
  if (outcome.level === 'seek_care') {
    return (
      <div className="notice notice-warning seek-care-result" role="alert">
        <h2>Please seek medical care</h2>
        <ul>
          {outcome.reasons.map((r) => (
            <li key={r.id}>
              {r.sign} <strong>{r.action}</strong>
            </li>
          ))}
        </ul>
        <p>We have told your therapist.</p>
      </div>
    );
  }
  return (
    <p className="notice notice-success" role="status">
      {outcome.message}
    </p>
  );
}

const SORENESS = Array.from({ length: 11 }, (_, n) => n);
const TRENDS = [
  { value: 'better', label: 'Getting better' },
  { value: 'same', label: 'About the same' },
  { value: 'worse', label: 'Getting worse' },
] as const;

function CheckInForm({ checkIn }: { checkIn: CheckIn }) {
  const answer = useAnswerCheckIn(checkIn.id);
  const [soreness, setSoreness] = useState<number | null>(null);
  const [trend, setTrend] = useState<CheckInAnswer['trend'] | null>(null);
  const [flags, setFlags] = useState<Partial<Record<RedFlagId, boolean>>>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Unanswered questions are left out, so the server names each one at its field.
    answer.mutate({
      ...(soreness === null ? {} : { soreness }),
      ...(trend ? { trend } : {}),
      redFlags: flags,
    } as CheckInAnswer);
  };
  const shown = ['soreness', 'trend', ...checkIn.questions.map((q) => `redFlags.${q.id}`)];
  return (
    <form className="card form stack" onSubmit={submit} noValidate>
      <ErrorNotice error={answer.error} shownFields={shown} />
      <FieldSet
        legend="How sore are you now?"
        hint="0 is no soreness, 10 the worst you can imagine."
        error={fieldError(answer.error, 'soreness')}
      >
        <div className="soreness-scale">
          {SORENESS.map((n) => (
            <label key={n} className="choice soreness-choice">
              <input type="radio" name="soreness" value={n} checked={soreness === n} onChange={() => setSoreness(n)} />
              <span>{n}</span>
            </label>
          ))}
        </div>
      </FieldSet>
      <FieldSet legend="Since the session, is it…" error={fieldError(answer.error, 'trend')}>
        <div className="choice-row">
          {TRENDS.map((t) => (
            <label key={t.value} className="choice">
              <input
                type="radio"
                name="trend"
                value={t.value}
                checked={trend === t.value}
                onChange={() => setTrend(t.value)}
              />
              <span>{t.label}</span>
            </label>
          ))}
        </div>
      </FieldSet>
      <h2>Warning signs</h2>
      {checkIn.questions.map((q) => (
        <FieldSet key={q.id} legend={q.question} error={fieldError(answer.error, `redFlags.${q.id}`)}>
          <div className="choice-row yes-no">
            <label className="choice">
              <input
                type="radio"
                name={q.id}
                checked={flags[q.id] === true}
                onChange={() => setFlags({ ...flags, [q.id]: true })}
              />
              <span>Yes</span>
            </label>
            <label className="choice">
              <input
                type="radio"
                name={q.id}
                checked={flags[q.id] === false}
                onChange={() => setFlags({ ...flags, [q.id]: false })}
              />
              <span>No</span>
            </label>
          </div>
        </FieldSet>
      ))}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={answer.isPending}>
          {answer.isPending ? 'Sending…' : 'Send my answers'}
        </button>
      </div>
    </form>
  );
}

/** The client's check-in after a session, made for a phone: soreness, its trend, the warning-sign questions. */
export function CheckInPage({ id }: { id: string }) {
  const checkIn = useCheckIn(id);
  if (checkIn.isLoading) return <Loading />;
  if (checkIn.error || !checkIn.data) return <ErrorNotice error={checkIn.error} />;
  const c = checkIn.data;
  return (
    <div className="narrow stack">
      <PageHeader title="How are you feeling?">
        <p>
          {c.hoursAfter} hours after your session with {c.therapist.displayName}.
        </p>
      </PageHeader>
      {c.status === 'answered' && c.outcome && <CheckInResult outcome={c.outcome} />}
      {c.status === 'open' && <CheckInForm checkIn={c} />}
      {c.status === 'scheduled' && <EmptyState title="This check-in is not open yet." />}
      {c.status === 'expired' && (
        <EmptyState title="This check-in has closed.">
          <p>
            If something worries you, contact your therapist or your doctor. For chest pain or sudden breathlessness,
            call your local emergency number now.
          </p>
        </EmptyState>
      )}
      <p>
        <Link to="/aftercare">Your aftercare and check-ins</Link>
      </p>
    </div>
  );
}
