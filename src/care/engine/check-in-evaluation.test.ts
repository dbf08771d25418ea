import { describe, expect, it } from 'vitest';
import { type CheckInAnswers, evaluateCheckIn } from './check-in-evaluation.js';
import { isSourceKey } from '../../domain/clinical-sources.js';
import { RED_FLAGS } from './red-flags.js';

const calm: CheckInAnswers = { soreness: 3, trend: 'better', hoursSinceSession: 24, redFlags: {} };

interface Case {
  name: string;
  answers: Partial<CheckInAnswers>;
  level: 'ok' | 'seek_care' | 'emergency';
  reasons: string[];
}

const CASES: Case[] = [
  { name: 'normal soreness easing at 24 h', answers: {}, level: 'ok', reasons: [] },
  {
    name: 'soreness the same at 24 h (still within the normal window)',
    answers: { trend: 'same' },
    level: 'ok',
    reasons: [],
  },
  {
    name: 'no soreness at 48 h',
    answers: { soreness: 0, trend: 'same', hoursSinceSession: 48 },
    level: 'ok',
    reasons: [],
  },
  {
    name: 'still sore and easing at 48 h',
    answers: { soreness: 4, trend: 'better', hoursSinceSession: 48 },
    level: 'ok',
    reasons: [],
  },
  {
    name: 'soreness worsening at 24 h',
    answers: { soreness: 5, trend: 'worse' },
    level: 'seek_care',
    reasons: ['soreness_worse_or_lingering'],
  },
  {
    name: 'soreness not easing at 48 h',
    answers: { soreness: 4, trend: 'same', hoursSinceSession: 48 },
    level: 'seek_care',
    reasons: ['soreness_worse_or_lingering'],
  },
  {
    name: 'soreness not easing just before 48 h',
    answers: { soreness: 4, trend: 'same', hoursSinceSession: 47.5 },
    level: 'ok',
    reasons: [],
  },
  {
    name: 'one-sided calf pain with swelling',
    answers: { redFlags: { clot_in_leg: true } },
    level: 'seek_care',
    reasons: ['clot_in_leg'],
  },
  {
    name: 'dark urine or unusual swelling',
    answers: { redFlags: { dark_urine_or_swelling: true } },
    level: 'seek_care',
    reasons: ['dark_urine_or_swelling'],
  },
  {
    name: 'new numbness or radiating pain',
    answers: { redFlags: { numbness_or_radiating_pain: true } },
    level: 'seek_care',
    reasons: ['numbness_or_radiating_pain'],
  },
  {
    name: 'chest pain or breathlessness',
    answers: { redFlags: { chest_pain_or_breathlessness: true } },
    level: 'emergency',
    reasons: ['chest_pain_or_breathlessness'],
  },
  {
    name: 'saddle numbness, bladder trouble or leg weakness',
    answers: { redFlags: { saddle_numbness_bladder_or_leg_weakness: true } },
    level: 'emergency',
    reasons: ['saddle_numbness_bladder_or_leg_weakness'],
  },
  {
    name: 'an emergency outranks the rest, and every reason is kept',
    answers: { soreness: 6, trend: 'worse', redFlags: { clot_in_leg: true, chest_pain_or_breathlessness: true } },
    level: 'emergency',
    reasons: ['chest_pain_or_breathlessness', 'clot_in_leg', 'soreness_worse_or_lingering'],
  },
  {
    name: 'a red flag answered "no" is not a reason',
    answers: { redFlags: { clot_in_leg: false } },
    level: 'ok',
    reasons: [],
  },
];

describe('evaluateCheckIn', () => {
  it.each(CASES)('$name -> $level', ({ answers, level, reasons }) => {
    const outcome = evaluateCheckIn({ ...calm, ...answers });
    expect(outcome.level).toBe(level);
    expect(outcome.reasons.map((r) => r.id)).toEqual(reasons);
    expect(outcome.alertTherapist).toBe(level !== 'ok');
    for (const reason of outcome.reasons) {
      expect(reason.sources.length, reason.id).toBeGreaterThan(0);
      for (const key of reason.sources) expect(isSourceKey(key), key).toBe(true);
    }
  });

  it('tells the client to call emergency services for an emergency, and to seek medical care otherwise', () => {
    const emergency = evaluateCheckIn({ ...calm, redFlags: { chest_pain_or_breathlessness: true } });
    expect(emergency.message).toMatch(
      /^Call your local emergency number now \(911 .*You told us: sudden breathlessness or chest pain\.$/,
    );
    const clot = evaluateCheckIn({ ...calm, redFlags: { clot_in_leg: true } });
    expect(clot.message).toMatch(/^Please seek medical care\. Pain in one calf or thigh .*blood clot/);
    expect(evaluateCheckIn(calm).message).toMatch(/normal soreness/);
  });

  it('asks every red-flag question of the reference, with sources', () => {
    expect(RED_FLAGS.map((f) => [f.id, f.level])).toEqual([
      ['chest_pain_or_breathlessness', 'emergency'],
      ['saddle_numbness_bladder_or_leg_weakness', 'emergency'],
      ['clot_in_leg', 'seek_care'],
      ['dark_urine_or_swelling', 'seek_care'],
      ['numbness_or_radiating_pain', 'seek_care'],
    ]);
    for (const flag of RED_FLAGS) expect(flag.question, flag.id).toMatch(/\?$/);
  });

  it('refuses answers off the scale', () => {
    expect(() => evaluateCheckIn({ ...calm, soreness: 11 })).toThrow(RangeError);
    expect(() => evaluateCheckIn({ ...calm, hoursSinceSession: -1 })).toThrow(RangeError);
  });
});
