import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Series } from './progress.js';
import { describeGoal, goalProblem, goalProgress, type TreatmentGoal } from './treatment-goals.js';

const series = (measure: Series['measure'], key: string | null, ...values: number[]): Series => ({
  measure,
  key,
  points: values.map((value, i) => ({ sessionDate: `2026-11-${String(i + 1).padStart(2, '0')}`, value })),
});

const rightAkeUnder20: TreatmentGoal = { measure: 'ake', key: 'right', comparator: '<', target: 20 };
const lowBackPainAtMost2: TreatmentGoal = { measure: 'nprs', key: 'low_back.left', comparator: '<=', target: 2 };
const run5kAtLeast8: TreatmentGoal = { measure: 'psfs_activity', key: 'run 5 km', comparator: '>=', target: 8 };

describe('goalProgress', () => {
  it('measures how far from the baseline towards the target the latest value has come', () => {
    expect(goalProgress(rightAkeUnder20, series('ake', 'right', 35, 29, 27))).toEqual({
      achieved: false,
      percentOfWay: 53,
      baseline: 35,
      latest: 27,
    });
    expect(goalProgress(run5kAtLeast8, series('psfs_activity', 'run 5 km', 2, 5))).toMatchObject({
      achieved: false,
      percentOfWay: 50,
    });
  });

  it('is achieved only when the latest value meets the goal, strictly where the goal is strict', () => {
    expect(goalProgress(lowBackPainAtMost2, series('nprs', 'low_back.left', 7, 2))).toMatchObject({
      achieved: true,
      percentOfWay: 100,
    });
    expect(goalProgress(rightAkeUnder20, series('ake', 'right', 35, 20))).toMatchObject({
      achieved: false,
      percentOfWay: 99,
    });
    expect(goalProgress(rightAkeUnder20, series('ake', 'right', 35, 19.5))).toMatchObject({
      achieved: true,
      percentOfWay: 100,
    });
  });

  it('counts getting worse, or losing a goal met at baseline, as no progress', () => {
    expect(goalProgress(rightAkeUnder20, series('ake', 'right', 35, 38))).toMatchObject({
      achieved: false,
      percentOfWay: 0,
    });
    expect(goalProgress(rightAkeUnder20, series('ake', 'right', 15, 25))).toMatchObject({
      achieved: false,
      percentOfWay: 0,
    });
  });

  it('has no progress to report before the first measurement', () => {
    expect(goalProgress(rightAkeUnder20, series('ake', 'right'))).toEqual({
      achieved: false,
      percentOfWay: null,
      baseline: null,
      latest: null,
    });
  });

  it('always reports 0..100, and 100 exactly when the goal is met', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 10 }),
        (values, target) => {
          const goal: TreatmentGoal = { measure: 'nprs', key: 'neck.left', comparator: '<=', target };
          const { percentOfWay, achieved } = goalProgress(goal, series('nprs', 'neck.left', ...values));
          expect(percentOfWay).toBeGreaterThanOrEqual(0);
          expect(percentOfWay).toBeLessThanOrEqual(100);
          expect(percentOfWay === 100).toBe(achieved);
          expect(achieved).toBe(values[values.length - 1]! <= target);
        },
      ),
    );
  });
});

describe('goalProblem', () => {
  it('accepts goals that aim the way the measure improves', () => {
    expect(goalProblem(rightAkeUnder20)).toBeNull();
    expect(goalProblem(lowBackPainAtMost2)).toBeNull();
    expect(goalProblem(run5kAtLeast8)).toBeNull();
  });

  it('rejects a goal aiming the wrong way or at an impossible value', () => {
    expect(goalProblem({ measure: 'nprs', key: 'neck.left', comparator: '>=', target: 5 })).toMatchObject({
      field: 'comparator',
      code: 'goal_points_the_wrong_way',
    });
    expect(goalProblem({ measure: 'slr', key: 'left', comparator: '<', target: 50 })).toMatchObject({
      code: 'goal_points_the_wrong_way',
    });
    expect(goalProblem({ measure: 'odi', key: null, comparator: '<', target: 120 })).toMatchObject({
      field: 'target',
      code: 'target_out_of_range',
    });
  });
});

describe('describeGoal', () => {
  it('says the goal in words', () => {
    expect(describeGoal(rightAkeUnder20)).toBe('Active knee extension (hamstrings), right: under 20°');
    expect(describeGoal(lowBackPainAtMost2)).toBe('Pain (numeric rating, 0-10), low back (left): at most 2');
    expect(describeGoal(run5kAtLeast8)).toBe(
      'Patient-Specific Functional Scale (one activity), "run 5 km": at least 8',
    );
    expect(describeGoal({ measure: 'odi', key: null, comparator: '<=', target: 20 })).toBe(
      'Oswestry Disability Index: at most 20%',
    );
  });
});
