import { assessChange } from './meaningful-change.js';
import { type MeasureId, outcomeMeasure } from '../../domain/measure-catalogue.js';
import type { SeriesPoint } from './progress.js';

/** One client's series of one measure with one therapist, oldest first (one point per session it was taken at). */
export interface ClientSeries {
  therapistId: string;
  clientId: string;
  points: readonly SeriesPoint[];
}

export interface TherapistImprovementShare {
  therapistId: string;
  /** Clients with a measurement N sessions after their baseline. */
  eligible: number;
  /** Of those, clients whose change from baseline to that measurement is a meaningful improvement. */
  improved: number;
  /** improved / eligible; null when nobody is eligible yet. */
  share: number | null;
  /** Clients not yet measured N sessions after their baseline (left out of the share). */
  tooFewSessions: number;
}

/**
 * Per therapist, the share of clients with a meaningful improvement after N sessions: the baseline is the first
 * point (taken before treatment) and "after N sessions" is the point N sessions later, points[N], so every client
 * is compared after the same dose. Pass one series per client and therapist (for pain, the client's focus region);
 * a client seen by two therapists counts for each. Only measures with a meaningful-change rule can be summarised.
 */
export function improvementShareByTherapist(
  measure: MeasureId,
  sessions: number,
  series: readonly ClientSeries[],
): TherapistImprovementShare[] {
  const definition = outcomeMeasure(measure);
  if (definition.meaningfulChange.kind === 'not_defined') {
    throw new RangeError(`${definition.name} has no meaningful-change rule to count improvements by`);
  }
  if (!Number.isInteger(sessions) || sessions < 1)
    throw new RangeError('sessions must be a whole number of at least 1');

  const byTherapist = new Map<string, TherapistImprovementShare>();
  const seen = new Set<string>();
  for (const s of series) {
    const pair = `${s.therapistId}\u0000${s.clientId}`;
    if (seen.has(pair))
      throw new RangeError(`Client ${s.clientId} has more than one series with therapist ${s.therapistId}`);
    seen.add(pair);
    let row = byTherapist.get(s.therapistId);
    if (!row)
      byTherapist.set(
        s.therapistId,
        (row = { therapistId: s.therapistId, eligible: 0, improved: 0, share: null, tooFewSessions: 0 }),
      );
    const baseline = s.points[0];
    const after = s.points[sessions];
    if (!baseline || !after) {
      row.tooFewSessions += 1;
      continue;
    }
    row.eligible += 1;
    const change = assessChange(definition, baseline.value, after.value);
    if (change.meaningful && change.direction === 'improved') row.improved += 1;
  }
  for (const row of byTherapist.values()) row.share = row.eligible === 0 ? null : row.improved / row.eligible;
  return [...byTherapist.values()];
}
