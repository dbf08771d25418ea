import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { epochDayFromIsoDate } from './calendar-date.js';
import { luxonLocal, luxonLocalToInstant, luxonOffsetMinutes, ORACLE_ZONES } from './luxon-oracle.test-support.js';
import { instantToLocal, isValidTimeZone, localToInstant, zoneOffsetMinutes } from './zoned-time.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const FROM_1990 = Date.UTC(1990, 0, 1);
const TO_2060 = Date.UTC(2060, 0, 1);
const zones = fc.constantFrom(...ORACLE_ZONES);
const instants = fc.integer({ min: FROM_1990, max: TO_2060 });
const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).toMillis();
const day = (iso: string) => epochDayFromIsoDate(iso)!;

/** Instants at which Luxon sees the zone's offset change, found by bisection between month starts. */
function luxonTransitions(zone: string, fromYear: number, toYear: number): number[] {
  const transitions: number[] = [];
  for (let year = fromYear; year < toYear; year++) {
    for (let month = 0; month < 12; month++) {
      let lo = Date.UTC(year, month, 1);
      let hi = Date.UTC(year, month + 1, 1);
      if (luxonOffsetMinutes(zone, lo) === luxonOffsetMinutes(zone, hi)) continue;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (luxonOffsetMinutes(zone, mid) === luxonOffsetMinutes(zone, lo)) lo = mid;
        else hi = mid;
      }
      transitions.push(hi);
    }
  }
  return transitions;
}

describe('zone offsets and local time from an instant', () => {
  it('match Luxon for random instants 1990..2060', () => {
    fc.assert(
      fc.property(zones, instants, (zone, t) => {
        expect(zoneOffsetMinutes(zone, t)).toBe(luxonOffsetMinutes(zone, t));
        const { epochDay, minuteOfDay } = luxonLocal(zone, t);
        expect(instantToLocal(zone, t)).toEqual({ epochDay, minuteOfDay });
      }),
      { numRuns: 3000 },
    );
  });

  it('match Luxon minute by minute around every offset change 1990..2060', () => {
    let checked = 0;
    for (const zone of ORACLE_ZONES) {
      for (const transition of luxonTransitions(zone, 1990, 2060)) {
        for (let t = transition - 2 * HOUR; t <= transition + 2 * HOUR; t += 5 * MINUTE) {
          expect(zoneOffsetMinutes(zone, t), `${zone} ${t}`).toBe(luxonOffsetMinutes(zone, t));
          const { epochDay, minuteOfDay } = luxonLocal(zone, t);
          expect(instantToLocal(zone, t), `${zone} ${t}`).toEqual({ epochDay, minuteOfDay });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });
});

describe('instant of a local wall time', () => {
  it("resolves gaps and overlaps like Temporal's 'compatible'", () => {
    // New York springs forward 02:00 -> 03:00: 02:30 does not exist and moves forward by the gap.
    expect(localToInstant('America/New_York', day('2026-03-08'), 150)).toBe(utc('2026-03-08T07:30'));
    // New York falls back 02:00 -> 01:00: 01:30 happens twice; the earlier (EDT) instant wins.
    expect(localToInstant('America/New_York', day('2026-11-01'), 90)).toBe(utc('2026-11-01T05:30'));
    expect(localToInstant('Europe/London', day('2026-10-25'), 90)).toBe(utc('2026-10-25T00:30'));
    expect(localToInstant('Europe/London', day('2026-03-29'), 90)).toBe(utc('2026-03-29T01:30'));
    // Lord Howe moves by 30 minutes: 02:00 -> 02:30.
    expect(localToInstant('Australia/Lord_Howe', day('2026-10-04'), 135)).toBe(utc('2026-10-03T15:45'));
    // Sao Paulo sprang forward at midnight, so its day began at 01:00.
    expect(localToInstant('America/Sao_Paulo', day('2018-11-04'), 0)).toBe(utc('2018-11-04T03:00'));
    // ...and fell back from midnight to 23:00, so 23:30 happened twice.
    expect(localToInstant('America/Sao_Paulo', day('2019-02-16'), 1410)).toBe(utc('2019-02-17T01:30'));
  });

  it('makes change days 23 or 25 hours long and treats 24:00 as the next midnight', () => {
    const length = (zone: string, iso: string) =>
      (localToInstant(zone, day(iso), 1440) - localToInstant(zone, day(iso), 0)) / HOUR;
    expect(length('America/New_York', '2026-03-08')).toBe(23);
    expect(length('America/New_York', '2026-11-01')).toBe(25);
    expect(length('Europe/London', '2026-03-29')).toBe(23);
    expect(length('Europe/London', '2026-10-25')).toBe(25);
    expect(length('Australia/Lord_Howe', '2026-10-04')).toBe(23.5);
    expect(length('Europe/London', '2026-06-01')).toBe(24);
    const nextMidnight = localToInstant('Asia/Kolkata', day('2026-06-02'), 0);
    expect(localToInstant('Asia/Kolkata', day('2026-06-01'), 1440)).toBe(nextMidnight);
  });

  it('matches Luxon every 15 minutes of every change day 1990..2060', () => {
    let checked = 0;
    for (const zone of ORACLE_ZONES) {
      const transitions = luxonTransitions(zone, 1990, 2060);
      const changeDays = new Set(transitions.flatMap((t) => [t - 1, t].map((u) => luxonLocal(zone, u).epochDay)));
      for (const epochDay of changeDays) {
        for (let minute = 0; minute <= 1440; minute += 15) {
          expect(localToInstant(zone, epochDay, minute), `${zone} ${epochDay} ${minute}`).toBe(
            luxonLocalToInstant(zone, epochDay, minute),
          );
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50_000);
  });

  it('matches Luxon for random local times 1990..2060', () => {
    fc.assert(
      fc.property(zones, instants, fc.integer({ min: 0, max: 1440 }), (zone, t, minute) => {
        const epochDay = Math.floor(t / 86_400_000);
        expect(localToInstant(zone, epochDay, minute)).toBe(luxonLocalToInstant(zone, epochDay, minute));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA zones and rejects other text', () => {
    for (const zone of ORACLE_ZONES) expect(isValidTimeZone(zone)).toBe(true);
    for (const zone of ['Mars/Olympus_Mons', 'America/NewYork', '', 'not a zone']) {
      expect(isValidTimeZone(zone), zone).toBe(false);
    }
  });

  it('is what the conversions require', () => {
    expect(() => localToInstant('Mars/Olympus_Mons', 0, 0)).toThrow(RangeError);
  });
});
