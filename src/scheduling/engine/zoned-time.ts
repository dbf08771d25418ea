/**
 * Conversions between instants (epoch ms) and local wall-clock time in an IANA zone.
 *
 * Intl is slow (microseconds per call), so each local day is resolved once per zone and cached as a
 * `LocalDay`; after that every conversion is a map lookup plus arithmetic. A local day is assumed to hold
 * at most one offset transition, as real-world rules do; the property tests check this against Luxon.
 */
import { epochDayFromCivil, MINUTES_PER_DAY, MS_PER_DAY, MS_PER_MINUTE } from './calendar-date.js';

/**
 * The instants of one local date: [startMs, transitionMs) read offsetBeforeMs ahead of UTC and
 * [transitionMs, endMs) read offsetAfterMs. Hot loops use it to do plain modular arithmetic per stretch.
 */
export interface LocalDay {
  readonly startMs: number;
  /** Equals endMs when the offset does not change during the day. */
  readonly transitionMs: number;
  readonly endMs: number;
  readonly offsetBeforeMs: number;
  readonly offsetAfterMs: number;
  /** Local ms (wall clock read as UTC) from which wall times resolve with offsetAfterMs. */
  readonly switchLocalMs: number;
}

export type LocalTime = { epochDay: number; minuteOfDay: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(zone: string): boolean {
  if (zone === '') return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** UTC offset in ms at an instant, straight from Intl (whole seconds, as Intl formats no finer). */
function intlOffsetMs(zone: string, instantMs: number): number {
  const wholeSecondMs = Math.floor(instantMs / 1000) * 1000;
  let year = 0,
    month = 0,
    day = 0,
    hour = 0,
    minute = 0,
    second = 0;
  for (const part of formatterFor(zone).formatToParts(wholeSecondMs)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
    }
  }
  const localMs = epochDayFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000;
  return localMs - wholeSecondMs;
}

/**
 * Instant of a local wall time (ms since the epoch as if the wall clock were UTC), disambiguated like
 * Temporal's 'compatible': a time in a gap moves forward by the gap, an ambiguous time takes the earlier
 * instant. Same method as Temporal's GetPossibleEpochNanoseconds: try the offsets one day either side.
 */
function resolveLocalWithIntl(zone: string, localMs: number): number {
  const offsetBefore = intlOffsetMs(zone, localMs - MS_PER_DAY);
  const offsetAfter = intlOffsetMs(zone, localMs + MS_PER_DAY);
  const earlier = localMs - offsetBefore;
  const later = localMs - offsetAfter;
  const earlierValid = intlOffsetMs(zone, earlier) === offsetBefore;
  const laterValid = intlOffsetMs(zone, later) === offsetAfter;
  if (earlierValid && laterValid) return Math.min(earlier, later);
  if (laterValid) return later;
  return earlier;
}

/** First whole second in [fromMs, toMs] whose offset differs from `offsetMs`; toMs must have a different one. */
function firstInstantWithOtherOffset(zone: string, fromMs: number, toMs: number, offsetMs: number): number {
  let lo = Math.floor(fromMs / 1000);
  let hi = Math.floor(toMs / 1000);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (intlOffsetMs(zone, mid * 1000) === offsetMs) lo = mid + 1;
    else hi = mid;
  }
  return lo * 1000;
}

function resolveLocalDay(zone: string, epochDay: number): LocalDay {
  const startMs = resolveLocalWithIntl(zone, epochDay * MS_PER_DAY);
  const nextStartMs = resolveLocalWithIntl(zone, (epochDay + 1) * MS_PER_DAY);
  // The offset just before the day starts matters when midnight itself falls in a spring-forward gap.
  const offsetBeforeMs = intlOffsetMs(zone, startMs - 1);
  const offsetAfterMs = intlOffsetMs(zone, nextStartMs - 1);
  const transitionMs =
    offsetBeforeMs === offsetAfterMs
      ? nextStartMs
      : firstInstantWithOtherOffset(zone, startMs, nextStartMs - 1, offsetBeforeMs);
  return {
    startMs,
    transitionMs,
    endMs: nextStartMs,
    offsetBeforeMs,
    offsetAfterMs,
    switchLocalMs: transitionMs + Math.max(offsetBeforeMs, offsetAfterMs),
  };
}

