import { regionRefLabel } from '../../../../../../src/domain/region-label';
import { fieldError } from '../../../../shared/lib/api-client';
import type { PainReport, SessionNote } from '../../../../shared/lib/api-types';
import type { NoteProblems } from '../../lib/note-problems';
import { Score } from './note-controls';

/** Pain before the session: the client's own report at check-in, read-only. */
export function PainBeforeSection({
  painReports,
  problems,
}: {
  painReports: readonly PainReport[];
  problems: NoteProblems;
}) {
  return (
    <section aria-labelledby="pain-before-heading" className="note-section">
      <h3 id="pain-before-heading">Pain before the session</h3>
      <p className="field-hint">
        The client’s own answer at check-in, 0 (none) to 10 (worst imaginable); it is what their progress shows.
      </p>
      {painReports.length === 0 ? (
        <p className="muted">Not asked at check-in.</p>
      ) : (
        <dl className="facts pain-before" data-testid="pain-before">
          {painReports.map((p) => (
            <div key={p.region}>
              <dt>{p.label}</dt>
              <dd className={p.score === null ? 'muted' : undefined}>
                {p.score === null ? 'not asked' : `${p.score}/10`}
              </dd>
            </div>
          ))}
        </dl>
      )}
      {problems.painBefore.map((e) => (
        <p key={e.field} className="field-error">
          {e.message}
        </p>
      ))}
    </section>
  );
}

/** Pain after the session, per region the client reported on or the note scores. */
export function PainAfterSection({
  note,
  painReports,
  set,
  error,
}: {
  note: SessionNote;
  painReports: readonly PainReport[];
  set: (patch: Partial<SessionNote>) => void;
  error: unknown;
}) {
  const painAfter = new Map(note.painAfter.map((p) => [p.region, p.score]));
  const painAfterRegions = [...new Set([...painReports.map((p) => p.region), ...note.painAfter.map((p) => p.region)])];
  return (
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
              set({
                painAfter: painAfterRegions.filter((r) => next.has(r)).map((r) => ({ region: r, score: next.get(r)! })),
              });
            }}
          />
        ))}
      </div>
    </section>
  );
}
