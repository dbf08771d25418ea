import { type ReactNode, useId } from 'react';
import { SPINAL_RED_FLAG_QUESTIONS, redFlagLabel } from '../../../../../../src/domain/red-flag-questions';
import { Field, FieldSet } from '../../../../shared/components/field';
import {
  type ConditionDrafts,
  type ConditionKey,
  type RedFlags,
  asksRedFlags,
  newCondition,
} from '../../lib/intake-draft';
import { RegionPicker } from '../region-picker';
import { DateOrUnknown, I_DONT_KNOW, UnknownCheck } from '../unknown-inputs';
import type { StepProps } from './step-props';

/**
 * Every condition of the screening catalogue (clinical-reference section 1), asked in plain words and grouped as
 * a person thinks about them. Ticking one asks for what its rule needs.
 */
const GROUPS: { title: string; conditions: { key: ConditionKey; label: string }[] }[] = [
  {
    title: 'Right now',
    conditions: [
      { key: 'legClotSigns', label: redFlagLabel('legClotSigns') },
      { key: 'bloodClot', label: redFlagLabel('bloodClot') },
      { key: 'feverOrInfection', label: redFlagLabel('feverOrInfection') },
      { key: 'openWounds', label: 'Open wounds, cuts or fresh burns' },
      { key: 'skinInfection', label: 'A skin infection or a rash that may be catching' },
      { key: 'pregnancy', label: 'I am pregnant' },
    ],
  },
  {
    title: 'Heart, blood and circulation',
    conditions: [
      { key: 'hypertension', label: 'High blood pressure' },
      { key: 'heartAttack', label: 'A heart attack' },
      { key: 'unstableAngina', label: redFlagLabel('unstableAngina') },
      { key: 'dvtHistory', label: 'A blood clot in the past, now treated' },
      { key: 'bleedingRisk', label: 'I take blood thinners, or bruise or bleed easily' },
      { key: 'varicoseVeins', label: 'Varicose veins' },
    ],
  },
  {
    title: 'Bones, joints and back',
    conditions: [
      { key: 'osteoporosis', label: 'Osteoporosis (thin bones)' },
      { key: 'herniatedDisc', label: 'A slipped (herniated) disc' },
      { key: 'rheumatoidArthritis', label: 'Rheumatoid arthritis' },
      { key: 'osteoarthritis', label: 'Osteoarthritis' },
    ],
  },
  {
    title: 'Other conditions',
    conditions: [
      { key: 'cancer', label: 'Cancer, now or in the past' },
      { key: 'diabetesNeuropathy', label: 'Diabetes with numbness or less feeling in places' },
      { key: 'kidneyFailure', label: 'Kidney failure' },
      { key: 'fibromyalgia', label: 'Fibromyalgia' },
    ],
  },
];

/** The same questions, in the same words, as the self-check asks (src/domain/red-flag-questions.ts). */
const RED_FLAGS: readonly { key: keyof RedFlags; label: string }[] = SPINAL_RED_FLAG_QUESTIONS;

type Details<K extends ConditionKey> = NonNullable<ConditionDrafts[K]>;

/** One of a few answers; with `onUnknown`, "I don't know" is one of them too (the value null). */
function Choice<T extends string>({
  legend,
  options,
  value,
  onChange,
  onUnknown,
  error,
}: {
  legend: string;
  options: Record<T, string>;
  value: T | '' | null;
  onChange: (v: T) => void;
  onUnknown?: () => void;
  error?: string | undefined;
}) {
  const name = useId();
  return (
    <FieldSet legend={legend} error={error}>
      <div className="segmented segmented-wrap">
        {(Object.keys(options) as T[]).map((option) => (
          <label key={option}>
            <input type="radio" name={name} checked={value === option} onChange={() => onChange(option)} />
            <span>{options[option]}</span>
          </label>
        ))}
        {onUnknown && (
          <label>
            <input type="radio" name={name} checked={value === null} onChange={onUnknown} />
            <span>{I_DONT_KNOW}</span>
          </label>
        )}
      </div>
    </FieldSet>
  );
}

const YES_NO = { yes: 'Yes', no: 'No' } as const;

