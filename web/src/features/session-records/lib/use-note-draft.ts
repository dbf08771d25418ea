import { useState } from 'react';
import { appliedPressureExceedances, screeningExceedances } from '../../../../../src/domain/screening-exceedances';
import { flexibilityTest, type FlexibilityTestId } from '../../../../../src/domain/flexibility-tests';
import type { LiveRegionSummary, NoteDraft, PainReport, SessionNote } from '../../../shared/lib/api-types';
import { screeningLimitsFrom } from '../../../shared/lib/region-limits';

export type Worked = SessionNote['regionsWorked'][number];
export type Finding = SessionNote['findings']['palpation'][number];
export type Rom = SessionNote['findings']['rangeOfMotion'][number];
export type Limit = NoteDraft['limits'][number];
export type Reasons = Record<string, string>;

export interface NoteSubmission {
  note: SessionNote;
  exceedanceReasons: { region: string; reason: string }[];
}

/** A range-of-motion test with its trials still to be read. */
export const blankRom = (test: FlexibilityTestId): Rom => {
  const t = flexibilityTest(test);
  return { test, side: t.perSide ? 'left' : null, trials: Array.from({ length: t.trials }, () => Number.NaN) };
};

/**
 * The note being written and its reasons, checked against the screening as it is typed: which regions go beyond it
 * (in the note, or in the live record of the session), and the submission that hands it over.
 */
export function useNoteDraft({
  initial,
  limits,
  painReports,
  liveSummary,
}: {
  initial: { note: SessionNote; reasons: Reasons; suggestedTests?: NoteDraft['suggestedTests'] };
  limits: readonly Limit[];
  painReports: readonly PainReport[];
  liveSummary: readonly LiveRegionSummary[];
}) {
  const [note, setNote] = useState<SessionNote>(() => ({
    ...initial.note,
    // Pain before is the client's own report for this session, whatever an older draft held.
    painBefore: painReports.flatMap((p) => (p.score === null ? [] : [{ region: p.region, score: p.score }])),
    findings: {
      ...initial.note.findings,
      rangeOfMotion:
        initial.note.findings.rangeOfMotion.length > 0
          ? initial.note.findings.rangeOfMotion
          : (initial.suggestedTests ?? []).map((t) => ({ ...blankRom(t.test), side: t.side })),
    },
  }));
  const [reasons, setReasons] = useState<Reasons>(initial.reasons);
  const set = (patch: Partial<SessionNote>) => setNote((n) => ({ ...n, ...patch }));
  const checked = screeningLimitsFrom(limits);
  const pastLive = appliedPressureExceedances(liveSummary, checked);
  const beyond = new Set([...screeningExceedances(note.regionsWorked, checked), ...pastLive].map((e) => e.region));
  const worked = new Set(note.regionsWorked.map((w) => w.region));
  // Regions only the live record shows worked past the screening: their reasons have a place of their own.
  const liveOnly = pastLive.filter((e) => !worked.has(e.region));

  const submission = (): NoteSubmission => {
    const explained = [...note.regionsWorked.map((w) => w.region), ...liveOnly.map((e) => e.region)].filter(
      (r) => (beyond.has(r) || reasons[r]) && reasons[r]?.trim(),
    );
    return {
      note: {
        ...note,
        findings: {
          ...note.findings,
          rangeOfMotion: note.findings.rangeOfMotion.filter((r) => r.trials.every((t) => Number.isFinite(t))),
        },
      },
      exceedanceReasons: explained.map((region) => ({ region, reason: reasons[region]!.trim() })),
    };
  };

  return { note, set, reasons, setReasons, caps: checked.caps, pastLive, beyond, liveOnly, submission };
}

export type NoteDraftState = ReturnType<typeof useNoteDraft>;
