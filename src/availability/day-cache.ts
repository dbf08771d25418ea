import { type BusyInterval, type SlotQuery, slotsWithin } from '../scheduling/engine/slots.js';
import type { GeoPoint } from '../scheduling/engine/travel.js';
import { workingIntervals } from '../scheduling/engine/working-hours.js';
import { localDay } from '../scheduling/engine/zoned-time.js';
import type { CachedTherapist } from './calendar-loader.js';

const MINUTE = 60_000;
/** No start on that day. */
const NONE = -1;

/** Not worked out yet. */
const UNKNOWN = -2;
/** Days a table covers from its first: a 14-day search from tomorrow fits in one. */
const TABLE_DAYS = 16;

/** One place and shape's earliest start per local day, by index from `firstDay`: a start, NONE or UNKNOWN. */
interface DayTable {
  firstDay: number;
  starts: number[];
}

/** One therapist's earliest starts per local day, valid while the same holds are live. */
interface TherapistDays {
  /** The live holds change at these instants only (one expires): the entries hold for now in [from, until). */
  validFrom: number;
  validUntil: number;
  /**
   * By place, then by duration, step and whether travel counts (one number). The place's key is the cached
   * therapist's own string (its hash is computed once); a key built per call cost more than the rest of the lookup.
   */
  tables: Map<string, Map<number, DayTable>>;
  /** The table looked up last: a search asks about one place and shape for several days in a row. */
  lastLocation: string;
  lastShape: number;
  lastTable: DayTable | undefined;
}

/**
 * Each therapist's earliest start per local day (in the therapist's zone) at a place, for a duration and step,
 * ignoring notice and booking window (the caller clips to those, as they move with the clock): what ranking
 * needs, kept until the therapist changes.
 *
 * Invalidation: entries hang off the cached therapist object, and the calendar cache replaces that object whenever
 * a change notice names the therapist (a booking, hold, cancellation, override, hours, studio or service change), so
 * the next search computes afresh. The one change without a notice is a hold lapsing: entries are kept only
 * while the set of live holds is the one they were computed with.
 *
 * With `point` null (home visits, where the client's address is the place) travel to and from the neighbouring
 * bookings is left out; travel only removes starts, so the result is then a lower bound on the day's earliest
 * start at any address, exact when it is NONE.
 */
export class DayCache {
  /**
   * Where this cache keeps its entries on each cached therapist object (so they go with it, as with a WeakMap, but
   * are read from the object search has just read anyway, not from a hash table of every therapist).
   */
  readonly #key = Symbol('earliest starts per day');
  readonly #query: SlotQuery = {
    zone: '',
    weekly: [],
    overrides: [],
    location: '',
    point: null,
    durationMin: 0,
    stepMin: 1,
    bufferBeforeMin: 0,
    bufferAfterMin: 0,
    travelSpeedKmh: 1,
    minNoticeMin: 0,
    windowDays: 2,
    now: 0,
    from: 0,
    to: 0,
    busy: [],
    busySorted: true,
    limit: 1,
  };

  /**
   * The therapist's earliest start on local day `epochDay` at `location`, or undefined if there is none.
   * `busy` is busyAt(therapist, now): bookings, other calendars and the holds live at `now`.
   */
  earliestOn(
    therapist: CachedTherapist,
    location: string,
    point: GeoPoint | null,
    durationMin: number,
    stepMin: number,
    epochDay: number,
    busy: readonly BusyInterval[],
    now: number,
  ): number | undefined {
    const holder = therapist as unknown as Record<symbol, TherapistDays | undefined>;
    let days = holder[this.#key];
    if (days === undefined || now < days.validFrom || now >= days.validUntil) {
      days = {
        ...holdsWindow(therapist, now),
        tables: new Map(),
        lastLocation: '',
        lastShape: -1,
        lastTable: undefined,
      };
      holder[this.#key] = days;
    }
    const shape = (durationMin * 1440 + stepMin) * 2 + (point ? 1 : 0);
    let table = days.lastTable;
    if (table === undefined || days.lastShape !== shape || days.lastLocation !== location) {
      let byShape = days.tables.get(location);
      if (!byShape) {
        byShape = new Map();
        days.tables.set(location, byShape);
      }
      table = byShape.get(shape);
      if (!table) {
        table = { firstDay: epochDay, starts: new Array<number>(TABLE_DAYS).fill(UNKNOWN) };
        byShape.set(shape, table);
      }
      days.lastLocation = location;
      days.lastShape = shape;
      days.lastTable = table;
    }
    let index = epochDay - table.firstDay;
    if (!(index >= 0 && index < TABLE_DAYS)) {
      // Another stretch of days: start the table afresh there (a day before, for a search from today).
      table.firstDay = epochDay - 1;
      table.starts.fill(UNKNOWN);
      index = 1;
    }
    let earliest = table.starts[index]!;
    if (earliest === UNKNOWN) {
      earliest = this.#compute(therapist, location, point, durationMin, stepMin, epochDay, busy);
      table.starts[index] = earliest;
    }
    return earliest === NONE ? undefined : earliest;
  }

  #compute(
    therapist: CachedTherapist,
    location: string,
    point: GeoPoint | null,
    durationMin: number,
    stepMin: number,
    epochDay: number,
    busy: readonly BusyInterval[],
  ): number {
    const { calendar } = therapist;
    const day = localDay(calendar.zone, epochDay);
    const q = this.#query;
    q.zone = calendar.zone;
    q.location = location;
    q.point = point;
    q.durationMin = durationMin;
    q.stepMin = stepMin;
    q.bufferBeforeMin = calendar.bufferBeforeMin;
    q.bufferAfterMin = calendar.bufferAfterMin;
    q.travelSpeedKmh = calendar.travelSpeedKmh;
    // Notice and window are the caller's: here 'now' is the day's start, with no notice and a window past its end.
    q.now = day.startMs;
    q.from = day.startMs;
    q.to = day.endMs;
    q.busy = busy;
    const working = workingIntervals({
      ...calendar,
      location,
      from: day.startMs,
      to: day.endMs + durationMin * MINUTE,
    });
    return slotsWithin(working, q)[0] ?? NONE;
  }
}

/** The span of instants around `now` over which the same holds of the therapist are live. */
function holdsWindow(therapist: CachedTherapist, now: number): { validFrom: number; validUntil: number } {
  let validFrom = -Infinity;
  let validUntil = Infinity;
  for (const hold of therapist.holds) {
    if (hold.expiresAt > now) validUntil = Math.min(validUntil, hold.expiresAt);
    else validFrom = Math.max(validFrom, hold.expiresAt);
  }
  return { validFrom, validUntil };
}
