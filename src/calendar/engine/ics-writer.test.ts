import fc from 'fast-check';
import ical from 'node-ical';
import { describe, expect, it } from 'vitest';
import { type IcsEvent, writeCalendar } from './ics-writer.js';

const event = (overrides: Partial<IcsEvent> = {}): IcsEvent => ({
  uid: 'b6f1c1de-0000-4000-8000-000000000001@knotwork',
  sequence: 1,
  stamp: Date.parse('2026-11-23T12:00:00Z'),
  created: Date.parse('2026-11-23T11:00:00Z'),
  lastModified: Date.parse('2026-11-23T11:30:00Z'),
  start: Date.parse('2026-11-24T15:00:00Z'),
  end: Date.parse('2026-11-24T16:00:00Z'),
  status: 'CONFIRMED',
  summary: 'Deep tissue massage (60 min) with Dana Smith',
  location: 'Studio, 1 Test Street, New York',
  description: 'Line one\nLine two',
  ...overrides,
});

/** The text properties as a parser sees them (node-ical gives either a string or { val, params }). */
const text = (value: unknown) =>
  typeof value === 'object' && value !== null && 'val' in value ? String(value.val) : String(value);

function parseEvents(ics: string) {
  return Object.values(ical.sync.parseICS(ics)).filter((c): c is ical.VEvent => c?.type === 'VEVENT');
}

describe('writeCalendar', () => {
  it('writes an RFC 5545 calendar a parser reads back: instants, status, sequence and text', () => {
    const ics = writeCalendar({
      method: 'PUBLISH',
      name: 'Knotwork',
      refreshMinutes: 60,
      events: [event(), event({ uid: 'other@knotwork', status: 'CANCELLED', sequence: 3 })],
    });
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.split('\r\n').every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true);
    expect(ics).toContain('METHOD:PUBLISH\r\n');
    const [first, second] = parseEvents(ics);
    expect(first!.start.getTime()).toBe(Date.parse('2026-11-24T15:00:00Z'));
    expect(first!.end!.getTime()).toBe(Date.parse('2026-11-24T16:00:00Z'));
    expect(first!.status).toBe('CONFIRMED');
    expect(text(first!.summary)).toBe('Deep tissue massage (60 min) with Dana Smith');
    expect(text(first!.location)).toBe('Studio, 1 Test Street, New York');
    expect(text(first!.description)).toBe('Line one\nLine two');
    expect(Number(first!.sequence)).toBe(1);
    expect(second!.status).toBe('CANCELLED');
    expect(ics).toContain('TRANSP:TRANSPARENT');
  });

  it('keeps any text intact through escaping and folding, including long non-ASCII lines', () => {
    // node-ical unescapes "\\n" as a line break and strips quotes around a whole value, where RFC 5545 does
    // neither; backslashes and quotes are left out here and covered by the escapeText example below.
    const unit = fc.oneof(
      fc.constantFrom(',', ';', '\n', ':', 'é', '€', '𝄞', '日', ' '),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== '\\' && c !== '"'),
    );
    const value = fc.string({ unit, maxLength: 300 });
    fc.assert(
      fc.property(value, value, (summary, description) => {
        const ics = writeCalendar({ events: [event({ summary, description })] });
        if (!ics.split('\r\n').every((line) => new TextEncoder().encode(line).length <= 75)) return false;
        const [parsed] = parseEvents(ics);
        // eslint-disable-next-line no-control-regex -- the control characters the writer drops
        const expected = (s: string) => s.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
        return (
          text(parsed!.summary ?? '') === expected(summary) && text(parsed!.description ?? '') === expected(description)
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('the pieces', () => {
  it('writes instants in UTC with the Z suffix, in whole seconds', () => {
    const ics = writeCalendar({ events: [event({ start: Date.parse('2026-03-08T07:30:00.999Z') })] });
    expect(ics).toContain('\r\nDTSTART:20260308T073000Z\r\n');
  });

  it('escapes the TEXT specials', () => {
    expect(writeCalendar({ events: [event({ summary: 'a,b;c\\d\r\ne' })] })).toContain(
      '\r\nSUMMARY:a\\,b\\;c\\\\d\\ne\r\n',
    );
  });

  it('never splits a multi-byte character when folding', () => {
    const ics = writeCalendar({ events: [event({ summary: 'é'.repeat(60) })] });
    const start = ics.indexOf('SUMMARY:');
    const folded = ics.slice(start, ics.indexOf('\r\n', ics.indexOf('\r\n', start) + 2));
    const pieces = folded.split('\r\n');
    expect(pieces.length).toBe(2);
    expect(pieces.every((p) => new TextEncoder().encode(p).length <= 75)).toBe(true);
    expect(pieces.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(`SUMMARY:${'é'.repeat(60)}`);
  });

  it('names Knotwork as the product, the Gregorian calendar, and a feed’s name and refresh interval', () => {
    const ics = writeCalendar({ name: 'Knotwork sessions', refreshMinutes: 60, events: [] });
    for (const line of [
      'PRODID:-//Knotwork//Sessions//EN',
      'CALSCALE:GREGORIAN',
      'NAME:Knotwork sessions',
      'X-WR-CALNAME:Knotwork sessions',
      'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
      'X-PUBLISHED-TTL:PT1H',
    ])
      expect(ics.split('\r\n')).toContain(line);
    expect(ics).not.toContain('METHOD:');
  });
});
