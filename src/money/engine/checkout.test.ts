import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MARKET_MONEY_DEFAULTS, applyRate, proportionOf, quoteSession } from './checkout.js';

const market = fc.record({
  commissionBp: fc.integer({ min: 0, max: 10_000 }),
  serviceFeeMinor: fc.integer({ min: 0, max: 5_000 }),
  taxBp: fc.integer({ min: 0, max: 5_000 }),
  taxLabel: fc.constantFrom(null, 'Sales tax'),
});

describe('the checkout quote', () => {
  it('adds the booking fee and the tax to the price, and the platform keeps its commission and the fee', () => {
    const quote = quoteSession({
      priceMinor: 12_000,
      currency: 'USD',
      market: { commissionBp: 2_000, serviceFeeMinor: 300, taxBp: 825, taxLabel: 'Sales tax' },
    });
    expect(quote.lines).toEqual([
      { kind: 'session', label: 'Session', amountMinor: 12_000 },
      { kind: 'service_fee', label: 'Booking fee', amountMinor: 300 },
      { kind: 'tax', label: 'Sales tax', amountMinor: 1_015 }, // 8.25 % of 123.00 is 10.1475
    ]);
    expect(quote.totalMinor).toBe(13_315);
    expect(quote.split).toEqual({ amountMinor: 12_300, platformShareMinor: 2_700, taxMinor: 1_015 });
  });

  it('shows only the session where the market has no fee and no tax', () => {
    const quote = quoteSession({ priceMinor: 9_000, currency: 'USD', market: MARKET_MONEY_DEFAULTS });
    expect(quote.lines.map((l) => l.kind)).toEqual(['session']);
    expect(quote.totalMinor).toBe(9_000);
    expect(quote.split.platformShareMinor).toBe(1_800);
  });

  it('lets a credit pay the price, leaving the fee and tax to the card', () => {
    const quote = quoteSession({
      priceMinor: 10_000,
      currency: 'USD',
      market: { commissionBp: 2_000, serviceFeeMinor: 200, taxBp: 0, taxLabel: null },
      creditLabel: 'Package credit (3 of 5 left)',
    });
    expect(quote.totalMinor).toBe(200);
    expect(quote.lines.at(-1)).toEqual({
      kind: 'package_credit',
      label: 'Package credit (3 of 5 left)',
      amountMinor: -10_000,
    });
  });

  it('totals its lines, and its split covers the total before credits, for any market', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 1_000_000 }), market, (priceMinor, terms) => {
        const quote = quoteSession({ priceMinor, currency: 'EUR', market: terms });
        expect(quote.totalMinor).toBe(quote.lines.reduce((sum, l) => sum + l.amountMinor, 0));
        expect(quote.split.amountMinor + quote.split.taxMinor).toBe(quote.totalMinor);
        expect(quote.split.platformShareMinor).toBeLessThanOrEqual(quote.split.amountMinor);
        for (const line of quote.lines) expect(Number.isSafeInteger(line.amountMinor)).toBe(true);
      }),
    );
  });
});

describe('a part of a session amount, in proportion', () => {
  it('gives the whole for the whole, and nothing for nothing', () => {
    const split = { amountMinor: 12_300, platformShareMinor: 2_700, taxMinor: 1_015 };
    expect(proportionOf(split, 13_315)).toEqual(split);
    expect(proportionOf(split, 0)).toEqual({ amountMinor: 0, platformShareMinor: 0, taxMinor: 0 });
  });

  it('never splits off more than the part, nor a share beyond its side, and refuses what is not a part', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 1_000_000 }),
        market,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (priceMinor, terms, fraction) => {
          const { split } = quoteSession({ priceMinor, currency: 'EUR', market: terms });
          const whole = split.amountMinor + split.taxMinor;
          const part = Math.floor(whole * fraction);
          const p = proportionOf(split, part);
          expect(p.amountMinor + p.taxMinor).toBe(part);
          expect(p.taxMinor).toBeLessThanOrEqual(split.taxMinor);
          expect(p.platformShareMinor).toBeLessThanOrEqual(p.amountMinor);
          expect(p.platformShareMinor).toBeLessThanOrEqual(split.platformShareMinor);
          expect(() => proportionOf(split, whole + 1)).toThrow(RangeError);
        },
      ),
    );
  });

  it('rounds a rate half up, in whole minor units', () => {
    expect(applyRate(12_300, 825)).toBe(1_015);
    expect(applyRate(10, 5_000)).toBe(5);
    expect(applyRate(1, 5_000)).toBe(1);
    expect(applyRate(1, 4_999)).toBe(0);
  });
});
