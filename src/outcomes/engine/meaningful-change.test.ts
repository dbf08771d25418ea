import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessChange } from './meaningful-change.js';
import { OUTCOME_MEASURES, outcomeMeasure } from '../../domain/measure-catalogue.js';

const nprs = outcomeMeasure('nprs');
const odi = outcomeMeasure('odi');

describe('assessChange', () => {
  it('NPRS: 2 points is meaningful, 1 point is not unless it is 30% of the baseline', () => {
    expect(assessChange(nprs, 6, 4)).toEqual({
      change: -2,
      percentChange: (-2 / 6) * 100,
      direction: 'improved',
      meaningful: true,
    });
    expect(assessChange(nprs, 6, 5)).toMatchObject({ direction: 'improved', meaningful: false });
    expect(assessChange(nprs, 3, 2)).toMatchObject({ direction: 'improved', meaningful: true });
    expect(assessChange(nprs, 4, 3)).toMatchObject({ direction: 'improved', meaningful: false });
    expect(assessChange(nprs, 10, 7)).toMatchObject({ percentChange: -30, meaningful: true });
  });

  it('calls a rise in pain a meaningful worsening by the same rule', () => {
    expect(assessChange(nprs, 4, 6)).toMatchObject({ change: 2, direction: 'worsened', meaningful: true });
  });

  it('leaves percent change undefined at a baseline of 0 and judges by points alone', () => {
    expect(assessChange(nprs, 0, 1)).toEqual({
      change: 1,
      percentChange: null,
      direction: 'worsened',
      meaningful: false,
    });
    expect(assessChange(nprs, 0, 2)).toMatchObject({ percentChange: null, meaningful: true });
  });

  it('ODI: 10 points or 30%', () => {
    expect(assessChange(odi, 40, 30)).toMatchObject({ direction: 'improved', meaningful: true });
    expect(assessChange(odi, 20, 14)).toMatchObject({ meaningful: true });
    expect(assessChange(odi, 50, 41)).toMatchObject({ meaningful: false });
  });

  it('NDI 5 points; PSFS 2 points on the average and 3 on one activity', () => {
    expect(assessChange(outcomeMeasure('ndi'), 20, 15).meaningful).toBe(true);
    expect(assessChange(outcomeMeasure('ndi'), 20, 16).meaningful).toBe(false);
    expect(assessChange(outcomeMeasure('psfs'), 4, 6)).toMatchObject({ direction: 'improved', meaningful: true });
    expect(assessChange(outcomeMeasure('psfs'), 13 / 3, 19 / 3).meaningful).toBe(true);
    expect(assessChange(outcomeMeasure('psfs'), 4, 17 / 3).meaningful).toBe(false);
    expect(assessChange(outcomeMeasure('psfs_activity'), 3, 6).meaningful).toBe(true);
    expect(assessChange(outcomeMeasure('psfs_activity'), 3, 5).meaningful).toBe(false);
  });

  it('reports the change of a flexibility test without calling it meaningful', () => {
    expect(assessChange(outcomeMeasure('ake'), 35, 22)).toEqual({
      change: -13,
      percentChange: (-13 / 35) * 100,
      direction: 'improved',
      meaningful: null,
    });
    expect(assessChange(outcomeMeasure('slr'), 60, 55).direction).toBe('worsened');
  });

  const measureAndValues = fc.constantFrom(...OUTCOME_MEASURES).chain((measure) =>
    fc.record({
      measure: fc.constant(measure),
      baseline: fc.double({ min: measure.min, max: measure.max, noNaN: true }),
      delta: fc.double({ min: 0, max: measure.max - measure.min, noNaN: true }),
    }),
  );

  it('is symmetric: a rise and a fall of the same size from the same baseline are equally meaningful', () => {
    fc.assert(
      fc.property(measureAndValues, ({ measure, baseline, delta }) => {
        const up = assessChange(measure, baseline, baseline + delta);
        const down = assessChange(measure, baseline, baseline - delta);
        expect(up.meaningful).toBe(down.meaningful);
        if (up.direction === 'unchanged') expect(down.direction).toBe('unchanged');
        else expect(new Set([up.direction, down.direction])).toEqual(new Set(['improved', 'worsened']));
      }),
    );
  });

  it('never calls no change meaningful, and has a percent change exactly when the baseline is not 0', () => {
    fc.assert(
      fc.property(measureAndValues, ({ measure, baseline, delta }) => {
        const same = assessChange(measure, baseline, baseline);
        expect(same.direction).toBe('unchanged');
        expect(same.meaningful).toBe(measure.meaningfulChange.kind === 'not_defined' ? null : false);
        expect(assessChange(measure, baseline, baseline + delta).percentChange === null).toBe(baseline === 0);
      }),
    );
  });
});
