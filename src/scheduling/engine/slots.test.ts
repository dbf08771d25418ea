import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { epochDayFromIsoDate, type IsoWeekday } from './calendar-date.js';
import { luxonLocal, oracleAccepts, oracleSlots, oracleWorkingIntervals } from './luxon-oracle.test-support.js';
import { baseDays, DAY, locations, overridesAround, weeklyRules, zones } from './schedule-arbitraries.test-support.js';
import { availableSlots, type BusyInterval, isSlotOffered, type SlotQuery, slotsWithin } from './slots.js';
import { travelMinutes } from './travel.js';
import { prepareHours, type WeeklyRule, workingIntervals } from './working-hours.js';
import { localToInstant } from './zoned-time.js';

const MINUTE = 60_000;
const STUDIO = 'studio:5f0c';
const STUDIO_POINT = { lat: 51.5155, lng: -0.1419 };
/** 20 km due north of the studio. */
const FAR_HOME = { lat: STUDIO_POINT.lat + (20 / 6371.0088) * (180 / Math.PI), lng: STUDIO_POINT.lng };

const everyDay = (start: string, end: string, location = STUDIO): WeeklyRule[] =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday: weekday as IsoWeekday, start, end, location }));

/** An instant from a local date and 'HH:MM' in the zone. */
function at(zone: string, iso: string, hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return localToInstant(zone, epochDayFromIsoDate(iso)!, h! * 60 + m!);
}

/** A query for the slots on one local date, with no buffers, travel, notice or bookings unless overridden. */
function dayQuery(zone: string, iso: string, changes: Partial<SlotQuery> = {}): SlotQuery {
  return {
    zone,
    weekly: everyDay('09:00', '17:00'),
    overrides: [],
    location: STUDIO,
    point: STUDIO_POINT,
    durationMin: 60,
    stepMin: 60,
    bufferBeforeMin: 0,
    bufferAfterMin: 0,
    travelSpeedKmh: 30,
    minNoticeMin: 0,
    windowDays: 60,
    now: at(zone, iso, '00:00') - 7 * DAY,
    from: at(zone, iso, '00:00'),
    to: at(zone, iso, '24:00'),
    busy: [],
    ...changes,
  };
}

/** 'HH:00' for each hour from first to last. */
const hours = (first: number, last: number) =>
  Array.from({ length: last - first + 1 }, (_, i) => `${String(first + i).padStart(2, '0')}:00`);

const localTimes = (zone: string, slots: number[]) =>
  slots.map((t) => DateTime.fromMillis(t, { zone }).toFormat('HH:mm'));

describe('availableSlots on DST change days', () => {
  it.each([
    ['America/New_York', '2026-03-08'],
    ['America/New_York', '2026-11-01'],
    ['Europe/London', '2026-03-29'],
    ['Europe/London', '2026-10-25'],
  ])('offers 09:00..16:00 local for 09:00-17:00 in %s on %s', (zone, iso) => {
    const hourly = availableSlots(dayQuery(zone, iso));
    expect(localTimes(zone, hourly)).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
    const quarterly = availableSlots(dayQuery(zone, iso, { stepMin: 15 }));
    expect(quarterly).toHaveLength(29);
    expect(localTimes(zone, quarterly).filter((t) => !/:(00|15|30|45)$/.test(t))).toEqual([]);
  });

  it('offers the repeated hour twice when clocks fall back, and skips the missing one when they spring forward', () => {
    const zone = 'America/New_York';
    const fallBack = availableSlots(dayQuery(zone, '2026-11-01', { weekly: everyDay('00:00', '24:00') }));
    expect(fallBack).toHaveLength(25);
    expect(localTimes(zone, fallBack).slice(0, 4)).toEqual(['00:00', '01:00', '01:00', '02:00']);
    const springForward = availableSlots(dayQuery(zone, '2026-03-08', { weekly: everyDay('00:00', '24:00') }));
    expect(springForward).toHaveLength(23);
    expect(localTimes(zone, springForward).slice(0, 3)).toEqual(['00:00', '01:00', '03:00']);
  });

  it('keeps hourly starts on the hour when Lord Howe moves its clocks by 30 minutes', () => {
    const zone = 'Australia/Lord_Howe';
    const allDay = everyDay('00:00', '24:00');
    const springForward = localTimes(zone, availableSlots(dayQuery(zone, '2026-10-04', { weekly: allDay })));
    expect(springForward).toEqual(['00:00', '01:00', ...hours(3, 23)]);
    const fallBack = localTimes(zone, availableSlots(dayQuery(zone, '2026-04-05', { weekly: allDay })));
    expect(fallBack).toEqual(hours(0, 23));
  });

  it('aligns to local midnight in a zone with a 45-minute offset', () => {
    const zone = 'Pacific/Chatham';
    const slots = availableSlots(dayQuery(zone, '2026-06-15', { stepMin: 30 }));
    expect(localTimes(zone, slots)).toEqual(
      hours(9, 16)
        .flatMap((h) => [h, h.replace(':00', ':30')])
        .slice(0, -1),
    );
  });
});

