/**
 * Courses of sessions: a weekly (or fortnightly) recurrence, as an iCalendar RRULE, expanded into the instants of
 * its sessions. The rule is read and expanded by the `rrule` package over floating local dates (wall-clock dates
 * read as UTC, which is how rrule works); each local date is then placed in the session's zone with the
 * scheduling engine's zone helpers, so 18:00 local stays 18:00 local across a daylight-saving change.
 */
import rrulePackage from 'rrule';
import { MS_PER_DAY, civilFromEpochDay } from '../../scheduling/engine/calendar-date.js';
import { localToInstant } from '../../scheduling/engine/zoned-time.js';
import { MAX_COURSE_SESSIONS } from './course-limits.js';

const { RRule, Frequency } = rrulePackage;

export interface CourseRule {
  /** 1: every week; 2: every other week. */
  intervalWeeks: 1 | 2;
  count: number;
}

export type CourseRuleRefusal = {
  code: 'invalid' | 'not_weekly' | 'count_out_of_range' | 'unsupported';
  message: string;
};

const ALLOWED_PARTS = new Set(['FREQ', 'INTERVAL', 'COUNT', 'BYDAY', 'WKST']);

/**
 * Reads a course's rule: FREQ=WEEKLY with INTERVAL 1 or 2 and a COUNT of 2..12; BYDAY, if given, must be the
 * weekday of the first session (a course is one session a week, on the same day). Anything else is refused.
 */
export function parseCourseRule(text: string, firstWeekday: number): CourseRule | CourseRuleRefusal {
  const body = text.trim().replace(/^RRULE:/i, '');
  const parts = body.split(';').filter((part) => part !== '');
  for (const part of parts) {
    const name = part.split('=')[0]!.toUpperCase();
    if (!ALLOWED_PARTS.has(name))
      return { code: 'unsupported', message: `${name} is not supported: use FREQ=WEEKLY, INTERVAL and COUNT` };
  }
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(body);
  } catch {
    return { code: 'invalid', message: 'Not an iCalendar RRULE, e.g. FREQ=WEEKLY;COUNT=6' };
  }
  if (options.freq !== Frequency.WEEKLY) return { code: 'not_weekly', message: 'A course repeats weekly: FREQ=WEEKLY' };
  const interval = options.interval ?? 1;
  if (interval !== 1 && interval !== 2)
    return { code: 'not_weekly', message: 'A course is every week (INTERVAL=1) or every other week (INTERVAL=2)' };
  const count = options.count;
  if (count === undefined || count === null || !Number.isInteger(count) || count < 2 || count > MAX_COURSE_SESSIONS)
    return { code: 'count_out_of_range', message: `A course has COUNT=2 to ${MAX_COURSE_SESSIONS} sessions` };
  const byDay = options.byweekday;
  if (byDay !== undefined && byDay !== null) {
    const days = (Array.isArray(byDay) ? byDay : [byDay]).map((day) =>
      typeof day === 'number' ? day : typeof day === 'string' ? -1 : day.weekday,
    );
    // rrule numbers weekdays Monday 0 .. Sunday 6; ISO numbers them Monday 1 .. Sunday 7.
    if (days.length !== 1 || days[0]! + 1 !== firstWeekday)
      return { code: 'unsupported', message: 'BYDAY must be the weekday of the first session, or left out' };
  }
  return { intervalWeeks: interval, count };
}

/** ISO weekday (Monday 1 .. Sunday 7) of an epoch day (1970-01-01 was a Thursday). */
export function isoWeekdayOf(epochDay: number): number {
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

/**
 * The local dates of a course's sessions, expanded by rrule from the first date (floating: dates as UTC midnight).
 */
export function courseDates(firstEpochDay: number, rule: CourseRule): number[] {
  const { year, month, day } = civilFromEpochDay(firstEpochDay);
  const expansion = new RRule({
    freq: Frequency.WEEKLY,
    interval: rule.intervalWeeks,
    count: rule.count,
    dtstart: new Date(Date.UTC(year, month - 1, day)),
  });
  return expansion.all().map((date) => Math.floor(date.getTime() / MS_PER_DAY));
}

/**
 * The instants of a course's sessions: each local date at the same wall-clock minute in `zone` (a time inside a
 * spring-forward gap moves forward by the gap, as everywhere else).
 */
export function courseOccurrences(
  zone: string,
  firstEpochDay: number,
  minuteOfDay: number,
  rule: CourseRule,
): number[] {
  return courseDates(firstEpochDay, rule).map((epochDay) => localToInstant(zone, epochDay, minuteOfDay));
}
