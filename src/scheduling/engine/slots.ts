/**
 * The slot engine: bookable session starts for one therapist at one location.
 *
 * Working intervals are computed once, busy time is sorted once, and then each gap between busy intervals
 * (shrunk by buffers and travel at its edges) is intersected with the working intervals and filled with
 * aligned starts. Everything is plain numbers; the output array is the only allocation that grows with
 * the number of slots.
 */
import { MS_PER_DAY, MS_PER_MINUTE } from './calendar-date.js';
import { type GeoPoint, travelMinutes } from './travel.js';
import {
  type DateOverride,
  type LocationKey,
  type PreparedHours,
  prepareHours,
  type WeeklyRule,
  writeWorkingIntervals,
} from './working-hours.js';
import { localDay, localEpochDayOf } from './zoned-time.js';

/** An existing booking already widened by its own buffers: [start - bufferBefore, end + bufferAfter). */
export interface BusyInterval {
  start: number;
  end: number;
  point: GeoPoint | null;
}

/** Everything that decides whether a start is bookable, apart from the busy time and the search range. */
export interface SlotRules {
  zone: string;
  weekly: readonly WeeklyRule[];
  overrides: readonly DateOverride[];
  /** `weekly` and `overrides` parsed once (`prepareHours`), as a calendar keeps them; parsed per call when absent. */
  hours?: PreparedHours;
  location: LocationKey;
  /** Where this session would happen: the studio, or the client's address for a mobile visit. */
  point: GeoPoint | null;
  durationMin: number;
  /** Starts fall on local wall-clock multiples of this many minutes after midnight. */
  stepMin: number;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  travelSpeedKmh: number;
  minNoticeMin: number;
  windowDays: number;
  now: number;
}

export interface SlotQuery extends SlotRules {
  /** Only starts in [from, to) are returned. */
  from: number;
  to: number;
  /** Must not overlap each other; may be unsorted unless `busySorted` says otherwise. */
  busy: readonly BusyInterval[];
  /** The caller guarantees `busy` is sorted by start (a cache keeps it so), which spares a check per call. */
  busySorted?: boolean;
  /** Stop after this many slots (1 = the earliest only). */
  limit?: number;
}

/**
 * Sorted starts s such that [s, s + duration) lies inside one working interval, the local time of s is
 * aligned to the step, notice, booking window and [from, to) are respected, and the buffered session plus
 * travel from the previous busy place and to the next one fits between the neighbouring busy intervals.
 */
export function availableSlots(q: SlotQuery): number[] {
  assertSlotRules(q);
  const firstStart = firstStartOf(q);
  const startsBefore = startsBeforeOf(q);
  if (firstStart >= startsBefore) return [];
  const count = writeWorkingIntervals(
    workingScratch,
    q.zone,
    q.hours ?? prepareHours(q.weekly, q.overrides),
    q.location,
    firstStart,
    startsBefore + q.durationMin * MS_PER_MINUTE,
  );
  return walkSlots(workingScratch, count, q);
}

/**
 * The working intervals of the call under way: the engine is synchronous and calls nothing that could call it
 * back, so one array serves every call instead of two allocated per call (built, then clipped).
 */
const workingScratch: number[] = [];

/**
 * The same slots as `availableSlots`, from working intervals computed beforehand for this location (for
 * example cached over a horizon that covers [from, to + duration)); they need not be clipped to the query.
 */
export function slotsWithin(working: readonly number[], q: SlotQuery): number[] {
  assertSlotRules(q);
  return walkSlots(working, working.length, q);
}

const firstStartOf = (q: SlotQuery) => Math.max(q.from, q.now + q.minNoticeMin * MS_PER_MINUTE);
const startsBeforeOf = (q: SlotQuery) => Math.min(q.to, q.now + q.windowDays * MS_PER_DAY);

