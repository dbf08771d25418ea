import { describe, expect, it } from 'vitest';
import { psfsActivityKey, psfsProblem, scorePsfs } from './psfs.js';

describe('PSFS', () => {
  it('averages up to three activity ratings', () => {
    expect(
      scorePsfs([
        { activity: 'Run 5 km', score: 3 },
        { activity: 'Sit through a meeting', score: 6 },
        { activity: 'Tie shoes', score: 9 },
      ]),
    ).toBe(6);
    expect(scorePsfs([{ activity: 'Run 5 km', score: 4 }])).toBe(4);
    expect(
      scorePsfs([
        { activity: 'Run 5 km', score: 4 },
        { activity: 'Squat', score: 5 },
      ]),
    ).toBe(4.5);
  });

  it('refuses forms it cannot score, saying why', () => {
    expect(psfsProblem([])).toBe('no_activities');
    const four = ['a', 'b', 'c', 'd'].map((activity) => ({ activity, score: 5 }));
    expect(psfsProblem(four)).toBe('too_many_activities');
    expect(psfsProblem([{ activity: '  ', score: 5 }])).toBe('empty_activity');
    expect(
      psfsProblem([
        { activity: 'Run 5 km', score: 5 },
        { activity: 'run  5 KM ', score: 6 },
      ]),
    ).toBe('duplicate_activity');
    expect(psfsProblem([{ activity: 'Run', score: 11 }])).toBe('score_out_of_range');
    expect(psfsProblem([{ activity: 'Run', score: 7.5 }])).toBe('score_out_of_range');
    expect(() => scorePsfs(four)).toThrow(RangeError);
  });

  it('keys an activity by its words, ignoring spacing and capitals', () => {
    expect(psfsActivityKey('  Run   5 KM ')).toBe('run 5 km');
  });
});
