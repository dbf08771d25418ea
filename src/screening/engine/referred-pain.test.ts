import { describe, expect, it } from 'vitest';
import { referredPainHints } from './referred-pain.js';

const bodyMap = (...entries: [string, number][]) => ({
  bodyMap: entries.map(([region, pain]) => ({ region, tightness: 5, pain })),
});

describe('referred-pain hints', () => {
  it('suggests the muscles whose trigger points refer pain to the painful region, on the same side', () => {
    const { hints, clotReminder } = referredPainHints(bodyMap(['low_back.right', 6]));
    const byMuscle = Object.fromEntries(hints.map((h) => [h.muscle, h.assessAt]));
    expect(byMuscle).toMatchObject({
      quadratus_lumborum: ['low_back.right'],
      gluteus_medius: ['glutes.right'],
      piriformis: ['glutes.right'],
      soleus: ['calves.right'],
      erector_spinae: ['low_back.right'],
    });
    expect(hints.every((h) => h.sources.length > 0 && h.explains.includes('low_back.right'))).toBe(true);
    expect(clotReminder).toBeNull();
  });

  it('reads pain at the sacrum and along the spine as the reference’s sacroiliac, sacrum and nearby-spine patterns', () => {
    const sacrum = referredPainHints(bodyMap(['spine_sacral', 5])).hints;
    expect(sacrum.map((h) => h.muscle).sort()).toEqual(
      ['erector_spinae', 'gluteus_medius', 'piriformis', 'quadratus_lumborum', 'soleus'].sort(),
    );
    expect(sacrum.find((h) => h.muscle === 'gluteus_medius')!.assessAt).toEqual(['glutes.left', 'glutes.right']);
    const lumbar = referredPainHints(bodyMap(['spine_lumbar', 5])).hints;
    expect(lumbar.map((h) => h.muscle)).toEqual(['erector_spinae']);
  });

  it('looks at both sides for a midline region, and ignores regions that are tight but not painful', () => {
    const { hints } = referredPainHints(bodyMap(['head', 4], ['hamstrings.left', 0]));
    expect(hints.map((h) => h.muscle).sort()).toEqual(['sternocleidomastoid', 'upper_trapezius']);
    expect(hints.find((h) => h.muscle === 'upper_trapezius')!.assessAt).toEqual([
      'upper_back.left',
      'upper_back.right',
    ]);
  });

  it('points pain at the back of the knee to biceps femoris and gastrocnemius', () => {
    const { hints } = referredPainHints(bodyMap(['back_of_knee.left', 3]));
    expect(hints.map((h) => [h.muscle, h.assessAt])).toEqual([
      ['biceps_femoris', ['hamstrings.left']],
      ['gastrocnemius', ['calves.left']],
    ]);
  });

  it('always brings the clot-screening reminder with calf pain', () => {
    const { hints, clotReminder } = referredPainHints(bodyMap(['calves.left', 2], ['calves.right', 1]));
    expect(clotReminder).toMatchObject({
      regions: ['calves.left', 'calves.right'],
      sources: expect.arrayContaining(['UCLH']),
    });
    expect(clotReminder!.text).toMatch(/swelling, warmth or redness in one leg/);
    expect(hints.map((h) => h.muscle)).toEqual(expect.arrayContaining(['gluteus_minimus', 'gastrocnemius', 'soleus']));
  });
});
