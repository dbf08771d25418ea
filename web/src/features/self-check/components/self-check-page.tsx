import { type FormEvent, useEffect, useRef, useState } from 'react';
import { RED_FLAG_QUESTIONS, type RedFlagQuestionKey } from '../../../../../src/domain/red-flag-questions';
import { BodyMap, type BodyMapValue } from '../../../shared/components/body-map/body-map';
import { Field, FieldSet } from '../../../shared/components/field';
import { ErrorNotice, PageHeader } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { SelfCheckInput } from '../../../shared/lib/api-types';
import { browserZone } from '../../../shared/lib/format';
import { keepSelfCheckMarks } from '../../../shared/lib/self-check-marks';
import { useSelfCheck } from '../api/self-check';
import { SelfCheckResultView } from './self-check-result';

type HowLong = SelfCheckInput['howLong'];
type Worse = SelfCheckInput['worseWith'][number];
type Better = SelfCheckInput['betterWith'][number];
type Activity = SelfCheckInput['activity']['level'];
type Injury = SelfCheckInput['recentInjury'];

const HOW_LONG: Record<HowLong, string> = { days: 'Under a week', weeks: 'A few weeks', months: 'Months or longer' };
const WORSE: Record<Worse, string> = {
  sitting: 'Sitting',
  standing: 'Standing',
  bending: 'Bending forward',
  exercise: 'Exercise or sport',
  mornings: 'First thing in the morning',
  pressure: 'Pressing on it, or a firm massage',
};
const BETTER: Record<Better, string> = {
  moving: 'Moving about',
  rest: 'Rest',
  heat: 'Warmth (a bath, a hot-water bottle)',
  stretching: 'Stretching',
  massage: 'Massage',
};
/** The consultation's words for activity (its life step). */
const ACTIVITY: Record<Activity, string> = {
  sedentary: 'Mostly sitting',
  light: 'Lightly active',
  moderate: 'Moderately active',
  active: 'Very active',
  athlete: 'Athlete',
};
const INJURY: Record<Injury, string> = {
  none: 'No',
  last_3_days: 'Yes, in the last 3 days',
  earlier: 'Yes, longer ago',
};

const NO_FLAGS = Object.fromEntries(RED_FLAG_QUESTIONS.map((q) => [q.key, false])) as Record<
  RedFlagQuestionKey,
  boolean
>;

interface Draft {
  bodyMap: BodyMapValue;
  howLong: HowLong | '';
  worseWith: Worse[];
  betterWith: Better[];
  activity: Activity | '';
  deskHours: string;
  recentInjury: Injury;
  redFlags: Record<RedFlagQuestionKey, boolean>;
}

const EMPTY: Draft = {
  bodyMap: {},
  howLong: '',
  worseWith: [],
  betterWith: [],
  activity: '',
  deskHours: '',
  recentInjury: 'none',
  redFlags: NO_FLAGS,
};

/** The answers as the API takes them; a question left unanswered is left out, so the server names it. */
function answersOf(draft: Draft): SelfCheckInput {
  return {
    bodyMap: Object.entries(draft.bodyMap).map(([region, r]) => ({ region, tightness: r.tightness, pain: r.pain })),
    ...(draft.howLong ? { howLong: draft.howLong } : {}),
    worseWith: draft.worseWith,
    betterWith: draft.betterWith,
    activity: {
      ...(draft.activity ? { level: draft.activity } : {}),
      ...(draft.deskHours.trim() === '' ? {} : { deskHoursPerDay: Number(draft.deskHours) }),
    },
    recentInjury: draft.recentInjury,
    redFlags: draft.redFlags,
    zone: browserZone(),
  } as SelfCheckInput;
}

function Choices<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
  error,
}: {
  legend: string;
  name: string;
  options: Record<T, string>;
  value: T | '';
  onChange: (value: T) => void;
  error?: string | undefined;
}) {
  return (
    <FieldSet legend={legend} error={error}>
      <div className="segmented segmented-wrap">
        {(Object.keys(options) as T[]).map((option) => (
          <label key={option}>
            <input type="radio" name={name} checked={value === option} onChange={() => onChange(option)} />
            <span>{options[option]}</span>
          </label>
        ))}
      </div>
    </FieldSet>
  );
}

