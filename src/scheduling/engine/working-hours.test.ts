import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochDayFromIsoDate } from './calendar-date.js';
import { luxonLocal, oracleWorkingIntervals } from './luxon-oracle.test-support.js';
import { baseDays, DAY, locations, overridesAround, weeklyRules, zones } from './schedule-arbitraries.test-support.js';
import {
  type DateOverride,
  prepareHours,
  type WeeklyRule,
  type WorkingHoursQuery,
  workingIntervals,
} from './working-hours.js';
import { localToInstant } from './zoned-time.js';

const HOUR = 3_600_000;
const STUDIO = 'studio:5f0c';

/** Working hours over the local date `iso` and the day after. */
function hoursFrom(iso: string, zone: string, weekly: WeeklyRule[], overrides: DateOverride[] = [], location = STUDIO) {
  const day = epochDayFromIsoDate(iso)!;
  const query: WorkingHoursQuery = {
    zone,
    weekly,
    overrides,
    location,
    from: localToInstant(zone, day, 0),
    to: localToInstant(zone, day + 2, 0),
  };
  return workingIntervals(query);
}

/** 'HH:MM-HH:MM' in local time for each interval (dates omitted; the tests use one or two days). */
function localLabels(zone: string, intervals: number[]): string[] {
  const hhmm = (t: number) => {
    const m = luxonLocal(zone, t).minuteOfDay;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  };
  const labels: string[] = [];
  for (let i = 0; i < intervals.length; i += 2) labels.push(`${hhmm(intervals[i]!)}-${hhmm(intervals[i + 1]!)}`);
  return labels;
}

const sunday = (start: string, end: string, location = STUDIO): WeeklyRule => ({ weekday: 7, start, end, location });

describe('workingIntervals on DST change days', () => {
  const changeDays = [
    ['America/New_York', '2026-03-08'],
    ['America/New_York', '2026-11-01'],
    ['Europe/London', '2026-03-29'],
    ['Europe/London', '2026-10-25'],
  ] as const;

  it.each(changeDays)('keeps 09:00-17:00 at 09:00-17:00 local in %s on %s (8 hours)', (zone, iso) => {
    const hours = hoursFrom(iso, zone, [sunday('09:00', '17:00')]);
    expect(localLabels(zone, hours)).toEqual(['09:00-17:00']);
    expect(hours[1]! - hours[0]!).toBe(8 * HOUR);
    expect(luxonLocal(zone, hours[0]!).isoDate).toBe(iso);
  });

  it.each([...changeDays.map(([zone, iso], i) => [zone, iso, i % 2 === 0 ? 23 : 25] as const)])(
    'makes 00:00-24:00 in %s on %s last %i hours',
    (zone, iso, hours) => {
      const intervals = hoursFrom(iso, zone, [sunday('00:00', '24:00')]);
      expect(intervals).toHaveLength(2);
      expect((intervals[1]! - intervals[0]!) / HOUR).toBe(hours);
    },
  );
});

