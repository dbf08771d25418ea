import type { Booking, Override, WorkingInterval } from '../../../shared/lib/api-types';

export type HoursRow = ({ kind: 'working' } & WorkingInterval) | { kind: 'break'; start: string; end: string };

/** A day's working intervals (sorted by start, as the API gives them) with the breaks between them. */
export function hoursWithBreaks(working: readonly WorkingInterval[]): HoursRow[] {
  const rows: HoursRow[] = [];
  let reached: string | undefined;
  for (const interval of working) {
    if (reached !== undefined && Date.parse(interval.start) > Date.parse(reached))
      rows.push({ kind: 'break', start: reached, end: interval.start });
    rows.push({ kind: 'working', ...interval });
    if (reached === undefined || Date.parse(interval.end) > Date.parse(reached)) reached = interval.end;
  }
  return rows;
}

const atPlaceOf = (booking: Pick<Booking, 'mode' | 'studio'>, interval: WorkingInterval) =>
  interval.place.mode === 'home'
    ? booking.mode === 'home'
    : booking.mode === 'studio' && interval.place.studioId === booking.studio?.id;

/**
 * Whether the session lies wholly inside working time at its own place. Intervals that meet (an evening running
 * past midnight, listed under two dates) count as one stretch.
 */
export function isWithinWorkingTime(
  booking: Pick<Booking, 'mode' | 'studio' | 'startsAt' | 'endsAt'>,
  working: readonly WorkingInterval[],
): boolean {
  const spans = working
    .filter((interval) => atPlaceOf(booking, interval))
    .map((interval) => [Date.parse(interval.start), Date.parse(interval.end)] as const)
    .sort((a, b) => a[0] - b[0]);
  const end = Date.parse(booking.endsAt);
  let reached = Date.parse(booking.startsAt);
  for (const [start, stop] of spans) {
    if (start > reached) break;
    reached = Math.max(reached, stop);
    if (reached >= end) return true;
  }
  return false;
}

/**
 * An override as the schedule names it: "Day off · Conference", "Time off", "Extra hours · Evening clinic"; a note
 * that only repeats the kind ("Day off") is not said twice.
 */
export function overrideLabel(override: Pick<Override, 'kind' | 'intervals' | 'note'>): string {
  const what = override.kind === 'extra' ? 'Extra hours' : override.intervals.length === 0 ? 'Day off' : 'Time off';
  const note = override.note?.trim();
  return note && note.toLowerCase() !== what.toLowerCase() ? `${what} · ${note}` : what;
}
