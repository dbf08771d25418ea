import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { busyAt } from './availability-search.js';
import type { CachedTherapist } from './calendar-loader.js';

describe('busyAt', () => {
  it('merges the live holds into the sorted bookings, as sorting both together would', () => {
    const spans = fc.array(
      fc.record({ start: fc.integer({ min: 0, max: 1000 }), expiresAt: fc.integer({ min: 0, max: 20 }) }),
    );
    fc.assert(
      fc.property(spans, spans, fc.integer({ min: 0, max: 20 }), (bookingSpans, holdSpans, now) => {
        const byStart = (a: { start: number }, b: { start: number }) => a.start - b.start;
        const busy = bookingSpans.map(({ start }) => ({ start, end: start + 1, point: null })).sort(byStart);
        const holds = holdSpans
          .map(({ start, expiresAt }) => ({ start, end: start + 1, point: null, expiresAt }))
          .sort(byStart);
        const therapist = { busy, holds } as unknown as CachedTherapist;
        const expected = [...busy, ...holds.filter((hold) => hold.expiresAt > now)].sort(byStart);
        const merged = busyAt(therapist, now);
        expect(merged.map((span) => span.start)).toEqual(expected.map((span) => span.start));
        expect(new Set(merged)).toEqual(new Set(expected));
      }),
      { numRuns: 300 },
    );
  });
});
