import { useState } from 'react';
import { regionRefLabel } from '../../../../../src/domain/region-label';
import { REGION_REFS } from '../../../../../src/domain/body-regions';
import { OUTCOME_MEASURES, outcomeMeasure } from '../../../../../src/domain/measure-catalogue';
import { Field } from '../../../shared/components/field';
import { ErrorNotice } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { TreatmentPlan, TreatmentPlanInput } from '../../../shared/lib/api-types';
import { addDays, formatIsoDate, isoDateIn } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import { useSavePlan } from '../api/progress';

type Goal = TreatmentPlanInput['goals'][number];
const PERIODS = { week: 'a week', fortnight: 'a fortnight', month: 'a month' } as const;
const COMPARATORS = { '<': 'under', '<=': 'at most', '>': 'over', '>=': 'at least' } as const;

/**
 * The sessions a plan still has to go, as a course link (the booking screen's course planner, /courses/new) with the
 * therapist, the count and how often prefilled; none when the plan is done or monthly (a course is weekly or
 * fortnightly).
 */
export function planCoursePath(plan: TreatmentPlan): string | null {
  const left = plan.plannedSessions - plan.sessionsDone;
  if (left < 2 || plan.frequency.per === 'month') return null;
  const query = new URLSearchParams({
    therapistId: plan.therapist.id,
    count: String(Math.min(12, left)),
    every: plan.frequency.per === 'fortnight' ? '2' : '1',
  });
  return `/courses/new?${query.toString()}`;
}

/**
 * A plan as both sides read it: the goals with how far each has come, frequency, sessions done, the review.
 * `bookable`: the client's own plan, with a link to book the sessions left as a course.
 */
export function PlanView({ plan, bookable = false }: { plan: TreatmentPlan; bookable?: boolean }) {
  const coursePath = bookable ? planCoursePath(plan) : null;
  return (
    <article className="card plan" aria-label={`Treatment plan with ${plan.therapist.displayName}`}>
      <h3>With {plan.therapist.displayName}</h3>
      <p>
        {plan.frequency.sessions} {plan.frequency.sessions === 1 ? 'session' : 'sessions'} {PERIODS[plan.frequency.per]}
        , {plan.sessionsDone} of {plan.plannedSessions} done. Review{' '}
        {plan.reviewDue ? <strong>due now</strong> : `on ${formatIsoDate(plan.reviewOn)}`}.
      </p>
      {plan.notes && <p className="muted">{plan.notes}</p>}
      {coursePath && (
        <p>
          <Link className="btn" to={coursePath}>
            Book these sessions as a course
          </Link>
        </p>
      )}
      <ul className="goals" role="list">
        {plan.goals.map((g) => {
          const percent = g.progress.percentOfWay ?? 0;
          return (
            <li key={`${g.measure}-${g.key}`}>
              <p className="goal-title">
                {g.label ? `${g.label}: ` : ''}
                <span className={g.label ? 'muted' : ''}>{g.description}</span>
              </p>
              <div className="meter-row">
                <meter min={0} max={100} value={percent} aria-label={`${g.label ?? g.description}: progress`} />
                <span className="small">
                  {g.progress.achieved
                    ? 'Achieved'
                    : g.progress.percentOfWay === null
                      ? 'Not measured yet'
                      : `${percent}% of the way (from ${g.progress.baseline} to ${g.progress.latest}, target ${COMPARATORS[g.comparator]} ${g.target})`}
                </span>
              </div>
            </li>
          );
        })}
      </ul>
    </article>
  );
}

const newGoal = (): Goal => ({ measure: 'ake', key: 'right', comparator: '<', target: 20 });

function GoalKey({
  goal,
  index,
  onChange,
  error,
}: {
  goal: Goal;
  index: number;
  onChange: (key: string | null) => void;
  error: string | undefined;
}) {
  const keyedBy = outcomeMeasure(goal.measure).keyedBy;
  if (keyedBy === 'none') return null;
  const label =
    keyedBy === 'region'
      ? `Region, goal ${index + 1}`
      : keyedBy === 'side'
        ? `Side, goal ${index + 1}`
        : `Activity, goal ${index + 1}`;
  return (
    <Field label={label} error={error}>
      {(control) =>
        keyedBy === 'activity' ? (
          <input
            {...control}
            value={goal.key ?? ''}
            placeholder="e.g. Run 5 km"
            onChange={(e) => onChange(e.target.value)}
          />
        ) : (
          <select {...control} value={goal.key ?? ''} onChange={(e) => onChange(e.target.value)}>
            {(keyedBy === 'side' ? ['left', 'right'] : REGION_REFS).map((ref) => (
              <option key={ref} value={ref}>
                {keyedBy === 'side' ? (ref === 'left' ? 'Left' : 'Right') : regionRefLabel(ref)}
              </option>
            ))}
          </select>
        )
      }
    </Field>
  );
}

