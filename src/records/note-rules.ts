import type { PressureLevel } from '../care/pressure-scale.js';
import { regionRefLabel } from '../care/region-label.js';
import type { ScreeningExceedance, ScreeningLimits } from '../care/screening-exceedances.js';
import type { SessionNote } from '../care/session-note.js';
import { technique } from '../care/technique-catalogue.js';
import { ENDANGERMENT_REFS, type RegionRef } from '../intake/body-regions.js';
import { flexibilityResult } from '../outcomes/flexibility-tests.js';
import type { MeasureId } from '../outcomes/measure-catalogue.js';
import type { MeasurementDetail } from '../outcomes/outcome-tables.js';
import type { ScreeningDecision } from '../screening/screening-engine.js';

/** Why a region was worked beyond what screening allows, in the therapist's words. */
export interface ExceedanceReason {
  region: RegionRef;
  reason: string;
}

/** The pressure every client's endangerment sites are held to (WRN-END), whatever else screening says. */
const ENDANGERMENT_CAP: PressureLevel = 1;

/**
 * What the booking's screening allows, in the shape the care module checks notes against. Without a screening
 * (the client erased their consultation after the session) only the endangerment sites' standing cap is known.
 */
export function screeningLimitsOf(decision: Pick<ScreeningDecision, 'restrictions' | 'techniqueLimits'> | undefined): ScreeningLimits {
  if (!decision) return { caps: Object.fromEntries(ENDANGERMENT_REFS.map((ref) => [ref, ENDANGERMENT_CAP])), excluded: [] };
  const caps: ScreeningLimits['caps'] = {};
  const excluded: RegionRef[] = [];
  for (const r of decision.restrictions) {
    if (r.excluded) excluded.push(r.region);
    else if (r.cap !== null) caps[r.region] = r.cap;
  }
  return { caps, excluded, avoidTechniques: decision.techniqueLimits.map((t) => ({ region: t.region, technique: t.technique })) };
}

/** An exceedance as the therapist reads it: "Calf, left: worked at 4/5, above the screening cap of 2/5". */
export function describeExceedance(e: ScreeningExceedance): string {
  const where = regionRefLabel(e.region);
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
  /** Where in the note the exceedance is: the worked region's pressure, region or techniques. */
  field: string;
  code: 'reason_required';
  message: string;
}

/**
 * Every exceedance whose region has no reason, as a field error pointing at what went beyond the limit. A note
 * with these may be saved as a draft but not signed or amended.
 */
export function missingReasons(note: SessionNote, exceedances: readonly ScreeningExceedance[], reasons: readonly ExceedanceReason[]): ReasonProblem[] {
  const explained = new Set(reasons.map((r) => r.region));
  return exceedances
    .filter((e) => !explained.has(e.region))
    .map((e) => {
      const i = note.regionsWorked.findIndex((w) => w.region === e.region);
      const part = e.kind === 'pressure_above_cap' ? 'maxPressure' : e.kind === 'technique_avoided' ? 'techniques' : 'region';
      return { field: `note.regionsWorked.${i}.${part}`, code: 'reason_required', message: `${describeExceedance(e)}: give a reason in exceedanceReasons` };
    });
}

/** Reasons must be about regions the note says were worked. */
export function reasonsForUnworkedRegions(note: SessionNote, reasons: readonly ExceedanceReason[]): { field: string; code: 'region_not_worked'; message: string }[] {
  const worked = new Set(note.regionsWorked.map((w) => w.region));
  return reasons.flatMap((r, i) =>
    worked.has(r.region) ? [] : [{ field: `exceedanceReasons.${i}.region`, code: 'region_not_worked' as const, message: `${regionRefLabel(r.region)} is not among the regions worked` }],
  );
}

/** JSON with object keys sorted: a note read back from jsonb keeps its values but not its key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

const NOTE_FIELDS = ['painBefore', 'findings', 'regionsWorked', 'painAfter', 'assessment', 'plan', 'freeText'] as const satisfies readonly (keyof SessionNote)[];

/** The parts of a note (and its exceedance reasons) an amendment changes, in note order. */
export function changedNoteFields(
  before: { note: SessionNote; reasons: readonly ExceedanceReason[] },
  after: { note: SessionNote; reasons: readonly ExceedanceReason[] },
): string[] {
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
  const changed: string[] = NOTE_FIELDS.filter((field) => !same(before.note[field], after.note[field]));
  const byRegion = (reasons: readonly ExceedanceReason[]) => [...reasons].sort((a, b) => a.region.localeCompare(b.region));
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
 * The outcome measurements a note carries: the client's pain per region before the session (NPRS), and the
 * range-of-motion tests, valued from their trials. Pain after the session stays in the note: it shows the
 * immediate effect of one session, while the pain series compares the client's state before each session.
 */
export function noteMeasurements(note: SessionNote): NoteMeasurement[] {
  return [
    ...note.painBefore.map((p) => ({ measure: 'nprs' as const, key: p.region, value: p.score, detail: {} })),
    ...note.findings.rangeOfMotion.map((rom) => ({ measure: rom.test, key: rom.side, value: flexibilityResult(rom.test, rom.trials), detail: { trials: rom.trials } })),
  ];
}
