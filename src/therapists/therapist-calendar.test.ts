import { describe, expect, it } from 'vitest';
import { epochDayFromIsoDate } from '../scheduling/engine/calendar-date.js';
import { prepareHours, workingIntervals } from '../scheduling/engine/working-hours.js';
import { type TherapistCalendar, workingTimeByDate } from './therapist-calendar.js';

const ZONE = 'America/New_York';
const STUDIO = 'studio:5f0c';
const HOUR = 3_600_000;

function calendar(
  weekly: TherapistCalendar['weekly'],
  overrides: TherapistCalendar['overrides'] = [],
): TherapistCalendar {
  return {
    therapistId: 't',
    zone: ZONE,
    weekly,
    overrides,
    hours: prepareHours(weekly, overrides),
    bufferBeforeMin: 0,
    bufferAfterMin: 0,
    minNoticeMin: 0,
    windowDays: 60,
    travelSpeedKmh: 30,
    licenceExpiresOn: '2030-01-01',
  };
}

const day = (iso: string) => epochDayFromIsoDate(iso)!;
const iso = (ms: number) => new Date(ms).toISOString();
const labels = (days: ReturnType<typeof workingTimeByDate>) =>
  days.map((d) => ({ date: d.date, intervals: d.intervals.map((i) => `${i.location} ${iso(i.start)}–${iso(i.end)}`) }));

describe('workingTimeByDate', () => {
  it('lists each local date, every place in time order, with the gap of a split shift', () => {
    // 2026-11-24 is a Tuesday (ISO weekday 2).
    const days = workingTimeByDate(
      calendar([
        { weekday: 2, start: '14:00', end: '18:00', location: 'mobile' },
        { weekday: 2, start: '08:00', end: '12:00', location: STUDIO },
      ]),
      day('2026-11-23'),
      day('2026-11-24'),
    );
    expect(labels(days)).toEqual([
      { date: '2026-11-23', intervals: [] },
      {
        date: '2026-11-24',
        intervals: [
          `${STUDIO} 2026-11-24T13:00:00.000Z–2026-11-24T17:00:00.000Z`,
          'mobile 2026-11-24T19:00:00.000Z–2026-11-24T23:00:00.000Z',
        ],
      },
    ]);
  });

  it('takes overrides as the engine does: a day off, extra hours at a place with no weekly hours, time off', () => {
    const days = workingTimeByDate(
      calendar(
        [1, 2, 3].map((weekday) => ({ weekday: weekday as 1 | 2 | 3, start: '09:00', end: '17:00', location: STUDIO })),
        [
          { date: '2026-11-23', kind: 'off' },
          { date: '2026-11-23', kind: 'extra', intervals: [{ start: '18:00', end: '20:00', location: STUDIO }] },
          { date: '2026-11-24', kind: 'extra', intervals: [{ start: '18:00', end: '20:00', location: 'mobile' }] },
          { date: '2026-11-25', kind: 'off', intervals: [{ start: '12:00', end: '14:00' }] },
        ],
      ),
      day('2026-11-23'),
      day('2026-11-25'),
    );
    expect(labels(days)).toEqual([
      { date: '2026-11-23', intervals: [] },
      {
        date: '2026-11-24',
        intervals: [
          `${STUDIO} 2026-11-24T14:00:00.000Z–2026-11-24T22:00:00.000Z`,
          'mobile 2026-11-24T23:00:00.000Z–2026-11-25T01:00:00.000Z',
        ],
      },
      {
        date: '2026-11-25',
        intervals: [
          `${STUDIO} 2026-11-25T14:00:00.000Z–2026-11-25T17:00:00.000Z`,
          `${STUDIO} 2026-11-25T19:00:00.000Z–2026-11-25T22:00:00.000Z`,
        ],
      },
    ]);
  });

  it('cuts a night that runs past midnight at the local date line', () => {
    const days = workingTimeByDate(
      calendar([
        { weekday: 1, start: '22:00', end: '24:00', location: STUDIO },
        { weekday: 2, start: '00:00', end: '02:00', location: STUDIO },
      ]),
      day('2026-11-23'),
      day('2026-11-24'),
    );
    expect(days.map((d) => d.intervals.map((i) => (i.end - i.start) / HOUR))).toEqual([[2], [2]]);
    expect(days[0]!.intervals[0]!.end).toBe(days[1]!.intervals[0]!.start);
  });

  it('gives the engine’s own intervals on both DST change days in New York', () => {
    const everyDay = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [
      { weekday: weekday as 1, start: '00:00', end: '05:00', location: STUDIO },
      { weekday: weekday as 1, start: '09:00', end: '17:00', location: STUDIO },
    ]);
    for (const [date, nightHours] of [
      ['2026-03-08', 4],
      ['2026-11-01', 6],
    ] as const) {
      const cal = calendar(everyDay);
      const [only] = workingTimeByDate(cal, day(date), day(date));
      const engine = workingIntervals({
        ...cal,
        location: STUDIO,
        from: only!.intervals[0]!.start,
        to: only!.intervals[1]!.end,
      });
      expect(only!.intervals.flatMap((i) => [i.start, i.end])).toEqual(engine);
      expect(only!.intervals.map((i) => (i.end - i.start) / HOUR)).toEqual([nightHours, 8]);
    }
  });
});
