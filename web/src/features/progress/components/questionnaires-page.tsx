import { useState } from 'react';
import { regionRefLabel } from '../../../../../src/domain/region-label';
import { REGION_REFS } from '../../../../../src/domain/body-regions';
import { Field, FieldSet } from '../../../shared/components/field';
import { ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { ApiError, fieldError } from '../../../shared/lib/api-client';
import type { OutcomeCatalogue, ProgressSeries } from '../../../shared/lib/api-types';
import { timeInZone } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import { useOutcomeCatalogue, useProgress, useSubmitOutcome, useUpcomingSessions } from '../api/progress';
import { seriesSummary } from './progress-chart';

type Form = 'odi' | 'ndi' | 'psfs' | 'nprs';
/** Short enough for a phone's segmented control; each form's heading names the questionnaire in full. */
const FORMS: Record<Form, string> = {
  odi: 'Low back (ODI)',
  ndi: 'Neck (NDI)',
  psfs: 'Activities (PSFS)',
  nprs: 'Pain',
};
const TITLES: Record<Form, string> = {
  odi: 'Oswestry Disability Index',
  ndi: 'Neck Disability Index',
  psfs: 'Patient-Specific Functional Scale',
  nprs: 'Pain today',
};

function Sections({
  questionnaire,
  answers,
  onAnswer,
  error,
}: {
  questionnaire: OutcomeCatalogue['questionnaires']['odi'];
  answers: Record<string, number | null>;
  onAnswer: (id: string, score: number | null) => void;
  error: unknown;
}) {
  return (
    <>
      <p>{questionnaire.instructions}</p>
      {questionnaire.sections.map((section) => (
        <FieldSet key={section.id} legend={section.title} error={fieldError(error, `answers.${section.id}`)}>
          {section.options.map((option) => (
            <label key={option.score} className="check option">
              <input
                type="radio"
                name={section.id}
                checked={answers[section.id] === option.score}
                onChange={() => onAnswer(section.id, option.score)}
              />
              <span>{option.text}</span>
            </label>
          ))}
          <label className="check option muted">
            <input
              type="radio"
              name={section.id}
              checked={answers[section.id] === null}
              onChange={() => onAnswer(section.id, null)}
            />
            <span>Does not apply to me</span>
          </label>
        </FieldSet>
      ))}
    </>
  );
}

/** The client answers ODI, NDI or PSFS (or rates their pain) for their next session, and sees what it shows. */
export function QuestionnairesPage({ clientId }: { clientId: string }) {
  const catalogue = useOutcomeCatalogue();
  const sessions = useUpcomingSessions();
  const progress = useProgress(clientId);
  const submit = useSubmitOutcome(clientId);
  const [form, setForm] = useState<Form>('odi');
  const [bookingId, setBookingId] = useState<string | null>(null);
  const [answers, setAnswers] = useState<Record<string, number | null>>({});
  const [activities, setActivities] = useState<{ activity: string; score: number }[] | null>(null);
  const [changeActivities, setChangeActivities] = useState(false);
  const [pain, setPain] = useState<{ region: string; score: number }[]>([]);
  const [result, setResult] = useState<ProgressSeries[] | null>(null);
  if (catalogue.isLoading || sessions.isLoading || progress.isLoading) return <Loading />;
  if (!catalogue.data) return <ErrorNotice error={catalogue.error} />;
  const next = sessions.data?.items[0];
  const session = bookingId ?? next?.id ?? '';
  const current = progress.data?.psfsActivities ?? [];
  const rated =
    activities ??
    (current.length > 0 ? current.map((a) => ({ activity: a.activity, score: 5 })) : [{ activity: '', score: 5 }]);
  const choose = (f: Form) => {
    setForm(f);
    setAnswers({});
    setResult(null);
    submit.reset();
  };
  const send = () => {
    const target = session ? { bookingId: session } : {};
    const done = { onSuccess: (r: { progress: ProgressSeries[] }) => setResult(r.progress) };
    if (form === 'odi' || form === 'ndi') submit.mutate({ measure: form, ...target, answers }, done);
    else if (form === 'psfs')
      submit.mutate(
        {
          measure: 'psfs',
          ...target,
          ratings: rated.filter((r) => r.activity.trim()),
          ...(changeActivities ? { changeActivities } : {}),
        },
        done,
      );
    else submit.mutate({ measure: 'nprs', ...target, ratings: pain }, done);
  };
  const activitiesChanged = submit.error instanceof ApiError && submit.error.code === 'psfs_activities_changed';
  return (
    <div className="narrow stack">
      <PageHeader title="Questionnaires">
        <p>
          A few minutes before each session tell your therapist how things are going. Your answers are kept with your
          health information. <Link to="/progress">Back to your progress</Link>
        </p>
      </PageHeader>
      <Field label="For the session">
        {(control) => (
          <select {...control} value={session} onChange={(e) => setBookingId(e.target.value)}>
            {sessions.data?.items.map((b) => (
              <option key={b.id} value={b.id}>
                {timeInZone(b.startsAt, b.timeZone)} with {b.therapist.displayName}
              </option>
            ))}
            <option value="">No session: today</option>
          </select>
        )}
      </Field>
      <div className="segmented" role="group" aria-label="Questionnaire">
        {(Object.keys(FORMS) as Form[]).map((f) => (
          <button key={f} type="button" aria-pressed={form === f} onClick={() => choose(f)}>
            {FORMS[f]}
          </button>
        ))}
      </div>
      <form
        className="form card"
        aria-labelledby="questionnaire-heading"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <h2 id="questionnaire-heading">{TITLES[form]}</h2>
        {(form === 'odi' || form === 'ndi') && (
          <Sections
            questionnaire={catalogue.data.questionnaires[form]}
            answers={answers}
            error={submit.error}
            onAnswer={(id, score) => setAnswers({ ...answers, [id]: score })}
          />
        )}
        {form === 'psfs' && (
          <>
            <p>{catalogue.data.questionnaires.psfs.instructions}</p>
            {current.length > 0 && !changeActivities && (
              <p className="muted small">
                Rate the same activities as last time, so the scores compare like with like.
              </p>
            )}
            {rated.map((r, i) => (
              <div key={i} className="field-row">
                <Field label={`Activity ${i + 1}`} error={fieldError(submit.error, `ratings.${i}.activity`)}>
                  {(control) => (
                    <input
                      {...control}
                      value={r.activity}
                      readOnly={current.length > 0 && !changeActivities}
                      onChange={(e) =>
                        setActivities(rated.map((x, j) => (j === i ? { ...x, activity: e.target.value } : x)))
                      }
                    />
                  )}
                </Field>
                <Field
                  label={`How well, activity ${i + 1} (0–10)`}
                  hint="0: unable; 10: as before the problem"
                  error={fieldError(submit.error, `ratings.${i}.score`)}
                >
                  {(control) => (
                    <input
                      {...control}
                      type="number"
                      min={0}
                      max={10}
                      value={r.score}
                      onChange={(e) =>
                        setActivities(rated.map((x, j) => (j === i ? { ...x, score: Number(e.target.value) } : x)))
                      }
                    />
                  )}
                </Field>
              </div>
            ))}
            {(current.length === 0 || changeActivities) &&
              rated.length < catalogue.data.questionnaires.psfs.maxActivities && (
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => setActivities([...rated, { activity: '', score: 5 }])}
                >
                  Add an activity
                </button>
              )}
            {(current.length > 0 || activitiesChanged) && (
              <label className="check">
                <input
                  type="checkbox"
                  checked={changeActivities}
                  onChange={(e) => setChangeActivities(e.target.checked)}
                />
                <span>Choose other activities (their scores start again)</span>
              </label>
            )}
          </>
        )}
        {form === 'nprs' && (
          <>
            <p>Rate the pain in each area that bothers you, 0 (none) to 10 (worst imaginable).</p>
            {pain.map((p, i) => (
              <Field key={p.region} label={regionRefLabel(p.region)} error={fieldError(submit.error, `ratings.${i}`)}>
                {(control) => (
                  <input
                    {...control}
                    type="number"
                    min={0}
                    max={10}
                    value={p.score}
                    onChange={(e) =>
                      setPain(pain.map((q, j) => (j === i ? { ...q, score: Number(e.target.value) } : q)))
                    }
                  />
                )}
              </Field>
            ))}
            <Field label="Add an area">
              {(control) => (
                <select
                  {...control}
                  value=""
                  onChange={(e) => e.target.value && setPain([...pain, { region: e.target.value, score: 5 }])}
                >
                  <option value="">Choose an area…</option>
                  {REGION_REFS.filter((ref) => !pain.some((p) => p.region === ref)).map((ref) => (
                    <option key={ref} value={ref}>
                      {regionRefLabel(ref)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </>
        )}
        <ErrorNotice error={submit.error} />
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={submit.isPending}>
            Send answers
          </button>
        </div>
      </form>
      {result && (
        <section className="notice notice-success" aria-labelledby="result-heading" role="status">
          <h2 id="result-heading">Thank you</h2>
          <ul>
            {result
              .filter((s) => s.measure !== 'psfs_activity')
              .map((s) => (
                <li key={`${s.measure}-${s.key}`}>
                  {seriesSummary(s)}
                  {s.points.at(-1)?.band ? ` ${s.points.at(-1)!.band!.label}.` : ''}
                </li>
              ))}
          </ul>
        </section>
      )}
    </div>
  );
}
