import { describe, expect, it } from 'vitest';
import { EMERGENCY_NUMBERS } from '../../domain/emergency-wording.js';
import { deskWorkerIntake, withConditions } from '../../intake/engine/intake-fixtures.test-support.js';
import type { Intake } from '../../intake/engine/intake-schema.js';
import { epochDayFromIsoDate, isoDateFromEpochDay } from '../../scheduling/engine/calendar-date.js';
import { SCREENING_ENTRIES } from './contraindication-catalogue.js';
import { screen } from './screening-engine.js';
import { staffHeadline } from './screening-views.js';

/**
 * Every red-flag answer of the consultation, with the urgency the clinical reference gives it. Every rule that stops
 * a session (class A) is listed, so a new one must say here whether it is urgent.
 *
 * - emergency: chest pain [UCLH, PE24]; saddle numbness, new bladder problems, progressive leg weakness [AHCPR]
 *   (section 5 "(emergency)"). The words name the emergency numbers and never defer ("when it is safe").
 * - same day: a current or suspected clot, or a calf with its signs (section 1: "seek same-day medical care"
 *   [W-Thromb, VTE10, PE24, UCLH]). The words say "today".
 * - none: the reference asks for a block and a rebooking, not for medical help (fever, widespread skin infection,
 *   rheumatoid arthritis flare, resting blood pressure of 190/100 or more, a heart attack in the last 6 weeks) or
 *   for a doctor's check before deep work (new numbness or radiating pain [GRANT11]).
 */
const SESSION_DATE = '2026-11-24';
const daysBefore = (days: number) => isoDateFromEpochDay(epochDayFromIsoDate(SESSION_DATE)! - days);
const c = withConditions;
const noSpinalFlags = {
  saddleNumbness: false,
  bladderOrBowelChange: false,
  progressiveLegWeakness: false,
  newNumbnessOrRadiatingPain: false,
};

interface RedFlagAnswer {
  answer: string;
  intake: Intake;
  ruleId: string;
  urgency: 'emergency' | 'same_day' | null;
  sources: string[];
}

const RED_FLAG_ANSWERS: RedFlagAnswer[] = [
  {
    answer: 'chest pain at rest, or chest pain that is getting worse',
    intake: c({ unstableAngina: true }),
    ruleId: 'heart.unstable_angina',
    urgency: 'emergency',
    sources: ['UCLH', 'PE24'],
  },
  {
    answer: 'saddle numbness',
    intake: c({ spinalRedFlags: { ...noSpinalFlags, saddleNumbness: true } }),
    ruleId: 'spinal_red_flags.emergency',
    urgency: 'emergency',
    sources: ['AHCPR'],
  },
  {
    answer: 'new bladder or bowel problems',
    intake: c({ spinalRedFlags: { ...noSpinalFlags, bladderOrBowelChange: true } }),
    ruleId: 'spinal_red_flags.emergency',
    urgency: 'emergency',
    sources: ['AHCPR'],
  },
  {
    answer: 'legs getting weaker',
    intake: c({ spinalRedFlags: { ...noSpinalFlags, progressiveLegWeakness: true } }),
    ruleId: 'spinal_red_flags.emergency',
    urgency: 'emergency',
    sources: ['AHCPR'],
  },
  {
    answer: 'a suspected blood clot',
    intake: c({ bloodClot: { status: 'suspected' } }),
    ruleId: 'blood_clot.suspected',
    urgency: 'same_day',
    sources: ['W-Thromb', 'UCLH'],
  },
  {
    answer: 'a diagnosed blood clot',
    intake: c({ bloodClot: { status: 'diagnosed' } }),
    ruleId: 'blood_clot.suspected',
    urgency: 'same_day',
    sources: ['W-Thromb', 'UCLH'],
  },
  {
    answer: 'a painful calf with swelling, warmth or redness',
    intake: c({ legClotSigns: { side: 'right', signs: ['warmth'] } }),
    ruleId: 'blood_clot.suspected',
    urgency: 'same_day',
    sources: ['W-Thromb', 'UCLH'],
  },
  {
    answer: 'new numbness or pain radiating down a limb',
    intake: c({ spinalRedFlags: { ...noSpinalFlags, newNumbnessOrRadiatingPain: true } }),
    ruleId: 'spinal_red_flags.radiating',
    urgency: null,
    sources: ['GRANT11'],
  },
  {
    answer: 'fever or an acute infection',
    intake: c({ feverOrInfection: true }),
    ruleId: 'fever',
    urgency: null,
    sources: ['W-Fever', 'HUM'],
  },
  {
    answer: 'a widespread skin infection or rash',
    intake: c({ skinInfection: { widespread: true, regions: [] } }),
    ruleId: 'skin_infection.widespread',
    urgency: null,
    sources: ['HUM'],
  },
  {
    answer: 'a rheumatoid arthritis flare',
    intake: c({ rheumatoidArthritis: { flare: true, joints: [] } }),
    ruleId: 'rheumatoid_arthritis.flare',
    urgency: null,
    sources: ['W-RA', 'HUM'],
  },
  {
    answer: 'a resting blood pressure of 190/100 or more',
    intake: c({ hypertension: { systolic: 195, diastolic: 100, measuredOn: daysBefore(2) } }),
    ruleId: 'hypertension.severe',
    urgency: null,
    sources: ['HUM', 'W-HTN'],
  },
  {
    answer: 'a heart attack in the last 6 weeks',
    intake: c({ heartAttack: { date: daysBefore(20) } }),
    ruleId: 'heart.recovering',
    urgency: null,
    sources: ['W-MI', 'HUM'],
  },
];