describe('availableSlots with overrides', () => {
  const zone = 'Europe/London';
  const iso = '2026-06-15';

  it('offers nothing on a day off, but still the next day', () => {
    const q = dayQuery(zone, iso, { overrides: [{ date: iso, kind: 'off' }], to: at(zone, '2026-06-16', '24:00') });
    expect(availableSlots(q).map((t) => luxonLocal(zone, t).isoDate)).toEqual(new Array(8).fill('2026-06-16'));
  });

  it('keeps sessions out of partial time off', () => {
    const lunch = { start: '12:30', end: '13:00' };
    const q = dayQuery(zone, iso, { overrides: [{ date: iso, kind: 'off', intervals: [lunch] }] });
    expect(localTimes(zone, availableSlots(q))).toEqual(['09:00', '10:00', '11:00', ...hours(13, 16)]);
  });

  it('adds extra hours', () => {
    const q = dayQuery(zone, iso, {
      weekly: [],
      overrides: [{ date: iso, kind: 'extra', intervals: [{ start: '18:00', end: '20:30', location: STUDIO }] }],
    });
    expect(localTimes(zone, availableSlots(q))).toEqual(['18:00', '19:00']);
  });
});

describe('availableSlots around bookings', () => {
  const zone = 'Europe/London';
  const iso = '2026-06-15';
  const busy = (start: string, end: string, point: BusyInterval['point']): BusyInterval => ({
    start: at(zone, iso, start),
    end: at(zone, iso, end),
    point,
  });

  it('leaves 40 minutes between two home visits 20 km apart at 30 km/h', () => {
    expect(travelMinutes(STUDIO_POINT, FAR_HOME, 30)).toBe(40);
    const q = dayQuery(zone, iso, {
      location: 'mobile',
      weekly: everyDay('09:00', '17:00', 'mobile'),
      point: FAR_HOME,
      stepMin: 5,
      busy: [busy('14:00', '15:00', STUDIO_POINT), busy('09:00', '10:00', STUDIO_POINT)],
    });
    const times = localTimes(zone, availableSlots(q));
    expect(times[0]).toBe('10:40');
    expect(times).toContain('12:20');
    expect(times).not.toContain('12:25');
    expect(times[times.indexOf('12:20') + 1]).toBe('15:40');
    expect(times.at(-1)).toBe('16:00');
    expect(times).toHaveLength(21 + 5);
  });

  it('needs no travel between sessions at the same studio, but keeps the buffers', () => {
    const bookings = [busy('09:00', '10:00', STUDIO_POINT), busy('12:00', '13:00', STUDIO_POINT)];
    const q = dayQuery(zone, iso, { stepMin: 15, busy: bookings });
    expect(localTimes(zone, availableSlots(q)).slice(0, 5)).toEqual(['10:00', '10:15', '10:30', '10:45', '11:00']);
    const buffered = availableSlots({ ...q, bufferBeforeMin: 15, bufferAfterMin: 15 });
    expect(localTimes(zone, buffered).slice(0, 3)).toEqual(['10:15', '10:30', '10:45']);
  });

  it('measures travel from the latest booking only, even right after a far one', () => {
    // A short call with no place straight after a distant visit: the next session need not allow for the trip.
    const q = dayQuery(zone, iso, {
      location: 'mobile',
      weekly: everyDay('09:00', '11:30', 'mobile'),
      point: STUDIO_POINT,
      stepMin: 15,
      busy: [busy('09:00', '10:00', FAR_HOME), busy('10:00', '10:15', null)],
    });
    expect(localTimes(zone, availableSlots(q))).toEqual(['10:15', '10:30']);
  });

  it('adds no travel next to a booking whose place is unknown', () => {
    const q = dayQuery(zone, iso, { point: FAR_HOME, stepMin: 5, busy: [busy('09:00', '10:00', null)] });
    expect(localTimes(zone, availableSlots(q))[0]).toBe('10:00');
  });

  it('respects notice and the booking window', () => {
    const now = at(zone, iso, '09:10');
    const noticed = availableSlots(dayQuery(zone, iso, { now, minNoticeMin: 60, stepMin: 15 }));
    expect(localTimes(zone, noticed)[0]).toBe('10:15');
    const twoDays = { to: at(zone, '2026-06-17', '00:00') };
    const windowed = availableSlots(dayQuery(zone, iso, { now, windowDays: 1, stepMin: 5, ...twoDays }));
    expect(localTimes(zone, windowed).slice(-3)).toEqual(['16:00', '09:00', '09:05']);
  });

  it('refuses a query that makes no sense rather than guessing', () => {
    expect(() => availableSlots(dayQuery(zone, iso, { stepMin: 0 }))).toThrow(RangeError);
    expect(() => availableSlots(dayQuery(zone, iso, { stepMin: 7.5 }))).toThrow(RangeError);
    expect(() => availableSlots(dayQuery(zone, iso, { durationMin: 0 }))).toThrow(RangeError);
    expect(() => availableSlots(dayQuery(zone, iso, { bufferAfterMin: -5 }))).toThrow(RangeError);
    expect(() => availableSlots(dayQuery(zone, iso, { minNoticeMin: -1 }))).toThrow(RangeError);
  });

  it('stops at the limit', () => {
    const q = dayQuery(zone, iso, { stepMin: 15, busy: [busy('09:00', '10:00', STUDIO_POINT)] });
    expect(availableSlots({ ...q, limit: 1 })).toEqual([at(zone, iso, '10:00')]);
    expect(availableSlots({ ...q, limit: 3 })).toEqual(availableSlots(q).slice(0, 3));
  });
});

