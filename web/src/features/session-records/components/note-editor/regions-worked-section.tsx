import { PRESSURE_LEVELS } from '../../../../../../src/domain/pressure-scale';
import { regionRefLabel } from '../../../../../../src/domain/region-label';
import { TECHNIQUES } from '../../../../../../src/domain/technique-catalogue';
import { TOOLS } from '../../../../../../src/domain/tool-catalogue';
import { Field, FieldSet } from '../../../../shared/components/field';
import type { NoteProblems } from '../../lib/note-problems';
import type { Limit, NoteDraftState, Worked } from '../../lib/use-note-draft';
import { Hidden, RegionSelect } from './note-controls';

const toggle = <T,>(list: readonly T[], item: T) =>
  list.includes(item) ? list.filter((x) => x !== item) : [...list, item];

/** One region worked: highest pressure, minutes, techniques and tools, and the reason when it went beyond the screening. */
function WorkedRegion({
  draft,
  worked: w,
  index: i,
  limit,
  problems,
}: {
  draft: NoteDraftState;
  worked: Worked;
  index: number;
  limit: Limit | undefined;
  problems: NoteProblems;
}) {
  const { note, set, reasons, setReasons, beyond, pastLive } = draft;
  const setWorked = (patch: Partial<Worked>) =>
    set({ regionsWorked: note.regionsWorked.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
  const label = regionRefLabel(w.region);
  const workedError = (part: string) => problems.worked(i, part);
  const reasonError = problems.reason(i);
  return (
    <fieldset className="worked-region">
      <legend>{label}</legend>
      <div className="worked-main">
        <Field
          label={<Hidden visible="Pressure" rest={`Highest pressure, ${label}`} />}
          error={workedError('maxPressure')}
        >
          {(control) => (
            <select
              {...control}
              value={w.maxPressure}
              onChange={(e) => setWorked({ maxPressure: Number(e.target.value) })}
            >
              {PRESSURE_LEVELS.map((p) => (
                <option key={p.level} value={p.level}>
                  {p.level} · {p.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={<Hidden visible="Minutes" rest={`Minutes, ${label}`} />} error={workedError('minutes')}>
          {(control) => (
            <input
              {...control}
              type="number"
              inputMode="numeric"
              min={1}
              max={120}
              value={Number.isFinite(w.minutes) ? w.minutes : ''}
              onChange={(e) => setWorked({ minutes: Number(e.target.value) })}
            />
          )}
        </Field>
        <button
          type="button"
          className="btn btn-small btn-quiet"
          onClick={() => set({ regionsWorked: note.regionsWorked.filter((_, j) => j !== i) })}
        >
          Remove<span className="visually-hidden"> {label}</span>
        </button>
      </div>
      {limit && (
        <p className="field-hint">
          {limit.excluded ? 'Screening: avoid this region.' : `Screening: pressure up to ${limit.cap}/5.`}
        </p>
      )}
      <details className="how" open={Boolean(workedError('techniques') ?? workedError('tools'))}>
        <summary>
          {w.techniques.map((t) => TECHNIQUES.find((x) => x.id === t)?.name).join(', ') || 'No technique'} ·{' '}
          {w.tools.map((t) => TOOLS.find((x) => x.id === t)?.name.toLowerCase()).join(', ') || 'no tool'}
          <span className="visually-hidden">: change the techniques and tools for {label}</span>
        </summary>
        <FieldSet legend="Techniques" error={workedError('techniques')}>
          <div className="checks compact">
            {TECHNIQUES.map((t) => (
              <label key={t.id} className="check">
                <input
                  type="checkbox"
                  checked={w.techniques.includes(t.id)}
                  onChange={() => setWorked({ techniques: toggle(w.techniques, t.id) })}
                />
                <span>{t.name}</span>
              </label>
            ))}
          </div>
        </FieldSet>
        <FieldSet legend="Tools" error={workedError('tools')}>
          <div className="checks compact">
            {TOOLS.map((t) => (
              <label key={t.id} className="check">
                <input
                  type="checkbox"
                  checked={w.tools.includes(t.id)}
                  onChange={() => setWorked({ tools: toggle(w.tools, t.id) })}
                />
                <span>{t.name}</span>
              </label>
            ))}
          </div>
        </FieldSet>
      </details>
      {(beyond.has(w.region) || reasonError) && (
        <Field
          label={`Why ${label} went beyond the screening`}
          hint={`Required before signing: what you judged and what the client agreed to.${pastLive.some((e) => e.region === w.region) ? ' The live record shows pressure past the screening here.' : ''}`}
          error={reasonError}
        >
          {(control) => (
            <textarea
              {...control}
              rows={2}
              value={reasons[w.region] ?? ''}
              onChange={(e) => setReasons({ ...reasons, [w.region]: e.target.value })}
            />
          )}
        </Field>
      )}
    </fieldset>
  );
}

/** Regions only the live record shows worked past the screening, each with its reason. */
function LiveBeyond({ draft, problems }: { draft: NoteDraftState; problems: NoteProblems }) {
  const { liveOnly, reasons, setReasons } = draft;
  if (liveOnly.length === 0) return null;
  return (
    <fieldset className="worked-region" data-testid="live-beyond">
      <legend>Past the screening during the session</legend>
      <p className="field-hint">
        The live record shows pressure past the screening on these areas. Add them to the regions worked, or keep the
        reason given then.
      </p>
      {liveOnly.map((e) => {
        const label = regionRefLabel(e.region);
        return (
          <Field
            key={e.region}
            label={`Why ${label} went beyond the screening`}
            hint={
              e.kind === 'pressure_above_cap'
                ? `${e.logged}/5 applied, above the cap of ${e.cap}/5. Required before signing.`
                : 'Worked although screening excludes it. Required before signing.'
            }
            error={problems.liveOnly(label)}
          >
            {(control) => (
              <textarea
                {...control}
                rows={2}
                value={reasons[e.region] ?? ''}
                onChange={(ev) => setReasons({ ...reasons, [e.region]: ev.target.value })}
              />
            )}
          </Field>
        );
      })}
    </fieldset>
  );
}

/** Each region worked, what the live record adds, and a region to add (its pressure starting at the screening's cap). */
export function RegionsWorkedSection({
  draft,
  limits,
  problems,
}: {
  draft: NoteDraftState;
  limits: readonly Limit[];
  problems: NoteProblems;
}) {
  const { note, set, caps } = draft;
  return (
    <section aria-labelledby="worked-heading" className="note-section">
      <h3 id="worked-heading">Regions worked</h3>
      {note.regionsWorked.map((w, i) => (
        <WorkedRegion
          key={w.region}
          draft={draft}
          worked={w}
          index={i}
          limit={limits.find((l) => l.region === w.region)}
          problems={problems}
        />
      ))}
      <LiveBeyond draft={draft} problems={problems} />
      <RegionSelect
        label="Add a region worked"
        exclude={note.regionsWorked.map((w) => w.region)}
        onPick={(region) =>
          set({
            regionsWorked: [
              ...note.regionsWorked,
              { region, techniques: ['stripping'], tools: ['forearm'], maxPressure: caps[region] ?? 3, minutes: 5 },
            ],
          })
        }
      />
    </section>
  );
}