/** Words that put off an emergency: "ask your cardiologist when it is safe", "rebook when well". */
const DEFERRING = /when it is safe|ask your (cardiologist|doctor)|rebook|see your doctor about/i;

const decide = (intake: Intake) =>
  screen(
    intake,
    { date: SESSION_DATE, regions: ['low_back.left', 'hamstrings.left'], pressure: 4 },
    { today: SESSION_DATE },
  );

describe('urgent words for urgent answers (clinical reference sections 1 and 5)', () => {
  it('lists every rule that stops a session', () => {
    const absolute = SCREENING_ENTRIES.flatMap((e) => e.rules.filter((r) => r.class === 'A').map((r) => r.id));
    expect(new Set(RED_FLAG_ANSWERS.map((a) => a.ruleId))).toEqual(
      new Set([...absolute, 'spinal_red_flags.radiating']),
    );
  });

  for (const a of RED_FLAG_ANSWERS) {
    it(`answers ${a.answer} with ${a.urgency ?? 'no'} urgency, in words to match`, () => {
      const decision = decide(a.intake);
      const flag = decision.flags.find((f) => f.ruleId === a.ruleId);
      expect(flag, a.ruleId).toBeDefined();
      expect(flag!.urgency).toBe(a.urgency);
      expect(decision.medicalUrgency).toBe(a.urgency);
      expect(flag!.sources).toEqual(expect.arrayContaining(a.sources));
      const said = [decision.headline, ...decision.clientMessages].join(' ');
      if (a.urgency === 'emergency') {
        expect(decision.outcome).toBe('not_today');
        expect(decision.headline).toContain(EMERGENCY_NUMBERS);
        expect(flag!.clientMessage).toContain(EMERGENCY_NUMBERS);
        expect(flag!.clientMessage).toMatch(/call your local emergency number now/i);
        expect(said).not.toMatch(DEFERRING);
        expect(flag!.reason).toMatch(/emergency/i);
        expect(staffHeadline(decision.outcome, decision.medicalUrgency)).toMatch(/emergency number/);
      } else if (a.urgency === 'same_day') {
        expect(decision.outcome).toBe('not_today');
        expect(decision.headline).toMatch(/today/);
        expect(flag!.clientMessage).toMatch(/today/);
        expect(said).not.toMatch(DEFERRING);
        // Worse signs on the way are an emergency, with the numbers.
        expect(flag!.clientMessage).toContain(EMERGENCY_NUMBERS);
      } else {
        expect(decision.headline).not.toMatch(/urgent|emergency|today/i);
      }
    });
  }

  it('says the emergency when an emergency and a same-day answer come together', () => {
    const decision = decide(c({ unstableAngina: true, legClotSigns: { side: 'left', signs: ['swelling'] } }));
    expect(decision.medicalUrgency).toBe('emergency');
    expect(decision.headline).toContain(EMERGENCY_NUMBERS);
    expect(decision.clientMessages[0]).toMatch(/call your local emergency number now/i);
  });

  it('keeps the emergency for chest pain when a heart attack was recent too', () => {
    const decision = decide(c({ unstableAngina: true, heartAttack: { date: daysBefore(10) } }));
    expect(decision.medicalUrgency).toBe('emergency');
    expect(decision.flags.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(['heart.unstable_angina', 'heart.recovering']),
    );
  });

  it('tells the healthy client nothing urgent', () => {
    expect(decide(deskWorkerIntake()).medicalUrgency).toBeNull();
  });
});
