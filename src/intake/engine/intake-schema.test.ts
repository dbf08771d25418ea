import { describe, expect, it } from 'vitest';
import { deskWorkerIntake } from './intake-fixtures.test-support.js';
import { intakeDateProblems, intakeSchema, normalizeIntake } from './intake-schema.js';

describe('intake schema', () => {
  it('accepts a complete intake and every condition with its detail', () => {
    const parsed = intakeSchema.safeParse({
      ...deskWorkerIntake(),
      conditions: {
        dvtHistory: { resolvedOn: '2024-01-10', cancerRelated: false },
        hypertension: { systolic: 150, diastolic: 95, measuredOn: '2026-11-01' },
        varicoseVeins: { severity: 'mild', regions: ['calves.right'] },
        pregnancy: { weeks: 14 },
        cancer: {
          treatment: 'recent',
          tumourSites: [],
          boneMetastasisSites: [],
          lymphoedemaRiskRegions: ['upper_arm.left'],
        },
      },
    });
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('dates the pregnancy on the day of saving unless the client said otherwise', () => {
    const withWeeks = { ...deskWorkerIntake(), conditions: { pregnancy: { weeks: 14 } } };
    expect(normalizeIntake(withWeeks, '2026-11-23').conditions.pregnancy).toEqual({ weeks: 14, asOf: '2026-11-23' });
    const dated = { ...deskWorkerIntake(), conditions: { pregnancy: { weeks: 14, asOf: '2026-11-01' } } };
    expect(normalizeIntake(dated, '2026-11-23').conditions.pregnancy).toEqual({ weeks: 14, asOf: '2026-11-01' });
    expect(normalizeIntake(deskWorkerIntake(), '2026-11-23').conditions).toEqual({});
  });

  it('names every date in the future or before 1900', () => {
    const intake = {
      ...deskWorkerIntake(),
      injuries: [{ kind: 'sprain' as const, regions: ['feet.left'], date: '2026-11-24' }],
      surgeries: [{ date: '1899-12-31', regions: ['abdomen'], cancerRelated: false }],
      conditions: { heartAttack: { date: '2026-11-23' } },
    };
    expect(intakeDateProblems(intake, '2026-11-23').map((p) => [p.field, p.code])).toEqual([
      ['injuries.0.date', 'in_future'],
      ['surgeries.0.date', 'out_of_range'],
    ]);
  });

  it('has nothing to check on a date the client does not know (null)', () => {
    const intake = {
      ...deskWorkerIntake(),
      injuries: [{ kind: 'sprain' as const, regions: ['feet.left'], date: null }],
      surgeries: [{ date: null, regions: ['abdomen'], cancerRelated: false }],
      conditions: {
        heartAttack: { date: null },
        dvtHistory: { resolvedOn: null, cancerRelated: null },
        hypertension: { systolic: null, diastolic: null, measuredOn: '2026-11-24' },
      },
    };
    expect(intakeSchema.safeParse(intake).success).toBe(true);
    expect(intakeDateProblems(intake, '2026-11-23').map((p) => p.field)).toEqual([
      'conditions.hypertension.measuredOn',
    ]);
  });
});
