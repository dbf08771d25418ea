/** fast-check generators for random but realistic schedules, shared by the working-hours and slot tests. */
import fc from 'fast-check';
import { epochDayFromIsoDate, hhMmFromMinuteOfDay, type IsoWeekday, isoDateFromEpochDay } from './calendar-date.js';
import { ORACLE_ZONES } from './luxon-oracle.test-support.js';
import type { DateOverride, LocalSpan, WeeklyRule } from './working-hours.js';

export const DAY = 86_400_000;
export const LOCATIONS = ['mobile', 'studio:a'] as const;

/** Offset change days of the oracle zones, where mistakes would hide, plus ordinary days around them. */
const CHANGE_DATES = [
  '2026-03-08',
  '2026-11-01',
  '2026-03-29',
  '2026-10-25',
  '2026-04-05',
  '2026-10-04',
  '2026-09-27',
  '2018-11-04',
  '2019-02-16',
];

export const zones = fc.constantFrom(...ORACLE_ZONES);
export const locations = fc.constantFrom(...LOCATIONS);

export const baseDays = fc.oneof(
  fc
    .tuple(fc.constantFrom(...CHANGE_DATES), fc.integer({ min: -2, max: 1 }))
    .map(([iso, shift]) => epochDayFromIsoDate(iso)! + shift),
  fc.integer({ min: epochDayFromIsoDate('2024-01-01')!, max: epochDayFromIsoDate('2030-12-31')! }),
);

/** Local spans of 5 minutes to 12 hours on a 5-minute grid, from 00:00 up to 24:00. */
export const spans: fc.Arbitrary<LocalSpan> = fc
  .tuple(fc.integer({ min: 0, max: 287 }), fc.integer({ min: 1, max: 144 }))
  .map(([start, length]) => ({
    start: hhMmFromMinuteOfDay(start * 5),
    end: hhMmFromMinuteOfDay(Math.min(288, start + length) * 5),
  }));

/** Between `minPerWeekday` and two more rules for each weekday, at random locations. */
export const weeklyRules = (minPerWeekday = 0): fc.Arbitrary<WeeklyRule[]> => {
  const dayRules = (weekday: IsoWeekday) =>
    fc.array(
      fc.tuple(locations, spans).map(([location, span]) => ({ weekday, location, ...span })),
      { minLength: minPerWeekday, maxLength: minPerWeekday + 2 },
    );
  return fc.tuple(...([1, 2, 3, 4, 5, 6, 7] as const).map(dayRules)).map((days) => days.flat());
};

export function overridesAround(baseDay: number): fc.Arbitrary<DateOverride[]> {
  const date = fc.integer({ min: -1, max: 3 }).map((shift) => isoDateFromEpochDay(baseDay + shift));
  const off = fc.record({
    date,
    kind: fc.constant('off' as const),
    // Mostly partial time off: a whole day off (no intervals) leaves little to check.
    intervals: fc.option(fc.array(spans, { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 5 }),
  });
  const extra = fc.record({
    date,
    kind: fc.constant('extra' as const),
    intervals: fc.array(
      fc.tuple(locations, spans).map(([location, span]) => ({ location, ...span })),
      { minLength: 1, maxLength: 2 },
    ),
  });
  return fc.array(fc.oneof(off, extra), { maxLength: 3 });
}