describe('isSlotOffered', () => {
  const zone = 'Europe/London';
  const iso = '2026-06-15';
  const rules = dayQuery(zone, iso, { stepMin: 15 });

  it('accepts aligned starts inside working hours and refuses the rest', () => {
    expect(isSlotOffered(rules, at(zone, iso, '10:15'))).toBe(true);
    expect(isSlotOffered(rules, at(zone, iso, '16:00'))).toBe(true);
    expect(isSlotOffered(rules, at(zone, iso, '10:05'))).toBe(false);
    expect(isSlotOffered(rules, at(zone, iso, '10:15') + 1)).toBe(false);
    expect(isSlotOffered(rules, at(zone, iso, '16:15'))).toBe(false);
    expect(isSlotOffered(rules, at(zone, iso, '08:45'))).toBe(false);
    const halfHourNotice = { ...rules, now: at(zone, iso, '10:00'), minNoticeMin: 30 };
    expect(isSlotOffered(halfHourNotice, at(zone, iso, '10:15'))).toBe(false);
    expect(isSlotOffered(halfHourNotice, at(zone, iso, '10:30'))).toBe(true);
  });

  it('checks bookings only when given them', () => {
    const busy = [{ start: at(zone, iso, '11:00'), end: at(zone, iso, '12:00'), point: null }];
    expect(isSlotOffered(rules, at(zone, iso, '10:30'))).toBe(true);
    expect(isSlotOffered({ ...rules, busy }, at(zone, iso, '10:30'))).toBe(false);
  });
});

