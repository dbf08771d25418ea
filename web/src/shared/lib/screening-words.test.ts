import { describe, expect, it } from 'vitest';
import { withConditions } from '../../../../src/intake/engine/intake-fixtures.test-support';
import type { Intake } from '../../../../src/intake/engine/intake-schema';
import { defaultFocusRegions, screen } from '../../../../src/screening/engine/screening-engine';
import { toClientView } from '../../../../src/screening/engine/screening-views';
import { changesInWords, placesInWords } from './screening-words';

const changesFor = (intake: Intake) =>
  toClientView(screen(intake, { date: '2026-11-23', regions: defaultFocusRegions(intake), pressure: 4 })).changes;

describe('screening changes in words', () => {
  it('names both sides of a place once', () => {
    expect(placesInWords(['calves.left', 'calves.right', 'abdomen', 'armpit.right'])).toBe(
      'Calf (both sides), Abdomen, Armpit (right)',
    );
  });

  it('groups places by what changes there', () => {
    const changes = changesFor(
      withConditions({
        varicoseVeins: { severity: 'mild', regions: ['calves.left'] },
        osteoarthritis: { inflamedJoints: ['hand.right'] },
      }),
    );
    expect(changesInWords(changes)).toEqual([
      // The wrist is next to the inflamed hand: light pressure only there.
      { change: 'pressure up to light (1 of 5)', places: 'Wrist and lower forearm (right)' },
      { change: 'not worked on', places: 'Hand (right)' },
      { change: 'pressure up to medium (2 of 5)', places: 'Calf (left)' },
    ]);
  });

  it('says "everywhere else" for a whole-body limit instead of listing every place', () => {
    const words = changesInWords(
      changesFor(withConditions({ fibromyalgia: true, pregnancy: { weeks: 24, asOf: '2026-11-23' } })),
    );
    expect(words).toEqual([
      { change: 'pressure up to light (1 of 5)', places: expect.stringContaining('Abdomen') },
      { change: 'pressure up to medium (2 of 5)', places: 'everywhere else' },
    ]);
    expect(words[0]!.places).toContain('Groin (both sides)');
    expect(changesInWords(changesFor(withConditions({ bleedingRisk: { causes: ['anticoagulants'] } }))).at(-1)).toEqual(
      { change: 'pressure up to medium (2 of 5)', places: 'everywhere else' },
    );
  });
});
