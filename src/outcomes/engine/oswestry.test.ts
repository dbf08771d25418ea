import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ODI_SECTIONS, type OdiSectionId } from './oswestry-questionnaire.js';
import { ODI_BANDS, scoreOdi } from './oswestry.js';

const IDS = ODI_SECTIONS.map((s) => s.id);
const answersOf = (scores: number[]) =>
  Object.fromEntries(IDS.map((id, i) => [id, scores[i]])) as Record<OdiSectionId, number>;

describe('ODI questionnaire', () => {
  it('has the ten sections, each with six statements scored 0..5', () => {
    expect(IDS).toEqual([
      'pain_intensity',
      'personal_care',
      'lifting',
      'walking',
      'sitting',
      'standing',
      'sleeping',
      'sex_life',
      'social_life',
      'travelling',
    ]);
    for (const section of ODI_SECTIONS) {
      expect(
        section.options.map((o) => o.score),
        section.id,
      ).toEqual([0, 1, 2, 3, 4, 5]);
      expect(new Set(section.options.map((o) => o.text)).size, section.id).toBe(6);
    }
  });
});

describe('scoreOdi', () => {
  it('scores the worked example: 16 of 50 is 32%', () => {
    const result = scoreOdi(answersOf([3, 2, 2, 1, 2, 2, 1, 1, 1, 1]));
    expect(result).toMatchObject({
      status: 'scored',
      percent: 32,
      answered: 10,
      skipped: [],
      band: { id: 'moderate' },
    });
  });

  it('divides by 45 when one section is skipped: 16 of 45 is 35.6%', () => {
    const answers: Partial<Record<OdiSectionId, number | null>> = answersOf([3, 2, 2, 1, 2, 2, 1, 0, 2, 1]);
    answers.sex_life = null;
    const result = scoreOdi(answers);
    expect(result.status).toBe('scored');
    if (result.status !== 'scored') return;
    expect(result.percent).toBeCloseTo((16 / 45) * 100, 10);
    expect(result.skipped).toEqual(['sex_life']);
  });

  it('bands 0-20 minimal, 21-40 moderate, 41-60 severe, 61-80 crippled, 81-100 bed-bound', () => {
    const band = (sum: number) => {
      const scores = Array.from({ length: 10 }, (_, i) => Math.min(5, Math.max(0, sum - 5 * i)));
      const result = scoreOdi(answersOf(scores));
      return result.status === 'scored' ? [result.percent, result.band.id] : null;
    };
    expect(band(0)).toEqual([0, 'minimal']);
    expect(band(10)).toEqual([20, 'minimal']);
    expect(band(11)).toEqual([22, 'moderate']);
    expect(band(20)).toEqual([40, 'moderate']);
    expect(band(21)).toEqual([42, 'severe']);
    expect(band(30)).toEqual([60, 'severe']);
    expect(band(31)).toEqual([62, 'crippled']);
    expect(band(40)).toEqual([80, 'crippled']);
    expect(band(41)).toEqual([82, 'bed_bound']);
    expect(band(50)).toEqual([100, 'bed_bound']);
  });

  it('bands prorated scores exactly at the edges: 9 of 45 is 20% (minimal), 10 of 45 is 22.2% (moderate)', () => {
    const nine = {
      pain_intensity: 5,
      personal_care: 4,
      lifting: 0,
      walking: 0,
      sitting: 0,
      standing: 0,
      sleeping: 0,
      social_life: 0,
      travelling: 0,
    };
    const atEdge = scoreOdi(nine);
    expect(atEdge.status === 'scored' && [atEdge.percent, atEdge.band.id]).toEqual([20, 'minimal']);
    const over = scoreOdi({ ...nine, lifting: 1 });
    expect(over.status === 'scored' && [over.percent.toFixed(1), over.band.id]).toEqual(['22.2', 'moderate']);
  });

  it('does not score a form with fewer than 8 of 10 sections answered', () => {
    const answers: Partial<Record<OdiSectionId, number>> = answersOf([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    delete answers.sex_life;
    delete answers.travelling;
    expect(scoreOdi(answers).status).toBe('scored');
    delete answers.walking;
    expect(scoreOdi(answers)).toEqual({
      status: 'too_few_answers',
      answered: 7,
      required: 8,
      skipped: ['walking', 'sex_life', 'travelling'],
    });
  });

  it('rejects scores outside 0..5 and unknown sections', () => {
    expect(() => scoreOdi({ ...answersOf([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]), lifting: 6 })).toThrow(RangeError);
    expect(() => scoreOdi({ ...answersOf([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]), lifting: 2.5 })).toThrow(RangeError);
    expect(() => scoreOdi({ ...answersOf([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]), driving: 1 } as never)).toThrow(RangeError);
  });

  it('gives the same score whichever sections are skipped when the answers are proportional', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.uniqueArray(fc.constantFrom(...IDS), { maxLength: 2 }),
        (score, skipped) => {
          const answers: Partial<Record<OdiSectionId, number>> = answersOf(IDS.map(() => score));
          for (const id of skipped) delete answers[id];
          const result = scoreOdi(answers);
          expect(result.status === 'scored' && result.percent).toBe(score * 20);
        },
      ),
    );
  });

  it('treats a skipped section as if answered with the average of the others', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 10, maxLength: 10 }),
        fc.constantFrom(...IDS),
        (scores, skip) => {
          const answers: Partial<Record<OdiSectionId, number>> = answersOf(scores);
          delete answers[skip];
          const answered = Object.values<number>(answers);
          const mean = answered.reduce((a, b) => a + b, 0) / answered.length;
          const result = scoreOdi(answers);
          expect(result.status === 'scored' && result.percent).toBeCloseTo(
            ((answered.reduce((a, b) => a + b, 0) + mean) / 50) * 100,
            9,
          );
        },
      ),
    );
  });

  it('keeps every score within 0..100 and bands never go down as the score goes up', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 10, maxLength: 10 }),
        fc.integer({ min: 0, max: 9 }),
        (scores, i) => {
          const lower = scoreOdi(answersOf(scores));
          const raised = scoreOdi(answersOf(scores.map((s, j) => (j === i ? Math.min(5, s + 1) : s))));
          if (lower.status !== 'scored' || raised.status !== 'scored')
            throw new Error('complete forms are always scored');
          expect(lower.percent).toBeGreaterThanOrEqual(0);
          expect(raised.percent).toBeLessThanOrEqual(100);
          expect(ODI_BANDS.indexOf(raised.band)).toBeGreaterThanOrEqual(ODI_BANDS.indexOf(lower.band));
        },
      ),
    );
  });
});