function Ticks<T extends string>({
  legend,
  options,
  value,
  onChange,
}: {
  legend: string;
  options: Record<T, string>;
  value: T[];
  onChange: (value: T[]) => void;
}) {
  return (
    <FieldSet legend={legend} hint="Tick any that apply.">
      <div className="checks">
        {(Object.keys(options) as T[]).map((option) => (
          <label key={option} className="check">
            <input
              type="checkbox"
              checked={value.includes(option)}
              onChange={(e) => onChange(e.target.checked ? [...value, option] : value.filter((v) => v !== option))}
            />
            {options[option]}
          </label>
        ))}
      </div>
    </FieldSet>
  );
}

/**
 * The self-check at /self-check, without an account: the consultation's body map, a few questions and the
 * consultation's red-flag questions; the result in plain words with its sources, and the way on to a therapist.
 * Nothing is stored; the marked places are kept in this tab for the consultation, should the visitor sign up.
 */
export function SelfCheckPage() {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const check = useSelfCheck();
  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const top = useRef<HTMLDivElement>(null);
  const error = check.error;
  const errorOf = (field: string) => fieldError(error, field);

  // The result replaces the form: take the reader to its top, where the safety answer comes first.
  useEffect(() => {
    if (check.data) {
      window.scrollTo(0, 0);
      top.current?.querySelector('h1')?.focus();
    }
  }, [check.data]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    keepSelfCheckMarks(draft.bodyMap);
    check.mutate(answersOf(draft));
  };

  if (check.data)
    return (
      <div className="medium" ref={top}>
        <SelfCheckResultView result={check.data} onChange={() => check.reset()} />
      </div>
    );

  return (
    <div className="medium" ref={top}>
      <PageHeader title="What is going on in my body?">
        <p>
          Mark where it hurts or feels tight and answer a few questions. You will read what is likely going on, what a
          deep tissue session would do, what you can do yourself, and when to see a doctor first. No account needed, and
          nothing you enter is stored.
        </p>
      </PageHeader>
      <form className="card form self-check-form" noValidate onSubmit={submit} aria-label="Self-check">
        <ErrorNotice
          error={error}
          shownFields={['bodyMap', 'howLong', 'activity.level', 'activity.deskHoursPerDay', 'redFlags']}
        />
        <section className="stack" aria-labelledby="where-heading">
          <h2 id="where-heading">Where it hurts or feels tight</h2>
          <p>
            Tap each place on the front or the back, then say how tight and how painful it is (0 none, 10 the worst).
          </p>
          {errorOf('bodyMap') && <p className="field-error">{errorOf('bodyMap')}</p>}
          <BodyMap value={draft.bodyMap} onChange={(bodyMap) => update({ bodyMap })} />
        </section>
        <section className="stack" aria-labelledby="about-heading">
          <h2 id="about-heading">About it</h2>
          <Choices
            legend="How long has it been like this?"
            name="how-long"
            options={HOW_LONG}
            value={draft.howLong}
            onChange={(howLong) => update({ howLong })}
            error={errorOf('howLong')}
          />
          <Ticks
            legend="What makes it worse?"
            options={WORSE}
            value={draft.worseWith}
            onChange={(worseWith) => update({ worseWith })}
          />
          <Ticks
            legend="What makes it better?"
            options={BETTER}
            value={draft.betterWith}
            onChange={(betterWith) => update({ betterWith })}
          />
          <Choices
            legend="How active are you?"
            name="activity"
            options={ACTIVITY}
            value={draft.activity}
            onChange={(activity) => update({ activity })}
            error={errorOf('activity.level')}
          />
          <Field label="Hours a day sitting (desk, screen, driving)" error={errorOf('activity.deskHoursPerDay')}>
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
          <Choices
            legend="Have you injured it recently (a fall, a knock, a sprain or a strain)?"
            name="injury"
            options={INJURY}
            value={draft.recentInjury}
            onChange={(recentInjury) => update({ recentInjury })}
          />
        </section>
        <section className="stack" aria-labelledby="flags-heading">
          <h2 id="flags-heading">Before anything else</h2>
          <FieldSet
            legend="Do you have any of these right now?"
            hint="The same questions as our consultation. Tick any that apply."
            error={errorOf('redFlags')}
          >
            <div className="checks">
              {RED_FLAG_QUESTIONS.map(({ key, label }) => (
                <label key={key} className="check">
                  <input
                    type="checkbox"
                    checked={draft.redFlags[key]}
                    onChange={(e) => update({ redFlags: { ...draft.redFlags, [key]: e.target.checked } })}
                  />
                  {label}
                </label>
              ))}
            </div>
          </FieldSet>
        </section>
        <div className="actions sticky-actions">
          <button type="submit" className="btn btn-primary" disabled={check.isPending}>
            {check.isPending ? 'Checking…' : 'See what is going on'}
          </button>
        </div>
      </form>
    </div>
  );
}
