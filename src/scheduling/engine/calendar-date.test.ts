import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  epochDayFromIsoDate,
  hhMmFromMinuteOfDay,
  isHhMm,
  isIsoDate,
  isoDateFromEpochDay,
  isoWeekday,
  minuteOfDayFromHhMm,
} from './calendar-date.js';

const DAY = 86_400_000;
const YEAR_1_TO_9999 = fc.integer({ min: -719_162, max: 2_932_896 });

describe('ISO dates and epoch days', () => {
  it('maps known dates', () => {
    expect(epochDayFromIsoDate('1970-01-01')).toBe(0);
    expect(epochDayFromIsoDate('1969-12-31')).toBe(-1);
    expect(epochDayFromIsoDate('2026-03-08')).toBe(20_520);
    expect(isoDateFromEpochDay(20_520)).toBe('2026-03-08');
  });

  it('agrees with the built-in proleptic Gregorian calendar for years 1..9999', () => {
    fc.assert(
      fc.property(YEAR_1_TO_9999, (day) => {
        const iso = new Date(day * DAY).toISOString().slice(0, 10);
        expect(isoDateFromEpochDay(day)).toBe(iso);
        expect(epochDayFromIsoDate(iso)).toBe(day);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects text that is not a real date', () => {
    const notDates = ['2026-02-29', '2100-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-1-01'];
    notDates.push('2026-01-01T00:00', ' 2026-01-01', '');
    for (const bad of notDates) {
      expect(epochDayFromIsoDate(bad), bad).toBeNull();
      expect(isIsoDate(bad), bad).toBe(false);
    }
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2000-02-29')).toBe(true);
  });

  it('gives ISO weekdays, Monday = 1', () => {
    expect(isoWeekday(epochDayFromIsoDate('2026-11-21')!)).toBe(6);
    expect(isoWeekday(epochDayFromIsoDate('2026-11-22')!)).toBe(7);
    expect(isoWeekday(epochDayFromIsoDate('2026-11-23')!)).toBe(1);
    fc.assert(
      fc.property(YEAR_1_TO_9999, (day) => {
        expect(isoWeekday(day)).toBe(new Date(day * DAY).getUTCDay() || 7);
      }),
    );
  });
});

describe('HH:MM times', () => {
  it('parses 00:00 through 24:00 to minutes of day', () => {
    expect(minuteOfDayFromHhMm('00:00')).toBe(0);
    expect(minuteOfDayFromHhMm('09:30')).toBe(570);
    expect(minuteOfDayFromHhMm('23:59')).toBe(1439);
    expect(minuteOfDayFromHhMm('24:00')).toBe(1440);
  });

  it('rejects anything else', () => {
    for (const bad of ['24:01', '25:00', '09:60', '9:00', '09:0', '0900', '09:00:00', ' 09:00', 'ab:cd', '']) {
      expect(minuteOfDayFromHhMm(bad), bad).toBeNull();
      expect(isHhMm(bad), bad).toBe(false);
    }
  });

  it('round-trips every minute of the day', () => {
    for (let minute = 0; minute <= 1440; minute++) {
      expect(minuteOfDayFromHhMm(hhMmFromMinuteOfDay(minute))).toBe(minute);
    }
  });
});
