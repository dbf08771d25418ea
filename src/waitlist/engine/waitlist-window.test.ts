import { describe, expect, it } from 'vitest';
import { fitsWindow, tellingTimes, windowSpan } from './waitlist-window.js';

const NY = 'America/New_York';
const window = { fromDate: '2027-03-13', toDate: '2027-03-14', fromMinute: 9 * 60, toMinute: 12 * 60 };

describe('the waitlist window', () => {
  it('takes a session that starts at or after the first time and ends by the last, on its dates, in the place’s zone', () => {
    expect(fitsWindow(window, NY, Date.parse('2027-03-13T09:00:00-05:00'), 60)).toBe(true);
    expect(fitsWindow(window, NY, Date.parse('2027-03-13T11:00:00-05:00'), 60)).toBe(true);
    expect(fitsWindow(window, NY, Date.parse('2027-03-13T11:15:00-05:00'), 60)).toBe(false);
    expect(fitsWindow(window, NY, Date.parse('2027-03-13T08:45:00-05:00'), 60)).toBe(false);
    expect(fitsWindow(window, NY, Date.parse('2027-03-15T09:00:00-04:00'), 60)).toBe(false);
    expect(fitsWindow(window, NY, Date.parse('2027-03-12T10:00:00-05:00'), 60)).toBe(false);
    // The same instant read in London is 14:00 there: outside.
    expect(fitsWindow(window, 'Europe/London', Date.parse('2027-03-13T09:00:00-05:00'), 60)).toBe(false);
  });

  it('reads local times across the spring-forward night (09:00 on 14 March is UTC-4)', () => {
    expect(fitsWindow(window, NY, Date.parse('2027-03-14T09:00:00-04:00'), 60)).toBe(true);
    expect(fitsWindow(window, NY, Date.parse('2027-03-14T11:00:00-04:00'), 60)).toBe(true);
    expect(fitsWindow(window, NY, Date.parse('2027-03-14T11:00:00-05:00'), 60)).toBe(false);
    expect(windowSpan(window, NY)).toEqual({
      from: Date.parse('2027-03-13T09:00:00-05:00'),
      to: Date.parse('2027-03-14T12:00:00-04:00'),
    });
  });

  it('tells clients in the order they joined, each next one later', () => {
    expect(tellingTimes(3, 1_000, 120_000)).toEqual([1_000, 121_000, 241_000]);
    expect(tellingTimes(0, 1_000, 120_000)).toEqual([]);
  });
});
