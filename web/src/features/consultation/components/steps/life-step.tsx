import { Field, FieldSet } from '../../../../shared/components/field';
import type { ActivityLevel, LikelyCause } from '../../lib/intake-draft';
import type { StepProps } from './step-props';

const ACTIVITY: Record<ActivityLevel, { label: string; hint: string }> = {
  sedentary: { label: 'Mostly sitting', hint: 'Little exercise in a usual week' },
  light: { label: 'Lightly active', hint: 'Walks, the odd class' },
  moderate: { label: 'Moderately active', hint: 'Exercise 2–3 times a week' },
  active: { label: 'Very active', hint: 'Training most days' },
  athlete: { label: 'Athlete', hint: 'Competing or training hard' },
};

const CAUSES: Record<LikelyCause, string> = {
  posture: 'Posture (sitting, screens)',
  overuse: 'Overuse (sport, repetitive work)',
  stress: 'Stress',
  inactivity: 'Not moving enough',
  hydration: 'Not drinking enough',
  sleep_position: 'Sleeping position',
  previous_injuries: 'An old injury',
};

const MAX_GOALS = 5;

export function LifeStep({ draft, update, errorOf }: StepProps) {
  const setGoal = (index: number, value: string) =>
    update({ goals: draft.goals.map((g, i) => (i === index ? value : g)) });
  return (
    <div className="form">
      <FieldSet
        legend="What would you like from your sessions?"
        hint="In your own words, up to five goals."
        error={errorOf('goals')}
      >
        {draft.goals.map((goal, index) => (
          <div key={index} className="row-between">
            <Field label={`Goal ${index + 1}`} error={errorOf(`goals.${index}`)} className="grow">
              {(p) => (
                <input
                  {...p}
                  value={goal}
                  maxLength={200}
                  placeholder={index === 0 ? 'e.g. Touch my toes again' : ''}
                  onChange={(e) => setGoal(index, e.target.value)}
                />
              )}
            </Field>
            {draft.goals.length > 1 && (
              <button
                type="button"
                className="btn btn-small btn-quiet align-end"
                aria-label={`Remove goal ${index + 1}`}
                onClick={() => update({ goals: draft.goals.filter((_, i) => i !== index) })}
              >
                Remove
              </button>
            )}
          </div>
        ))}
        {draft.goals.length < MAX_GOALS && (
          <button type="button" className="btn btn-small" onClick={() => update({ goals: [...draft.goals, ''] })}>
            Add another goal
          </button>
        )}
      </FieldSet>
      <FieldSet legend="How active are you?" error={errorOf('activity.level')}>
        <div className="choice-row">
          {(Object.keys(ACTIVITY) as ActivityLevel[]).map((level) => (
            <label key={level} className="choice">
              <input
                type="radio"
                name="activity-level"
                checked={draft.activityLevel === level}
                onChange={() => update({ activityLevel: level })}
              />
              <span>
                <strong>{ACTIVITY[level].label}</strong>
                <small>{ACTIVITY[level].hint}</small>
              </span>
            </label>
          ))}
        </div>
      </FieldSet>
      <Field label="Hours a day at a desk or screen" error={errorOf('activity.deskHoursPerDay')}>
        {(p) => (
          <input
            {...p}
            type="number"
            inputMode="decimal"
            min={0}
            max={24}
            step={0.5}
            value={draft.deskHours}
            onChange={(e) => update({ deskHours: e.target.value })}
            className="input-short"
          />
        )}
      </Field>
      <FieldSet legend="What do you think causes it?" hint="Tick any that may play a part." error={errorOf('causes')}>
        <div className="checks">
          {(Object.keys(CAUSES) as LikelyCause[]).map((cause) => (
            <label key={cause} className="check">
              <input
                type="checkbox"
                checked={draft.causes.includes(cause)}
                onChange={(e) =>
                  update({
                    causes: e.target.checked ? [...draft.causes, cause] : draft.causes.filter((c) => c !== cause),
                  })
                }
              />
              {CAUSES[cause]}
            </label>
          ))}
        </div>
      </FieldSet>
    </div>
  );
}
