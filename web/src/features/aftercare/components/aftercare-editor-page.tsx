import { useEffect, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { ApiError, fieldError } from '../../../shared/lib/api-client';
import type { AftercarePlan } from '../../../shared/lib/api-types';
import { formatWhen } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import { useAftercare, useExerciseCatalogue, useSaveAftercare, useSendAftercare } from '../api/aftercare';
import { addItem, containsItem, removeItem, updateItem } from '../lib/plan-edits';
import { AftercarePlanView } from './aftercare-plan-view';

/** Adds a catalogue exercise the plan does not have yet. */
function AddExercise({ plan, onAdd }: { plan: AftercarePlan; onAdd: (plan: AftercarePlan) => void }) {
  const catalogue = useExerciseCatalogue();
  const [choice, setChoice] = useState('');
  const available = catalogue.data?.exercises.filter((e) => !containsItem(plan, e.id)) ?? [];
  const add = () => {
    const exercise = available.find((e) => e.id === choice);
    if (!exercise) return;
    onAdd(addItem(plan, exercise.section, exercise.item));
    setChoice('');
  };
  return (
    <div className="template-choice">
      <label htmlFor="add-exercise">Add an exercise</label>
      <select id="add-exercise" value={choice} onChange={(e) => setChoice(e.target.value)}>
        <option value="">Choose from the catalogue…</option>
        {available.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name} ({e.serves})
          </option>
        ))}
      </select>
      <button type="button" className="btn" disabled={!choice} onClick={add}>
        Add
      </button>
    </div>
  );
}

/**
 * The therapist reviews the aftercare drafted from the signed note: changes any item's words or amount, removes items,
 * adds catalogue exercises, sees what was left out because of the client's conditions, and sends it once.
 */
export function AftercareEditorPage({ bookingId }: { bookingId: string }) {
  const aftercare = useAftercare(bookingId);
  const save = useSaveAftercare(bookingId);
  const send = useSendAftercare(bookingId);
  const [plan, setPlan] = useState<AftercarePlan | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- seeds the editable copy once from the loaded draft; after that the therapist's edits own it
    if (aftercare.data && plan === null) setPlan(aftercare.data.plan);
  }, [aftercare.data, plan]);

  if (aftercare.isLoading) return <Loading />;
  if (aftercare.error instanceof ApiError && aftercare.error.problem.status === 404) {
    return (
      <EmptyState title="No aftercare yet.">
        <p>It is drafted when the session note is signed.</p>
        <Link to={`/therapist/sessions/${bookingId}`}>Back to the session</Link>
      </EmptyState>
    );
  }
  if (aftercare.error || !aftercare.data) return <ErrorNotice error={aftercare.error} />;
  const a = aftercare.data;

  if (a.status === 'sent') {
    return (
      <div className="medium stack">
        <PageHeader title="Aftercare sent">
          <p>
            Sent to the client on {formatWhen(a.sentAt!)} by {a.sentBy?.displayName}. This is exactly what they
            received. · <Link to={`/therapist/sessions/${bookingId}`}>Back to the session</Link>
          </p>
        </PageHeader>
        <p className="notice notice-success" role="status">
          The client has the aftercare by e-mail and in Knotwork. Check-ins will ask them how they are.
        </p>
        <AftercarePlanView plan={a.plan} />
      </div>
    );
  }
  if (!plan) return <Loading />;
  const error = send.error ?? save.error;
  const edit = (next: AftercarePlan) => {
    setNotice(null);
    setPlan(next);
  };
  const saveThen = (then?: () => void) =>
    save.mutate(plan, { onSuccess: () => (then ? then() : setNotice('Changes saved.')) });

  return (
    <div className="medium stack">
      <PageHeader title="Aftercare for the client">
        <p>
          Drafted from the signed note and the client’s conditions. Change anything, then send it: the client gets it by
          e-mail and in Knotwork. · <Link to={`/therapist/sessions/${bookingId}`}>Back to the session</Link>
        </p>
      </PageHeader>
      {a.omitted.length > 0 && (
        <section className="notice notice-info" aria-labelledby="omitted-heading">
          <h2 id="omitted-heading">Left out because of the client’s conditions</h2>
          <ul>
            {a.omitted.map((o) => (
              <li key={o.exerciseId}>
                <strong>{o.name}</strong>: {o.why}
              </li>
            ))}
          </ul>
        </section>
      )}
      <ErrorNotice error={error} shownFields={['plan.sections']} />
      <AddExercise plan={plan} onAdd={edit} />
      {plan.sections.map((section, s) => (
        <section key={section.id} className="card stack" aria-labelledby={`edit-${section.id}`}>
          <h2 id={`edit-${section.id}`}>{section.title}</h2>
          {section.items.map((item, i) => (
            <div key={item.id} className="aftercare-edit-item stack">
              <Field
                label={item.emergency ? 'Warning sign (emergency)' : 'What to do'}
                error={fieldError(error, `plan.sections.${s}.items.${i}.text`)}
              >
                {(control) => (
                  <textarea
                    {...control}
                    rows={3}
                    value={item.text}
                    onChange={(e) => edit(updateItem(plan, s, i, { text: e.target.value }))}
                  />
                )}
              </Field>
              {item.dosage !== undefined && (
                <Field label="How much, how often" error={fieldError(error, `plan.sections.${s}.items.${i}.dosage`)}>
                  {(control) => (
                    <input
                      {...control}
                      value={item.dosage ?? ''}
                      onChange={(e) => edit(updateItem(plan, s, i, { dosage: e.target.value }))}
                    />
                  )}
                </Field>
              )}
              <p className="muted small">Why: {item.why}</p>
              <div className="actions">
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => edit(removeItem(plan, s, i))}
                  aria-label={`Remove: ${item.text.slice(0, 60)}`}
                >
                  Remove
                </button>
              </div>
            </div>
          ))}
        </section>
      ))}
      <div className="actions sticky-actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={save.isPending || send.isPending}
          onClick={() => saveThen(() => send.mutate())}
        >
          {send.isPending ? 'Sending…' : 'Send to client'}
        </button>
        <button type="button" className="btn" disabled={save.isPending} onClick={() => saveThen()}>
          Save changes
        </button>
        {notice && (
          <span className="muted small" role="status">
            {notice}
          </span>
        )}
      </div>
    </div>
  );
}