function Many<T extends string>({
  legend,
  options,
  value,
  onChange,
  error,
}: {
  legend: string;
  options: Record<T, string>;
  value: T[];
  onChange: (v: T[]) => void;
  error?: string | undefined;
}) {
  return (
    <FieldSet legend={legend} error={error}>
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

function Check({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** The details one ticked condition needs, named by the field paths the server uses. */
type SetDetails = <K extends ConditionKey>(key: K, patch: Partial<Details<K>>) => void;

function ConditionDetails({
  conditionKey,
  conditions,
  set,
  errorOf,
}: {
  conditionKey: ConditionKey;
  conditions: ConditionDrafts;
  set: SetDetails;
  errorOf: (field: string) => string | undefined;
}): ReactNode {
  const at = (field: string) => errorOf(`conditions.${conditionKey}.${field}`);
  switch (conditionKey) {
    case 'legClotSigns':
      return (
        <>
          <Choice
            legend="Which leg?"
            options={{ left: 'Left', right: 'Right', both: 'Both' }}
            value={conditions.legClotSigns!.side}
            onChange={(side) => set('legClotSigns', { side })}
            error={at('side')}
          />
          <Many
            legend="What do you notice?"
            options={{ swelling: 'Swelling', warmth: 'Warmth', redness: 'Redness' }}
            value={conditions.legClotSigns!.signs}
            onChange={(signs) => set('legClotSigns', { signs })}
            error={at('signs')}
          />
        </>
      );
    case 'bloodClot':
      return (
        <Choice
          legend="Is it"
          options={{ diagnosed: 'Diagnosed by a doctor', suspected: 'Suspected' }}
          value={conditions.bloodClot!.status}
          onChange={(status) => set('bloodClot', { status })}
          error={at('status')}
        />
      );
    case 'dvtHistory':
      return (
        <>
          <DateOrUnknown
            label="Treated (resolved) on"
            value={conditions.dvtHistory!.resolvedOn}
            onChange={(resolvedOn) => set('dvtHistory', { resolvedOn })}
            error={at('resolvedOn')}
          />
          <Choice
            legend="Was it linked to cancer?"
            options={YES_NO}
            value={
              conditions.dvtHistory!.cancerRelated === null ? null : conditions.dvtHistory!.cancerRelated ? 'yes' : 'no'
            }
            onChange={(answer) => set('dvtHistory', { cancerRelated: answer === 'yes' })}
            onUnknown={() => set('dvtHistory', { cancerRelated: null })}
            error={at('cancerRelated')}
          />
        </>
      );
    case 'bleedingRisk':
      return (
        <>
          <Many
            legend="Why?"
            options={{
              anticoagulants: 'I take blood thinners (anticoagulants)',
              bleeding_disorder: 'A bleeding disorder',
              low_platelets: 'Low platelets',
            }}
            value={conditions.bleedingRisk!.causes}
            onChange={(causes) => set('bleedingRisk', { causes })}
            error={at('causes')}
          />
          <Field label="Which blood thinner (optional)" error={at('medication')}>
            {(p) => (
              <input
                {...p}
                maxLength={120}
                value={conditions.bleedingRisk!.medication}
                onChange={(e) => set('bleedingRisk', { medication: e.target.value })}
              />
            )}
          </Field>
        </>
      );
    case 'openWounds':
      return (
        <RegionPicker
          label="Where are they?"
          value={conditions.openWounds!.regions}
          onChange={(regions) => set('openWounds', { regions })}
          error={at('regions')}
        />
      );
    case 'skinInfection':
      return (
        <>
          <Check
            label="It is widespread"
            checked={conditions.skinInfection!.widespread}
            onChange={(widespread) => set('skinInfection', { widespread })}
          />
          <RegionPicker
            label="Where is it?"
            value={conditions.skinInfection!.regions}
            onChange={(regions) => set('skinInfection', { regions })}
            error={at('regions')}
          />
        </>
      );
    case 'osteoporosis':
      return (
        <Choice
          legend="How severe?"
          options={{ mild: 'Mild', moderate: 'Moderate', severe: 'Severe' }}
          value={conditions.osteoporosis!.severity}
          onChange={(severity) => set('osteoporosis', { severity })}
          onUnknown={() => set('osteoporosis', { severity: null })}
          error={at('severity')}
        />
      );
    case 'herniatedDisc':
      return (
        <>
          {conditions.herniatedDisc!.levels !== null && (
            <Many
              legend="Where?"
              options={{ cervical: 'Neck (cervical)', lumbar: 'Low back (lumbar)' }}
              value={conditions.herniatedDisc!.levels}
              onChange={(levels) => set('herniatedDisc', { levels })}
              error={at('levels')}
            />
          )}
          <UnknownCheck
            label="I don’t know where it is"
            unknown={conditions.herniatedDisc!.levels === null}
            onChange={(unknown) => set('herniatedDisc', { levels: unknown ? null : [] })}
          />
        </>
      );
    case 'rheumatoidArthritis':
      return (
        <>
          <Check
            label="It is flaring up now"
            checked={conditions.rheumatoidArthritis!.flare}
            onChange={(flare) => set('rheumatoidArthritis', { flare })}
          />
          <RegionPicker
            label="Affected joints"
            value={conditions.rheumatoidArthritis!.joints}
            onChange={(joints) => set('rheumatoidArthritis', { joints })}
            error={at('joints')}
          />
        </>
      );
    case 'osteoarthritis':
      return (
        <RegionPicker
          label="Joints that are swollen or inflamed now"
          hint="Leave empty if none are."
          value={conditions.osteoarthritis!.inflamedJoints}
          onChange={(inflamedJoints) => set('osteoarthritis', { inflamedJoints })}
          error={at('inflamedJoints')}
        />
      );
    case 'varicoseVeins':
      return (
        <>
          <Choice
            legend="How severe?"
            options={{ mild: 'Mild', severe: 'Severe (bulging, painful or damaged skin)' }}
            value={conditions.varicoseVeins!.severity}
            onChange={(severity) => set('varicoseVeins', { severity })}
            onUnknown={() => set('varicoseVeins', { severity: null })}
            error={at('severity')}
          />
          <RegionPicker
            label="Where are they?"
            value={conditions.varicoseVeins!.regions}
            onChange={(regions) => set('varicoseVeins', { regions })}
            error={at('regions')}
          />
        </>
      );
    case 'cancer':
      return (
        <>
          <Choice
            legend="Treatment"
            options={{
              current: 'Being treated now',
              recent: 'Finished in the last 12 months',
              none: 'Finished longer ago',
            }}
            value={conditions.cancer!.treatment}
            onChange={(treatment) => set('cancer', { treatment })}
            onUnknown={() => set('cancer', { treatment: null })}
            error={at('treatment')}
          />
          <RegionPicker
            label="Where the tumour is or was"
            value={conditions.cancer!.tumourSites}
            onChange={(tumourSites) => set('cancer', { tumourSites })}
            error={at('tumourSites')}
          />
          <RegionPicker
            label="Where it spread to bone, if it did"
            value={conditions.cancer!.boneMetastasisSites}
            onChange={(boneMetastasisSites) => set('cancer', { boneMetastasisSites })}
            error={at('boneMetastasisSites')}
          />
          <RegionPicker
            label="Where you are at risk of lymphoedema (swelling after lymph nodes were removed or treated)"
            value={conditions.cancer!.lymphoedemaRiskRegions}
            onChange={(lymphoedemaRiskRegions) => set('cancer', { lymphoedemaRiskRegions })}
            error={at('lymphoedemaRiskRegions')}
          />
        </>
      );
    case 'diabetesNeuropathy':
      return (
        <RegionPicker
          label="Where is feeling reduced?"
          hint="Leave empty for your feet and hands."
          value={conditions.diabetesNeuropathy!.reducedSensation}
          onChange={(reducedSensation) => set('diabetesNeuropathy', { reducedSensation })}
          error={at('reducedSensation')}
        />
      );
    case 'hypertension': {
      const bp = conditions.hypertension!;
      return (
        <>
          <p className="field-hint">
            {bp.readingUnknown
              ? 'Until you give a reading, we treat it as the highest it could be. You can add it later.'
              : 'Your latest reading, taken at rest.'}
          </p>
          {!bp.readingUnknown && (
            <div className="field-row">
              <Field label="Top number (systolic)" error={at('systolic')}>
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    inputMode="numeric"
                    min={70}
                    max={260}
                    value={bp.systolic}
                    onChange={(e) => set('hypertension', { systolic: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Bottom number (diastolic)" error={at('diastolic')}>
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    inputMode="numeric"
                    min={40}
                    max={160}
                    value={bp.diastolic}
                    onChange={(e) => set('hypertension', { diastolic: e.target.value })}
                  />
                )}
              </Field>
              <DateOrUnknown
                label="Measured on"
                value={bp.measuredOn}
                onChange={(measuredOn) => set('hypertension', { measuredOn })}
                error={at('measuredOn')}
              />
            </div>
          )}
          <UnknownCheck
            label="I don’t know my reading"
            unknown={bp.readingUnknown}
            onChange={(readingUnknown) => set('hypertension', { readingUnknown })}
          />
        </>
      );
    }
    case 'heartAttack':
      return (
        <DateOrUnknown
          label="When"
          value={conditions.heartAttack!.date}
          onChange={(date) => set('heartAttack', { date })}
          error={at('date')}
        />
      );
    case 'pregnancy':
      return (
        <Field label="Weeks pregnant" error={at('weeks')}>
          {(p) => (
            <div className="with-unknown">
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min={1}
                max={42}
                value={conditions.pregnancy!.weeks ?? ''}
                disabled={conditions.pregnancy!.weeks === null}
                onChange={(e) => set('pregnancy', { weeks: e.target.value })}
                className="input-short"
              />
              <UnknownCheck
                unknown={conditions.pregnancy!.weeks === null}
                onChange={(unknown) => set('pregnancy', { weeks: unknown ? null : '' })}
              />
            </div>
          )}
        </Field>
      );
    default:
      return null;
  }
}

export function HealthStep({ draft, update, errorOf }: StepProps) {
  const toggle = (key: ConditionKey, on: boolean) => {
    const conditions = { ...draft.conditions };
    if (on) (conditions as Record<string, unknown>)[key] = newCondition(key);
    else delete conditions[key];
    update({ conditions });
  };
  const setDetails: SetDetails = (key, patch) =>
    update({ conditions: { ...draft.conditions, [key]: { ...(draft.conditions[key] as object), ...patch } } });
  return (
    <div className="form">
      <p>
        Tick everything that applies to you. Your therapist uses this to keep the session safe; it is only shared with
        therapists you book.
      </p>
      {GROUPS.map((group) => (
        <fieldset key={group.title} className="fieldset condition-group">
          <legend>{group.title}</legend>
          {group.conditions.map(({ key, label }) => {
            const value = draft.conditions[key];
            // A yes/no condition (`true`) has nothing more to ask.
            const details =
              value === undefined || value === true ? null : (
                <ConditionDetails conditionKey={key} conditions={draft.conditions} set={setDetails} errorOf={errorOf} />
              );
            return (
              <div key={key} className={`condition${value !== undefined ? ' is-on' : ''}`}>
                <Check label={label} checked={value !== undefined} onChange={(on) => toggle(key, on)} />
                {details && <div className="condition-details">{details}</div>}
                {errorOf(`conditions.${key}`) && !details && (
                  <p className="field-error">{errorOf(`conditions.${key}`)}</p>
                )}
              </div>
            );
          })}
        </fieldset>
      ))}
      {asksRedFlags(draft) && (
        <FieldSet
          legend="With your back or neck pain, do you have any of these?"
          hint="Tick any that apply."
          error={errorOf('conditions.spinalRedFlags')}
        >
          {RED_FLAGS.map(({ key, label }) => (
            <Check
              key={key}
              label={label}
              checked={draft.redFlags[key]}
              onChange={(on) => update({ redFlags: { ...draft.redFlags, [key]: on } })}
            />
          ))}
        </FieldSet>
      )}
    </div>
  );
}
