import fc from 'fast-check';
import { REGION_REFS, type RegionRef } from '../../domain/body-regions.js';
import type { Conditions, Intake } from '../../intake/engine/intake-schema.js';
import { ACTIVITY_LEVELS, INJURY_KINDS } from '../../intake/engine/intake-schema.js';
import { epochDayFromIsoDate, isoDateFromEpochDay } from '../../scheduling/engine/calendar-date.js';
import type { Pressure } from '../../domain/screening-vocabulary.js';

/** Generators of valid intakes for property tests, with every date up to ~2 years before `sessionDate`. */
export function intakeArbitraries(sessionDate: string) {
  const sessionDay = epochDayFromIsoDate(sessionDate)!;
  const date = fc.integer({ min: 0, max: 800 }).map((daysBefore) => isoDateFromEpochDay(sessionDay - daysBefore));
  const ref = fc.constantFrom(...REGION_REFS);
  const refs = (minLength = 0) => fc.uniqueArray(ref, { minLength, maxLength: 4 });
  const bool = fc.boolean();
  /** A detail the client may answer "I don't know" (null). */
  const orUnknown = <T>(detail: fc.Arbitrary<T>) => fc.option(detail, { nil: null, freq: 4 });

  const condition: { [K in keyof Conditions]-?: fc.Arbitrary<NonNullable<Conditions[K]>> } = {
    bloodClot: fc.record({ status: fc.constantFrom('diagnosed' as const, 'suspected' as const) }),
    legClotSigns: fc.record({
      side: fc.constantFrom('left' as const, 'right' as const, 'both' as const),
      signs: fc.uniqueArray(fc.constantFrom('swelling' as const, 'warmth' as const, 'redness' as const), {
        minLength: 1,
        maxLength: 3,
      }),
    }),
    dvtHistory: fc.record({ resolvedOn: orUnknown(date), cancerRelated: orUnknown(bool) }),
    bleedingRisk: fc.record({
      causes: fc.uniqueArray(
        fc.constantFrom('anticoagulants' as const, 'bleeding_disorder' as const, 'low_platelets' as const),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    feverOrInfection: fc.constant(true),
    openWounds: fc.record({ regions: refs(1) }),
    skinInfection: fc.oneof(
      fc.record({ regions: refs(1), widespread: bool }),
      fc.record({ regions: fc.constant([] as RegionRef[]), widespread: fc.constant(true) }),
    ),
    osteoporosis: fc.record({
      severity: orUnknown(fc.constantFrom('mild' as const, 'moderate' as const, 'severe' as const)),
    }),
    herniatedDisc: fc.record({
      levels: orUnknown(
        fc.uniqueArray(fc.constantFrom('cervical' as const, 'lumbar' as const), { minLength: 1, maxLength: 2 }),
      ),
    }),
    spinalRedFlags: fc.record({
      saddleNumbness: bool,
      bladderOrBowelChange: bool,
      progressiveLegWeakness: bool,
      newNumbnessOrRadiatingPain: bool,
    }),
    rheumatoidArthritis: fc.record({ flare: bool, joints: refs() }),
    osteoarthritis: fc.record({ inflamedJoints: refs() }),
    varicoseVeins: fc.record({
      severity: orUnknown(fc.constantFrom('mild' as const, 'severe' as const)),
      regions: refs(1),
    }),
    cancer: fc.record({
      treatment: orUnknown(fc.constantFrom('current' as const, 'recent' as const, 'none' as const)),
      tumourSites: refs(),
      boneMetastasisSites: refs(),
      lymphoedemaRiskRegions: refs(),
    }),
    diabetesNeuropathy: fc.record({ reducedSensation: refs() }),
    hypertension: fc
      .tuple(
        orUnknown(
          fc
            .record({ systolic: fc.integer({ min: 90, max: 260 }), diastolic: fc.integer({ min: 40, max: 160 }) })
            .filter((bp) => bp.systolic > bp.diastolic),
        ),
        orUnknown(date),
      )
      .map(([reading, measuredOn]) => ({ ...(reading ?? { systolic: null, diastolic: null }), measuredOn })),
    heartAttack: fc.record({ date: orUnknown(date) }),
    unstableAngina: fc.constant(true),
    kidneyFailure: fc.constant(true),
    fibromyalgia: fc.constant(true),
    pregnancy: fc.record({ weeks: orUnknown(fc.integer({ min: 1, max: 42 })), asOf: date }),
  };
  const conditionKeys = Object.keys(condition) as (keyof Conditions)[];

  const injury = fc.record({ kind: fc.constantFrom(...INJURY_KINDS), regions: refs(1), date: orUnknown(date) });
  const surgery = fc.record({ date: orUnknown(date), regions: refs(1), cancerRelated: bool });

  const conditions: fc.Arbitrary<Intake['conditions']> = fc
    .subarray(conditionKeys, { maxLength: 6 })
    .chain(
      (keys) => fc.record(Object.fromEntries(keys.map((k) => [k, condition[k]]))) as fc.Arbitrary<Intake['conditions']>,
    );

  const intake: fc.Arbitrary<Intake> = fc.record({
    bodyMap: fc.uniqueArray(
      fc.record({ region: ref, tightness: fc.integer({ min: 0, max: 10 }), pain: fc.integer({ min: 0, max: 10 }) }),
      { maxLength: 6, selector: (e) => e.region },
    ),
    goals: fc.constant(['Less pain']),
    activity: fc.record({
      level: fc.constantFrom(...ACTIVITY_LEVELS),
      deskHoursPerDay: fc.integer({ min: 0, max: 12 }),
    }),
    causes: fc.constant([]),
    injuries: fc.array(injury, { maxLength: 2 }),
    surgeries: fc.array(surgery, { maxLength: 2 }),
    medications: fc.constant([]),
    conditions,
    pressure: fc.record({
      preference: fc.integer({ min: 1, max: 5 }) as fc.Arbitrary<Pressure>,
      avoidRegions: fc.constant([]),
    }),
    consent: fc.constant({ treatment: true, dataProcessing: true }),
  });

  /** One more piece of health history: a condition the intake does not have yet, an injury or a surgery. */
  const addition = (base: Intake): fc.Arbitrary<Intake> => {
    const absent = conditionKeys.filter((k) => base.conditions[k] === undefined);
    return fc.oneof(
      ...absent.map((k) =>
        condition[k].map((value): Intake => ({ ...base, conditions: { ...base.conditions, [k]: value } })),
      ),
      injury.map((i): Intake => ({ ...base, injuries: [...base.injuries, i] })),
      surgery.map((s): Intake => ({ ...base, surgeries: [...base.surgeries, s] })),
    );
  };

  const plan = fc.record({ regions: refs(), pressure: fc.integer({ min: 1, max: 5 }) as fc.Arbitrary<Pressure> });

  return { intake, addition, plan, conditionKeys };
}