/**
 * A zone's resolved days: a dense array over DENSE_DAYS days around the first day asked about (a plain index, which
 * hot loops read far faster than a Map), and a map for days outside it, bounded so a long-running server that is
 * asked about ever new dates cannot grow without limit.
 */
interface ZoneDays {
  readonly zone: string;
  readonly firstDenseDay: number;
  readonly dense: (LocalDay | undefined)[];
  readonly sparse: Map<number, LocalDay>;
}

/** About 22 years, centred on the first day asked about: 64 KiB of slots per zone. */
const DENSE_DAYS = 8_192;
const MAX_SPARSE_DAYS_PER_ZONE = 50_000;
const daysByZone = new Map<string, ZoneDays>();
// Hot loops ask about one zone many times in a row: remember it so each lookup is by day number only.
let lastZoneDays: ZoneDays | undefined;

function daysOfZone(zone: string, epochDay: number): ZoneDays {
  if (lastZoneDays !== undefined && lastZoneDays.zone === zone) return lastZoneDays;
  let days = daysByZone.get(zone);
  if (!days) {
    // Resolve first: an unknown zone throws here and leaves nothing cached.
    const day = resolveLocalDay(zone, epochDay);
    days = {
      zone,
      firstDenseDay: epochDay - DENSE_DAYS / 2,
      dense: new Array<LocalDay | undefined>(DENSE_DAYS).fill(undefined),
      sparse: new Map(),
    };
    days.dense[DENSE_DAYS / 2] = day;
    daysByZone.set(zone, days);
  }
  lastZoneDays = days;
  return days;
}

export function localDay(zone: string, epochDay: number): LocalDay {
  const days = daysOfZone(zone, epochDay);
  const index = epochDay - days.firstDenseDay;
  if (index >= 0 && index < DENSE_DAYS && (index | 0) === index) {
    let day = days.dense[index];
    if (day === undefined) {
      day = resolveLocalDay(zone, epochDay);
      days.dense[index] = day;
    }
    return day;
  }
  const cached = days.sparse.get(epochDay);
  if (cached) return cached;
  const day = resolveLocalDay(zone, epochDay);
  if (days.sparse.size >= MAX_SPARSE_DAYS_PER_ZONE) days.sparse.clear();
  days.sparse.set(epochDay, day);
  return day;
}

/** Local date (epoch day) on which an instant falls; offsets stay within a day, so it is the UTC day or a neighbour. */
export function localEpochDayOf(zone: string, instantMs: number): number {
  const utcDay = Math.floor(instantMs / MS_PER_DAY);
  if (instantMs < localDay(zone, utcDay).startMs) return utcDay - 1;
  if (instantMs >= localDay(zone, utcDay).endMs) return utcDay + 1;
  return utcDay;
}

function offsetOnDayMs(day: LocalDay, instantMs: number): number {
  return instantMs < day.transitionMs ? day.offsetBeforeMs : day.offsetAfterMs;
}

/** UTC offset in minutes (local = UTC + offset) at an instant. */
export function zoneOffsetMinutes(zone: string, instantMs: number): number {
  return offsetOnDayMs(localDay(zone, localEpochDayOf(zone, instantMs)), instantMs) / MS_PER_MINUTE;
}

/** Local date and minute of day (0..1439) of an instant. */
export function instantToLocal(zone: string, instantMs: number): LocalTime {
  const epochDay = localEpochDayOf(zone, instantMs);
  const localMs = instantMs + offsetOnDayMs(localDay(zone, epochDay), instantMs);
  return { epochDay, minuteOfDay: Math.floor((localMs - epochDay * MS_PER_DAY) / MS_PER_MINUTE) };
}

/**
 * Instant of a local wall time with Temporal's 'compatible' disambiguation. minuteOfDay may run past the
 * day (1440 is the next midnight), so '24:00' needs no special case.
 */
export function localToInstant(zone: string, epochDay: number, minuteOfDay: number): number {
  const carriedDays = Math.floor(minuteOfDay / MINUTES_PER_DAY);
  const dayNumber = epochDay + carriedDays;
  const day = localDay(zone, dayNumber);
  const localMs = dayNumber * MS_PER_DAY + (minuteOfDay - carriedDays * MINUTES_PER_DAY) * MS_PER_MINUTE;
  return localMs - (localMs < day.switchLocalMs ? day.offsetBeforeMs : day.offsetAfterMs);
}
