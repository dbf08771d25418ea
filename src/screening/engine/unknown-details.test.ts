import { describe, expect, it } from 'vitest';
import type { RegionRef } from '../../domain/body-regions.js';
import { deskWorkerIntake, withConditions } from '../../intake/engine/intake-fixtures.test-support.js';
import { type Intake, intakeSchema } from '../../intake/engine/intake-schema.js';
import { epochDayFromIsoDate, isoDateFromEpochDay } from '../../scheduling/engine/calendar-date.js';
import { SCREENING_ENTRIES } from './contraindication-catalogue.js';
import { type ScreeningDecision, requiredClearanceRuleIds, screen } from './screening-engine.js';

/**
 * No form that fails open (issue 14, item 3): every condition detail a client may not know (a reading, a date, a
 * severity) can be answered "I don't know" (null), and screening reads it as the strictest value it could be, with a
 * flag that says the client did not know and asks the therapist to confirm.
 */

const SESSION_DATE = '2026-11-24';
const daysBefore = (days: number) => isoDateFromEpochDay(epochDayFromIsoDate(SESSION_DATE)! - days);
const FOCUS: RegionRef[] = ['hamstrings.left', 'calves.left', 'neck', 'low_back.left', 'abdomen'];
const c = withConditions;

interface UnknownCase {
  detail: string;
  /** The client's answer with the detail unknown (null). */
  unknown: Intake;
  /** The same answer with the strictest value the detail could have. */
  strictest: Intake;
  /** The flag that says the client did not know. */
  flag: string;
  /** Words of the strictest rule that would tell the client a fact they did not give. */
  notSaid?: RegExp;
}

const CASES: UnknownCase[] = [
  {
    detail: 'blood-pressure reading',
    unknown: c({ hypertension: { systolic: null, diastolic: null, measuredOn: null } }),
    strictest: c({ hypertension: { systolic: 260, diastolic: 159, measuredOn: daysBefore(0) } }),
    flag: 'hypertension.reading_unknown',
    notSaid: /Your blood pressure reading of/,
  },
  {
    detail: 'when the blood-pressure reading was taken',
    unknown: c({ hypertension: { systolic: 150, diastolic: 85, measuredOn: null } }),
    strictest: c({ hypertension: { systolic: 150, diastolic: 85, measuredOn: daysBefore(3000) } }),
    flag: 'hypertension.reading_date_unknown',
  },
  {
    detail: 'date of a heart attack',
    unknown: c({ heartAttack: { date: null } }),
    strictest: c({ heartAttack: { date: daysBefore(0) } }),
    flag: 'heart.date_unknown',
    notSaid: /at least 6 weeks after a heart attack/,
  },
  {
    detail: 'date a cancer-related past clot was treated',
    unknown: c({ dvtHistory: { resolvedOn: null, cancerRelated: true } }),
    strictest: c({ dvtHistory: { resolvedOn: daysBefore(0), cancerRelated: true } }),
    flag: 'dvt_history.date_unknown',
  },
  {
    detail: 'date a past clot was treated',
    unknown: c({ dvtHistory: { resolvedOn: null, cancerRelated: false } }),
    strictest: c({ dvtHistory: { resolvedOn: daysBefore(0), cancerRelated: false } }),
    flag: 'dvt_history.date_unknown',
  },
  {
    detail: 'whether a past clot was linked to cancer',
    unknown: c({ dvtHistory: { resolvedOn: daysBefore(30), cancerRelated: null } }),
    strictest: c({ dvtHistory: { resolvedOn: daysBefore(30), cancerRelated: true } }),
    flag: 'dvt_history.cancer_link_unknown',
    notSaid: /you had a cancer-related blood clot/,
  },
  {
    detail: 'osteoporosis severity',
    unknown: c({ osteoporosis: { severity: null } }),
    strictest: c({ osteoporosis: { severity: 'severe' } }),
    flag: 'osteoporosis.severity_unknown',
    notSaid: /your osteoporosis is severe/,
  },
  {
    detail: 'level of a herniated disc',
    unknown: c({ herniatedDisc: { levels: null } }),
    strictest: c({ herniatedDisc: { levels: ['cervical', 'lumbar'] } }),
    flag: 'herniated_disc.level_unknown',
  },
  {
    detail: 'varicose veins severity',
    unknown: c({ varicoseVeins: { severity: null, regions: ['calves.left'] } }),
    strictest: c({ varicoseVeins: { severity: 'severe', regions: ['calves.left'] } }),
    flag: 'varicose_veins.severity_unknown',
    notSaid: /with severe varicose veins/,
  },
  {
    detail: 'when cancer treatment ended',
    unknown: c({ cancer: { treatment: null, tumourSites: [], boneMetastasisSites: [], lymphoedemaRiskRegions: [] } }),
    strictest: c({
      cancer: { treatment: 'current', tumourSites: [], boneMetastasisSites: [], lymphoedemaRiskRegions: [] },
    }),
    flag: 'cancer.treatment_unknown',
    notSaid: /you are having, or recently had/,
  },
  {
    detail: 'weeks of pregnancy',
    unknown: c({ pregnancy: { weeks: null, asOf: daysBefore(0) } }),
    strictest: c({ pregnancy: { weeks: 42, asOf: daysBefore(0) } }),
    flag: 'pregnancy.weeks_unknown',
  },
  {
    detail: 'date of an operation',
    unknown: deskWorkerIntake({ surgeries: [{ date: null, regions: ['calves.left'], cancerRelated: false }] }),
    strictest: deskWorkerIntake({
      surgeries: [{ date: daysBefore(0), regions: ['calves.left'], cancerRelated: false }],
    }),
    flag: 'recent_surgery.date_unknown',
    notSaid: /you had surgery in the last/,
  },
  {
    detail: 'date of a sprain',
    unknown: deskWorkerIntake({ injuries: [{ kind: 'sprain', regions: ['calves.left'], date: null }] }),
    strictest: deskWorkerIntake({ injuries: [{ kind: 'sprain', regions: ['calves.left'], date: daysBefore(0) }] }),
    flag: 'acute_injury.date_unknown',
    notSaid: /from the last 72 hours/,
  },
  {
    detail: 'date of a fracture',
    unknown: deskWorkerIntake({ injuries: [{ kind: 'fracture', regions: ['calves.left'], date: null }] }),
    strictest: deskWorkerIntake({ injuries: [{ kind: 'fracture', regions: ['calves.left'], date: daysBefore(0) }] }),
    flag: 'acute_fracture.date_unknown',
    notSaid: /A recently broken bone/,
  },
];

