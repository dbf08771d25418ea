import { describe, expect, it } from 'vitest';
import { NEUTRAL_MEAN, bayesianAverage, meanOfAll, ratingInWords, reviewerName } from './ratings.js';

describe('bayesianAverage', () => {
  it('ranks forty ratings at 4.9 above a single 5-star rating', () => {
    const market = meanOfAll([
      { average: 4.9, count: 40 },
      { average: 5, count: 1 },
      { average: 4.2, count: 12 },
    ]);
    expect(bayesianAverage({ average: 4.9, count: 40 }, market)).toBeGreaterThan(
      bayesianAverage({ average: 5, count: 1 }, market),
    );
  });

  it('is the prior mean without ratings and moves towards the own mean as ratings accumulate', () => {
    expect(bayesianAverage({ average: null, count: 0 }, 4.5)).toBe(4.5);
    expect(bayesianAverage({ average: 3, count: 5 }, 4.5, 5)).toBe(3.75);
    expect(bayesianAverage({ average: 3, count: 995 }, 4.5, 5)).toBeCloseTo(3.0075, 6);
  });

  it('computes (C·m + sum)/(C + n)', () => {
    expect(bayesianAverage({ average: 4, count: 2 }, 5, 2)).toBe((2 * 5 + 8) / 4);
  });
});

describe('meanOfAll', () => {
  it('weights each summary by its count and skips therapists without ratings', () => {
    expect(
      meanOfAll([
        { average: 5, count: 1 },
        { average: 4, count: 3 },
        { average: null, count: 0 },
      ]),
    ).toBe(4.25);
  });

  it('falls back to a neutral mean in a market without ratings', () => {
    expect(meanOfAll([])).toBe(NEUTRAL_MEAN);
  });
});

describe('words', () => {
  it('shows the mean with the count', () => {
    expect(ratingInWords({ average: 4.875, count: 40 })).toBe('4.9 (40)');
    expect(ratingInWords({ average: null, count: 0 })).toBe('New');
  });

  it('names a reviewer by first name and last initial only', () => {
    expect(reviewerName('Maria Kowalski')).toBe('Maria K.');
    expect(reviewerName('  Ana  de la  Cruz ')).toBe('Ana C.');
    expect(reviewerName('Prince')).toBe('Prince');
    expect(reviewerName('Émile élan')).toBe('Émile É.');
    expect(reviewerName('')).toBe('A client');
  });
});
