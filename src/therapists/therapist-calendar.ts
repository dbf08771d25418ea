import { type Kysely, type Transaction, sql } from 'kysely';
import type { DB } from '../schema.js';
import { epochDayFromIsoDate, isoDateFromEpochDay } from '../scheduling/engine/calendar-date.js';
import type { SlotRules } from '../scheduling/engine/slots.js';
import type { GeoPoint } from '../scheduling/engine/travel.js';
import {
  type DateOverride,
  type LocationKey,
  type PreparedHours,
  prepareHours,
  type WeeklyRule,
  workingIntervals,
} from '../scheduling/engine/working-hours.js';
import { localDay, localToInstant } from '../scheduling/engine/zoned-time.js';

type Db = Kysely<DB> | Transaction<DB>;

const DAY = 86_400_000;

/** What the slot engine needs to know about one therapist, apart from the bookings. */
export interface TherapistCalendar {
  therapistId: string;
  zone: string;
  weekly: WeeklyRule[];
  overrides: DateOverride[];
  /** `weekly` and `overrides` parsed once, for the slot engine; build with `prepareHours(weekly, overrides)`. */
  hours: PreparedHours;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  minNoticeMin: number;
  windowDays: number;
  travelSpeedKmh: number;
  licenceExpiresOn: string;
}

export interface CalendarRow {
  user_id: string;
  time_zone: string;
  weekly_hours: WeeklyRule[];
  buffer_before_min: number;
  buffer_after_min: number;
  min_notice_min: number;
  booking_window_days: number;
  travel_speed_kmh: number;
  licence_expires_on: string | null;
}

export function calendarOf(row: CalendarRow, overrides: DateOverride[]): TherapistCalendar {
  return {
    therapistId: row.user_id,
    zone: row.time_zone,
    weekly: row.weekly_hours,
    overrides,
    hours: prepareHours(row.weekly_hours, overrides),
    bufferBeforeMin: row.buffer_before_min,
    bufferAfterMin: row.buffer_after_min,
    minNoticeMin: row.min_notice_min,
    windowDays: row.booking_window_days,
    travelSpeedKmh: row.travel_speed_kmh,
    licenceExpiresOn: row.licence_expires_on ?? '0000-01-01',
  };
}

/** A stored override as the engine reads it. */
export const dateOverrideOf = (row: {
  on_date: string;
  kind: DateOverride['kind'];
  intervals: NonNullable<DateOverride['intervals']>;
}) => ({ date: row.on_date, kind: row.kind, intervals: row.intervals }) as DateOverride;

/** The dates ('YYYY-MM-DD') whose overrides can touch [from, to) in any zone: a day of slack each side. */
export function overrideDates(from: number, to: number): { from: string; to: string } {
  return { from: new Date(from - DAY).toISOString().slice(0, 10), to: new Date(to + DAY).toISOString().slice(0, 10) };
}

/** Overrides for the therapists on the dates that can touch [from, to) in any zone (a day of slack each side). */
export async function loadOverrides(db: Db, therapistIds: string[], from: number, to: number) {
  const byTherapist = new Map<string, DateOverride[]>();
  if (therapistIds.length === 0) return byTherapist;
  const dates = overrideDates(from, to);
  const rows = await db
    .selectFrom('schedule_overrides')
    .select(['therapist_id', 'on_date', 'kind', 'intervals'])
    .where('therapist_id', '=', sql<string>`ANY(${sql.val(therapistIds)}::uuid[])`)
    .where('on_date', '>=', dates.from)
    .where('on_date', '<=', dates.to)
    .execute();
  for (const row of rows) {
    const override = dateOverrideOf(row);
    const list = byTherapist.get(row.therapist_id);
    if (list) list.push(override);
    else byTherapist.set(row.therapist_id, [override]);
  }
  return byTherapist;
}

/** The first instant the licence no longer covers: midnight after its expiry date, in the therapist's zone. */
export function licenceEndsAt(calendar: TherapistCalendar): number {
  const day = epochDayFromIsoDate(calendar.licenceExpiresOn);
  return day === null ? 0 : localToInstant(calendar.zone, day + 1, 0);
}

export interface WorkingDay {
  /** The local date, 'YYYY-MM-DD', in the therapist's zone. */
  date: string;
  /** Working intervals at every place, sorted by start; epoch ms, [start, end). */
  intervals: { location: LocationKey; start: number; end: number }[];
}

/**
 * The therapist's working time on each local date from `fromDay` to `toDay` (epoch days, inclusive), at every
 * place their weekly hours or extra hours name: for each date and place, the slot engine's own working intervals
 * (weekly hours ∪ extra hours − time off, DST-correct) clipped to that local day, so the schedule shows exactly
 * the time search and booking offer.
 */
export function workingTimeByDate(calendar: TherapistCalendar, fromDay: number, toDay: number): WorkingDay[] {
  const locations = new Set(calendar.weekly.map((rule) => rule.location));
  for (const override of calendar.overrides) {
    if (override.kind === 'extra') for (const span of override.intervals) locations.add(span.location);
  }
  const days: WorkingDay[] = [];
  for (let day = fromDay; day <= toDay; day++) {
    const { startMs, endMs } = localDay(calendar.zone, day);
    const intervals: WorkingDay['intervals'] = [];
    for (const location of locations) {
      const flat = workingIntervals({ ...calendar, location, from: startMs, to: endMs });
      for (let i = 0; i < flat.length; i += 2) intervals.push({ location, start: flat[i]!, end: flat[i + 1]! });
    }
    intervals.sort((a, b) => a.start - b.start);
    days.push({ date: isoDateFromEpochDay(day), intervals });
  }
  return days;
}

/** Engine rules for one place and duration; the session must also start before the licence ends. */
export function slotRules(
  calendar: TherapistCalendar,
  place: { location: LocationKey; point: GeoPoint | null },
  durationMin: number,
  stepMin: number,
  now: number,
): SlotRules {
  return {
    zone: calendar.zone,
    weekly: calendar.weekly,
    overrides: calendar.overrides,
    hours: calendar.hours,
    location: place.location,
    point: place.point,
    durationMin,
    stepMin,
    bufferBeforeMin: calendar.bufferBeforeMin,
    bufferAfterMin: calendar.bufferAfterMin,
    travelSpeedKmh: calendar.travelSpeedKmh,
    minNoticeMin: calendar.minNoticeMin,
    windowDays: calendar.windowDays,
    now,
  };
}
