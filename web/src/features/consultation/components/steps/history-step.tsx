import { useId } from 'react';
import { Field, FieldSet } from '../../../../shared/components/field';
import type { InjuryDraft, InjuryKind, SurgeryDraft } from '../../lib/intake-draft';
import { RegionPicker } from '../region-picker';
import { DateOrUnknown, UnknownCheck } from '../unknown-inputs';
import type { StepProps } from './step-props';

const INJURY_KINDS: Record<InjuryKind, string> = {
  sprain: 'Sprain',
  strain: 'Strain (pulled muscle)',
  fracture: 'Broken bone',
  other: 'Other injury',
};

const replaceAt = <T,>(list: T[], index: number, patch: Partial<T>) =>
  list.map((item, i) => (i === index ? { ...item, ...patch } : item));

export function HistoryStep({ draft, update, errorOf }: StepProps) {
  const hintId = `${useId()}-time-hint`;
  const setInjury = (index: number, patch: Partial<InjuryDraft>) =>
    update({ injuries: replaceAt(draft.injuries, index, patch) });
  const setSurgery = (index: number, patch: Partial<SurgeryDraft>) =>
    update({ surgeries: replaceAt(draft.surgeries, index, patch) });
  return (
    <div className="form">
      <section className="stack" aria-labelledby="injuries-heading">
        <h3 id="injuries-heading">Injuries</h3>
        <p className="field-hint">
          Sprains, strains and broken bones, recent or old. A fresh injury is left alone for its first 72 hours.
        </p>
        {draft.injuries.map((injury, index) => (
          <fieldset key={index} className="fieldset repeat-item">
            <legend>Injury {index + 1}</legend>
            <Field label="What happened" error={errorOf(`injuries.${index}.kind`)}>
              {(p) => (
                <select
                  {...p}
                  value={injury.kind}
                  onChange={(e) => setInjury(index, { kind: e.target.value as InjuryKind })}
                >
                  {(Object.keys(INJURY_KINDS) as InjuryKind[]).map((kind) => (
                    <option key={kind} value={kind}>
                      {INJURY_KINDS[kind]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <RegionPicker
              label="Where"
              value={injury.regions}
              onChange={(regions) => setInjury(index, { regions })}
              error={errorOf(`injuries.${index}.regions`)}
            />
            <div className="field-row">
              <Field label="When" error={errorOf(`injuries.${index}.date`)}>
                {(p) => (
                  <input
                    {...p}
                    type="date"
                    value={injury.date ?? ''}
                    disabled={injury.date === null}
                    onChange={(e) => setInjury(index, { date: e.target.value })}
                  />
                )}
              </Field>
              <Field label="At what time (if you know)" error={errorOf(`injuries.${index}.time`)}>
                {(p) => (
                  <input
                    {...p}
                    aria-describedby={[`${hintId}-${index}`, p['aria-describedby']].filter(Boolean).join(' ')}
                    type="time"
                    value={injury.time}
                    disabled={injury.date === null}
                    onChange={(e) => setInjury(index, { time: e.target.value })}
                  />
                )}
              </Field>
            </div>
            {/* Below the row, so the date and time boxes line up side by side on a wide screen. */}
            <UnknownCheck
              unknown={injury.date === null}
              onChange={(unknown) => setInjury(index, unknown ? { date: null, time: '' } : { date: '' })}
              label="I don’t know the date"
            />
            <p className="field-hint" id={`${hintId}-${index}`}>
              Leave the time empty if you are not sure: a fresh injury is then counted from the end of that day.
            </p>
            <Field label="Anything to add (optional)" error={errorOf(`injuries.${index}.description`)}>
              {(p) => (
                <input
                  {...p}
                  maxLength={300}
                  value={injury.description}
                  onChange={(e) => setInjury(index, { description: e.target.value })}
                />
              )}
            </Field>
            <button
              type="button"
              className="btn btn-small btn-danger-outline"
              onClick={() => update({ injuries: draft.injuries.filter((_, i) => i !== index) })}
            >
              Remove injury {index + 1}
            </button>
          </fieldset>
        ))}
        <button
          type="button"
          className="btn btn-small"
          onClick={() =>
            update({
              injuries: [...draft.injuries, { kind: 'strain', regions: [], date: '', time: '', description: '' }],
            })
          }
        >
          Add an injury
        </button>
      </section>
      <section className="stack" aria-labelledby="surgeries-heading">
        <h3 id="surgeries-heading">Operations</h3>
        {draft.surgeries.map((surgery, index) => (
          <fieldset key={index} className="fieldset repeat-item">
            <legend>Operation {index + 1}</legend>
            <DateOrUnknown
              label="When"
              value={surgery.date}
              onChange={(date) => setSurgery(index, { date })}
              error={errorOf(`surgeries.${index}.date`)}
            />
            <RegionPicker
              label="Where on the body"
              value={surgery.regions}
              onChange={(regions) => setSurgery(index, { regions })}
              error={errorOf(`surgeries.${index}.regions`)}
            />
            <label className="check">
              <input
                type="checkbox"
                checked={surgery.cancerRelated}
                onChange={(e) => setSurgery(index, { cancerRelated: e.target.checked })}
              />
              It was part of cancer treatment
            </label>
            <Field label="What was done (optional)" error={errorOf(`surgeries.${index}.description`)}>
              {(p) => (
                <input
                  {...p}
                  maxLength={300}
                  value={surgery.description}
                  onChange={(e) => setSurgery(index, { description: e.target.value })}
                />
              )}
            </Field>
            <button
              type="button"
              className="btn btn-small btn-danger-outline"
              onClick={() => update({ surgeries: draft.surgeries.filter((_, i) => i !== index) })}
            >
              Remove operation {index + 1}
            </button>
          </fieldset>
        ))}
        <button
          type="button"
          className="btn btn-small"
          onClick={() =>
            update({
              surgeries: [...draft.surgeries, { date: '', regions: [], cancerRelated: false, description: '' }],
            })
          }
        >
          Add an operation
        </button>
      </section>
      <FieldSet
        legend="Medicines you take"
        hint="Including blood thinners, painkillers and supplements."
        error={errorOf('medications')}
      >
        {draft.medications.map((medication, index) => (
          <div key={index} className="row-between">
            <Field label={`Medicine ${index + 1}`} error={errorOf(`medications.${index}`)} className="grow">
              {(p) => (
                <input
                  {...p}
                  maxLength={200}
                  value={medication}
                  onChange={(e) =>
                    update({ medications: draft.medications.map((m, i) => (i === index ? e.target.value : m)) })
                  }
                />
              )}
            </Field>
            <button
              type="button"
              className="btn btn-small btn-quiet align-end"
              aria-label={`Remove medicine ${index + 1}`}
              onClick={() => update({ medications: draft.medications.filter((_, i) => i !== index) })}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          className="btn btn-small"
          onClick={() => update({ medications: [...draft.medications, ''] })}
        >
          Add a medicine
        </button>
      </FieldSet>
    </div>
  );
}
