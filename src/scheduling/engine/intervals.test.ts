import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendMerging, clipIntervals, normaliseIntervals, subtractIntervals } from './intervals.js';

const DOMAIN = 60;
const points = fc.integer({ min: 0, max: DOMAIN });
const pairs = fc.array(fc.tuple(points, points), { maxLength: 8 });
const flat = (list: [number, number][]) => list.flat();

/** Which integer points of [0, DOMAIN) a flat interval list covers. */
function covered(intervals: readonly number[]): boolean[] {
  const flags = new Array<boolean>(DOMAIN).fill(false);
  for (let i = 0; i < intervals.length; i += 2) {
    for (let x = intervals[i]!; x < intervals[i + 1]!; x++) flags[x] = true;
  }
  return flags;
}

function expectNormalised(intervals: readonly number[]) {
  for (let i = 0; i < intervals.length; i += 2) {
    expect(intervals[i]!).toBeLessThan(intervals[i + 1]!);
    if (i > 0) expect(intervals[i]!).toBeGreaterThan(intervals[i - 1]!);
  }
}

describe('normaliseIntervals', () => {
  it('sorts, merges overlapping and touching intervals, and drops empty ones', () => {
    expect(normaliseIntervals([5, 7, 1, 3, 3, 4, 6, 9, 12, 12, 20, 10])).toEqual([1, 4, 5, 9]);
  });

  it('covers exactly what its input covers, in normal form', () => {
    fc.assert(
      fc.property(pairs, (list) => {
        const result = normaliseIntervals(flat(list));
        expectNormalised(result);
        expect(covered(result)).toEqual(covered(flat(list)));
      }),
    );
  });
});

describe('appendMerging', () => {
  it('extends the last interval when the new one overlaps or touches it', () => {
    const list = [1, 3];
    appendMerging(list, 3, 5);
    appendMerging(list, 4, 4);
    appendMerging(list, 2, 4);
    appendMerging(list, 7, 8);
    expect(list).toEqual([1, 5, 7, 8]);
  });
});

describe('subtractIntervals', () => {
  it('cuts holes and trims edges', () => {
    expect(subtractIntervals([0, 10, 20, 30], [2, 4, 8, 22, 25, 40])).toEqual([0, 2, 4, 8, 22, 25]);
  });

  it('leaves exactly the points of the first list that the second does not cover', () => {
    fc.assert(
      fc.property(pairs, pairs, (a, b) => {
        const from = normaliseIntervals(flat(a));
        const remove = normaliseIntervals(flat(b));
        const result = subtractIntervals(from, remove);
        expectNormalised(result);
        const keep = covered(from);
        const drop = covered(remove);
        expect(covered(result)).toEqual(keep.map((inFrom, x) => inFrom && !drop[x]));
      }),
    );
  });
});

describe('clipIntervals', () => {
  it('keeps exactly the covered points inside the bounds', () => {
    fc.assert(
      fc.property(pairs, points, points, (list, lower, upper) => {
        const result = clipIntervals(normaliseIntervals(flat(list)), lower, upper);
        expectNormalised(result);
        expect(covered(result)).toEqual(covered(flat(list)).map((inList, x) => inList && x >= lower && x < upper));
      }),
    );
  });
});
