import { formatCalendarDate } from '../../domain/session-time.js';
import { civilFromEpochDay, epochDayFromCivil, isoDateFromEpochDay } from '../../scheduling/engine/calendar-date.js';
import { localDay, localEpochDayOf } from '../../scheduling/engine/zoned-time.js';

/**
 * How long a signed session note outlives its client's erasure: the market keeps it `years` years, counted in the
 * market's zone from the local day of the erasure. The note is kept through the same calendar date that many years
 * on (28 February for an erasure on 29 February when that year has none) and purged at the local midnight after it.
 */
export interface RetentionEnd {
  /** The last day the note is kept, in the market's zone ('2032-11-23'). */
  lastDay: string;
  /** The instant it may be purged: the local midnight that ends `lastDay`. */
  untilMs: number;
}

export function retentionEnd(erasedAtMs: number, zone: string, years: number): RetentionEnd {
  const erasedOn = civilFromEpochDay(localEpochDayOf(zone, erasedAtMs));
  const year = erasedOn.year + years;
  const firstOfMonth = epochDayFromCivil(year, erasedOn.month, 1);
  const daysInMonth =
    epochDayFromCivil(year + (erasedOn.month === 12 ? 1 : 0), (erasedOn.month % 12) + 1, 1) - firstOfMonth;
  const last = firstOfMonth + Math.min(erasedOn.day, daysInMonth) - 1;
  return { lastDay: isoDateFromEpochDay(last), untilMs: localDay(zone, last + 1).startMs };
}

const LONG_DATE = { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' } as const;

/** What the client reads before confirming erasure, for one market's signed notes. */
export function keptNotesSentence(kept: { count: number; years: number; marketName: string; lastDay: string }): string {
  const notes = kept.count === 1 ? '1 signed session note is' : `${kept.count} signed session notes are`;
  const years = kept.years === 1 ? '1 year' : `${kept.years} years`;
  return (
    `${notes} kept for ${years}, as clinical records in ${kept.marketName} must be: restricted, so no one reads ` +
    `them (your therapist neither), and deleted after ${formatCalendarDate(kept.lastDay, LONG_DATE)}.`
  );
}
