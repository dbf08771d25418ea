import { describe, expect, it } from 'vitest';
import { isSourceKey } from './clinical-sources.js';
import { describeMeaningfulChange, OUTCOME_MEASURES, outcomeMeasure } from './measure-catalogue.js';

describe('outcome measure catalogue', () => {
  it('cites known reference keys on every measure', () => {
    for (const measure of OUTCOME_MEASURES) {
      expect(measure.sources.length, measure.id).toBeGreaterThan(0);
      for (const key of measure.sources) expect(isSourceKey(key), `${measure.id}: ${key}`).toBe(true);
    }
  });

  it('says which way is better for each measure', () => {
    const better = Object.fromEntries(OUTCOME_MEASURES.map((m) => [m.id, m.better]));
    expect(better).toEqual({
      nprs: 'lower',
      psfs: 'higher',
      psfs_activity: 'higher',
      odi: 'lower',
      ndi: 'lower',
      ake: 'lower',
      slr: 'higher',
      sit_and_reach: 'higher',
    });
  });

  it('uses the meaningful-change rules of the reference, and none where it gives none', () => {
    expect(outcomeMeasure('nprs').meaningfulChange).toEqual({ kind: 'points_or_percent', points: 2, percent: 30 });
    expect(outcomeMeasure('odi').meaningfulChange).toEqual({ kind: 'points_or_percent', points: 10, percent: 30 });
    expect(outcomeMeasure('psfs').meaningfulChange).toEqual({ kind: 'points', points: 2 });
    expect(outcomeMeasure('psfs_activity').meaningfulChange).toEqual({ kind: 'points', points: 3 });
    expect(outcomeMeasure('ndi').meaningfulChange).toEqual({ kind: 'points', points: 5 });
    for (const id of ['ake', 'slr', 'sit_and_reach'] as const) {
      expect(outcomeMeasure(id).meaningfulChange.kind, id).toBe('not_defined');
    }
  });

  it('describes the rules in words', () => {
    expect(describeMeaningfulChange(outcomeMeasure('nprs').meaningfulChange)).toBe(
      'a change of at least 2 points or 30% of the starting value',
    );
    expect(describeMeaningfulChange(outcomeMeasure('ake').meaningfulChange)).toBe(
      'no meaningful-change threshold defined',
    );
  });
});
