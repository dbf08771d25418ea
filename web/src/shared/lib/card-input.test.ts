import { describe, expect, it } from 'vitest';
import { parseExpiry, spacedCardNumber, typedExpiry } from './card-input';

describe('the card form as typed', () => {
  it('spaces the number in fours as it is typed, keeping digits only, at most 19', () => {
    expect(spacedCardNumber('4242424242424242')).toBe('4242 4242 4242 4242');
    expect(spacedCardNumber('4242 42')).toBe('4242 42');
    expect(spacedCardNumber('4242')).toBe('4242');
    expect(spacedCardNumber('4242-4242-x')).toBe('4242 4242');
    expect(spacedCardNumber('1'.repeat(25)).replace(/ /g, '')).toHaveLength(19);
  });

  it('puts the slash in the expiry once the month is typed, and lets it be deleted', () => {
    expect(typedExpiry('1', '')).toBe('1');
    expect(typedExpiry('12', '1')).toBe('12/');
    expect(typedExpiry('12/3', '12/')).toBe('12/3');
    expect(typedExpiry('1230', '')).toBe('12/30');
    expect(typedExpiry('12', '12/')).toBe('1');
    expect(typedExpiry('12/305', '12/30')).toBe('12/30');
  });

  it('reads MM/YY (or MM/YYYY) as the processor wants it, and nothing else', () => {
    expect(parseExpiry('12/30')).toEqual({ expMonth: 12, expYear: 2030 });
    expect(parseExpiry('4/29')).toEqual({ expMonth: 4, expYear: 2029 });
    expect(parseExpiry('04/2031')).toEqual({ expMonth: 4, expYear: 2031 });
    expect(parseExpiry('13/30')).toBeNull();
    expect(parseExpiry('00/30')).toBeNull();
    expect(parseExpiry('12/')).toBeNull();
    expect(parseExpiry('')).toBeNull();
  });
});
