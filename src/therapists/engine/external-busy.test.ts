import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { externalBusyTimes, looksLikeIcs, mergeSpans } from './external-busy.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/support/ics/${name}`, import.meta.url), 'utf8');
const at = (iso: string) => Date.parse(iso);
const iso = (spans: { start: number; end: number }[]) =>
  spans.map((s) => [new Date(s.start).toISOString(), new Date(s.end).toISOString()]);

/** The three weeks around New York's change to summer time (Sunday 14 March 2027). */
const MARCH = { from: at('2027-03-01T05:00:00Z'), to: at('2027-03-29T04:00:00Z') };
const NEW_YORK = 'America/New_York';

describe('externalBusyTimes', () => {
  const zoneBefore = process.env.TZ;
  afterEach(() => {
    process.env.TZ = zoneBefore;
  });

  it('keeps a weekly event at its local time across a DST change, leaves out free and Knotwork’s own events', () => {
    const result = externalBusyTimes(fixture('google-weekly-across-dst.ics'), MARCH, NEW_YORK);
    expect(result.ok).toBe(true);
    // Tuesdays 10:00-11:00 New York: 15:00Z in winter, 14:00Z from 14 March on. The transparent birthday and the
    // session Knotwork published itself (UID @knotwork) are not busy.
    expect(iso(result.ok ? result.busy : [])).toEqual([
      ['2027-03-02T15:00:00.000Z', '2027-03-02T16:00:00.000Z'],
      ['2027-03-09T15:00:00.000Z', '2027-03-09T16:00:00.000Z'],
      ['2027-03-16T14:00:00.000Z', '2027-03-16T15:00:00.000Z'],
      ['2027-03-23T14:00:00.000Z', '2027-03-23T15:00:00.000Z'],
    ]);
  });

  it('takes an all-day event as the whole local day in the therapist’s zone, whatever the process’s zone', () => {
    for (const processZone of ['UTC', 'Pacific/Auckland', 'America/Los_Angeles']) {
      process.env.TZ = processZone;
      const result = externalBusyTimes(fixture('apple-all-day.ics'), MARCH, NEW_YORK);
      expect(iso(result.ok ? result.busy : []), processZone).toEqual([
        ['2027-03-11T05:00:00.000Z', '2027-03-12T05:00:00.000Z'],
      ]);
    }
    const inBerlin = externalBusyTimes(fixture('apple-all-day.ics'), MARCH, 'Europe/Berlin');
    expect(iso(inBerlin.ok ? inBerlin.busy : [])).toEqual([['2027-03-10T23:00:00.000Z', '2027-03-11T23:00:00.000Z']]);
  });

  it('drops an EXDATE and a cancelled occurrence, and moves an overridden one (Windows zone names)', () => {
    const result = externalBusyTimes(fixture('outlook-cancelled-occurrences.ics'), MARCH, NEW_YORK);
    // Wednesdays 13:00-14:00 Eastern: 3 March kept, 10 March excluded, 17 March cancelled, 24 March moved to 15:00.
    expect(iso(result.ok ? result.busy : [])).toEqual([
      ['2027-03-03T18:00:00.000Z', '2027-03-03T19:00:00.000Z'],
      ['2027-03-24T19:00:00.000Z', '2027-03-24T20:00:00.000Z'],
    ]);
  });

  it('clips to the window and takes events that began before it', () => {
    const result = externalBusyTimes(
      fixture('google-weekly-across-dst.ics'),
      { from: at('2027-03-09T15:30:00Z'), to: at('2027-03-16T14:30:00Z') },
      NEW_YORK,
    );
    expect(iso(result.ok ? result.busy : [])).toEqual([
      ['2027-03-09T15:30:00.000Z', '2027-03-09T16:00:00.000Z'],
      ['2027-03-16T14:00:00.000Z', '2027-03-16T14:30:00.000Z'],
    ]);
  });

  it('reads floating times as the therapist’s wall clock', () => {
    process.env.TZ = 'Asia/Tokyo';
    const text = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'UID:floating@example.com',
      'DTSTART:20270310T100000',
      'DTEND:20270310T113000',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const result = externalBusyTimes(text, MARCH, NEW_YORK);
    expect(iso(result.ok ? result.busy : [])).toEqual([['2027-03-10T15:00:00.000Z', '2027-03-10T16:30:00.000Z']]);
  });

  it('refuses what is not an iCalendar file', () => {
    expect(externalBusyTimes('<!doctype html><title>Sign in</title>', MARCH, NEW_YORK)).toEqual({
      ok: false,
      reason: 'not_ics',
    });
    expect(looksLikeIcs('\uFEFFBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n')).toBe(true);
    expect(looksLikeIcs('')).toBe(false);
  });
});

describe('mergeSpans', () => {
  it('sorts and joins overlapping and touching spans', () => {
    expect(
      mergeSpans([
        { start: 5, end: 7 },
        { start: 1, end: 3 },
        { start: 3, end: 4 },
        { start: 6, end: 9 },
      ]),
    ).toEqual([
      { start: 1, end: 4 },
      { start: 5, end: 9 },
    ]);
  });
});
