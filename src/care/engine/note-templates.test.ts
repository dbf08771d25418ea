import { describe, expect, it } from 'vitest';
import { applyTemplate, NOTE_TEMPLATES } from './note-templates.js';
import {
  appliedPressureExceedances,
  pressureExceedance,
  screeningExceedances,
} from '../../domain/screening-exceedances.js';
import { sessionNoteSchema } from './session-note.js';

describe('applyTemplate', () => {
  it('drafts a valid note for every template and every choice of sides', () => {
    for (const template of NOTE_TEMPLATES) {
      for (const sides of ['left', 'right', 'both'] as const) {
        const { note } = applyTemplate(template.id, { sides });
        expect(sessionNoteSchema.safeParse(note).success, `${template.id} ${sides}`).toBe(true);
      }
    }
  });

  it('prefills the hamstrings session per side with techniques, tools, pressure and minutes', () => {
    const draft = applyTemplate('hamstrings_deep', {
      sides: 'both',
      painBefore: [{ region: 'hamstrings.right', score: 6 }],
    });
    expect(draft.note.regionsWorked.map((w) => [w.region, w.maxPressure, w.minutes])).toEqual([
      ['hamstrings.left', 4, 15],
      ['hamstrings.right', 4, 15],
      ['glutes.left', 4, 7],
      ['glutes.right', 4, 7],
      ['calves.left', 3, 3],
      ['calves.right', 3, 3],
    ]);
    expect(draft.note.regionsWorked[0]).toMatchObject({
      techniques: ['myofascial_release', 'stripping', 'trigger_point_compression'],
      tools: ['forearm', 'knuckles', 'elbow'],
    });
    expect(draft.note.painBefore).toEqual([{ region: 'hamstrings.right', score: 6 }]);
    expect(draft.suggestedTests).toEqual([
      { test: 'ake', side: 'left' },
      { test: 'ake', side: 'right' },
    ]);
    expect(draft.adjustments).toEqual([]);
  });

  it('gives one side all of the template minutes and scales them to longer sessions', () => {
    const draft = applyTemplate('calves_runner', { sides: 'right', durationMin: 90 });
    expect(draft.note.regionsWorked.map((w) => [w.region, w.minutes])).toEqual([
      ['calves.right', 42],
      ['feet.right', 15],
      ['hamstrings.right', 18],
    ]);
  });

  it('follows screening: leaves excluded regions out and holds pressure to the caps, saying so', () => {
    const screening = {
      caps: { 'glutes.left': 2 as const, 'low_back.left': 1 as const },
      excluded: ['hamstrings.left'],
    };
    const draft = applyTemplate('low_back', { sides: 'left', screening });
    expect(draft.note.regionsWorked.map((w) => [w.region, w.maxPressure])).toEqual([
      ['low_back.left', 1],
      ['glutes.left', 2],
    ]);
    expect(draft.adjustments).toEqual([
      'Low back, left: pressure held to 1/5, the screening cap.',
      'Buttock, left: pressure held to 2/5, the screening cap.',
      'Back of the thigh (hamstrings), left left out: screening excludes it.',
    ]);
    expect(screeningExceedances(draft.note.regionsWorked, screening)).toEqual([]);
  });
});

describe('screeningExceedances', () => {
  const worked = (region: string, maxPressure: number) => ({
    region,
    techniques: ['stripping' as const],
    tools: ['forearm' as const],
    maxPressure,
    minutes: 10,
  });

  it('lists regions worked harder than their cap, or worked although excluded', () => {
    const limits = {
      caps: { 'calves.left': 2 as const, 'back_of_knee.left': 1 as const, 'calves.right': 4 as const },
      excluded: ['low_back.left'],
    };
    expect(
      screeningExceedances(
        [
          worked('calves.left', 3),
          worked('calves.right', 4),
          worked('low_back.left', 1),
          worked('hamstrings.left', 5),
          worked('back_of_knee.left', 2),
        ],
        limits,
      ),
    ).toEqual([
      { region: 'calves.left', kind: 'pressure_above_cap', logged: 3, cap: 2 },
      { region: 'low_back.left', kind: 'excluded_region_worked', logged: 1 },
      { region: 'back_of_knee.left', kind: 'pressure_above_cap', logged: 2, cap: 1 },
    ]);
  });

  it('lists a technique screening rules out on a region, next to a pressure above its cap', () => {
    const friction = {
      region: 'calves.left',
      techniques: ['stripping' as const, 'cross_fibre_friction' as const],
      tools: ['fingers' as const],
      maxPressure: 3,
      minutes: 5,
    };
    const limits = {
      caps: { 'calves.left': 2 as const },
      excluded: [],
      avoidTechniques: [{ region: 'calves.left', technique: 'cross_fibre_friction' as const }],
    };
    expect(screeningExceedances([friction, worked('calves.right', 3)], limits)).toEqual([
      { region: 'calves.left', kind: 'pressure_above_cap', logged: 3, cap: 2 },
      { region: 'calves.left', kind: 'technique_avoided', technique: 'cross_fibre_friction' },
    ]);
    expect(screeningExceedances([worked('calves.left', 2)], limits)).toEqual([]);
  });

  it('finds nothing when the note stays within the limits', () => {
    expect(screeningExceedances([worked('calves.left', 2)], { caps: { 'calves.left': 2 }, excluded: [] })).toEqual([]);
  });

  it('checks one pressure, and the highest pressure applied per region during a session, the same way', () => {
    const limits = { caps: { front_of_neck: 1 as const }, excluded: ['feet.left'] };
    expect(pressureExceedance('front_of_neck', 1, limits)).toBeNull();
    expect(pressureExceedance('front_of_neck', 5, limits)).toEqual({
      region: 'front_of_neck',
      kind: 'pressure_above_cap',
      logged: 5,
      cap: 1,
    });
    expect(pressureExceedance('feet.left', 1, limits)).toEqual({
      region: 'feet.left',
      kind: 'excluded_region_worked',
      logged: 1,
    });
    expect(
      appliedPressureExceedances(
        [
          { region: 'front_of_neck', highestPressureApplied: 4 },
          { region: 'calves.left', highestPressureApplied: 5 },
          { region: 'feet.left', highestPressureApplied: null },
          { region: null, highestPressureApplied: null },
        ],
        limits,
      ),
    ).toEqual([{ region: 'front_of_neck', kind: 'pressure_above_cap', logged: 4, cap: 1 }]);
  });
});
