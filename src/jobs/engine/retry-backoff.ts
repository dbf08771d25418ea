/** How often and how patiently something that failed is tried again. */
export interface RetryPolicy {
  /** Attempts in all, the first included; after the last one fails, the work is marked failed. */
  maxAttempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export type RetryDecision = { retry: true; at: number } | { retry: false };

/**
 * After `failedAttempts` failures, when to try again: the delay doubles from `firstDelayMs` up to `maxDelayMs`,
 * and there is no next time once `maxAttempts` are used up.
 */
export function nextRetry(policy: RetryPolicy, failedAttempts: number, now: number): RetryDecision {
  if (failedAttempts >= policy.maxAttempts) return { retry: false };
  const doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
  return { retry: true, at: now + Math.min(policy.firstDelayMs * 2 ** doublings, policy.maxDelayMs) };
}
