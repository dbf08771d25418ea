import { describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../../../../src/intake/engine/intake-fixtures.test-support';
import { intakeSchema } from '../../../../../src/intake/engine/intake-schema';
import type { IntakeInput } from '../../../shared/lib/api-types';
import {
  asksRedFlags,
  draftFromIntake,
  emptyDraft,
  intakeFromDraft,
  newCondition,
  stepOfField,
  weeksOn,
} from './intake-draft';

const everyCondition: IntakeInput = deskWorkerIntake({
  injuries: [
    { kind: 'strain', regions: ['hamstrings.left'], date: '2026-10-01', time: '18:30', description: 'Sprinting' },
    { kind: 'sprain', regions: ['feet.right'], date: '2026-09-12' },
  ],
  surgeries: [{ date: '2025-03-01', regions: ['shoulder_front.right'], cancerRelated: false }],
  medications: ['Ibuprofen as needed'],
  conditions: {
    legClotSigns: { side: 'left', signs: ['swelling', 'warmth'] },
    bloodClot: { status: 'suspected' },
    dvtHistory: { resolvedOn: '2024-02-01', cancerRelated: true },
    bleedingRisk: { causes: ['anticoagulants'], medication: 'Apixaban' },
    feverOrInfection: true,
    openWounds: { regions: ['forearm.left'] },
    skinInfection: { regions: [], widespread: true },
    osteoporosis: { severity: 'moderate' },
    herniatedDisc: { levels: ['lumbar'] },
    spinalRedFlags: {
      saddleNumbness: false,
      bladderOrBowelChange: false,
      progressiveLegWeakness: false,
      newNumbnessOrRadiatingPain: true,
    },
    rheumatoidArthritis: { flare: false, joints: ['hand.left'] },
    osteoarthritis: { inflamedJoints: [] },
    varicoseVeins: { severity: 'mild', regions: ['calves.left'] },
    cancer: {
      treatment: 'recent',
      tumourSites: ['chest.left'],
      boneMetastasisSites: [],
      lymphoedemaRiskRegions: ['upper_arm.left'],
    },
    diabetesNeuropathy: { reducedSensation: [] },
    hypertension: { systolic: 150, diastolic: 95, measuredOn: '2026-11-01' },
    heartAttack: { date: '2026-06-20' },
    unstableAngina: true,
    kidneyFailure: true,
    fibromyalgia: true,
    pregnancy: { weeks: 20, asOf: '2026-11-02' },
  },
  pressure: { preference: 2, avoidRegions: ['abdomen'] },
});

describe('the consultation draft', () => {
  it('turns a saved intake into a draft and back into the same request, every condition included', () => {
    const body = intakeFromDraft(draftFromIntake(everyCondition, '2026-11-23'));
    const { pregnancy, ...conditions } = everyCondition.conditions;
    expect(body).toEqual({ ...everyCondition, conditions: { ...conditions, pregnancy: { weeks: 23 } } });
    expect(intakeSchema.safeParse(body).success).toBe(true);
    expect(pregnancy).toEqual({ weeks: 20, asOf: '2026-11-02' });
  });

  it('sends "I don\'t know" as null for every detail that can be unknown, and keeps it when edited again', () => {
    const unknowns: IntakeInput = {
      ...deskWorkerIntake({
        injuries: [{ kind: 'sprain', regions: ['feet.left'], date: null }],
        surgeries: [{ date: null, regions: ['abdomen'], cancerRelated: false }],
      }),
      conditions: {
        dvtHistory: { resolvedOn: null, cancerRelated: null },
        osteoporosis: { severity: null },
        herniatedDisc: { levels: null },
        spinalRedFlags: {
          saddleNumbness: false,
          bladderOrBowelChange: false,
          progressiveLegWeakness: false,
          newNumbnessOrRadiatingPain: false,
        },
        varicoseVeins: { severity: null, regions: ['calves.left'] },
        cancer: { treatment: null, tumourSites: [], boneMetastasisSites: [], lymphoedemaRiskRegions: [] },
        hypertension: { systolic: null, diastolic: null, measuredOn: null },
        heartAttack: { date: null },
        pregnancy: { weeks: null },
      },
    };
    const draft = draftFromIntake(unknowns, '2026-11-23');
    expect(draft.conditions.hypertension).toMatchObject({ readingUnknown: true, systolic: '', diastolic: '' });
    const body = intakeFromDraft(draft);
    expect(body).toEqual(unknowns);
    expect(intakeSchema.safeParse(body).success).toBe(true);
    // A reading the client does not know has no date either, whatever was typed before they ticked it.
    const typed = { systolic: '150', diastolic: '95', readingUnknown: true, measuredOn: '2026-11-01' };
    const ticked = intakeFromDraft({ ...emptyDraft(), conditions: { hypertension: typed } });
    expect(ticked.conditions.hypertension).toEqual({ systolic: null, diastolic: null, measuredOn: null });
  });

  it('leaves out what was not answered, so the server names each field as required', () => {
    const body = intakeFromDraft(emptyDraft());
    expect(body.activity).toEqual({});
    expect(body.pressure).toEqual({ avoidRegions: [] });
    expect(body.goals).toEqual([]);
    const issues = intakeSchema.safeParse(body).error!.issues.map((i) => i.path.join('.'));
    expect(issues).toEqual(
      expect.arrayContaining(['activity.level', 'activity.deskHoursPerDay', 'pressure.preference']),
    );
  });

  it('sends a ticked condition without its details so the details are asked for, and unticked ones not at all', () => {
    const draft = {
      ...emptyDraft(),
      conditions: {
        hypertension: newCondition('hypertension'),
        pregnancy: { weeks: '' },
        fibromyalgia: newCondition('fibromyalgia'),
      },
    };
    expect(intakeFromDraft(draft).conditions).toEqual({ hypertension: {}, pregnancy: {}, fibromyalgia: true });
  });

  it('asks the spinal red-flag questions with back or neck pain or a disc problem, and sends the answers then', () => {
    const draft = emptyDraft();
    expect(asksRedFlags(draft)).toBe(false);
    expect(intakeFromDraft(draft).conditions.spinalRedFlags).toBeUndefined();
    const withBack = { ...draft, bodyMap: { 'low_back.left': { tightness: 4, pain: 6 } } };
    expect(asksRedFlags(withBack)).toBe(true);
    expect(intakeFromDraft(withBack).conditions.spinalRedFlags).toEqual({
      saddleNumbness: false,
      bladderOrBowelChange: false,
      progressiveLegWeakness: false,
      newNumbnessOrRadiatingPain: false,
    });
    expect(asksRedFlags({ ...draft, conditions: { herniatedDisc: { levels: ['cervical'] } } })).toBe(true);
  });

  it('advances pregnancy weeks to today, never past 42', () => {
    expect(weeksOn(20, '2026-11-02', '2026-11-08')).toBe(20);
    expect(weeksOn(20, '2026-11-02', '2026-11-09')).toBe(21);
    expect(weeksOn(40, '2026-01-01', '2026-11-23')).toBe(42);
    expect(weeksOn(12, undefined, '2026-11-23')).toBe(12);
  });

  it('knows which step asks for each field the server may name', () => {
    expect(stepOfField('bodyMap.0.note')).toBe(0);
    expect(stepOfField('activity.level')).toBe(1);
    expect(stepOfField('injuries.0.date')).toBe(2);
    expect(stepOfField('conditions.hypertension.systolic')).toBe(3);
    expect(stepOfField('consent.treatment')).toBe(4);
  });
});
