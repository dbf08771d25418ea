import { regionRefLabel } from '../../domain/region-label.js';
import {
  type ScreeningExceedance,
  type ScreeningLimits,
  appliedPressureExceedances,
  screeningExceedances,
} from '../../domain/screening-exceedances.js';
import type { SessionNote } from '../../care/engine/session-note.js';
import { technique } from '../../domain/technique-catalogue.js';
import type { RegionRef } from '../../domain/body-regions.js';
import { flexibilityResult } from '../../outcomes/engine/flexibility-tests.js';
import type { MeasureId } from '../../domain/measure-catalogue.js';
import type { MeasurementDetail } from '../../outcomes/engine/measurement.js';

/** Why a region was worked beyond what screening allows, in the therapist's words. */
export interface ExceedanceReason {
  region: RegionRef;
  reason: string;
}

/**
 * Work beyond the screening, and where it is recorded: in the note itself (a region worked above its cap, or
 * excluded, or with a technique ruled out), or in the live record only (pressure the therapist sent during the
 * session, with the reason they gave then).
 */
export type NoteExceedance = ScreeningExceedance & { recordedIn: 'note' | 'live' };

/**
 * The exceedances a note must give reasons for: its own, then those the live record shows where the note records
 * none of the same kind. The live record cannot be argued away by writing a lower pressure into the note.
 */
export function noteExceedances(
  note: SessionNote,
  liveApplied: readonly { region: RegionRef | null; highestPressureApplied: number | null }[],
  limits: ScreeningLimits,
): NoteExceedance[] {
  const own = screeningExceedances(note.regionsWorked, limits).map((e): NoteExceedance => ({
    ...e,
    recordedIn: 'note',
  }));
  const live = appliedPressureExceedances(liveApplied, limits)
    .filter((e) => !own.some((o) => o.region === e.region && o.kind === e.kind))
    .map((e): NoteExceedance => ({ ...e, recordedIn: 'live' }));
  return [...own, ...live];
}

/** An exceedance as the therapist reads it: "Calf, left: worked at 4/5, above the screening cap of 2/5". */
export function describeExceedance(e: NoteExceedance): string {
  const where = regionRefLabel(e.region);
  if (e.recordedIn === 'live') {
    return e.kind === 'pressure_above_cap'
      ? `${where}: ${e.logged}/5 applied during the session (live record), above the screening cap of ${e.cap}/5`
      : `${where}: pressure applied during the session (live record) although screening excludes it`;
  }
  switch (e.kind) {
    case 'pressure_above_cap':
      return `${where}: worked at ${e.logged}/5, above the screening cap of ${e.cap}/5`;
    case 'excluded_region_worked':
      return `${where}: worked although screening excludes it`;
    case 'technique_avoided':
      return `${where}: ${technique(e.technique).name.toLowerCase()}, which screening rules out there`;
  }
}

export interface ReasonProblem {
  /**
   * Where in the note the exceedance is: the worked region's pressure, region or techniques; `exceedanceReasons`
   * for a region only the live record shows worked.
   */
  field: string;
  code: 'reason_required';
  message: string;
}

/**
 * Every exceedance whose region has no reason, as a field error pointing at what went beyond the limit. A note
 * with these may be saved as a draft but not signed or amended.
 */
export function missingReasons(
  note: SessionNote,
  exceedances: readonly NoteExceedance[],
  reasons: readonly ExceedanceReason[],
): ReasonProblem[] {
  const explained = new Set(reasons.map((r) => r.region));
  return exceedances
    .filter((e) => !explained.has(e.region))
    .map((e) => {
      const i = note.regionsWorked.findIndex((w) => w.region === e.region);
      const part =
        e.kind === 'pressure_above_cap' ? 'maxPressure' : e.kind === 'technique_avoided' ? 'techniques' : 'region';
      return {
        field: i === -1 ? 'exceedanceReasons' : `note.regionsWorked.${i}.${part}`,
        code: 'reason_required',
        message: `${describeExceedance(e)}: give a reason in exceedanceReasons`,
      };
    });
}

/** Reasons must be about regions the note says were worked, or that the live record shows worked beyond the screening. */
export function reasonsForUnworkedRegions(
  note: SessionNote,
  reasons: readonly ExceedanceReason[],
  workedLive: readonly RegionRef[] = [],
): { field: string; code: 'region_not_worked'; message: string }[] {
  const worked = new Set([...note.regionsWorked.map((w) => w.region), ...workedLive]);
  return reasons.flatMap((r, i) =>
    worked.has(r.region)
      ? []
      : [
          {
            field: `exceedanceReasons.${i}.region`,
            code: 'region_not_worked' as const,
            message: `${regionRefLabel(r.region)} is not among the regions worked`,
          },
        ],
  );
}

export interface PainBeforeProblem {
  field: string;
  code: 'pain_not_reported' | 'pain_differs_from_report';
  message: string;
}

/**
 * Pain before the session is the client's own report for this session (asked at check-in), never a value carried
 * over from an older consultation: each score in the note must be what the client reported for that region. A
 * region the client was not asked about is left out of the note.
 */
export function painBeforeProblems(note: SessionNote, reported: ReadonlyMap<RegionRef, number>): PainBeforeProblem[] {
  return note.painBefore.flatMap((p, i): PainBeforeProblem[] => {
    const label = regionRefLabel(p.region);
    const score = reported.get(p.region);
    if (score === undefined) {
      return [
        {
          field: `note.painBefore.${i}.region`,
          code: 'pain_not_reported',
          message: `${label}: the client did not report pain here for this session; leave it out of the note`,
        },
      ];
    }
    if (score !== p.score) {
      return [
        {
          field: `note.painBefore.${i}.score`,
          code: 'pain_differs_from_report',
          message: `${label}: the client reported ${score}/10 for this session, not ${p.score}/10`,
        },
      ];
    }
    return [];
  });
}

/** JSON with object keys sorted: a note read back from jsonb keeps its values but not its key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const NOTE_FIELDS = [
  'painBefore',
  'findings',
  'regionsWorked',
  'painAfter',
  'assessment',
  'plan',
  'freeText',
] as const satisfies readonly (keyof SessionNote)[];

/** The parts of a note (and its exceedance reasons) an amendment changes, in note order. */
export function changedNoteFields(
  before: { note: SessionNote; reasons: readonly ExceedanceReason[] },
  after: { note: SessionNote; reasons: readonly ExceedanceReason[] },
): string[] {
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
  const changed: string[] = NOTE_FIELDS.filter((field) => !same(before.note[field], after.note[field]));
  const byRegion = (reasons: readonly ExceedanceReason[]) =>
    [...reasons].sort((a, b) => a.region.localeCompare(b.region));
  if (!same(byRegion(before.reasons), byRegion(after.reasons))) changed.push('exceedanceReasons');
  return changed;
}

export interface NoteMeasurement {
  measure: MeasureId;
  key: string | null;
  value: number;
  detail: MeasurementDetail;
}

/**
 * The outcome measurements a note adds: the range-of-motion tests, valued from their trials. Pain before the
 * session is not among them: it is the client's own report, recorded for the session when they gave it (at
 * check-in), and the note only repeats it (`painBeforeProblems`). Pain after the session stays in the note: it
 * shows the immediate effect of one session, while the pain series compares the client's state before each.
 */
export function noteMeasurements(note: SessionNote): NoteMeasurement[] {
  return note.findings.rangeOfMotion.map((rom) => ({
    measure: rom.test,
    key: rom.side,
    value: flexibilityResult(rom.test, rom.trials),
    detail: { trials: rom.trials },
  }));
}
