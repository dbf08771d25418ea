import {
  MINUTES_PER_DAY,
  MS_PER_DAY,
  MS_PER_MINUTE,
  epochDayFromIsoDate,
  minuteOfDayFromHhMm,
} from '../../scheduling/engine/calendar-date.js';
import { instantToLocal, localDay, localToInstant } from '../../scheduling/engine/zoned-time.js';

/**
 * When something the client told us happened (an injury, an operation, a heart attack, a reading), as an instant,
 * and how many hours lie between it and a session's start. Pure.
 *
 * Every screening window is elapsed time, in hours, from the event's instant to the session's START instant: "the
 * first 72 hours" are 72 real hours, whatever the calendar says and across a change of clocks (a day with a DST
 * change has 23 or 25 hours, so counting days or wall-clock hours would be off by one).
 *
 * The client gives a date and, for injuries, optionally a time of day, both as their clock read them. They are read in
 * the client's zone: accounts keep no zone, so it is the session's zone for a booking (the client is where the
 * session is) and the zone the client's browser sends for a screening without a booking.
 *
 * What is not known is read the strictest way, and which way is strictest depends on the rule:
 * - a window that ends ("acute for 72 hours after the injury", "6 weeks after surgery") lasts longest when the event
 *   happened as LATE as it can have: a date without a time is read as the END of that day (the next midnight), a
 *   wall-clock time that the clocks passed twice (the hour repeated when DST ends) as its later instant;
 * - a rule that applies once enough time has passed ("a reading older than 90 days is treated as unknown", "side-lying
 *   from week 13") applies soonest when the event happened as EARLY as it can have: the START of that day, the
 *   earlier of two readings of a repeated hour.
 * A time the clocks skipped (the hour lost when DST starts) is read as Temporal's 'compatible' does: as if the clock had
 * not yet been put forward, so 02:30 is 03:30 summer time.
 */

export const MS_PER_HOUR = 3_600_000;
export const HOURS_PER_DAY = 24;
export const HOURS_PER_WEEK = 7 * HOURS_PER_DAY;

/** The moment a window is measured to: a session's start (or now, for a screening without one), in the client's zone. */
export interface ScreeningMoment {
  /** Epoch ms. */
  at: number;
  /** The IANA zone the client's dates and times are read in. */
  zone: string;
}

/** Which reading of an event that is not known to the minute: the latest for windows that end, the earliest for rules that begin. */
export type Reading = 'latest' | 'earliest';

/** What the client told us about when it happened: a date ('YYYY-MM-DD') and, if they know it, a time ('HH:MM'). */
export interface EventTime {
  /** null: the client does not know (their "I don't know"). */
  date: string | null;
  time?: string | undefined;
}

function wallTimeInstant(zone: string, epochDay: number, minuteOfDay: number, reading: Reading): number {
  const day = localDay(zone, epochDay);
  const wallMs = epochDay * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE;
  // A wall time names one instant per offset in force that day at which the clock read it (two when the hour repeats).
  const readings = [...new Set([wallMs - day.offsetBeforeMs, wallMs - day.offsetAfterMs])].filter((instant) => {
    const local = instantToLocal(zone, instant);
    return local.epochDay === epochDay && local.minuteOfDay === minuteOfDay;
  });
  if (readings.length === 0) return localToInstant(zone, epochDay, minuteOfDay);
  return reading === 'latest' ? Math.max(...readings) : Math.min(...readings);
}

/** The instant an event is read at in `zone`: the given time, or the end (latest) or start (earliest) of its day. */
export function eventInstant(event: EventTime & { date: string }, zone: string, reading: Reading): number {
  const epochDay = epochDayFromIsoDate(event.date);
  if (epochDay === null) throw new RangeError(`Not a date: ${event.date}`);
  if (event.time !== undefined) {
    const minuteOfDay = minuteOfDayFromHhMm(event.time);
    if (minuteOfDay === null || minuteOfDay >= MINUTES_PER_DAY) throw new RangeError(`Not a time: ${event.time}`);
    return wallTimeInstant(zone, epochDay, minuteOfDay, reading);
  }
  const day = localDay(zone, epochDay);
  return reading === 'latest' ? day.endMs : day.startMs;
}

/** Hours from the event (read `reading`-wise in the moment's zone) to the moment; negative when it lies after it. */
export function hoursSince(event: EventTime, moment: ScreeningMoment, reading: Reading): number {
  // An unknown date is read the strictest way too: as late as it can be for a window that ends (it happened at the
  // moment itself, so the window is still open), as early as it can be for a rule that begins (long ago).
  if (event.date === null) return reading === 'latest' ? 0 : Number.POSITIVE_INFINITY;
  return (moment.at - eventInstant({ date: event.date, time: event.time }, moment.zone, reading)) / MS_PER_HOUR;
}

/**
 * Whether the moment lies within `hours` after the event read at its latest: the window [event, event + hours).
 * An event read as later than the moment is within it too (it cannot have healed before it happened).
 */
export function withinHoursAfter(event: EventTime, moment: ScreeningMoment, hours: number): boolean {
  return hoursSince(event, moment, 'latest') < hours;
}

/** The event with its time, in words for the facts a flag carries: '2026-11-20 at 21:00', or the date alone. */
export function eventInWords(event: EventTime): string {
  if (event.date === null) return 'date not known';
  return event.time === undefined ? event.date : `${event.date} at ${event.time}`;
}
