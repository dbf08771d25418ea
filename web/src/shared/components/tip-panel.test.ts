import { describe, expect, it } from 'vitest';
import { centsOf } from './tip-panel';

describe('an amount typed for a tip', () => {
  it('reads dollars and cents as cents', () => {
    expect(centsOf('12')).toBe(1_200);
    expect(centsOf(' 12.5 ')).toBe(1_250);
    expect(centsOf('$1,012.05')).toBe(101_205);
    expect(centsOf('0.01')).toBe(1);
  });
  it('refuses what is not an amount', () => {
    for (const typed of ['', 'abc', '12.345', '-3', '1e3', '12.']) expect(centsOf(typed)).toBeUndefined();
  });
});
