/**
 * A therapist's working hours for one location as instants: weekly wall-clock rules plus date overrides,
 * expanded per local date in the therapist's zone so 09:00-17:00 stays 09:00-17:00 across DST changes.
 */
import {
  epochDayFromIsoDate,
  type IsoWeekday,
  isoWeekday,
  MINUTES_PER_DAY,
  minuteOfDayFromHhMm,
  MS_PER_DAY,
  MS_PER_MINUTE,
} from './calendar-date.js';
import { normaliseIntervals, subtractIntervals } from './intervals.js';
import { localDay, localEpochDayOf, localToInstant } from './zoned-time.js';

/** 'mobile' for at-home visits, or 'studio:<uuid>'. */
export type LocationKey = string;

/** Local wall-clock 'HH:MM'; end may be '24:00' and must be after start. */
export interface LocalSpan {
  start: string;
  end: string;
}

export interface WeeklyRule extends LocalSpan {
  weekday: IsoWeekday;
  location: LocationKey;
}

export type DateOverride =
  /** The whole day off when intervals is absent or empty, else off during those intervals, at every location. */
  | { date: string; kind: 'off'; intervals?: LocalSpan[] }
  | { date: string; kind: 'extra'; intervals: (LocalSpan & { location: LocationKey })[] };

export interface WorkingHoursQuery {
  zone: string;
  weekly: readonly WeeklyRule[];
  overrides: readonly DateOverride[];
  /**
   * The same weekly rules and overrides parsed once (`prepareHours`), as a calendar keeps them; when present,
   * `weekly` and `overrides` are not read again. Without it every call parses the 'HH:MM' texts anew.
   */
  hours?: PreparedHours;
  location: LocationKey;
  from: number;
  to: number;
}

/**
 * Working hours parsed into local minutes, kept with a calendar so hot paths never parse 'HH:MM' again.
 * Each location is worked out on first use (an invalid rule there throws then, as it would unprepared).
 */
export interface PreparedHours {
  readonly weekly: readonly WeeklyRule[];
  readonly overrides: readonly DateOverride[];
  readonly byLocation: Map<LocationKey, LocationMinutes>;
}

/** One location's working hours in local minutes, flat [s0, e0, s1, e1, ...] and normalised. */
interface LocationMinutes {
  /** Index 1..7: the hours of that ISO weekday. */
  readonly weekly: readonly (readonly number[])[];
  /** Epoch days with an override: the hours worked on that date (weekly ∪ extra − off). */
  readonly byDay: ReadonlyMap<number, readonly number[]>;
  /**
   * The same by index from `firstOverrideDay` (undefined: no override that day), when the overrides span at most
   * MAX_DENSE_OVERRIDE_DAYS days; null when they span more (then `byDay` answers). Hot loops index, not hash.
   */
  readonly overrideDays: readonly (readonly number[] | undefined)[] | null;
  readonly firstOverrideDay: number;
}

const MAX_DENSE_OVERRIDE_DAYS = 4_096;

interface DayOverride {
  wholeDayOff: boolean;
  /** Flat local minute intervals, not yet normalised. */
  off: number[];
  extra: number[];
}

/** Parses nothing yet: each location is parsed on its first use and kept. The inputs must not change afterwards. */
export function prepareHours(weekly: readonly WeeklyRule[], overrides: readonly DateOverride[]): PreparedHours {
  return { weekly, overrides, byLocation: new Map() };
}

function minutesAt(hours: PreparedHours, location: LocationKey): LocationMinutes {
  let minutes = hours.byLocation.get(location);
  if (!minutes) {
    const weekly = weeklyMinutesByWeekday(hours.weekly, location);
    const byDay = new Map<number, readonly number[]>();
    let firstDay = Infinity;
    let lastDay = -Infinity;
    for (const [day, override] of overridesByEpochDay(hours.overrides, location)) {
      byDay.set(day, workingMinutesOn(weekly[isoWeekday(day)]!, override));
      firstDay = Math.min(firstDay, day);
      lastDay = Math.max(lastDay, day);
    }
    let overrideDays: (readonly number[] | undefined)[] | null = [];
    if (byDay.size > 0 && lastDay - firstDay < MAX_DENSE_OVERRIDE_DAYS) {
      overrideDays = new Array<readonly number[] | undefined>(lastDay - firstDay + 1).fill(undefined);
      for (const [day, worked] of byDay) overrideDays[day - firstDay] = worked;
    } else if (byDay.size > 0) overrideDays = null;
    minutes = { weekly, byDay, overrideDays, firstOverrideDay: byDay.size > 0 ? firstDay : 0 };
    hours.byLocation.set(location, minutes);
  }
  return minutes;
}

/** The local minute intervals worked on an epoch day: its override's, or its weekday's. */
function minutesOn(minutes: LocationMinutes, day: number): readonly number[] {
  const { overrideDays } = minutes;
  if (overrideDays === null) return minutes.byDay.get(day) ?? minutes.weekly[isoWeekday(day)]!;
  const index = day - minutes.firstOverrideDay;
  if (index >= 0 && index < overrideDays.length) {
    const worked = overrideDays[index];
    if (worked !== undefined) return worked;
  }
  return minutes.weekly[isoWeekday(day)]!;
}

