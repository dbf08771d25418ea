import { parseRegionRef } from '../../../../../../src/domain/body-regions';
import { FLEXIBILITY_TESTS, flexibilityTest } from '../../../../../../src/domain/flexibility-tests';
import { Field } from '../../../../shared/components/field';
import { fieldError } from '../../../../shared/lib/api-client';
import type { SessionNote } from '../../../../shared/lib/api-types';
import { type Finding, type Rom, blankRom } from '../../lib/use-note-draft';
import { Hidden, REGION_OPTIONS } from './note-controls';

type Set = (patch: Partial<SessionNote>) => void;

/** Knots and trigger points: each at a region's muscle. */
function Palpation({ note, set, error }: { note: SessionNote; set: Set; error: unknown }) {
  const setFinding = (i: number, patch: Partial<Finding>) =>
    set({
      findings: {
        ...note.findings,
        palpation: note.findings.palpation.map((f, j) => (j === i ? { ...f, ...patch } : f)),
      },
    });
  return (
    <>
      <h4>Knots and trigger points</h4>
      {note.findings.palpation.map((f, i) => {
        const muscles = parseRegionRef(f.region)?.region.muscles ?? [];
        return (
          <div key={i} className="finding-row">
            <Field label={`Finding ${i + 1}`}>
              {(control) => (
                <select
                  {...control}
                  value={f.kind}
                  onChange={(e) => setFinding(i, { kind: e.target.value as Finding['kind'] })}
                >
                  <option value="knot">Knot</option>
                  <option value="trigger_point">Trigger point</option>
                </select>
              )}
            </Field>
            <Field label={`Region of finding ${i + 1}`}>
              {(control) => (
                <select
                  {...control}
                  value={f.region}
                  onChange={(e) =>
                    setFinding(i, {
                      region: e.target.value,
                      muscle: parseRegionRef(e.target.value)?.region.muscles[0]?.id ?? '',
                    })
                  }
                >
                  {REGION_OPTIONS.filter((o) => (parseRegionRef(o.ref)?.region.muscles.length ?? 0) > 0).map((o) => (
                    <option key={o.ref} value={o.ref}>
                      {o.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              label={`Muscle of finding ${i + 1}`}
              error={fieldError(error, `note.findings.palpation.${i}.muscle`)}
            >
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
            <button
              type="button"
              className="btn btn-small btn-quiet"
              onClick={() =>
                set({ findings: { ...note.findings, palpation: note.findings.palpation.filter((_, j) => j !== i) } })
              }
            >
              Remove finding {i + 1}
            </button>
          </div>
        );
      })}
      <button
        type="button"
        className="btn btn-small"
        onClick={() => {
          const region =
            note.regionsWorked.find((w) => (parseRegionRef(w.region)?.region.muscles.length ?? 0) > 0)?.region ??
            'hamstrings.left';
          set({
            findings: {
              ...note.findings,
              palpation: [
                ...note.findings.palpation,
                { kind: 'trigger_point', region, muscle: parseRegionRef(region)!.region.muscles[0]!.id },
              ],
            },
          });
        }}
      >
        Add a knot or trigger point
      </button>
    </>
  );
}

/** Range-of-motion tests, each with the trials its protocol takes; readings left empty are not recorded. */
function RangeOfMotion({ note, set, error }: { note: SessionNote; set: Set; error: unknown }) {
  const setRom = (i: number, rom: Rom) =>
    set({
      findings: { ...note.findings, rangeOfMotion: note.findings.rangeOfMotion.map((r, j) => (j === i ? rom : r)) },
    });
  return (
    <>
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
                  <select
                    {...control}
                    value={rom.side ?? 'left'}
                    onChange={(e) => setRom(i, { ...rom, side: e.target.value as 'left' | 'right' })}
                  >
                    <option value="left">Left</option>
                    <option value="right">Right</option>
                  </select>
                )}
              </Field>
            )}
            {rom.trials.map((trial, k) => {
              const reading = `${rom.trials.length > 1 ? `Trial ${k + 1}` : 'Reading'} (${test.unit === 'degrees' ? '°' : 'cm'})`;
              return (
                <Field
                  key={k}
                  label={<Hidden visible={reading} rest={`${name}, ${reading.toLowerCase()}`} />}
                  error={k === 0 ? fieldError(error, `note.findings.rangeOfMotion.${i}`) : undefined}
                >
                  {(control) => (
                    <input
                      {...control}
                      type="number"
                      inputMode="decimal"
                      step="0.5"
                      value={Number.isFinite(trial) ? trial : ''}
                      onChange={(e) =>
                        setRom(i, {
                          ...rom,
                          trials: rom.trials.map((t, j) =>
                            j === k ? (e.target.value === '' ? Number.NaN : Number(e.target.value)) : t,
                          ),
                        })
                      }
                    />
                  )}
                </Field>
              );
            })}
            <button
              type="button"
              className="btn btn-small btn-quiet"
              onClick={() =>
                set({
                  findings: { ...note.findings, rangeOfMotion: note.findings.rangeOfMotion.filter((_, j) => j !== i) },
                })
              }
            >
              Remove<span className="visually-hidden"> {name}</span>
            </button>
          </fieldset>
        );
      })}
      <div className="actions">
        {FLEXIBILITY_TESTS.map((t) => (
          <button
            key={t.id}
            type="button"
            className="btn btn-small"
            onClick={() =>
              set({ findings: { ...note.findings, rangeOfMotion: [...note.findings.rangeOfMotion, blankRom(t.id)] } })
            }
          >
            Add {t.name.toLowerCase()}
          </button>
        ))}
      </div>
      <p className="field-hint">Readings left empty are not recorded.</p>
    </>
  );
}

export function FindingsSection({ note, set, error }: { note: SessionNote; set: Set; error: unknown }) {
  return (
    <section aria-labelledby="findings-heading" className="note-section">
      <h3 id="findings-heading">Findings</h3>
      <Palpation note={note} set={set} error={error} />
      <RangeOfMotion note={note} set={set} error={error} />
    </section>
  );
}
