import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { giftCardCode, normalizeGiftCardCode } from './gift-card-codes.js';
import { addMonth, afterFailedRenewal, memberPrice } from './memberships.js';
import { nextCreditValue } from './packages.js';

describe('package credits', () => {
  it('add up to the price exactly when all are used, a return and a second use included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.nat(),
        (total, extra, returnAt) => {
          const price = total + extra;
          const held: number[] = [];
          const take = () => {
            const value = nextCreditValue({
              creditsTotal: total,
              creditsUsed: held.length,
              priceMinor: price,
              valueRedeemedMinor: held.reduce((a, b) => a + b, 0),
            });
            held.push(value);
          };
          for (let i = 0; i < total; i++) take();
          // A credit given back (any of them) and used again.
          held.splice(returnAt % total, 1);
          take();
          expect(held.reduce((a, b) => a + b, 0)).toBe(price);
          expect(held.every((v) => v >= 0)).toBe(true);
        },
      ),
    );
  });
});

describe('membership periods', () => {
  it('end the same day next month, or on its last day', () => {
    expect(new Date(addMonth(Date.parse('2026-01-31T10:00:00Z'))).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(new Date(addMonth(Date.parse('2026-12-15T10:00:00Z'))).toISOString()).toBe('2027-01-15T10:00:00.000Z');
  });
  it('retry a failed renewal after 1 day and 3 days, then pause', () => {
    expect(afterFailedRenewal(1, 0)).toEqual({ retryAt: 86_400_000 });
    expect(afterFailedRenewal(2, 0)).toEqual({ retryAt: 3 * 86_400_000 });
    expect(afterFailedRenewal(3, 0)).toEqual({ pause: true });
  });
  it('take the member discount off the list price', () => {
    expect(memberPrice(12_000, 1500)).toBe(10_200);
    expect(memberPrice(12_000, 0)).toBe(12_000);
  });
});

describe('gift card codes', () => {
  it('read back whatever the case and separators, and refuse any single wrong character', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 11, maxLength: 11 }), fc.integer({ min: 0, max: 11 }), (bytes, at) => {
        const code = giftCardCode(bytes);
        expect(normalizeGiftCardCode(code.toLowerCase())).toBe(code);
        const chars = code.slice(5).replace(/-/g, '');
        const wrong = chars[at] === 'Z' ? 'Y' : 'Z';
        const typo = chars.slice(0, at) + wrong + chars.slice(at + 1);
        expect(normalizeGiftCardCode(typo)).toBeNull();
      }),
    );
  });
});
