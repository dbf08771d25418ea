import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  formatCalendarDate,
  formatInstant,
  formatMoney,
  formatSessionTime,
  localDateOf,
  zoneDiffers,
  zoneName,
} from './session-time.js';

const ZONES = [
  'America/New_York',
  'America/Los_Angeles',
  'America/Chicago',
  'America/Phoenix',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Sydney',
  'Pacific/Auckland',
  'UTC',
];

const instant = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) })
  .map((ms) => Math.floor(ms / 60_000) * 60_000);
const zone = fc.constantFrom(...ZONES);

describe('the one formatter of times people read', () => {
  it('writes the wall-clock time and date of the zone, as Luxon computes them, whatever zone the reader is in', () => {
    fc.assert(
      fc.property(instant, zone, zone, (at, place, reader) => {
        const local = DateTime.fromMillis(at, { zone: place });
        const text = formatInstant(at, place, { style: 'full', readerZone: reader });
        expect(text.startsWith(`${local.toFormat('cccc, LLLL d, yyyy')}, ${local.toFormat('h:mm a')}`)).toBe(true);
        expect(localDateOf(at, place)).toBe(local.toISODate());
        const sameClock = DateTime.fromMillis(at, { zone: reader }).offset === local.offset;
        expect(zoneDiffers(place, reader, at)).toBe(!sameClock);
        expect(text.endsWith(zoneName(place, at))).toBe(!sameClock);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads every second of a minute as Luxon does, with the parts of the minute kept after the first (issue 19)', () => {
    const anyInstant = fc.integer({ min: Date.UTC(1960, 0, 1), max: Date.UTC(2035, 0, 1) });
    const second = fc.integer({ min: 0, max: 59_999 });
    fc.assert(
      // Monrovia kept -0:44:30 until 1972: its minutes are not UTC's, and are never kept.
      fc.property(
        anyInstant,
        second,
        second,
        fc.constantFrom(...ZONES, 'Africa/Monrovia'),
        (at, first, then, place) => {
          const minute = Math.floor(at / 60_000) * 60_000;
          for (const ms of [minute + first, minute + then]) {
            const local = DateTime.fromMillis(ms, { zone: place });
            expect(localDateOf(ms, place)).toBe(local.toISODate());
            expect(formatInstant(ms, place, { style: 'time', readerZone: place })).toBe(local.toFormat('h:mm a'));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('names the zone to a reader whose zone is unknown, and reads the same in every style', () => {
    const at = Date.parse('2026-11-24T14:30:00Z');
    expect(formatInstant(at, 'America/New_York', { style: 'full' })).toBe(
      'Tuesday, November 24, 2026, 9:30 AM Eastern Standard Time',
    );
    expect(formatInstant(at, 'America/New_York', { style: 'long' })).toBe('Tuesday, November 24, 9:30 AM EST');
    expect(formatInstant(at, 'America/New_York')).toBe('Tue, Nov 24, 9:30 AM EST');
    expect(formatInstant(at, 'America/New_York', { style: 'time' })).toBe('9:30 AM EST');
    expect(formatInstant(at, 'America/New_York', { style: 'time', readerZone: 'America/Detroit' })).toBe('9:30 AM');
    expect(formatInstant(at, 'America/New_York', { style: 'day', readerZone: 'Asia/Tokyo' })).toBe(
      'Tuesday, November 24',
    );
    expect(formatInstant(at, 'America/New_York', { style: 'date' })).toBe('Tuesday, November 24, 2026');
  });

  it('writes a session as one range, naming the end day when it runs past midnight', () => {
    const zoneNY = 'America/New_York';
    const reader = { readerZone: zoneNY };
    expect(formatSessionTime('2026-11-24T14:30:00Z', '2026-11-24T15:30:00Z', zoneNY, { style: 'full' })).toBe(
      'Tuesday, November 24, 2026, 9:30–10:30 AM Eastern Standard Time',
    );
    expect(formatSessionTime('2026-11-24T16:30:00Z', '2026-11-24T18:00:00Z', zoneNY, reader)).toBe(
      'Tue, Nov 24, 11:30 AM–1:00 PM',
    );
    expect(
      formatSessionTime('2026-11-25T04:30:00Z', '2026-11-25T05:30:00Z', zoneNY, { ...reader, style: 'time' }),
    ).toBe('11:30 PM–Wed, Nov 25, 12:30 AM');
    expect(
      formatSessionTime('2026-11-24T14:30:00Z', '2026-11-24T15:30:00Z', zoneNY, {
        readerZone: 'America/Los_Angeles',
        style: 'time',
      }),
    ).toBe('9:30–10:30 AM EST');
  });

  it('keeps local time across both daylight-saving changes: 1:30 AM happens twice in November, never in March', () => {
    const ny = 'America/New_York';
    // 2026-11-01: 01:30 EDT (05:30Z) and, an hour later, 01:30 EST (06:30Z).
    expect(formatInstant('2026-11-01T05:30:00Z', ny, { style: 'time' })).toBe('1:30 AM EDT');
    expect(formatInstant('2026-11-01T06:30:00Z', ny, { style: 'time' })).toBe('1:30 AM EST');
    // A session across the change names each end's zone, or the clock would read "1:45–1:45 AM".
    expect(
      formatSessionTime('2026-11-01T05:45:00Z', '2026-11-01T06:45:00Z', ny, { style: 'time', readerZone: ny }),
    ).toBe('1:45 AM EDT–1:45 AM EST');
    // 2027-03-14: 01:59 EST is followed by 03:00 EDT.
    expect(
      formatSessionTime('2027-03-14T06:30:00Z', '2027-03-14T07:30:00Z', ny, { style: 'time', readerZone: ny }),
    ).toBe('1:30 AM EST–3:30 AM EDT');
    expect(formatSessionTime('2027-03-14T06:30:00Z', '2027-03-14T07:30:00Z', ny, { style: 'full' })).toBe(
      'Sunday, March 14, 2027, 1:30 AM Eastern Standard Time–3:30 AM Eastern Daylight Time',
    );
    expect(zoneName(ny, '2027-03-14T06:30:00Z')).toBe('Eastern Standard Time');
    expect(zoneName(ny, '2027-03-14T07:30:00Z')).toBe('Eastern Daylight Time');
  });

  it('writes calendar dates as they are, and money in whole units where it can', () => {
    expect(formatCalendarDate('2026-11-24')).toBe('Tue, Nov 24');
    expect(formatCalendarDate('2027-01-31', { year: 'numeric', month: 'short', day: 'numeric' })).toBe('Jan 31, 2027');
    expect(formatMoney(12_000, 'USD')).toBe('$120');
    expect(formatMoney(12_050, 'USD')).toBe('$120.50');
  });
});
