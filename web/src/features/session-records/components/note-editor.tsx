import { type ReactNode, useId, useState } from 'react';
import { PRESSURE_LEVELS } from '../../../../../src/domain/pressure-scale';
import { regionRefLabel } from '../../../../../src/domain/region-label';
import { appliedPressureExceedances, screeningExceedances } from '../../../../../src/domain/screening-exceedances';
import { TECHNIQUES } from '../../../../../src/domain/technique-catalogue';
import { TOOLS } from '../../../../../src/domain/tool-catalogue';
import { REGION_REFS, parseRegionRef } from '../../../../../src/domain/body-regions';
import { FLEXIBILITY_TESTS, type FlexibilityTestId, flexibilityTest } from '../../../../../src/domain/flexibility-tests';
import { Field, FieldSet } from '../../../shared/components/field';
import { ErrorNotice } from '../../../shared/components/states';
import { ApiError, fieldError } from '../../../shared/lib/api-client';
import type { LiveRegionSummary, NoteDraft, PainReport, SessionNote } from '../../../shared/lib/api-types';
import { screeningLimitsFrom } from '../../../shared/lib/region-limits';

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
 * The structured note, prefilled from a template: pain before the session as the client reported it at check-in
 * (read-only: a region they were not asked about says so), pain after per region, knots and trigger points,
 * range-of-motion tests, each region worked (techniques, tools, highest pressure, minutes), then assessment, plan
 * and free text. Work beyond the screening, in the note or during the session (the live record), asks for its
 * reason next to the region.
 */
