import { describe, expect, it } from 'vitest';
import { keptNotesSentence, retentionEnd } from './note-retention.js';

describe('how long a signed note outlives erasure', () => {
  it('keeps it through the same local date years later, and purges it at the local midnight after', () => {
    // 23 November 2026, 7:00 in New York (12:00 UTC).
    const end = retentionEnd(Date.parse('2026-11-23T12:00:00Z'), 'America/New_York', 6);
    expect(end.lastDay).toBe('2032-11-23');
    expect(new Date(end.untilMs).toISOString()).toBe('2032-11-24T05:00:00.000Z');
  });

  it('counts from the local day of the erasure, not the UTC one', () => {
    // 03:00 UTC on 1 March is still 28 February in New York.
    const end = retentionEnd(Date.parse('2027-03-01T03:00:00Z'), 'America/New_York', 7);
    expect(end.lastDay).toBe('2034-02-28');
  });

  it('ends on 28 February when the erasure was on 29 February and that year has none', () => {
    const end = retentionEnd(Date.parse('2028-02-29T12:00:00Z'), 'Europe/Lisbon', 5);
    expect(end.lastDay).toBe('2033-02-28');
    expect(new Date(end.untilMs).toISOString()).toBe('2033-03-01T00:00:00.000Z');
  });

  it('ends at the midnight of a summer-time day in the zone’s summer offset', () => {
    const end = retentionEnd(Date.parse('2026-07-10T12:00:00Z'), 'America/New_York', 1);
    expect(new Date(end.untilMs).toISOString()).toBe('2027-07-11T04:00:00.000Z');
  });

  it('says how many, how long, why, and until which day', () => {
    expect(keptNotesSentence({ count: 2, years: 6, marketName: 'New York City', lastDay: '2032-11-23' })).toBe(
      '2 signed session notes are kept for 6 years, as clinical records in New York City must be: restricted, so no one reads them (your therapist neither), and deleted after Tuesday, November 23, 2032.',
    );
    expect(keptNotesSentence({ count: 1, years: 1, marketName: 'Lisbon', lastDay: '2027-01-01' })).toMatch(
      /^1 signed session note is kept for 1 year,/,
    );
  });
});
