/**
 * Test-only oracles built on Luxon, independent of the engine's own calendar and zone code. Luxon takes
 * the later instant for an ambiguous wall time, so `luxonLocalToInstant` adds Temporal's 'compatible'
 * rule (the earlier one) on top.
 */
import { DateTime } from 'luxon';
import { travelMinutes } from './travel.js';
import type { BusyInterval, SlotQuery } from './slots.js';
import type { DateOverride, WeeklyRule } from './working-hours.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

export const ORACLE_ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'America/Sao_Paulo',
  'UTC',
] as const;

export function luxonOffsetMinutes(zone: string, instantMs: number): number {
  return DateTime.fromMillis(instantMs, { zone }).offset;
}

export function luxonLocal(zone: string, instantMs: number) {
  const local = DateTime.fromMillis(instantMs, { zone });
  const isoDate = local.toISODate()!;
  const epochDay = DateTime.fromISO(isoDate, { zone: 'utc' }).toMillis() / DAY;
  return { isoDate, epochDay, minuteOfDay: local.hour * 60 + local.minute };
}

export function luxonLocalToInstant(zone: string, epochDay: number, minuteOfDay: number): number {
  const wall = DateTime.fromMillis(epochDay * DAY, { zone: 'utc' }).plus({ minutes: minuteOfDay });
  const wallAsUtcMs = wall.toMillis();
  const luxonPick = DateTime.fromObject(
    { year: wall.year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute },
    { zone },
  ).toMillis();
  const nearbyOffsets = [luxonPick - DAY, luxonPick, luxonPick + DAY].map((t) => luxonOffsetMinutes(zone, t));
  const exactReadings = nearbyOffsets
    .map((offset) => wallAsUtcMs - offset * MINUTE)
    .filter((t) => t + luxonOffsetMinutes(zone, t) * MINUTE === wallAsUtcMs);
  // No instant reads this wall time (a spring-forward gap): Luxon moves it forward, as 'compatible' does.
  return exactReadings.length > 0 ? Math.min(...exactReadings) : luxonPick;
}

function parseHhMm(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return h! * 60 + m!;
}

/** Working intervals as [start, end) pairs, built from per-minute flags of each local date. */
export function oracleWorkingIntervals(
  zone: string,
  weekly: readonly WeeklyRule[],
  overrides: readonly DateOverride[],
  location: string,
  from: number,
  to: number,
): [number, number][] {
  const pieces: [number, number][] = [];
  const firstDay = luxonLocal(zone, from).epochDay - 1;
  const lastDay = luxonLocal(zone, to).epochDay + 1;
  for (let day = firstDay; day <= lastDay; day++) {
    const isoDate = DateTime.fromMillis(day * DAY, { zone: 'utc' }).toISODate()!;
    const weekday = DateTime.fromMillis(day * DAY, { zone: 'utc' }).weekday;
    const working = new Array<boolean>(1440).fill(false);
    const mark = (start: string, end: string, value: boolean) => {
      for (let m = parseHhMm(start); m < parseHhMm(end); m++) working[m] = value;
    };
    for (const rule of weekly) {
      if (rule.weekday === weekday && rule.location === location) mark(rule.start, rule.end, true);
    }
    const todays = overrides.filter((o) => o.date === isoDate);
    for (const o of todays) {
      if (o.kind === 'extra') for (const s of o.intervals) if (s.location === location) mark(s.start, s.end, true);
    }
    for (const o of todays) {
      if (o.kind !== 'off') continue;
      if (!o.intervals || o.intervals.length === 0) mark('00:00', '24:00', false);
      else for (const s of o.intervals) mark(s.start, s.end, false);
    }
    for (let m = 0; m < 1440; m++) {
      if (!working[m] || (m > 0 && working[m - 1])) continue;
      let end = m;
      while (end < 1440 && working[end]) end++;
      pieces.push([luxonLocalToInstant(zone, day, m), luxonLocalToInstant(zone, day, end)]);
    }
  }
  pieces.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of pieces) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else if (start < end) merged.push([start, end]);
  }
  return merged
    .map(([start, end]): [number, number] => [Math.max(start, from), Math.min(end, to)])
    .filter(([start, end]) => start < end);
}

/**
 * The slow, literal reading of the slot rules: every whole minute in [from, to) is tried on its own.
 * Assumes zone offsets in whole minutes, which holds for every zone the tests use.
 */
export function oracleSlots(q: SlotQuery): number[] {
  const working = oracleWorkingIntervals(q.zone, q.weekly, q.overrides, q.location, q.from - DAY, q.to + 2 * DAY);
  const slots: number[] = [];
  for (let t = Math.ceil(q.from / MINUTE) * MINUTE; t < q.to; t += MINUTE) {
    if (oracleAccepts(q, working, t)) slots.push(t);
  }
  return slots.slice(0, q.limit ?? Infinity);
}

export function oracleAccepts(q: Omit<SlotQuery, 'from' | 'to'>, working: [number, number][], t: number): boolean {
  const duration = q.durationMin * MINUTE;
  if (t < q.now + q.minNoticeMin * MINUTE || t >= q.now + q.windowDays * DAY) return false;
  if (!working.some(([start, end]) => start <= t && t + duration <= end)) return false;
  const local = DateTime.fromMillis(t, { zone: q.zone });
  if (local.second !== 0 || local.millisecond !== 0 || (local.hour * 60 + local.minute) % q.stepMin !== 0) return false;
  const blockedStart = t - q.bufferBeforeMin * MINUTE;
  const blockedEnd = t + duration + q.bufferAfterMin * MINUTE;
  if (q.busy.some((b) => b.start < blockedEnd && blockedStart < b.end)) return false;
  const prev = maxBy(
    q.busy.filter((b) => b.end <= blockedStart),
    (b) => b.end,
  );
  const next = maxBy(
    q.busy.filter((b) => b.start >= blockedEnd),
    (b) => -b.start,
  );
  const travel = (a: BusyInterval['point'], b: BusyInterval['point']) => travelMinutes(a, b, q.travelSpeedKmh) * MINUTE;
  if (prev?.point && blockedStart < prev.end + travel(prev.point, q.point)) return false;
  if (next?.point && blockedEnd + travel(q.point, next.point) > next.start) return false;
  return true;
}

function maxBy(items: BusyInterval[], key: (b: BusyInterval) => number): BusyInterval | undefined {
  let best: BusyInterval | undefined;
  for (const item of items) if (!best || key(item) > key(best)) best = item;
  return best;
}
