import { describe, expect, it } from 'vitest';
import { NDI_ITEMS } from './neck-disability-questionnaire.js';
import { ODI_SECTIONS } from './oswestry-questionnaire.js';
import { psfsActivitySet, scoreSubmission } from './outcome-submission.js';

const odi = (scores: (number | null)[]) => Object.fromEntries(ODI_SECTIONS.map((s, i) => [s.id, scores[i]]));
const ndi = (scores: (number | null)[]) => Object.fromEntries(NDI_ITEMS.map((s, i) => [s.id, scores[i]]));

describe('scoreSubmission', () => {
  it('stores the Oswestry index as a percentage with the answers it came from', () => {
    const answers = odi([3, 2, 2, 1, 2, 2, 1, 1, 1, 1]);
    expect(scoreSubmission({ measure: 'odi', answers })).toEqual({
      ok: true,
      values: [{ measure: 'odi', key: null, value: 32, detail: { answers } }],
    });
  });

  it('prorates a skipped Oswestry section: 16 of 45 is 35.6%', () => {
    const result = scoreSubmission({ measure: 'odi', answers: odi([3, 2, 2, 1, 2, 2, 1, null, 2, 1]) });
    expect(result.ok && result.values[0]!.value).toBeCloseTo(35.56, 2);
  });

  it('refuses a questionnaire with more than two sections skipped', () => {
    expect(scoreSubmission({ measure: 'odi', answers: odi([3, 2, 2, 1, 2, 2, 1, null, null, null]) })).toEqual({
      ok: false,
      problems: [
        { field: 'answers', code: 'too_few_answers', message: 'Answer at least 8 of the 10 sections (7 answered)' },
      ],
    });
  });

  it('stores the Neck Disability Index in points out of 50, prorated over a skipped item', () => {
    const full = scoreSubmission({ measure: 'ndi', answers: ndi([2, 1, 2, 2, 3, 2, 1, 2, 1, 2]) });
    expect(full.ok && full.values[0]!.value).toBe(18);
    // Driving skipped: 16 over nine items is 17.8 on the 50-point scale.
    const skipped = scoreSubmission({ measure: 'ndi', answers: ndi([2, 1, 2, 2, 3, 2, 1, null, 1, 2]) });
    expect(skipped.ok && skipped.values[0]!.value).toBeCloseTo(160 / 9, 10);
  });

  it('stores the PSFS average and one value per activity, keyed by the activity in normalised words', () => {
    const result = scoreSubmission({
      measure: 'psfs',
      ratings: [
        { activity: ' Run  5 km ', score: 3 },
        { activity: 'Sit through a meeting', score: 5 },
        { activity: 'Tie shoelaces', score: 7 },
      ],
    });
    expect(result).toEqual({
      ok: true,
      values: [
        {
          measure: 'psfs',
          key: null,
          value: 5,
          detail: {
            ratings: [
              { activity: 'Run 5 km', score: 3 },
              { activity: 'Sit through a meeting', score: 5 },
              { activity: 'Tie shoelaces', score: 7 },
            ],
          },
        },
        { measure: 'psfs_activity', key: 'run 5 km', value: 3, detail: { activity: 'Run 5 km' } },
        {
          measure: 'psfs_activity',
          key: 'sit through a meeting',
          value: 5,
          detail: { activity: 'Sit through a meeting' },
        },
        { measure: 'psfs_activity', key: 'tie shoelaces', value: 7, detail: { activity: 'Tie shoelaces' } },
      ],
    });
  });

  it('refuses a fourth PSFS activity and the same activity twice', () => {
    const four = [1, 2, 3, 4].map((n) => ({ activity: `activity ${n}`, score: 5 }));
    expect(scoreSubmission({ measure: 'psfs', ratings: four })).toMatchObject({
      ok: false,
      problems: [{ field: 'ratings', code: 'too_many_activities' }],
    });
    expect(
      scoreSubmission({
        measure: 'psfs',
        ratings: [
          { activity: 'Run', score: 2 },
          { activity: 'run ', score: 4 },
        ],
      }),
    ).toMatchObject({ ok: false, problems: [{ code: 'duplicate_activity' }] });
  });

  it('stores pain per region and refuses a region twice', () => {
    expect(scoreSubmission({ measure: 'nprs', ratings: [{ region: 'low_back.left', score: 6 }] })).toEqual({
      ok: true,
      values: [{ measure: 'nprs', key: 'low_back.left', value: 6, detail: {} }],
    });
    expect(
      scoreSubmission({
        measure: 'nprs',
        ratings: [
          { region: 'low_back.left', score: 6 },
          { region: 'low_back.left', score: 4 },
        ],
      }),
    ).toMatchObject({
      ok: false,
      problems: [{ field: 'ratings.1.region', code: 'duplicate_region' }],
    });
  });

  it('values flexibility tests from their trials: AKE one reading, SLR the mean of two, sit-and-reach the best of three', () => {
    expect(scoreSubmission({ measure: 'ake', side: 'right', trials: [28] })).toMatchObject({
      ok: true,
      values: [{ measure: 'ake', key: 'right', value: 28 }],
    });
    expect(scoreSubmission({ measure: 'slr', side: 'left', trials: [60, 64] })).toMatchObject({
      ok: true,
      values: [{ key: 'left', value: 62, detail: { trials: [60, 64] } }],
    });
    expect(scoreSubmission({ measure: 'sit_and_reach', side: null, trials: [31, 34.5, 33] })).toMatchObject({
      ok: true,
      values: [{ key: null, value: 34.5 }],
    });
  });

  it('refuses a flexibility reading without its side, with the wrong number of trials or out of range', () => {
    expect(scoreSubmission({ measure: 'ake', side: null, trials: [28] })).toMatchObject({
      ok: false,
      problems: [{ field: 'side', code: 'side_required' }],
    });
    expect(scoreSubmission({ measure: 'slr', side: 'left', trials: [60] })).toMatchObject({
      ok: false,
      problems: [{ field: 'trials', code: 'wrong_trial_count' }],
    });
    expect(scoreSubmission({ measure: 'ake', side: 'left', trials: [95] })).toMatchObject({
      ok: false,
      problems: [{ field: 'trials', code: 'out_of_range' }],
    });
    expect(scoreSubmission({ measure: 'sit_and_reach', side: 'left', trials: [30, 31, 32] })).toMatchObject({
      ok: false,
      problems: [{ field: 'side', code: 'side_not_allowed' }],
    });
  });
});

describe('psfsActivitySet', () => {
  it('is the same for the same activities in any order, spacing or capitals', () => {
    expect(psfsActivitySet([{ activity: 'Run 5 km' }, { activity: 'tie  shoelaces' }])).toEqual(
      psfsActivitySet([{ activity: 'Tie shoelaces' }, { activity: 'run 5 KM' }]),
    );
  });
});
