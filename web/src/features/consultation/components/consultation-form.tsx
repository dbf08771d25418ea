import { useEffect, useRef, useState } from 'react';
import { BodyMap, type BodyMapValue } from '../../../shared/components/body-map/body-map';
import { ErrorNotice } from '../../../shared/components/states';
import { ApiError, fieldError } from '../../../shared/lib/api-client';
import type { IntakeVersion, SavedIntake } from '../../../shared/lib/api-types';
import { isoDateIn } from '../../../shared/lib/format';
import { useSaveIntake } from '../api/intake';
import {
  type IntakeDraft,
  STEPS,
  draftFromIntake,
  emptyDraft,
  intakeFromDraft,
  stepOfField,
} from '../lib/intake-draft';
import { HealthStep } from './steps/health-step';
import { HistoryStep } from './steps/history-step';
import { LifeStep } from './steps/life-step';
import { PressureStep } from './steps/pressure-step';
import type { StepProps } from './steps/step-props';

function BodyStep({ draft, update }: StepProps) {
  return (
    <>
      <p>
        Tap each place that feels tight or hurts, on the front and the back, then say how tight and how painful it is (0
        none, 10 the worst).
      </p>
      <BodyMap value={draft.bodyMap} onChange={(bodyMap) => update({ bodyMap })} withNotes />
    </>
  );
}

const STEP_SCREENS = [BodyStep, LifeStep, HistoryStep, HealthStep, PressureStep];
const ALL_FIELDS = STEPS.flatMap((s) => [...s.fields]);

/** The steps that have a field the last save was refused for. */
function stepsWithErrors(error: unknown): Set<number> {
  if (!(error instanceof ApiError)) return new Set();
  return new Set((error.problem.errors ?? []).filter((e) => e.in === 'body').map((e) => stepOfField(e.field)));
}

/**
 * The consultation, one step at a time; nothing is saved until the last step. Editing starts from the latest
 * version and saving makes a new one. A refused save goes back to the first step with a field at fault.
 */
export function ConsultationForm({
  latest,
  onSaved,
  initialBodyMap = null,
}: {
  latest: IntakeVersion | null;
  onSaved: (saved: SavedIntake) => void;
  /** A first consultation's body map to start from (the places marked in the self-check). */
  initialBodyMap?: BodyMapValue | null;
}) {
  const [draft, setDraft] = useState<IntakeDraft>(() =>
    latest
      ? draftFromIntake(latest.intake, isoDateIn(new Date()))
      : { ...emptyDraft(), ...(initialBodyMap ? { bodyMap: initialBodyMap } : {}) },
  );
  const [step, setStep] = useState(0);
  const save = useSaveIntake();
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  const update = (patch: Partial<IntakeDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const goTo = (next: number) => {
    moved.current = true;
    setStep(next);
  };
  // Moving between steps takes focus to the new step's heading, so it is read out and the page starts at the top.
  useEffect(() => {
    if (moved.current) heading.current?.focus();
  }, [step]);

  const failed = stepsWithErrors(save.error);
  const submit = () =>
    save.mutate(intakeFromDraft(draft), {
      onSuccess: onSaved,
      onError: (error) => {
        const steps = [...stepsWithErrors(error)];
        if (steps.length > 0) goTo(Math.min(...steps));
      },
    });
  const Screen = STEP_SCREENS[step]!;
  const last = step === STEPS.length - 1;

  return (
    <div className="consultation">
      <nav aria-label="Consultation steps">
        <ol className="steps">
          {STEPS.map((s, index) => (
            <li key={s.id} className={index === step ? 'is-current' : index < step ? 'is-done' : undefined}>
              <button
                type="button"
                className="step-button"
                aria-current={index === step ? 'step' : undefined}
                onClick={() => goTo(index)}
              >
                <span className="step-number" aria-hidden="true">
                  {index + 1}
                </span>
                <span className="step-title">
                  {s.title}
                  {failed.has(index) && <span className="text-danger"> (needs attention)</span>}
                </span>
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <form
        className="card form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (last) submit();
          else goTo(step + 1);
        }}
      >
        <h2 ref={heading} tabIndex={-1}>
          <span className="muted small step-count">
            Step {step + 1} of {STEPS.length}
          </span>{' '}
          {STEPS[step]!.title}
        </h2>
        <ErrorNotice error={save.error} shownFields={ALL_FIELDS} />
        <Screen draft={draft} update={update} errorOf={(field) => fieldError(save.error, field)} />
        <div className="actions sticky-actions">
          {step > 0 && (
            <button type="button" className="btn" onClick={() => goTo(step - 1)}>
              Back
            </button>
          )}
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {last ? (save.isPending ? 'Saving…' : latest ? 'Save as a new version' : 'Save my consultation') : 'Next'}
          </button>
        </div>
      </form>
    </div>
  );
}
