import { describe, expect, it } from 'vitest';
import { generateAftercare } from '../care/engine/aftercare-generator.js';
import { aftercareGuides } from './aftercare-guides.js';

const slugs = (regions: string[], conditions: Parameters<typeof generateAftercare>[0]['conditions'] = []) => {
  const draft = generateAftercare({
    note: { regionsWorked: regions.map((region) => ({ region, maxPressure: 4 })), sessionEndedAt: 0 },
    conditions,
    zone: 'UTC',
  });
  return aftercareGuides(draft.plan, draft.omitted).map((g) => g.slug);
};

describe('the guides an aftercare links', () => {
  it('follows the regions worked, read from the home programme the generator chose for them', () => {
    expect(slugs(['hamstrings.left'])).toEqual([
      'tight-hamstrings',
      'legs-hurt-when-massaged',
      'soreness-after-massage',
    ]);
    expect(slugs(['upper_back.left'])).toEqual(['knots-in-the-back', 'back-pain-relief', 'soreness-after-massage']);
    // Strengthening after buttock work serves the hamstrings too, but says nothing of the regions worked.
    expect(slugs(['glutes.left'])).toEqual(['soreness-after-massage']);
    expect(slugs(['forearm.right'])).toEqual(['soreness-after-massage']);
  });

  it('keeps a region whose exercise a condition ruled out', () => {
    expect(slugs(['calves.left'], [{ code: 'varicose_veins', regions: ['calves.left'] }])).toEqual([
      'legs-hurt-when-massaged',
      'soreness-after-massage',
    ]);
  });

  it('follows the regions the note worked once they are kept, whatever exercises the plan keeps', () => {
    const draft = generateAftercare({
      note: { regionsWorked: [{ region: 'low_back.left', maxPressure: 4 }], sessionEndedAt: 0 },
      conditions: [],
      zone: 'UTC',
    });
    const noExercises = { ...draft.plan, sections: draft.plan.sections.map((s) => ({ ...s, items: [] })) };
    expect(aftercareGuides(noExercises, [], ['low_back.left', 'calves.right']).map((g) => g.slug)).toEqual([
      'knots-in-the-back',
      'back-pain-relief',
      'legs-hurt-when-massaged',
      'soreness-after-massage',
    ]);
    // Without kept regions (aftercare written before 0038) the emptied plan says nothing of the back.
    expect(aftercareGuides(noExercises, []).map((g) => g.slug)).toEqual(['soreness-after-massage']);
  });
});