describe('workingIntervals with rules and overrides', () => {
  const zone = 'Europe/London';
  // 2026-06-15 is a Monday.
  const monday = (start: string, end: string, location = STUDIO): WeeklyRule => ({ weekday: 1, start, end, location });
  const week = [monday('09:00', '12:00'), monday('13:00', '17:00'), monday('17:00', '20:00', 'mobile')];

  it('uses only the rules of the requested location', () => {
    expect(localLabels(zone, hoursFrom('2026-06-15', zone, week))).toEqual(['09:00-12:00', '13:00-17:00']);
    expect(localLabels(zone, hoursFrom('2026-06-15', zone, week, [], 'mobile'))).toEqual(['17:00-20:00']);
  });

  it('drops a whole day off, extra hours included', () => {
    const off: DateOverride[] = [
      { date: '2026-06-15', kind: 'off' },
      { date: '2026-06-15', kind: 'extra', intervals: [{ start: '20:00', end: '21:00', location: STUDIO }] },
    ];
    expect(hoursFrom('2026-06-15', zone, week, off)).toEqual([]);
    expect(hoursFrom('2026-06-15', zone, week, [{ date: '2026-06-15', kind: 'off', intervals: [] }])).toEqual([]);
    expect(hoursFrom('2026-06-15', zone, week, [{ date: '2026-06-16', kind: 'off' }])).toHaveLength(4);
  });

  it('cuts partial time off out of every location', () => {
    const intervals = [
      { start: '10:00', end: '11:30' },
      { start: '16:00', end: '18:00' },
    ];
    const off: DateOverride[] = [{ date: '2026-06-15', kind: 'off', intervals }];
    const studioHours = localLabels(zone, hoursFrom('2026-06-15', zone, week, off));
    expect(studioHours).toEqual(['09:00-10:00', '11:30-12:00', '13:00-16:00']);
    expect(localLabels(zone, hoursFrom('2026-06-15', zone, week, off, 'mobile'))).toEqual(['18:00-20:00']);
  });

  it('adds extra hours for their own location, merging with the weekly ones', () => {
    const extra: DateOverride[] = [
      {
        date: '2026-06-15',
        kind: 'extra',
        intervals: [
          { start: '12:00', end: '13:00', location: STUDIO },
          { start: '07:00', end: '08:00', location: 'mobile' },
        ],
      },
    ];
    expect(localLabels(zone, hoursFrom('2026-06-15', zone, week, extra))).toEqual(['09:00-17:00']);
  });

  it('joins hours that run across midnight', () => {
    const tuesday: WeeklyRule = { weekday: 2, start: '00:00', end: '02:00', location: STUDIO };
    const lateShift = [monday('22:00', '24:00'), tuesday];
    const intervals = hoursFrom('2026-06-15', zone, lateShift);
    expect(intervals).toHaveLength(2);
    expect(intervals[1]! - intervals[0]!).toBe(4 * HOUR);
  });

  it('clips to the requested range', () => {
    const day = epochDayFromIsoDate('2026-06-15')!;
    const from = localToInstant(zone, day, 10 * 60);
    const to = localToInstant(zone, day, 14 * 60);
    expect(workingIntervals({ zone, weekly: week, overrides: [], location: STUDIO, from, to })).toEqual([
      from,
      localToInstant(zone, day, 12 * 60),
      localToInstant(zone, day, 13 * 60),
      to,
    ]);
    expect(workingIntervals({ zone, weekly: week, overrides: [], location: STUDIO, from: to, to: from })).toEqual([]);
  });

  it('refuses malformed rules and overrides', () => {
    expect(() => hoursFrom('2026-06-15', zone, [monday('17:00', '09:00')])).toThrow(RangeError);
    expect(() => hoursFrom('2026-06-15', zone, [monday('9:00', '17:00')])).toThrow(RangeError);
    expect(() => hoursFrom('2026-06-15', zone, week, [{ date: '2026-02-30', kind: 'off' }])).toThrow(RangeError);
  });
});

describe('workingIntervals against a Luxon oracle', () => {
  it('equals per-minute flags of each local date converted with Luxon', () => {
    const scenarios = baseDays.chain((baseDay) =>
      fc.record({
        zone: zones,
        weekly: weeklyRules(),
        overrides: overridesAround(baseDay),
        location: locations,
        from: fc.integer({ min: (baseDay - 1) * DAY, max: (baseDay + 1) * DAY }),
        lengthMs: fc.integer({ min: 0, max: 4 * DAY }),
      }),
    );
    fc.assert(
      fc.property(scenarios, ({ zone, weekly, overrides, location, from, lengthMs }) => {
        const to = from + lengthMs;
        const expected = oracleWorkingIntervals(zone, weekly, overrides, location, from, to).flat();
        expect(workingIntervals({ zone, weekly, overrides, location, from, to })).toEqual(expected);
        // Parsed once (as a calendar keeps them) and read twice: `weekly` and `overrides` are not read again.
        const hours = prepareHours(weekly, overrides);
        for (let call = 0; call < 2; call++) {
          expect(workingIntervals({ zone, weekly: [], overrides: [], hours, location, from, to })).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