/** Slots from the first `workingLength` numbers of `working` (flat, normalised intervals). */
function walkSlots(working: readonly number[], workingLength: number, q: SlotQuery): number[] {
  const slots: number[] = [];
  const limit = q.limit ?? Infinity;
  const firstStart = firstStartOf(q);
  const startsBefore = startsBeforeOf(q);
  if (firstStart >= startsBefore || limit <= 0) return slots;

  const durationMs = q.durationMin * MS_PER_MINUTE;
  const bufferBeforeMs = q.bufferBeforeMin * MS_PER_MINUTE;
  const bufferAfterMs = q.bufferAfterMin * MS_PER_MINUTE;
  const stepMs = q.stepMin * MS_PER_MINUTE;
  const { point, travelSpeedKmh } = q;
  const busy = q.busySorted ? q.busy : sortedByStart(q.busy);

  // Gaps before the first booking starting at or after firstStart cannot hold a slot: start the walk there,
  // with the furthest-reaching earlier booking as the previous one (for its end and the travel from it).
  const first = firstStartingAtOrAfter(busy, firstStart);
  let w = 0;
  let prevEnd = -Infinity;
  let prevPoint: GeoPoint | null = null;
  for (let i = 0; i < first; i++) {
    if (busy[i]!.end > prevEnd) {
      prevEnd = busy[i]!.end;
      prevPoint = busy[i]!.point;
    }
  }
  // Travel is worked out only for gaps that could hold a session without it (travel only narrows a gap), and
  // once per booking: the trip to a booking, known when it was the next one, is the trip back from it as the
  // previous one (travelMinutes is symmetric). -1: not worked out yet.
  let prevTravelMs = -1;
  for (let i = first; i <= busy.length && w < workingLength; i++) {
    const next = i < busy.length ? busy[i]! : undefined;
    // prevEnd only grows (earliest need not: travel from a far place can push one gap's start past the next
    // gap's), so a working interval that cannot start a session after prevEnd is done with for good.
    const floor = Math.max(prevEnd, firstStart);
    while (w < workingLength && working[w + 1]! - durationMs < floor) w += 2;
    // Nothing later can start before startsBefore: the working intervals left all begin after it, or every gap
    // from here on begins after the furthest busy end, which is past it (both only grow). A calendar with no
    // start in the range is then done at its end, not after walking every later booking.
    if (w >= workingLength || working[w]! >= startsBefore || prevEnd >= startsBefore) break;
    let nextTravelMs = -1;
    // The gap's bounds without travel: wider than with it, so if they hold no start, neither does the gap.
    const latestWithoutTravel = next ? next.start - bufferAfterMs - durationMs : Infinity;
    if (Math.max(firstStart, prevEnd + bufferBeforeMs) <= latestWithoutTravel && working[w]! <= latestWithoutTravel) {
      if (prevTravelMs < 0) prevTravelMs = travelMs(prevPoint, point, travelSpeedKmh);
      if (next) nextTravelMs = travelMs(point, next.point, travelSpeedKmh);
      const earliest = Math.max(firstStart, prevEnd + prevTravelMs + bufferBeforeMs);
      const latest = next ? next.start - nextTravelMs - bufferAfterMs - durationMs : Infinity;
      for (let k = w; k < workingLength && working[k]! <= latest && working[k]! < startsBefore; k += 2) {
        const from = Math.max(earliest, working[k]!);
        const through = Math.min(latest, working[k + 1]! - durationMs, startsBefore - 1);
        pushAlignedStarts(slots, q.zone, stepMs, from, through, limit);
        if (slots.length >= limit) return slots;
      }
    }
    // Busy intervals never overlap, but tracking the furthest end keeps the engine safe if some do.
    if (next && next.end > prevEnd) {
      prevEnd = next.end;
      prevPoint = next.point;
      prevTravelMs = nextTravelMs;
    }
  }
  return slots;
}

/** Whether a requested start would be offered, ignoring other bookings unless `busy` is given. */
export function isSlotOffered(rules: SlotRules & { busy?: readonly BusyInterval[] }, start: number): boolean {
  const found = availableSlots({ ...rules, busy: rules.busy ?? [], from: start, to: start + 1, limit: 1 });
  return found[0] === start;
}

function travelMs(from: GeoPoint | null, to: GeoPoint | null, speedKmh: number): number {
  return travelMinutes(from, to, speedKmh) * MS_PER_MINUTE;
}

function firstStartingAtOrAfter(busy: readonly BusyInterval[], instant: number): number {
  let low = 0;
  let high = busy.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (busy[mid]!.start < instant) low = mid + 1;
    else high = mid;
  }
  return low;
}

function sortedByStart(busy: readonly BusyInterval[]): readonly BusyInterval[] {
  for (let i = 1; i < busy.length; i++) {
    if (busy[i]!.start < busy[i - 1]!.start) return [...busy].sort((a, b) => a.start - b.start);
  }
  return busy;
}

/**
 * Appends the starts in [from, through] whose local wall-clock time is a multiple of stepMs after local
 * midnight. Within a stretch of constant offset these form an arithmetic progression, so each local day
 * costs one modulo per stretch (two on a DST change day) and no conversions per start.
 */
function pushAlignedStarts(
  slots: number[],
  zone: string,
  stepMs: number,
  from: number,
  through: number,
  limit: number,
): void {
  if (from > through) return;
  // Instants are whole milliseconds, so `end - 1` is the last instant of a stretch ending at `end`.
  for (let epochDay = localEpochDayOf(zone, from); ; epochDay++) {
    const day = localDay(zone, epochDay);
    const midnightMs = epochDay * MS_PER_DAY;
    const beforeFrom = Math.max(from, day.startMs);
    const beforeThrough = Math.min(through, day.transitionMs - 1);
    pushProgression(slots, beforeFrom, beforeThrough, day.offsetBeforeMs, midnightMs, stepMs, limit);
    const afterFrom = Math.max(from, day.transitionMs);
    const afterThrough = Math.min(through, day.endMs - 1);
    pushProgression(slots, afterFrom, afterThrough, day.offsetAfterMs, midnightMs, stepMs, limit);
    if (day.endMs > through || slots.length >= limit) return;
  }
}

/** Appends the starts in [from, through] that read as whole steps after local midnight at this offset. */
function pushProgression(
  slots: number[],
  from: number,
  through: number,
  offsetMs: number,
  midnightLocalMs: number,
  stepMs: number,
  limit: number,
): void {
  const phase = (((from + offsetMs - midnightLocalMs) % stepMs) + stepMs) % stepMs;
  const first = phase === 0 ? from : from + stepMs - phase;
  for (let start = first; start <= through && slots.length < limit; start += stepMs) slots.push(start);
}

function assertSlotRules(q: SlotRules): void {
  if (!(q.durationMin > 0)) throw new RangeError(`durationMin must be positive, got ${q.durationMin}`);
  if (!(Number.isInteger(q.stepMin) && q.stepMin > 0)) {
    throw new RangeError(`stepMin must be a positive integer, got ${q.stepMin}`);
  }
  if (!(q.bufferBeforeMin >= 0 && q.bufferAfterMin >= 0)) throw new RangeError('buffers must not be negative');
  if (!(q.minNoticeMin >= 0)) throw new RangeError(`minNoticeMin must not be negative, got ${q.minNoticeMin}`);
}
