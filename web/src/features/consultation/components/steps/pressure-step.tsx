import { PRESSURE_LABELS } from '../../../../../../src/domain/screening-vocabulary';
import type { PressureLevel } from '../../../../../../src/domain/pressure-scale';
import { FieldSet } from '../../../../shared/components/field';
import { capitalised } from '../../../../shared/lib/screening-words';
import { RegionPicker } from '../region-picker';
import type { StepProps } from './step-props';

/** What each step of the screening's 1–5 pressure scale feels like. */
const FEELS_LIKE: Record<PressureLevel, string> = {
  1: 'Relaxing, gentle',
  2: 'Firm enough to feel it work',
  3: 'Strong, still comfortable',
  4: 'Into the knots; some discomfort',
  5: 'As deep as is safe',
};

export function PressureStep({ draft, update, errorOf }: StepProps) {
  return (
    <div className="form">
      <FieldSet
        legend="How firm do you like it?"
        hint="Your therapist may go lighter where it is safer; you can always ask for less or more."
        error={errorOf('pressure.preference')}
      >
        <div className="choice-row">
          {([1, 2, 3, 4, 5] as const).map((level) => (
            <label key={level} className="choice">
              <input
                type="radio"
                name="pressure"
                checked={draft.pressure === level}
                onChange={() => update({ pressure: level })}
              />
              <span>
                <strong>
                  {level}. {capitalised(PRESSURE_LABELS[level])}
                </strong>
                <small>{FEELS_LIKE[level]}</small>
              </span>
            </label>
          ))}
        </div>
      </FieldSet>
      <RegionPicker
        label="Places you do not want worked on"
        hint="Optional. Your therapist will leave these alone."
        value={draft.avoidRegions}
        onChange={(avoidRegions) => update({ avoidRegions })}
        error={errorOf('pressure.avoidRegions')}
      />
      <FieldSet legend="Consent">
        <label className="check check-top">
          <input
            type="checkbox"
            checked={draft.consentTreatment}
            onChange={(e) => update({ consentTreatment: e.target.checked })}
            aria-describedby={errorOf('consent.treatment') ? 'consent-treatment-error' : undefined}
          />
          <span>
            I agree to deep tissue massage, adapted to what I have told you, and I will tell my therapist if anything
            changes or hurts too much.
          </span>
        </label>
        {errorOf('consent.treatment') && (
          <p className="field-error" id="consent-treatment-error">
            {errorOf('consent.treatment')}
          </p>
        )}
        <label className="check check-top">
          <input
            type="checkbox"
            checked={draft.consentDataProcessing}
            onChange={(e) => update({ consentDataProcessing: e.target.checked })}
            aria-describedby={errorOf('consent.dataProcessing') ? 'consent-data-error' : undefined}
          />
          <span>
            I agree that Knotwork keeps this health information and shows it only to therapists I book and its clinical
            operators. I can download or erase it at any time.
          </span>
        </label>
        {errorOf('consent.dataProcessing') && (
          <p className="field-error" id="consent-data-error">
            {errorOf('consent.dataProcessing')}
          </p>
        )}
      </FieldSet>
    </div>
  );
}
