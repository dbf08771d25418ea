import { describe, expect, it } from 'vitest';
import { BODY_REGIONS } from '../../domain/body-regions.js';
import { isSourceKey } from '../../domain/clinical-sources.js';
import { EXERCISES } from './exercise-catalogue.js';

const REGION_IDS = new Set<string>(BODY_REGIONS.map((r) => r.id));

describe('exercise catalogue', () => {
  it('has unique ids, instructions, a dose, known regions and known sources on every entry and rule', () => {
    expect(new Set(EXERCISES.map((e) => e.id)).size).toBe(EXERCISES.length);
    for (const e of EXERCISES) {
      expect(e.instructions.length, e.id).toBeGreaterThan(0);
      expect(e.dosage.sets, e.id).toBeGreaterThan(0);
      expect(e.dosage.reps !== undefined || e.dosage.seconds !== undefined, e.id).toBe(true);
      expect(e.serves.length, e.id).toBeGreaterThan(0);
      for (const region of e.serves) expect(REGION_IDS.has(region), `${e.id}: ${region}`).toBe(true);
      for (const key of [...e.sources, ...e.ruledOutBy.flatMap((r) => r.sources)])
        expect(isSourceKey(key), `${e.id}: ${key}`).toBe(true);
      expect(e.kind === 'strengthen', e.id).toBe(e.strengthens !== undefined);
    }
  });

  it('rules out lying on the back or face down in pregnancy, and all foam rolling on blood thinners', () => {
    for (const e of EXERCISES) {
      const byPregnancy = e.ruledOutBy.some((r) => r.condition === 'pregnancy' && r.scope === 'always');
      if (e.position === 'lying_on_back' || e.position === 'lying_face_down') expect(byPregnancy, e.id).toBe(true);
      if (e.kind === 'foam_roll')
        expect(
          e.ruledOutBy.some((r) => r.condition === 'anticoagulants' && r.scope === 'always'),
          e.id,
        ).toBe(true);
    }
  });

  it('offers at least one stretch for every muscular region a template works', () => {
    for (const region of [
      'hamstrings',
      'glutes',
      'calves',
      'feet',
      'low_back',
      'neck',
      'upper_back',
      'shoulder_blade',
      'mid_back',
    ]) {
      expect(
        EXERCISES.some((e) => e.kind === 'stretch' && e.serves.includes(region as never)),
        region,
      ).toBe(true);
    }
  });
});
