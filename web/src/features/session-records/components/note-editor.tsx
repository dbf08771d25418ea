import { type ReactNode, useId, useState } from 'react';
import { PRESSURE_LEVELS } from '../../../../../src/care/pressure-scale';
import { regionRefLabel } from '../../../../../src/care/region-label';
import { screeningExceedances } from '../../../../../src/care/screening-exceedances';
import { TECHNIQUES } from '../../../../../src/care/technique-catalogue';
import { TOOLS } from '../../../../../src/care/tool-catalogue';
import { REGION_REFS, parseRegionRef } from '../../../../../src/intake/body-regions';
import { FLEXIBILITY_TESTS, type FlexibilityTestId, flexibilityTest } from '../../../../../src/outcomes/flexibility-tests';
import { Field, FieldSet } from '../../../shared/components/field';
import { ErrorNotice } from '../../../shared/components/states';
import { ApiError, fieldError } from '../../../shared/lib/api-client';
import type { NoteDraft, SessionNote } from '../../../shared/lib/api-types';

type Worked = SessionNote['regionsWorked'][number];
type Finding = SessionNote['findings']['palpation'][number];
type Rom = SessionNote['findings']['rangeOfMotion'][number];
export type Limit = NoteDraft['limits'][number];
export type Reasons = Record<string, string>;

export interface NoteSubmission {
  note: SessionNote;
  exceedanceReasons: { region: string; reason: string }[];
}

const REGION_OPTIONS = REGION_REFS.map((ref) => ({ ref, label: regionRefLabel(ref) }));
const blankRom = (test: FlexibilityTestId): Rom => {
  const t = flexibilityTest(test);
  return { test, side: t.perSide ? 'left' : null, trials: Array.from({ length: t.trials }, () => Number.NaN) };
};

/** A short visible label whose accessible name says which region it belongs to. */
function Hidden({ visible, rest }: { visible: string; rest: string }) {
  return (
    <>
      <span aria-hidden="true">{visible}</span>
      <span className="visually-hidden">{rest}</span>
    </>
  );
}

