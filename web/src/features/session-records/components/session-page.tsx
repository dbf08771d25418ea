import { useState } from 'react';
import { LiveSummaryTable } from '../../../shared/components/live-summary-table';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { Field } from '../../../shared/components/field';
import { fieldError } from '../../../shared/lib/api-client';
import type { NoteDraftInput, SessionRecord, StoredNote } from '../../../shared/lib/api-types';
import { timeInZone } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import { useAmendNote, useNoteDraft, useSaveNote, useSessionRecord, useSignNote } from '../api/session-records';
import { AttendancePanel } from './attendance-panel';
import type { NoteSubmission, Reasons } from '../lib/use-note-draft';
import { NoteEditor } from './note-editor';
import { RatingPanel } from './rating-panel';
import { TipPanel } from '../../../shared/components/tip-panel';
import { SignedNote } from './signed-note';

const reasonsOf = (list: readonly { region: string; reason: string }[]): Reasons =>
  Object.fromEntries(list.map((r) => [r.region, r.reason]));

/** The note before signing: drafted from a template (the best fit for the booking's focus unless chosen), saved and signed. */
function DraftNote({ record }: { record: SessionRecord }) {
  const id = record.booking.id;
  const saved = record.note;
  const [choice, setChoice] = useState<{ template?: string; sides?: string }>({});
  const draft = useNoteDraft(id, choice, !saved);
  const save = useSaveNote(id);
  const sign = useSignNote(id);
  const [notice, setNotice] = useState<string | null>(null);
  const onSubmit = (submission: NoteSubmission, intent: string) => {
    setNotice(null);
    // The saved draft's template came from the same list the draft endpoint offers.
    const input = {
      ...submission,
      templateId: (saved?.templateId ?? draft.data?.templateId ?? null) as NoteDraftInput['templateId'],
    };
    if (intent === 'sign') sign.mutate(input);
    else save.mutate(input, { onSuccess: () => setNotice('Draft saved.') });
  };
  // The editor starts from the draft it mounts with, so it waits for this visit's draft rather than a cached one.
  if (!saved && !draft.isFetchedAfterMount && !draft.error)
    return <Loading label="Drafting the note from the template…" />;
  if (!saved && draft.error) return <ErrorNotice error={draft.error} />;
  const initial = saved
    ? { note: saved.current.note, reasons: reasonsOf(saved.current.exceedanceReasons) }
    : {
        note: draft.data!.note,
        reasons: reasonsOf(draft.data!.exceedanceReasons),
        suggestedTests: draft.data!.suggestedTests,
      };
  return (
    <div className="stack">
      {!saved && draft.data && (
        <div className="template-choice">
          <label htmlFor="note-template">Template</label>
          <select
            id="note-template"
            value={draft.data.templateId}
            onChange={(e) => setChoice({ ...choice, template: e.target.value })}
          >
            {draft.data.templates.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
          <label htmlFor="note-sides">Sides</label>
          <select
            id="note-sides"
            value={draft.data.sides}
            onChange={(e) => setChoice({ ...choice, sides: e.target.value })}
          >
            <option value="both">Both</option>
            <option value="left">Left</option>
            <option value="right">Right</option>
          </select>
          {draft.data.adjustments.length > 0 && (
            <ul className="notice notice-info small">
              {draft.data.adjustments.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <NoteEditor
        key={saved ? saved.id : `${draft.data?.templateId}-${draft.data?.sides}`}
        initial={initial}
        limits={record.limits}
        painReports={record.painReports}
        liveSummary={record.liveSummary}
        error={sign.error ?? save.error}
        onSubmit={onSubmit}
      >
        {(submit) => (
          <div className="actions sticky-actions">
            <button type="button" className="btn btn-primary" disabled={sign.isPending} onClick={() => submit('sign')}>
              {sign.isPending ? 'Signing…' : 'Sign note'}
            </button>
            <button type="button" className="btn" disabled={save.isPending} onClick={() => submit('save')}>
              Save draft
            </button>
            {notice && (
              <span className="muted small" role="status">
                {notice}
              </span>
            )}
          </div>
        )}
      </NoteEditor>
    </div>
  );
}

/** A correction to a signed note: the whole note as it should read, and why. */
function Amendment({ stored, record, onDone }: { stored: StoredNote; record: SessionRecord; onDone: () => void }) {
  const amend = useAmendNote(record.booking.id);
  const [reason, setReason] = useState('');
  return (
    <NoteEditor
      initial={{ note: stored.current.note, reasons: reasonsOf(stored.current.exceedanceReasons) }}
      limits={record.limits}
      painReports={record.painReports}
      liveSummary={record.liveSummary}
      error={amend.error}
      onSubmit={(submission) => amend.mutate({ ...submission, reason }, { onSuccess: onDone })}
    >
      {(submit) => (
        <div className="stack">
          <Field label="Reason for the amendment" error={fieldError(amend.error, 'reason')}>
            {(control) => <textarea {...control} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <div className="actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={amend.isPending}
              onClick={() => submit('amend')}
            >
              Save amendment
            </button>
            <button type="button" className="btn" onClick={onDone}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </NoteEditor>
  );
}

function NoteSection({ record }: { record: SessionRecord }) {
  const [amending, setAmending] = useState(false);
  const note = record.note;
  return (
    <section className="card" aria-labelledby="note-heading">
      <h2 id="note-heading">{note?.status === 'signed' ? 'Session note' : 'Session note (draft)'}</h2>
      {note?.status === 'signed' ? (
        amending ? (
          <Amendment stored={note} record={record} onDone={() => setAmending(false)} />
        ) : (
          <>
            <SignedNote stored={note} />
            <div className="actions">
              <Link className="btn btn-primary" to={`/therapist/sessions/${record.booking.id}/aftercare`}>
                Aftercare for the client
              </Link>
              <button type="button" className="btn" onClick={() => setAmending(true)}>
                Amend note
              </button>
            </div>
          </>
        )
      ) : (
        <DraftNote record={record} />
      )}
    </section>
  );
}

/** The therapist's view of one session: attendance, the note, the rating of the client. */
export function SessionPage({ id }: { id: string }) {
  const record = useSessionRecord(id);
  if (record.isLoading) return <Loading />;
  if (record.error) return <ErrorNotice error={record.error} />;
  if (!record.data) return <EmptyState title="No such session." />;
  const r = record.data;
  const zone = r.booking.timeZone;
  const tookPlace = r.booking.status === 'checked_in' || r.booking.status === 'completed';
  return (
    <div className="medium stack">
      <PageHeader title={`Session with ${r.booking.client.displayName}`}>
        <p>
          {timeInZone(r.booking.startsAt, zone, 'day')}, {r.booking.durationMin} min ·{' '}
          <Link to={`/therapist/clients/${r.booking.client.id}`}>Progress and treatment plan</Link> ·{' '}
          <Link to={`/briefs/${id}`}>Pre-session brief</Link> ·{' '}
          <Link to={`/bookings/${id}`}>Booking, screening and clearance</Link>
        </p>
      </PageHeader>
      <AttendancePanel record={r} zone={zone} />
      {r.booking.status === 'checked_in' && (
        <p className="notice notice-info">
          In session. <Link to={`/live/${id}`}>Open the live view</Link> to see {r.booking.client.displayName}’s
          pressure feedback as they give it.
        </p>
      )}
      {r.liveSummary.length > 0 && (
        <section className="card" aria-labelledby="live-summary-heading">
          <h2 id="live-summary-heading">Live feedback</h2>
          <LiveSummaryTable
            summary={r.liveSummary}
            limits={r.limits}
            caption="The client’s feedback per area during the session"
          />
        </section>
      )}
      {tookPlace ? (
        <NoteSection record={r} />
      ) : (
        r.booking.status === 'confirmed' && <p className="muted">Check the client in to write the session note.</p>
      )}
      {(r.booking.status === 'completed' || r.booking.status === 'no_show') && (
        <RatingPanel bookingId={id} rater="therapist" otherName={r.booking.client.displayName} />
      )}
      {(tookPlace || r.booking.status === 'no_show') && (
        <p>
          <Link to={`/bookings/${id}/report`}>
            Report a problem with this session, or block {r.booking.client.displayName}
          </Link>
        </p>
      )}
    </div>
  );
}

/** What the client sees of a past session: the signed note and their rating. */
export function ClientSessionRecord({ bookingId, therapistName }: { bookingId: string; therapistName: string }) {
  const record = useSessionRecord(bookingId);
  return (
    <>
      <RatingPanel bookingId={bookingId} rater="client" otherName={therapistName} />
      <TipPanel bookingId={bookingId} therapistName={therapistName} />
      <p>
        <Link to={`/bookings/${bookingId}/aftercare`}>Your aftercare and home programme</Link>
      </p>
      {record.data?.note && (
        <section className="card" aria-labelledby="client-note-heading">
          <h2 id="client-note-heading">Your session notes</h2>
          <SignedNote stored={record.data.note} />
        </section>
      )}
      <p>
        <Link to="/progress">See your progress</Link>
      </p>
    </>
  );
}
