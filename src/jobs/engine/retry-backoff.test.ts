import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextRetry } from './retry-backoff.js';

const policy = { maxAttempts: 5, firstDelayMs: 60_000, maxDelayMs: 600_000 };

describe('nextRetry', () => {
  it('doubles the delay after each failure, up to the cap, then gives up', () => {
    const delays = [1, 2, 3, 4].map((failed) => {
      const decision = nextRetry(policy, failed, 0);
      return decision.retry ? decision.at : null;
    });
    expect(delays).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(nextRetry({ ...policy, maxAttempts: 10 }, 6, 0)).toEqual({ retry: true, at: 600_000 });
    expect(nextRetry(policy, 5, 0)).toEqual({ retry: false });
  });

  it('never schedules a retry in the past or beyond the cap, and never retries past the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 2e12 }), (failed, now) => {
        const decision = nextRetry(policy, failed, now);
        if (failed >= policy.maxAttempts) return !decision.retry;
        return decision.retry && decision.at >= now + policy.firstDelayMs && decision.at <= now + policy.maxDelayMs;
      }),
    );
  });
});
