import { epochDayFromIsoDate } from '../../scheduling/engine/calendar-date.js';
import { instantToLocal, localToInstant } from '../../scheduling/engine/zoned-time.js';

/**
 * The waitlist's window: local dates (inclusive) and a daily time range, read at the session's place. Pure.
 */
export interface WaitlistWindow {
  fromDate: string;
  toDate: string;
  /** Minutes after local midnight: the session starts at or after `fromMinute` and ends by `toMinute`. */
  fromMinute: number;
  toMinute: number;
}

/** The free times offered to a waiting client: one therapist at one place, up to a few starts. */
export interface WaitlistOffer {
  therapistId: string;
  therapistName: string;
  place: { mode: 'studio'; studioId: string; name: string } | { mode: 'home' };
  /** The place's zone: the starts read as local time there. */
  timeZone: string;
  /** Epoch milliseconds, ascending. */
  starts: number[];
}

/** How many free starts an offer names. */
export const OFFER_STARTS = 6;

/** Whether a session of `durationMin` starting at `start` lies inside the window, read in `zone`. */
export function fitsWindow(window: WaitlistWindow, zone: string, start: number, durationMin: number): boolean {
  const from = epochDayFromIsoDate(window.fromDate)!;
  const to = epochDayFromIsoDate(window.toDate)!;
  const local = instantToLocal(zone, start);
  if (local.epochDay < from || local.epochDay > to) return false;
  if (local.minuteOfDay < window.fromMinute) return false;
  // The end is read on the same local day (a session never runs past the range's end, even across a DST change).
  const latestEnd = localToInstant(zone, local.epochDay, window.toMinute);
  return start + durationMin * 60_000 <= latestEnd;
}

/** The instants that can hold a start of the window in `zone`: [first day's from-time, last day's to-time). */
export function windowSpan(window: WaitlistWindow, zone: string): { from: number; to: number } {
  return {
    from: localToInstant(zone, epochDayFromIsoDate(window.fromDate)!, window.fromMinute),
    to: localToInstant(zone, epochDayFromIsoDate(window.toDate)!, window.toMinute),
  };
}

/**
 * When each waiting client is told, in the order they joined: the first at once, each next one `staggerMs` later,
 * so the earlier a client joined, the earlier they can claim. The claim itself is first come, first served.
 */
export function tellingTimes(count: number, now: number, staggerMs: number): number[] {
  return Array.from({ length: count }, (_, place) => now + place * staggerMs);
}