function RegionSelect({ label, exclude, onPick }: { label: string; exclude: readonly string[]; onPick: (ref: string) => void }) {
  const id = useId();
  return (
    <div className="add-region">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value=""
        onChange={(e) => {
          if (e.target.value) onPick(e.target.value);
        }}
      >
        <option value="">Choose a region…</option>
        {REGION_OPTIONS.filter((o) => !exclude.includes(o.ref)).map((o) => (
          <option key={o.ref} value={o.ref}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Score({ label, value, onChange, error }: { label: string; value: number | undefined; onChange: (v: number | undefined) => void; error?: string | undefined }) {
  return (
    <Field label={label} error={error} className="score-field">
      {(control) => (
        <input
          {...control}
          type="number"
          inputMode="numeric"
          min={0}
          max={10}
          step={1}
          value={value ?? ''}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      )}
    </Field>
  );
}

/**
 * The structured note, prefilled from a template: pain before and after per region, knots and trigger points,
 * range-of-motion tests, each region worked (techniques, tools, highest pressure, minutes), then assessment, plan
 * and free text. Work beyond the screening asks for its reason next to the region.
 */
export function NoteEditor({
  initial,
  limits,
  error,
  children,
  onSubmit,
}: {
  initial: { note: SessionNote; reasons: Reasons; suggestedTests?: NoteDraft['suggestedTests'] };
  limits: readonly Limit[];
  error: unknown;
  /** The buttons at the end of the form, given the function that hands the note over with what to do with it. */
  children: (submit: (intent: string) => void) => ReactNode;
  onSubmit: (submission: NoteSubmission, intent: string) => void;
}) {
  const [note, setNote] = useState<SessionNote>(() => ({
    ...initial.note,
    findings: {
      ...initial.note.findings,
      rangeOfMotion: initial.note.findings.rangeOfMotion.length > 0 ? initial.note.findings.rangeOfMotion : (initial.suggestedTests ?? []).map((t) => ({ ...blankRom(t.test), side: t.side })),
    },
  }));
  const [reasons, setReasons] = useState<Reasons>(initial.reasons);
  const set = (patch: Partial<SessionNote>) => setNote((n) => ({ ...n, ...patch }));
  const setWorked = (i: number, patch: Partial<Worked>) => set({ regionsWorked: note.regionsWorked.map((w, j) => (j === i ? { ...w, ...patch } : w)) });
  const setFinding = (i: number, patch: Partial<Finding>) => set({ findings: { ...note.findings, palpation: note.findings.palpation.map((f, j) => (j === i ? { ...f, ...patch } : f)) } });
  const setRom = (i: number, rom: Rom) => set({ findings: { ...note.findings, rangeOfMotion: note.findings.rangeOfMotion.map((r, j) => (j === i ? rom : r)) } });
  const toggle = <T,>(list: readonly T[], item: T) => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);
  const painAfter = new Map(note.painAfter.map((p) => [p.region, p.score]));
  const caps = Object.fromEntries(limits.filter((l) => l.cap !== null && !l.excluded).map((l) => [l.region, l.cap as 1 | 2 | 3 | 4 | 5]));
  const beyond = new Set(screeningExceedances(note.regionsWorked, { caps, excluded: limits.filter((l) => l.excluded).map((l) => l.region) }).map((e) => e.region));
  // A missing reason is reported at what went beyond the screening (pressure, region or techniques); it is shown once, at the reason.
  const problemsAt = (i: number) => (error instanceof ApiError ? (error.problem.errors ?? []).filter((e) => e.field.startsWith(`note.regionsWorked.${i}.`)) : []);
  const reasonError = (i: number) => problemsAt(i).find((e) => e.code === 'reason_required')?.message;
  const workedError = (i: number, part: string) => problemsAt(i).find((e) => e.code !== 'reason_required' && e.field.startsWith(`note.regionsWorked.${i}.${part}`))?.message;

  const submit = (intent: string) => {
    const worked = new Set(note.regionsWorked.map((w) => w.region));
    const explained = note.regionsWorked.map((w) => w.region).filter((r) => (beyond.has(r) || reasons[r]) && reasons[r]?.trim());
    onSubmit(
      {
        note: { ...note, findings: { ...note.findings, rangeOfMotion: note.findings.rangeOfMotion.filter((r) => r.trials.every((t) => Number.isFinite(t))) } },
        exceedanceReasons: explained.filter((r) => worked.has(r)).map((region) => ({ region, reason: reasons[region]!.trim() })),
      },
      intent,
    );
  };

  return (
    <form className="form note-form" noValidate onSubmit={(e) => e.preventDefault()}>
      <section aria-labelledby="pain-before-heading" className="note-section">
        <h3 id="pain-before-heading">Pain before the session</h3>
        <p className="field-hint">As the client reports it, 0 (none) to 10 (worst imaginable).</p>
        <div className="score-grid">
          {note.painBefore.map((p, i) => (
            <div key={p.region} className="score-row">
              <Score
                label={regionRefLabel(p.region)}
                value={p.score}
                error={fieldError(error, `note.painBefore.${i}.score`)}
                onChange={(v) => set({ painBefore: note.painBefore.map((q, j) => (j === i ? { ...q, score: v ?? 0 } : q)) })}
              />
              <button type="button" className="btn btn-small btn-quiet" aria-label={`Remove pain before, ${regionRefLabel(p.region)}`} onClick={() => set({ painBefore: note.painBefore.filter((_, j) => j !== i) })}>
                Remove
              </button>
            </div>
          ))}
        </div>
        <RegionSelect label="Add pain before for" exclude={note.painBefore.map((p) => p.region)} onPick={(region) => set({ painBefore: [...note.painBefore, { region, score: 0 }] })} />
      </section>

      <section aria-labelledby="worked-heading" className="note-section">
        <h3 id="worked-heading">Regions worked</h3>
        {note.regionsWorked.map((w, i) => {
          const label = regionRefLabel(w.region);
          const limit = limits.find((l) => l.region === w.region);
          return (
            <fieldset key={w.region} className="worked-region">
              <legend>{label}</legend>
              <div className="worked-main">
                <Field label={<Hidden visible="Pressure" rest={`Highest pressure, ${label}`} />} error={workedError(i, 'maxPressure')}>
                  {(control) => (
                    <select {...control} value={w.maxPressure} onChange={(e) => setWorked(i, { maxPressure: Number(e.target.value) })}>
                      {PRESSURE_LEVELS.map((p) => (
                        <option key={p.level} value={p.level}>
                          {p.level} · {p.label}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field label={<Hidden visible="Minutes" rest={`Minutes, ${label}`} />} error={workedError(i, 'minutes')}>
                  {(control) => <input {...control} type="number" inputMode="numeric" min={1} max={120} value={Number.isFinite(w.minutes) ? w.minutes : ''} onChange={(e) => setWorked(i, { minutes: Number(e.target.value) })} />}
                </Field>
                <button type="button" className="btn btn-small btn-quiet" onClick={() => set({ regionsWorked: note.regionsWorked.filter((_, j) => j !== i) })}>
                  Remove<span className="visually-hidden"> {label}</span>
                </button>
              </div>
              {limit && <p className="field-hint">{limit.excluded ? 'Screening: avoid this region.' : `Screening: pressure up to ${limit.cap}/5.`}</p>}
              <details className="how" open={Boolean(workedError(i, 'techniques') ?? workedError(i, 'tools'))}>
                <summary>
                  {w.techniques.map((t) => TECHNIQUES.find((x) => x.id === t)?.name).join(', ') || 'No technique'} · {w.tools.map((t) => TOOLS.find((x) => x.id === t)?.name.toLowerCase()).join(', ') || 'no tool'}
                  <span className="visually-hidden">: change the techniques and tools for {label}</span>
                </summary>
                <FieldSet legend="Techniques" error={workedError(i, 'techniques')}>
                  <div className="checks compact">
                    {TECHNIQUES.map((t) => (
                      <label key={t.id} className="check">
                        <input type="checkbox" checked={w.techniques.includes(t.id)} onChange={() => setWorked(i, { techniques: toggle(w.techniques, t.id) })} />
                        <span>{t.name}</span>
                      </label>
                    ))}
                  </div>
                </FieldSet>
                <FieldSet legend="Tools" error={workedError(i, 'tools')}>
                  <div className="checks compact">
                    {TOOLS.map((t) => (
                      <label key={t.id} className="check">
                        <input type="checkbox" checked={w.tools.includes(t.id)} onChange={() => setWorked(i, { tools: toggle(w.tools, t.id) })} />
                        <span>{t.name}</span>
                      </label>
                    ))}
                  </div>
                </FieldSet>
              </details>
              {(beyond.has(w.region) || reasonError(i)) && (
                <Field label={`Why ${label} went beyond the screening`} hint="Required before signing: what you judged and what the client agreed to." error={reasonError(i)}>
                  {(control) => <textarea {...control} rows={2} value={reasons[w.region] ?? ''} onChange={(e) => setReasons({ ...reasons, [w.region]: e.target.value })} />}
                </Field>
              )}
            </fieldset>
          );
        })}
        <RegionSelect
          label="Add a region worked"
          exclude={note.regionsWorked.map((w) => w.region)}
          onPick={(region) => set({ regionsWorked: [...note.regionsWorked, { region, techniques: ['stripping'], tools: ['forearm'], maxPressure: caps[region] ?? 3, minutes: 5 }] })}
        />
      </section>

      <section aria-labelledby="findings-heading" className="note-section">
        <h3 id="findings-heading">Findings</h3>
        <h4>Knots and trigger points</h4>
        {note.findings.palpation.map((f, i) => {
          const muscles = parseRegionRef(f.region)?.region.muscles ?? [];
          return (
            <div key={i} className="finding-row">
              <Field label={`Finding ${i + 1}`}>
                {(control) => (
                  <select {...control} value={f.kind} onChange={(e) => setFinding(i, { kind: e.target.value as Finding['kind'] })}>
                    <option value="knot">Knot</option>
                    <option value="trigger_point">Trigger point</option>
                  </select>
                )}
              </Field>
              <Field label={`Region of finding ${i + 1}`}>
                {(control) => (
                  <select {...control} value={f.region} onChange={(e) => setFinding(i, { region: e.target.value, muscle: parseRegionRef(e.target.value)?.region.muscles[0]?.id ?? '' })}>
                    {REGION_OPTIONS.filter((o) => (parseRegionRef(o.ref)?.region.muscles.length ?? 0) > 0).map((o) => (
                      <option key={o.ref} value={o.ref}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={`Muscle of finding ${i + 1}`} error={fieldError(error, `note.findings.palpation.${i}.muscle`)}>
                {(control) => (
                  <select {...control} value={f.muscle} onChange={(e) => setFinding(i, { muscle: e.target.value })}>
                    {muscles.map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <button type="button" className="btn btn-small btn-quiet" onClick={() => set({ findings: { ...note.findings, palpation: note.findings.palpation.filter((_, j) => j !== i) } })}>
                Remove finding {i + 1}
              </button>
            </div>
          );
        })}
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            const region = note.regionsWorked.find((w) => (parseRegionRef(w.region)?.region.muscles.length ?? 0) > 0)?.region ?? 'hamstrings.left';
            set({ findings: { ...note.findings, palpation: [...note.findings.palpation, { kind: 'trigger_point', region, muscle: parseRegionRef(region)!.region.muscles[0]!.id }] } });
          }}
        >
          Add a knot or trigger point
        </button>

        <h4>Range of motion</h4>
        {note.findings.rangeOfMotion.map((rom, i) => {
          const test = flexibilityTest(rom.test);
          const name = `${test.name}${rom.side ? `, ${rom.side}` : ''}`;
          return (
            <fieldset key={`${rom.test}-${rom.side ?? ''}-${i}`} className="rom-row">
              <legend>{name}</legend>
              {test.perSide && (
                <Field label={<Hidden visible="Side" rest={`Side, ${name}`} />}>
                  {(control) => (
                    <select {...control} value={rom.side ?? 'left'} onChange={(e) => setRom(i, { ...rom, side: e.target.value as 'left' | 'right' })}>
                      <option value="left">Left</option>
                      <option value="right">Right</option>
                    </select>
                  )}
                </Field>
              )}
              {rom.trials.map((trial, k) => {
                const reading = `${rom.trials.length > 1 ? `Trial ${k + 1}` : 'Reading'} (${test.unit === 'degrees' ? '°' : 'cm'})`;
                return (
                  <Field key={k} label={<Hidden visible={reading} rest={`${name}, ${reading.toLowerCase()}`} />} error={k === 0 ? fieldError(error, `note.findings.rangeOfMotion.${i}`) : undefined}>
                    {(control) => (
                      <input
                        {...control}
                        type="number"
                        inputMode="decimal"
                        step="0.5"
                        value={Number.isFinite(trial) ? trial : ''}
                        onChange={(e) => setRom(i, { ...rom, trials: rom.trials.map((t, j) => (j === k ? (e.target.value === '' ? Number.NaN : Number(e.target.value)) : t)) })}
                      />
                    )}
                  </Field>
                );
              })}
              <button type="button" className="btn btn-small btn-quiet" onClick={() => set({ findings: { ...note.findings, rangeOfMotion: note.findings.rangeOfMotion.filter((_, j) => j !== i) } })}>
                Remove<span className="visually-hidden"> {name}</span>
              </button>
            </fieldset>
          );
        })}
        <div className="actions">
          {FLEXIBILITY_TESTS.map((t) => (
            <button key={t.id} type="button" className="btn btn-small" onClick={() => set({ findings: { ...note.findings, rangeOfMotion: [...note.findings.rangeOfMotion, blankRom(t.id)] } })}>
              Add {t.name.toLowerCase()}
            </button>
          ))}
        </div>
        <p className="field-hint">Readings left empty are not recorded.</p>
      </section>

      <section aria-labelledby="pain-after-heading" className="note-section">
        <h3 id="pain-after-heading">Pain after the session</h3>
        <div className="score-grid">
          {note.painBefore.map((p) => (
            <Score
              key={p.region}
              label={`After, ${regionRefLabel(p.region)}`}
              value={painAfter.get(p.region)}
              error={fieldError(error, `note.painAfter.${note.painAfter.findIndex((q) => q.region === p.region)}.score`)}
              onChange={(v) => {
                const next = new Map(painAfter);
                if (v === undefined) next.delete(p.region);
                else next.set(p.region, v);
                set({ painAfter: note.painBefore.filter((q) => next.has(q.region)).map((q) => ({ region: q.region, score: next.get(q.region)! })) });
              }}
            />
          ))}
        </div>
      </section>

      <section aria-labelledby="assessment-heading" className="note-section">
        <h3 id="assessment-heading">Assessment and plan</h3>
        <Field label="Assessment" error={fieldError(error, 'note.assessment')}>
          {(control) => <textarea {...control} rows={2} value={note.assessment} onChange={(e) => set({ assessment: e.target.value })} />}
        </Field>
        <Field label="Plan" error={fieldError(error, 'note.plan')}>
          {(control) => <textarea {...control} rows={2} value={note.plan} onChange={(e) => set({ plan: e.target.value })} />}
        </Field>
        <Field label="Other notes" error={fieldError(error, 'note.freeText')}>
          {(control) => <textarea {...control} rows={2} value={note.freeText} onChange={(e) => set({ freeText: e.target.value })} />}
        </Field>
      </section>
      <ErrorNotice error={error} shownFields={['note.painBefore', 'note.painAfter', 'note.regionsWorked', 'note.findings', 'note.assessment', 'note.plan', 'note.freeText', 'reason']} />
      {children(submit)}
    </form>
  );
}
