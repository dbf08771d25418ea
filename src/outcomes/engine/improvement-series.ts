import type { ClientSeries } from './improvement-share.js';
import type { MeasureId } from '../../domain/measure-catalogue.js';

/** One session's value of a measure for a client with a therapist, as the share of improved clients counts it. */
export interface SessionValue {
  therapistId: string;
  clientId: string;
  key: string | null;
  sessionDate: string;
  value: number;
}

/** The measures the share of improved clients is reported for: one series per client, with a meaningful-change rule. */
export const SHARE_MEASURES = ['nprs', 'odi', 'ndi', 'psfs'] as const satisfies readonly MeasureId[];

/**
 * One series per client and therapist for improvementShareByTherapist, from values ordered by session. Pain is
 * recorded per region, so a client's pain series is the region that hurt most at their first session with the
 * therapist (the first such region as given, on a tie): the complaint they came with.
 */
export function seriesForImprovementShare(values: readonly SessionValue[]): ClientSeries[] {
  const byPairAndKey = new Map<
    string,
    { therapistId: string; clientId: string; points: { sessionDate: string; value: number }[] }
  >();
  for (const v of values) {
    const id = `${v.therapistId}\u0000${v.clientId}\u0000${v.key ?? ''}`;
    let series = byPairAndKey.get(id);
    if (!series) byPairAndKey.set(id, (series = { therapistId: v.therapistId, clientId: v.clientId, points: [] }));
    series.points.push({ sessionDate: v.sessionDate, value: v.value });
  }
  const chosen = new Map<string, ClientSeries>();
  for (const series of byPairAndKey.values()) {
    const pair = `${series.therapistId}\u0000${series.clientId}`;
    const current = chosen.get(pair);
    const startsEarlier = current && series.points[0]!.sessionDate < current.points[0]!.sessionDate;
    const sameStartHurtsMore =
      current &&
      series.points[0]!.sessionDate === current.points[0]!.sessionDate &&
      series.points[0]!.value > current.points[0]!.value;
    if (!current || startsEarlier || sameStartHurtsMore) chosen.set(pair, series);
  }
  return [...chosen.values()];
}