const decide = (intake: Intake) => screen(intake, { date: SESSION_DATE, regions: FOCUS, pressure: 5 });
const UNKNOWN_RULES = new Set(CASES.map((k) => k.flag));

/** What a decision does to the session, leaving out the flags (and their advice) that say a detail was unknown. */
function effectOf(d: ScreeningDecision) {
  return {
    outcome: d.outcome,
    medicalUrgency: d.medicalUrgency,
    rules: d.flags.map((f) => f.ruleId).filter((id) => !UNKNOWN_RULES.has(id)),
    restrictions: d.restrictions.map(({ region, excluded, cap }) => ({ region, excluded, cap })),
    plan: d.plan,
    clearance: requiredClearanceRuleIds(d),
    advice: d.advice.filter((a) => !UNKNOWN_RULES.has(a.ruleId)).map((a) => a.text),
    techniqueLimits: d.techniqueLimits,
  };
}

describe('a condition detail the client does not know', () => {
  it.each(CASES)('$detail: the intake accepts "I don\'t know" (null)', ({ unknown }) => {
    const parsed = intakeSchema.safeParse(unknown);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it.each(CASES)('$detail: unknown is screened as the strictest known value', ({ unknown, strictest }) => {
    expect(effectOf(decide(unknown))).toEqual(effectOf(decide(strictest)));
    expect(decide(unknown).outcome).not.toBe('proceed');
  });

  it.each(CASES)('$detail: a flag says the client did not know and asks the therapist to confirm', (k) => {
    const decision = decide(k.unknown);
    const flag = decision.flags.find((f) => f.ruleId === k.flag);
    expect(flag, k.flag).toBeDefined();
    expect(flag!.reason).toMatch(/^The client did not know .+; screened as the strictest it could be/);
    expect(flag!.reason).toMatch(/Please confirm it with the client\.$/);
    expect(flag!.clientMessage).toMatch(/^You did not know /);
    expect(flag!.facts).toMatch(/not known/);
    expect(flag!.sources.length).toBeGreaterThan(0);
    expect(decision.advice).toContainEqual(
      expect.objectContaining({ ruleId: k.flag, topic: 'therapist', text: expect.stringMatching(/confirm it/) }),
    );
    expect(decision.clientMessages).toContain(flag!.clientMessage);
    // A known value raises no such flag.
    expect(decide(k.strictest).flags.map((f) => f.ruleId)).not.toContain(k.flag);
  });

  it.each(CASES.filter((k) => k.notSaid))('$detail: the client is not told what they did not say', (k) => {
    expect(decide(k.strictest).clientMessages.join(' ')).toMatch(k.notSaid!);
    expect(decide(k.unknown).clientMessages.join(' ')).not.toMatch(k.notSaid!);
  });

  it('keeps the words of a known injury beside one of unknown date', () => {
    const both = deskWorkerIntake({
      injuries: [
        { kind: 'sprain', regions: ['calves.left'], date: null },
        { kind: 'strain', regions: ['hamstrings.left'], date: daysBefore(1) },
      ],
    });
    const flag = decide(both).flags.find((f) => f.ruleId === 'acute_injury')!;
    expect(flag.clientMessage).toMatch(/You did not know when your injury happened/);
    expect(flag.clientMessage).toMatch(/A fresh injury \(from the last 72 hours\)/);
  });

  it('has a case here for every rule the catalogue keeps for an unknown detail', () => {
    const catalogued = SCREENING_ENTRIES.flatMap((e) => e.rules.map((r) => r.id)).filter((id) =>
      id.endsWith('_unknown'),
    );
    expect([...UNKNOWN_RULES].sort()).toEqual(catalogued.sort());
  });

  it('tells the client who did not know their reading why the session cannot go ahead', () => {
    const decision = decide(CASES[0]!.unknown);
    expect(decision.outcome).toBe('not_today');
    const severe = decision.flags.find((f) => f.ruleId === 'hypertension.severe')!;
    expect(severe.clientMessage).toMatch(/You did not know your blood-pressure reading/);
    expect(severe.clientMessage).toMatch(/190\/100 or higher/);
    expect(severe.facts).toBe('reading not known');
  });

  it('does not accept half a reading: both numbers, or "I don\'t know" for both', () => {
    const half = c({ hypertension: { systolic: 150, diastolic: null, measuredOn: daysBefore(3) } });
    const parsed = intakeSchema.safeParse(half);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['conditions', 'hypertension', 'diastolic']);
  });
});

describe('a known blood-pressure reading', () => {
  const reading = (systolic: number, diastolic: number) =>
    decide(c({ hypertension: { systolic, diastolic, measuredOn: daysBefore(2) } }));
  const messageOf = (d: ScreeningDecision, ruleId: string) => d.flags.find((f) => f.ruleId === ruleId)?.clientMessage;

  it.each([
    [
      170,
      100,
      'hypertension.severe',
      'Your blood pressure reading of 170/100 is too high for massage: the bottom number (diastolic) is 100 or higher.',
    ],
    [
      195,
      95,
      'hypertension.severe',
      'Your blood pressure reading of 195/95 is too high for massage: the top number (systolic) is 190 or higher.',
    ],
    [
      200,
      110,
      'hypertension.severe',
      'Your blood pressure reading of 200/110 is too high for massage: the top number (systolic) is 190 or higher and the bottom number (diastolic) is 100 or higher.',
    ],
    [
      165,
      85,
      'hypertension.high',
      'Your blood pressure reading of 165/85 is high (the top number (systolic) is 160 or higher), so there will be no deep work on your belly.',
    ],
    [
      150,
      92,
      'hypertension.high',
      'Your blood pressure reading of 150/92 is high (the bottom number (diastolic) is 90 or higher), so there will be no deep work on your belly.',
    ],
  ] as const)('%i/%i is told its own reading and the threshold it meets', (systolic, diastolic, ruleId, words) => {
    const decision = reading(systolic, diastolic);
    expect(messageOf(decision, ruleId)).toMatch(new RegExp(`^${words.replace(/[()/.]/g, '\\$&')}`));
    expect(decision.clientMessages.join(' ')).not.toMatch(/190\/100 or higher/);
  });

  it('quotes the reading in the refusal a client with 170/100 reads', () => {
    const decision = reading(170, 100);
    expect(decision.outcome).toBe('not_today');
    expect(decision.clientMessages[0]).toContain('170/100');
    expect(decision.clientMessages[0]).toContain('100 or higher');
  });
});
