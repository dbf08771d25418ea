import { describe, expect, it } from 'vitest';
import { DEFAULT_JOURNEY_START, FlowingClock, journeyStart } from './clock.js';

describe('the journeys’ clock', () => {
  it('starts at E2E_CLOCK, read with its offset, or at a fixed default instant', () => {
    expect(journeyStart('2026-11-29T23:40:00-05:00')).toBe(Date.parse('2026-11-30T04:40:00Z'));
    expect(journeyStart('2027-03-14T06:40Z')).toBe(Date.parse('2027-03-14T06:40:00Z'));
    expect(journeyStart(undefined)).toBe(Date.parse(DEFAULT_JOURNEY_START));
    expect(journeyStart('')).toBe(Date.parse(DEFAULT_JOURNEY_START));
  });

  it('refuses a time without an offset, or anything else, naming the variable', () => {
    for (const bad of ['2026-11-29T23:40:00', '2026-11-29', 'tomorrow', '2026-13-01T10:00:00Z']) {
      expect(() => journeyStart(bad), bad).toThrow(/E2E_CLOCK must be an ISO instant with its offset/);
    }
  });

  it('runs on from its start, never backwards', () => {
    const start = Date.parse('2026-11-01T05:40:00Z');
    const clock = new FlowingClock(start);
    const first = clock.now();
    expect(first - start).toBeGreaterThanOrEqual(0);
    expect(first - start).toBeLessThan(1000);
    expect(clock.now()).toBeGreaterThanOrEqual(first);
  });
});
