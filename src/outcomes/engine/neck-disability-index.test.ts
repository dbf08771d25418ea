import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NDI_ITEMS, type NdiItemId } from './neck-disability-questionnaire.js';
import { scoreNdi } from './neck-disability-index.js';

const IDS = NDI_ITEMS.map((s) => s.id);
const answersOf = (scores: number[]) =>
  Object.fromEntries(IDS.map((id, i) => [id, scores[i]])) as Record<NdiItemId, number>;

describe('NDI questionnaire', () => {
  it('has the ten items, each with six statements scored 0..5', () => {
    expect(IDS).toEqual([
      'pain_intensity',
      'personal_care',
      'lifting',
      'reading',
      'headaches',
      'concentration',
      'work',
      'driving',
      'sleeping',
      'recreation',
    ]);
    for (const item of NDI_ITEMS) {
      expect(
        item.options.map((o) => o.score),
        item.id,
      ).toEqual([0, 1, 2, 3, 4, 5]);
      expect(new Set(item.options.map((o) => o.text)).size, item.id).toBe(6);
    }
  });
});

describe('scoreNdi', () => {
  it('scores the worked example: 16 of 50 points is 32%, moderate', () => {
    expect(scoreNdi(answersOf([3, 2, 2, 1, 2, 2, 1, 1, 1, 1]))).toMatchObject({
      status: 'scored',
      points: 16,
      percent: 32,
      band: { id: 'moderate' },
      answered: 10,
    });
  });

  it('prorates a skipped item: 16 points over 9 items is 16/45 = 35.6%', () => {
    const answers: Partial<Record<NdiItemId, number | null>> = answersOf([3, 2, 2, 1, 2, 2, 1, 0, 2, 1]);
    answers.driving = null;
    const result = scoreNdi(answers);
    if (result.status !== 'scored') throw new Error('expected a score');
    expect(result.points).toBeCloseTo(160 / 9, 10);
    expect(result.percent).toBeCloseTo((16 / 45) * 100, 10);
    expect(result.skipped).toEqual(['driving']);
  });

  it('bands 0-4 none, 5-14 mild, 15-24 moderate, 25-34 severe, over 34 complete', () => {
    const bandAt = (total: number) => {
      const scores = Array.from({ length: 10 }, (_, i) => Math.min(5, Math.max(0, total - 5 * i)));
      const result = scoreNdi(answersOf(scores));
      return result.status === 'scored' ? result.band.id : null;
    };
    expect([0, 4, 5, 14, 15, 24, 25, 34, 35, 50].map(bandAt)).toEqual([
      'none',
      'none',
      'mild',
      'mild',
      'moderate',
      'moderate',
      'severe',
      'severe',
      'complete',
      'complete',
    ]);
  });

  it('bands a prorated total by its nearest whole number: 4.4 is none, 34.4 severe, 35.6 complete', () => {
    const withSkip = (sum: number) => {
      const scores = Array.from({ length: 9 }, (_, i) => Math.min(5, Math.max(0, sum - 5 * i)));
      const answers: Partial<Record<NdiItemId, number | null>> = { ...answersOf([...scores, 0]), recreation: null };
      const result = scoreNdi(answers);
      return result.status === 'scored' ? [Number(result.points.toFixed(1)), result.band.id] : null;
    };
    expect(withSkip(4)).toEqual([4.4, 'none']);
    expect(withSkip(5)).toEqual([5.6, 'mild']);
    expect(withSkip(31)).toEqual([34.4, 'severe']);
    expect(withSkip(32)).toEqual([35.6, 'complete']);
  });

  it('does not score fewer than 8 answered items', () => {
    const answers: Partial<Record<NdiItemId, number>> = answersOf([2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    delete answers.driving;
    delete answers.work;
    delete answers.reading;
    expect(scoreNdi(answers)).toMatchObject({ status: 'too_few_answers', answered: 7, required: 8 });
  });

  it('gives the same prorated total whichever items are skipped when the answers are proportional', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.uniqueArray(fc.constantFrom(...IDS), { maxLength: 2 }),
        (score, skipped) => {
          const answers: Partial<Record<NdiItemId, number>> = answersOf(IDS.map(() => score));
          for (const id of skipped) delete answers[id];
          const result = scoreNdi(answers);
          expect(result.status === 'scored' && [result.points, result.percent]).toEqual([score * 10, score * 20]);
        },
      ),
    );
  });
});