/** The therapist's plan with this client: measurable goals, how often, how many sessions, when to review. */
export function PlanEditor({
  clientId,
  plan,
  zone,
}: {
  clientId: string;
  plan: TreatmentPlan | undefined;
  zone: string;
}) {
  const save = useSavePlan(clientId);
  const [goals, setGoals] = useState<Goal[]>(
    () =>
      plan?.goals.map(({ measure, key, comparator, target, label }) => ({
        measure,
        key: key ?? null,
        comparator,
        target,
        label,
      })) ?? [newGoal()],
  );
  const [sessions, setSessions] = useState(plan?.frequency.sessions ?? 1);
  const [per, setPer] = useState<keyof typeof PERIODS>(plan?.frequency.per ?? 'week');
  const [planned, setPlanned] = useState(plan?.plannedSessions ?? 6);
  const [reviewOn, setReviewOn] = useState(plan?.reviewOn ?? addDays(isoDateIn(new Date(), zone), 42));
  const [notes, setNotes] = useState(plan?.notes ?? '');
  const [saved, setSaved] = useState(false);
  const setGoal = (i: number, patch: Partial<Goal>) =>
    setGoals(goals.map((g, j) => (j === i ? { ...g, ...patch } : g)));
  return (
    <form
      className="form card"
      aria-labelledby="plan-editor-heading"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        save.mutate(
          { goals, frequency: { sessions, per }, plannedSessions: planned, reviewOn, notes },
          { onSuccess: () => setSaved(true) },
        );
      }}
    >
      <h3 id="plan-editor-heading">{plan ? 'Change your treatment plan' : 'Set a treatment plan'}</h3>
      {goals.map((goal, i) => (
        <fieldset key={i} className="goal-editor">
          <legend>Goal {i + 1}</legend>
          <div className="field-row">
            <Field label={`Measure, goal ${i + 1}`} error={fieldError(save.error, `goals.${i}.measure`)}>
              {(control) => (
                <select
                  {...control}
                  value={goal.measure}
                  onChange={(e) => {
                    const measure = outcomeMeasure(e.target.value as Goal['measure']);
                    setGoal(i, {
                      measure: measure.id,
                      key:
                        measure.keyedBy === 'none'
                          ? null
                          : measure.keyedBy === 'side'
                            ? 'right'
                            : measure.keyedBy === 'region'
                              ? 'low_back.left'
                              : '',
                      comparator: measure.better === 'lower' ? '<=' : '>=',
                    });
                  }}
                >
                  {OUTCOME_MEASURES.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <GoalKey
              goal={goal}
              index={i}
              error={fieldError(save.error, `goals.${i}.key`)}
              onChange={(key) => setGoal(i, { key })}
            />
            <Field
              label={`Target, goal ${i + 1}`}
              error={fieldError(save.error, `goals.${i}.comparator`) ?? fieldError(save.error, `goals.${i}.target`)}
            >
              {(control) => (
                <span className="target-input">
                  <select
                    aria-label={`Comparison, goal ${i + 1}`}
                    value={goal.comparator}
                    onChange={(e) => setGoal(i, { comparator: e.target.value as Goal['comparator'] })}
                  >
                    {Object.entries(COMPARATORS).map(([value, words]) => (
                      <option key={value} value={value}>
                        {words}
                      </option>
                    ))}
                  </select>
                  <input
                    {...control}
                    type="number"
                    step="0.5"
                    value={Number.isFinite(goal.target) ? goal.target : ''}
                    onChange={(e) => setGoal(i, { target: Number(e.target.value) })}
                  />
                </span>
              )}
            </Field>
          </div>
          <Field label={`In words, goal ${i + 1} (optional)`} error={fieldError(save.error, `goals.${i}.label`)}>
            {(control) => (
              <input
                {...control}
                value={goal.label ?? ''}
                placeholder="e.g. Run 5 km without hamstring pain"
                onChange={(e) => setGoal(i, { label: e.target.value })}
              />
            )}
          </Field>
          {goals.length > 1 && (
            <button
              type="button"
              className="btn btn-small btn-quiet"
              onClick={() => setGoals(goals.filter((_, j) => j !== i))}
            >
              Remove goal {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      {goals.length < 6 && (
        <button type="button" className="btn btn-small" onClick={() => setGoals([...goals, newGoal()])}>
          Add a goal
        </button>
      )}
      <div className="field-row">
        <Field label="Sessions" error={fieldError(save.error, 'frequency.sessions')}>
          {(control) => (
            <input
              {...control}
              type="number"
              min={1}
              max={7}
              value={sessions}
              onChange={(e) => setSessions(Number(e.target.value))}
            />
          )}
        </Field>
        <Field label="Per">
          {(control) => (
            <select {...control} value={per} onChange={(e) => setPer(e.target.value as keyof typeof PERIODS)}>
              {Object.entries(PERIODS).map(([value, words]) => (
                <option key={value} value={value}>
                  {words.replace('a ', '')}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Number of sessions" error={fieldError(save.error, 'plannedSessions')}>
          {(control) => (
            <input
              {...control}
              type="number"
              min={1}
              max={52}
              value={planned}
              onChange={(e) => setPlanned(Number(e.target.value))}
            />
          )}
        </Field>
        <Field label="Review on" error={fieldError(save.error, 'reviewOn')}>
          {(control) => (
            <input {...control} type="date" value={reviewOn} onChange={(e) => setReviewOn(e.target.value)} />
          )}
        </Field>
      </div>
      <Field label="Notes (optional)" error={fieldError(save.error, 'notes')}>
        {(control) => <textarea {...control} rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />}
      </Field>
      <ErrorNotice error={save.error} shownFields={['goals', 'frequency', 'plannedSessions', 'reviewOn', 'notes']} />
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          Save plan
        </button>
        {saved && (
          <span className="muted small" role="status">
            Plan saved.
          </span>
        )}
      </div>
    </form>
  );
}
