import { describe, expect, it } from 'vitest';
import { epochDayFromCivil } from '../../scheduling/engine/calendar-date.js';
import { instantToLocal } from '../../scheduling/engine/zoned-time.js';
import { courseOccurrences, isoWeekdayOf, parseCourseRule } from './course-recurrence.js';

const TUESDAY = 2;

describe('parseCourseRule', () => {
  it('reads weekly and fortnightly rules', () => {
    expect(parseCourseRule('FREQ=WEEKLY;COUNT=6', TUESDAY)).toEqual({ intervalWeeks: 1, count: 6 });
    expect(parseCourseRule('RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU', TUESDAY)).toEqual({
      intervalWeeks: 2,
      count: 4,
    });
  });

  it('refuses what is not a weekly course of up to 12', () => {
    expect(parseCourseRule('FREQ=DAILY;COUNT=6', TUESDAY)).toMatchObject({ code: 'not_weekly' });
    expect(parseCourseRule('FREQ=WEEKLY;INTERVAL=3;COUNT=6', TUESDAY)).toMatchObject({ code: 'not_weekly' });
    expect(parseCourseRule('FREQ=WEEKLY;COUNT=13', TUESDAY)).toMatchObject({ code: 'count_out_of_range' });
    expect(parseCourseRule('FREQ=WEEKLY', TUESDAY)).toMatchObject({ code: 'count_out_of_range' });
    expect(parseCourseRule('FREQ=WEEKLY;UNTIL=20270101T000000Z', TUESDAY)).toMatchObject({ code: 'unsupported' });
    expect(parseCourseRule('FREQ=WEEKLY;COUNT=6;BYDAY=TU,TH', TUESDAY)).toMatchObject({ code: 'unsupported' });
    expect(parseCourseRule('FREQ=WEEKLY;COUNT=6;BYDAY=WE', TUESDAY)).toMatchObject({ code: 'unsupported' });
    expect(parseCourseRule('nonsense', TUESDAY)).toMatchObject({ code: 'unsupported' });
  });
});

describe('courseOccurrences', () => {
  it('keeps 18:00 local across the spring and autumn changes', () => {
    const zone = 'Europe/Berlin';
    // Tuesday 2027-03-16; clocks go forward on Sunday 2027-03-28.
    const first = epochDayFromCivil(2027, 3, 16);
    expect(isoWeekdayOf(first)).toBe(TUESDAY);
    const instants = courseOccurrences(zone, first, 18 * 60, { intervalWeeks: 1, count: 6 });
    expect(instants).toHaveLength(6);
    expect(instants.map((ms) => new Date(ms).toISOString())).toEqual([
      '2027-03-16T17:00:00.000Z',
      '2027-03-23T17:00:00.000Z',
      '2027-03-30T16:00:00.000Z',
      '2027-04-06T16:00:00.000Z',
      '2027-04-13T16:00:00.000Z',
      '2027-04-20T16:00:00.000Z',
    ]);
    for (const [index, ms] of instants.entries())
      expect(instantToLocal(zone, ms)).toEqual({ epochDay: first + 7 * index, minuteOfDay: 18 * 60 });

    // Autumn, fortnightly, in New York (clocks go back on Sunday 2027-11-07).
    const autumn = epochDayFromCivil(2027, 10, 26);
    const ny = courseOccurrences('America/New_York', autumn, 18 * 60, { intervalWeeks: 2, count: 3 });
    expect(ny.map((ms) => new Date(ms).toISOString())).toEqual([
      '2027-10-26T22:00:00.000Z',
      '2027-11-09T23:00:00.000Z',
      '2027-11-23T23:00:00.000Z',
    ]);
  });
});