describe('availableSlots properties', () => {
  const nearLondon = fc.record({
    lat: fc.double({ min: 51.3, max: 51.7, noNaN: true }),
    lng: fc.double({ min: -0.4, max: 0.2, noNaN: true }),
  });
  const places = fc.oneof(fc.constant(null), fc.constant(STUDIO_POINT), nearLondon);
  const minutes = (values: number[]) => fc.constantFrom(...values);

  /** Bookings that never overlap, on a one-minute grid, starting a day before the base date. */
  const bookings = (baseDay: number) =>
    fc
      .array(
        fc.record({ gap: fc.integer({ min: 0, max: 600 }), length: fc.integer({ min: 15, max: 180 }), point: places }),
        { maxLength: 10 },
      )
      .map((list) => {
        let cursor = (baseDay - 1) * DAY;
        return list.map(({ gap, length, point }): BusyInterval => {
          const start = cursor + gap * MINUTE;
          cursor = start + length * MINUTE;
          return { start, end: cursor, point };
        });
      })
      .chain((list) => fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }));

  const queries: fc.Arbitrary<SlotQuery> = baseDays.chain((baseDay) =>
    fc
      .record({
        zone: zones,
        weekly: weeklyRules(2),
        overrides: overridesAround(baseDay),
        location: locations,
        point: places,
        durationMin: minutes([60, 90, 120]),
        stepMin: minutes([5, 7, 10, 15, 20, 25, 30, 60]),
        bufferBeforeMin: minutes([0, 5, 10, 15, 30]),
        bufferAfterMin: minutes([0, 5, 10, 15, 30]),
        travelSpeedKmh: minutes([15, 30, 50]),
        minNoticeMin: fc.integer({ min: 0, max: 6 * 60 }),
        windowDays: fc.integer({ min: 1, max: 10 }),
        nowBeforeFromMs: fc.integer({ min: -DAY / 8, max: DAY }),
        from: fc.integer({ min: (baseDay - 1) * DAY, max: (baseDay + 1) * DAY }),
        rangeMs: fc.integer({ min: DAY, max: 3 * DAY }),
        busy: bookings(baseDay),
        limit: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined, freq: 4 }),
      })
      .map(({ rangeMs, nowBeforeFromMs, ...q }) => ({ ...q, now: q.from - nowBeforeFromMs, to: q.from + rangeMs })),
  );

  const blockedRange = (q: SlotQuery, s: number) =>
    [s - q.bufferBeforeMin * MINUTE, s + (q.durationMin + q.bufferAfterMin) * MINUTE] as const;
  const RUNS = { numRuns: 300 };

  it('gives the same slots from working intervals computed beforehand over a wider horizon', () => {
    fc.assert(
      fc.property(
        queries,
        fc.integer({ min: 0, max: 2 * DAY }),
        fc.integer({ min: 0, max: 2 * DAY }),
        (q, before, after) => {
          const horizon = workingIntervals({ ...q, from: q.from - before - DAY, to: q.to + after + DAY });
          expect(slotsWithin(horizon, q)).toEqual(availableSlots(q));
        },
      ),
      RUNS,
    );
  });

  it('gives the same slots from hours parsed once (prepareHours) and bookings sorted beforehand', () => {
    fc.assert(
      fc.property(queries, (q) => {
        const expected = availableSlots(q);
        const hours = prepareHours(q.weekly, q.overrides);
        const sorted = [...q.busy].sort((a, b) => a.start - b.start);
        expect(availableSlots({ ...q, hours })).toEqual(expected);
        expect(availableSlots({ ...q, hours, busy: sorted, busySorted: true })).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('(a) never overlaps busy time with a buffered session', () => {
    fc.assert(
      fc.property(queries, (q) => {
        for (const s of availableSlots(q)) {
          const [blockedStart, blockedEnd] = blockedRange(q, s);
          for (const b of q.busy) {
            expect(b.start >= blockedEnd || b.end <= blockedStart, `${s} vs ${b.start}-${b.end}`).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('(b) puts every session inside one working interval built independently with Luxon', () => {
    fc.assert(
      fc.property(queries, (q) => {
        const working = oracleWorkingIntervals(q.zone, q.weekly, q.overrides, q.location, q.from - DAY, q.to + 2 * DAY);
        for (const s of availableSlots(q)) {
          const end = s + q.durationMin * MINUTE;
          expect(
            working.some(([a, b]) => a <= s && end <= b),
            `${s}`,
          ).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('(c) leaves travel time after the previous booking and before the next one', () => {
    fc.assert(
      fc.property(queries, (q) => {
        for (const s of availableSlots(q)) {
          const [blockedStart, blockedEnd] = blockedRange(q, s);
          const before = q.busy.filter((b) => b.end <= blockedStart).sort((x, y) => y.end - x.end)[0];
          const after = q.busy.filter((b) => b.start >= blockedEnd).sort((x, y) => x.start - y.start)[0];
          const travel = (a: BusyInterval['point'], b: BusyInterval['point']) =>
            travelMinutes(a, b, q.travelSpeedKmh) * MINUTE;
          if (before?.point) expect(blockedStart).toBeGreaterThanOrEqual(before.end + travel(before.point, q.point));
          if (after?.point) expect(blockedEnd + travel(q.point, after.point)).toBeLessThanOrEqual(after.start);
        }
      }),
      RUNS,
    );
  });

  it('(d) respects notice, window, range, step alignment, order and limit', () => {
    fc.assert(
      fc.property(queries, (q) => {
        const slots = availableSlots(q);
        expect(slots.length).toBeLessThanOrEqual(q.limit ?? Infinity);
        slots.forEach((s, i) => {
          expect(s).toBeGreaterThanOrEqual(Math.max(q.from, q.now + q.minNoticeMin * MINUTE));
          expect(s).toBeLessThan(Math.min(q.to, q.now + q.windowDays * DAY));
          const local = DateTime.fromMillis(s, { zone: q.zone });
          expect(local.second * 1000 + local.millisecond).toBe(0);
          expect((local.hour * 60 + local.minute) % q.stepMin).toBe(0);
          if (i > 0) expect(s).toBeGreaterThan(slots[i - 1]!);
        });
      }),
      RUNS,
    );
  });

  it('(e) returns exactly the starts a minute-by-minute brute force accepts', () => {
    let runsWithSlots = 0;
    fc.assert(
      fc.property(queries, (q) => {
        const slots = availableSlots(q);
        if (slots.length > 0) runsWithSlots++;
        expect(slots).toEqual(oracleSlots(q));
      }),
      { numRuns: 200 },
    );
    // Guards the generator: agreeing on empty answers alone would prove little.
    expect(runsWithSlots).toBeGreaterThan(100);
  });

  it('isSlotOffered agrees with the brute force for any start, with or without bookings', () => {
    fc.assert(
      fc.property(queries, fc.integer({ min: 0, max: (3 * DAY) / MINUTE }), fc.boolean(), (q, minute, withBusy) => {
        const start = q.from + minute * MINUTE - (q.from % MINUTE);
        const rules = { ...q, busy: withBusy ? q.busy : [] };
        const { zone, weekly, overrides, location } = q;
        const working = oracleWorkingIntervals(zone, weekly, overrides, location, start - 2 * DAY, start + 2 * DAY);
        expect(isSlotOffered(rules, start)).toBe(oracleAccepts(rules, working, start));
      }),
      RUNS,
    );
  });
});
