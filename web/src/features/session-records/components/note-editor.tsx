import type { ReactNode } from 'react';
import { Field } from '../../../shared/components/field';
import { ErrorNotice } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { LiveRegionSummary, NoteDraft, PainReport, SessionNote } from '../../../shared/lib/api-types';
import { noteProblems } from '../lib/note-problems';
import { type Limit, type NoteSubmission, type Reasons, useNoteDraft } from '../lib/use-note-draft';
import { FindingsSection } from './note-editor/findings-section';
import { PainAfterSection, PainBeforeSection } from './note-editor/pain-sections';
import { RegionsWorkedSection } from './note-editor/regions-worked-section';

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
  const draft = useNoteDraft({ initial, limits, painReports, liveSummary });
  const { note, set } = draft;
  const problems = noteProblems(error);
  const submit = (intent: string) => onSubmit(draft.submission(), intent);

  return (
    <form className="form note-form" noValidate onSubmit={(e) => e.preventDefault()}>
      <PainBeforeSection painReports={painReports} problems={problems} />
      <RegionsWorkedSection draft={draft} limits={limits} problems={problems} />
      <FindingsSection note={note} set={set} error={error} />
      <PainAfterSection note={note} painReports={painReports} set={set} error={error} />

      <section aria-labelledby="assessment-heading" className="note-section">
        <h3 id="assessment-heading">Assessment and plan</h3>
        <Field label="Assessment" error={fieldError(error, 'note.assessment')}>
          {(control) => (
            <textarea
              {...control}
              rows={2}
              value={note.assessment}
              onChange={(e) => set({ assessment: e.target.value })}
            />
          )}
        </Field>
        <Field label="Plan" error={fieldError(error, 'note.plan')}>
          {(control) => (
            <textarea {...control} rows={2} value={note.plan} onChange={(e) => set({ plan: e.target.value })} />
          )}
        </Field>
        <Field label="Other notes" error={fieldError(error, 'note.freeText')}>
          {(control) => (
            <textarea {...control} rows={2} value={note.freeText} onChange={(e) => set({ freeText: e.target.value })} />
          )}
        </Field>
      </section>
      <ErrorNotice
        error={error}
        shownFields={[
          'note.painBefore',
          'note.painAfter',
          'note.regionsWorked',
          'note.findings',
          'note.assessment',
          'note.plan',
          'note.freeText',
          'reason',
          'exceedanceReasons',
        ]}
      />
      {children(submit)}
    </form>
  );
}
