import { describe, expect, it } from 'vitest';
import { FrameBudget } from './frame-budget.js';

describe('FrameBudget', () => {
  it('allows a burst, then frames at the refill rate', () => {
    const budget = new FrameBudget(10, 3, 0);
    expect([budget.take(0), budget.take(0), budget.take(0), budget.take(0)]).toEqual([true, true, true, false]);
    expect(budget.take(50)).toBe(false);
    expect(budget.take(100)).toBe(true);
    expect(budget.take(10_000)).toBe(true);
    expect([budget.take(10_000), budget.take(10_000), budget.take(10_000)]).toEqual([true, true, false]);
  });
});