/**
 * Normalised working intervals (flat [s0, e0, s1, e1, ...] epoch ms) for the location, clipped to
 * [from, to): for each local date, (weekly rules ∪ extra hours) − time off.
 */
export function workingIntervals(q: WorkingHoursQuery): number[] {
  const intervals: number[] = [];
  intervals.length = writeWorkingIntervals(
    intervals,
    q.zone,
    q.hours ?? prepareHours(q.weekly, q.overrides),
    q.location,
    q.from,
    q.to,
  );
  return intervals;
}

/**
 * workingIntervals written into `out` from index 0 (overwriting what is there, growing it if need be), for hot
 * paths that reuse one array; returns how many numbers were written (twice the number of intervals). Values in
 * `out` past that count are left over from earlier use.
 */
export function writeWorkingIntervals(
  out: number[],
  zone: string,
  hours: PreparedHours,
  location: LocationKey,
  from: number,
  to: number,
): number {
  if (from >= to) return 0;
  const minutes = minutesAt(hours, location);
  let n = 0;
  for (let day = localEpochDayOf(zone, from); ; day++) {
    const local = localDay(zone, day);
    if (local.startMs >= to) break;
    const worked = minutesOn(minutes, day);
    const midnightMs = day * MS_PER_DAY;
    for (let i = 0; i < worked.length; i += 2) {
      // localToInstant(zone, day, minute), inlined for minutes within the day (24:00 is the next day's midnight).
      const startMinute = worked[i]!;
      const endMinute = worked[i + 1]!;
      let start: number;
      if (startMinute < MINUTES_PER_DAY) {
        const localMs = midnightMs + startMinute * MS_PER_MINUTE;
        start = localMs - (localMs < local.switchLocalMs ? local.offsetBeforeMs : local.offsetAfterMs);
      } else start = localToInstant(zone, day, startMinute);
      let end: number;
      if (endMinute < MINUTES_PER_DAY) {
        const localMs = midnightMs + endMinute * MS_PER_MINUTE;
        end = localMs - (localMs < local.switchLocalMs ? local.offsetBeforeMs : local.offsetAfterMs);
      } else end = localToInstant(zone, day, endMinute);
      // appendMerging: each start is at or after the last one written.
      if (start >= end) continue;
      if (n > 0 && start <= out[n - 1]!) {
        if (end > out[n - 1]!) out[n - 1] = end;
      } else {
        out[n++] = start;
        out[n++] = end;
      }
    }
  }
  // clipIntervals, in place: an interval never moves to a later index.
  let kept = 0;
  for (let i = 0; i < n; i += 2) {
    const start = Math.max(out[i]!, from);
    const end = Math.min(out[i + 1]!, to);
    if (start < end) {
      out[kept++] = start;
      out[kept++] = end;
    }
  }
  return kept;
}

function workingMinutesOn(weekly: readonly number[], override: DayOverride): readonly number[] {
  if (override.wholeDayOff) return [];
  const worked = override.extra.length > 0 ? normaliseIntervals([...weekly, ...override.extra]) : weekly;
  return override.off.length > 0 ? subtractIntervals(worked, normaliseIntervals(override.off)) : worked;
}

/** Index 1..7 holds the normalised local minute intervals of that ISO weekday. */
function weeklyMinutesByWeekday(rules: readonly WeeklyRule[], location: LocationKey): number[][] {
  const byWeekday: number[][] = [[], [], [], [], [], [], [], []];
  for (const rule of rules) {
    if (rule.location !== location) continue;
    if (!(rule.weekday >= 1 && rule.weekday <= 7 && Number.isInteger(rule.weekday))) {
      throw new RangeError(`weekly rule weekday must be 1..7, got ${rule.weekday}`);
    }
    pushSpanMinutes(byWeekday[rule.weekday]!, rule);
  }
  return byWeekday.map(normaliseIntervals);
}

function overridesByEpochDay(overrides: readonly DateOverride[], location: LocationKey): Map<number, DayOverride> {
  const byDay = new Map<number, DayOverride>();
  for (const override of overrides) {
    const day = epochDayFromIsoDate(override.date);
    if (day === null) throw new RangeError(`override date '${override.date}' is not YYYY-MM-DD`);
    let entry = byDay.get(day);
    if (!entry) {
      entry = { wholeDayOff: false, off: [], extra: [] };
      byDay.set(day, entry);
    }
    if (override.kind === 'off') {
      if (!override.intervals || override.intervals.length === 0) entry.wholeDayOff = true;
      else for (const span of override.intervals) pushSpanMinutes(entry.off, span);
    } else {
      for (const span of override.intervals) if (span.location === location) pushSpanMinutes(entry.extra, span);
    }
  }
  return byDay;
}

function pushSpanMinutes(target: number[], span: LocalSpan): void {
  const start = minuteOfDayFromHhMm(span.start);
  const end = minuteOfDayFromHhMm(span.end);
  if (start === null || end === null || start >= end) {
    throw new RangeError(`working hours '${span.start}'-'${span.end}' are not a valid HH:MM range`);
  }
  target.push(start, end);
}