export function NoteEditor({
  initial,
  limits,
  painReports,
  liveSummary,
  error,
  children,
  onSubmit,
}: {
  initial: { note: SessionNote; reasons: Reasons; suggestedTests?: NoteDraft['suggestedTests'] };
  limits: readonly Limit[];
  /** The client's pain now per focus region, from check-in (null: not asked). */
  painReports: readonly PainReport[];
  /** The live record per region: pressure applied past the screening needs a reason too. */
  liveSummary: readonly LiveRegionSummary[];
  error: unknown;
  /** The buttons at the end of the form, given the function that hands the note over with what to do with it. */
  children: (submit: (intent: string) => void) => ReactNode;
  onSubmit: (submission: NoteSubmission, intent: string) => void;
}) {
  const [note, setNote] = useState<SessionNote>(() => ({
    ...initial.note,
    // Pain before is the client's own report for this session, whatever an older draft held.
    painBefore: painReports.flatMap((p) => (p.score === null ? [] : [{ region: p.region, score: p.score }])),
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
  const painAfterRegions = [...new Set([...painReports.map((p) => p.region), ...note.painAfter.map((p) => p.region)])];
  const checked = screeningLimitsFrom(limits);
  const caps = checked.caps;
  const pastLive = appliedPressureExceedances(liveSummary, checked);
  const beyond = new Set([...screeningExceedances(note.regionsWorked, checked), ...pastLive].map((e) => e.region));
  const worked = new Set(note.regionsWorked.map((w) => w.region));
  // Regions only the live record shows worked past the screening: their reasons have a place of their own.
  const liveOnly = pastLive.filter((e) => !worked.has(e.region));
  const liveOnlyError = (label: string) => (error instanceof ApiError ? (error.problem.errors ?? []).find((e) => e.field === 'exceedanceReasons' && e.message.startsWith(`${label}:`))?.message : undefined);
  const painBeforeErrors = error instanceof ApiError ? (error.problem.errors ?? []).filter((e) => e.field.startsWith('note.painBefore.')) : [];
  // A missing reason is reported at what went beyond the screening (pressure, region or techniques); it is shown once, at the reason.
  const problemsAt = (i: number) => (error instanceof ApiError ? (error.problem.errors ?? []).filter((e) => e.field.startsWith(`note.regionsWorked.${i}.`)) : []);
  const reasonError = (i: number) => problemsAt(i).find((e) => e.code === 'reason_required')?.message;
  const workedError = (i: number, part: string) => problemsAt(i).find((e) => e.code !== 'reason_required' && e.field.startsWith(`note.regionsWorked.${i}.${part}`))?.message;

  const submit = (intent: string) => {
    const explained = [...note.regionsWorked.map((w) => w.region), ...liveOnly.map((e) => e.region)].filter((r) => (beyond.has(r) || reasons[r]) && reasons[r]?.trim());
    onSubmit(
      {
        note: { ...note, findings: { ...note.findings, rangeOfMotion: note.findings.rangeOfMotion.filter((r) => r.trials.every((t) => Number.isFinite(t))) } },
        exceedanceReasons: explained.map((region) => ({ region, reason: reasons[region]!.trim() })),
      },
      intent,
    );
  };

  return (
    <form className="form note-form" noValidate onSubmit={(e) => e.preventDefault()}>
      <section aria-labelledby="pain-before-heading" className="note-section">
        <h3 id="pain-before-heading">Pain before the session</h3>
        <p className="field-hint">The client’s own answer at check-in, 0 (none) to 10 (worst imaginable); it is what their progress shows.</p>
        {painReports.length === 0 ? (
          <p className="muted">Not asked at check-in.</p>
        ) : (
          <dl className="facts pain-before" data-testid="pain-before">
            {painReports.map((p) => (
              <div key={p.region}>
                <dt>{p.label}</dt>
                <dd className={p.score === null ? 'muted' : undefined}>{p.score === null ? 'not asked' : `${p.score}/10`}</dd>
              </div>
            ))}
          </dl>
        )}
        {painBeforeErrors.map((e) => (
          <p key={e.field} className="field-error">
            {e.message}
          </p>
        ))}
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
                <Field
                  label={`Why ${label} went beyond the screening`}
                  hint={`Required before signing: what you judged and what the client agreed to.${pastLive.some((e) => e.region === w.region) ? ' The live record shows pressure past the screening here.' : ''}`}
                  error={reasonError(i)}
                >
                  {(control) => <textarea {...control} rows={2} value={reasons[w.region] ?? ''} onChange={(e) => setReasons({ ...reasons, [w.region]: e.target.value })} />}
                </Field>
              )}
            </fieldset>
          );
        })}
        {liveOnly.length > 0 && (
          <fieldset className="worked-region" data-testid="live-beyond">
            <legend>Past the screening during the session</legend>
            <p className="field-hint">The live record shows pressure past the screening on these areas. Add them to the regions worked, or keep the reason given then.</p>
            {liveOnly.map((e) => {
              const label = regionRefLabel(e.region);
              return (
                <Field
                  key={e.region}
                  label={`Why ${label} went beyond the screening`}
                  hint={e.kind === 'pressure_above_cap' ? `${e.logged}/5 applied, above the cap of ${e.cap}/5. Required before signing.` : 'Worked although screening excludes it. Required before signing.'}
                  error={liveOnlyError(label)}
                >
                  {(control) => <textarea {...control} rows={2} value={reasons[e.region] ?? ''} onChange={(ev) => setReasons({ ...reasons, [e.region]: ev.target.value })} />}
                </Field>
              );
            })}
          </fieldset>
        )}
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
          {painAfterRegions.map((region) => (
            <Score
              key={region}
              label={`After, ${regionRefLabel(region)}`}
              value={painAfter.get(region)}
              error={fieldError(error, `note.painAfter.${note.painAfter.findIndex((q) => q.region === region)}.score`)}
              onChange={(v) => {
                const next = new Map(painAfter);
                if (v === undefined) next.delete(region);
                else next.set(region, v);
                set({ painAfter: painAfterRegions.filter((r) => next.has(r)).map((r) => ({ region: r, score: next.get(r)! })) });
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
      <ErrorNotice error={error} shownFields={['note.painBefore', 'note.painAfter', 'note.regionsWorked', 'note.findings', 'note.assessment', 'note.plan', 'note.freeText', 'reason', 'exceedanceReasons']} />
      {children(submit)}
    </form>
  );
}
