import { describe, expect, it } from 'vitest';
import { choosePair, pairSlots } from './pair-slots.js';

const H = 3_600_000;

describe('pairSlots', () => {
  it('keeps only the starts where both people have a therapist free', () => {
    const found = pairSlots(
      [{ id: 'ann', slots: [1 * H, 2 * H, 3 * H] }],
      [{ id: 'bob', slots: [2 * H, 3 * H, 4 * H] }],
      10,
    );
    expect(found).toEqual([
      { startsAt: 2 * H, first: 'ann', second: 'bob' },
      { startsAt: 3 * H, first: 'ann', second: 'bob' },
    ]);
  });

  it('never gives both people the same therapist', () => {
    // Ann matches both people's wishes; she is the only one free at 1h, so there is no pair then.
    const found = pairSlots(
      [{ id: 'ann', slots: [1 * H, 2 * H] }],
      [
        { id: 'ann', slots: [1 * H, 2 * H] },
        { id: 'cat', slots: [2 * H] },
      ],
      10,
    );
    expect(found).toEqual([{ startsAt: 2 * H, first: 'ann', second: 'cat' }]);
  });

  it("gives the first person their next best when the second person's only therapist is the first's best", () => {
    const found = pairSlots(
      [
        { id: 'ann', slots: [1 * H] },
        { id: 'dee', slots: [1 * H] },
      ],
      [{ id: 'ann', slots: [1 * H] }],
      10,
    );
    expect(found).toEqual([{ startsAt: 1 * H, first: 'dee', second: 'ann' }]);
  });

  it('prefers the better-ranked therapists and stops at the limit, earliest first', () => {
    const found = pairSlots(
      [
        { id: 'ann', slots: [3 * H, 1 * H] },
        { id: 'dee', slots: [1 * H, 2 * H, 3 * H] },
      ],
      [
        { id: 'bob', slots: [2 * H, 3 * H] },
        { id: 'eve', slots: [1 * H, 2 * H, 3 * H] },
      ],
      2,
    );
    expect(found).toEqual([
      { startsAt: 1 * H, first: 'ann', second: 'eve' },
      { startsAt: 2 * H, first: 'dee', second: 'bob' },
    ]);
  });

  it('finds nothing when either side has nobody', () => {
    expect(pairSlots([], [{ id: 'bob', slots: [H] }], 5)).toEqual([]);
    expect(pairSlots([{ id: 'ann', slots: [H] }], [], 5)).toEqual([]);
    expect(choosePair(['ann'], ['ann'])).toBeNull();
  });
});
