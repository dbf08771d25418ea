import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { progressOf, seriesOf } from './progress.js';

describe('seriesOf', () => {
  it('keeps one series per measure and key, oldest first', () => {
    const series = seriesOf([
      { measure: 'nprs', key: 'low_back.left', sessionDate: '2026-11-20', value: 4 },
      { measure: 'ake', key: 'right', sessionDate: '2026-11-06', value: 35 },
      { measure: 'nprs', key: 'low_back.left', sessionDate: '2026-11-06', value: 7 },
      { measure: 'nprs', key: 'low_back.right', sessionDate: '2026-11-06', value: 5 },
      { measure: 'ake', key: 'right', sessionDate: '2026-11-20', value: 24 },
    ]);
    expect(series).toEqual([
      {
        measure: 'nprs',
        key: 'low_back.left',
        points: [
          { sessionDate: '2026-11-06', value: 7 },
          { sessionDate: '2026-11-20', value: 4 },
        ],
      },
      {
        measure: 'ake',
        key: 'right',
        points: [
          { sessionDate: '2026-11-06', value: 35 },
          { sessionDate: '2026-11-20', value: 24 },
        ],
      },
      { measure: 'nprs', key: 'low_back.right', points: [{ sessionDate: '2026-11-06', value: 5 }] },
    ]);
  });
});

describe('progressOf', () => {
  it('compares the latest value with the baseline and marks a meaningful improvement', () => {
    const progress = progressOf({
      measure: 'nprs',
      key: 'low_back.left',
      points: [
        { sessionDate: '2026-11-06', value: 7 },
        { sessionDate: '2026-11-13', value: 6 },
        { sessionDate: '2026-11-20', value: 4 },
      ],
    });
    expect(progress).toMatchObject({
      baseline: { sessionDate: '2026-11-06', value: 7 },
      latest: { sessionDate: '2026-11-20', value: 4 },
      measurements: 3,
      change: -3,
      direction: 'improved',
      meaningful: true,
      meaningfulImprovement: true,
    });
    expect(progress!.percentChange).toBeCloseTo(-42.857, 3);
  });

  it('marks a meaningful worsening as not an improvement', () => {
    const progress = progressOf({
      measure: 'odi',
      key: null,
      points: [
        { sessionDate: '2026-11-06', value: 20 },
        { sessionDate: '2026-11-20', value: 32 },
      ],
    });
    expect(progress).toMatchObject({ direction: 'worsened', meaningful: true, meaningfulImprovement: false });
  });

  it('reports flexibility change without a meaningful call, and a single point as unchanged', () => {
    const ake = progressOf({
      measure: 'ake',
      key: 'right',
      points: [
        { sessionDate: '2026-11-06', value: 35 },
        { sessionDate: '2026-11-20', value: 24 },
      ],
    });
    expect(ake).toMatchObject({ change: -11, direction: 'improved', meaningful: null, meaningfulImprovement: null });
    const once = progressOf({ measure: 'nprs', key: 'neck.left', points: [{ sessionDate: '2026-11-06', value: 0 }] });
    expect(once).toMatchObject({
      change: 0,
      percentChange: null,
      direction: 'unchanged',
      meaningful: false,
      measurements: 1,
    });
    expect(progressOf({ measure: 'nprs', key: 'neck.left', points: [] })).toBeNull();
  });

  it('does not depend on the order the measurements arrive in', () => {
    const measurements = fc.uniqueArray(
      fc.record({
        measure: fc.constant('nprs' as const),
        key: fc.constant('calves.left'),
        sessionDate: fc.integer({ min: 1, max: 28 }).map((day) => `2026-11-${String(day).padStart(2, '0')}`),
        value: fc.integer({ min: 0, max: 10 }),
      }),
      { minLength: 1, maxLength: 10, selector: (m) => m.sessionDate },
    );
    const arrivals = measurements.chain((ms) =>
      fc.tuple(fc.constant(ms), fc.shuffledSubarray(ms, { minLength: ms.length })),
    );
    fc.assert(
      fc.property(arrivals, ([inOrder, shuffled]) => {
        expect(progressOf(seriesOf(shuffled)[0]!)).toEqual(progressOf(seriesOf(inOrder)[0]!));
      }),
    );
  });
});
