import { describe, expect, it } from 'vitest';
import { CLINICAL_SOURCES } from '../../domain/clinical-sources.js';
import { CALL_EMERGENCY_NOW } from '../../domain/emergency-wording.js';
import { RED_FLAG_QUESTIONS, type RedFlagQuestionKey } from '../../domain/red-flag-questions.js';
import { REFERRAL_PATTERNS } from '../../screening/engine/referred-pain.js';
import { SCREENING_ENTRIES } from '../../screening/engine/contraindication-catalogue.js';
import { TECHNIQUES } from '../../domain/technique-catalogue.js';
import { EXERCISES } from '../../care/engine/exercise-catalogue.js';
import { selfCheckResult, specialtyFor } from './self-check.js';
import { GUIDE_TITLES } from '../../domain/guide-links.js';
import { type SelfCheckInput, selfCheckSchema } from './self-check-schema.js';
import { conditionsSchema } from '../../intake/engine/intake-schema.js';
import { SPINAL_RED_FLAG_QUESTIONS, URGENT_CONDITION_QUESTIONS } from '../../domain/red-flag-questions.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const NO_FLAGS = Object.fromEntries(RED_FLAG_QUESTIONS.map((q) => [q.key, false])) as Record<
  RedFlagQuestionKey,
  boolean
>;

function answers(patch: Partial<SelfCheckInput> = {}): SelfCheckInput {
  return selfCheckSchema.parse({
    bodyMap: [
      { region: 'hamstrings.left', tightness: 8, pain: 0 },
      { region: 'hamstrings.right', tightness: 7, pain: 0 },
      { region: 'low_back.left', tightness: 6, pain: 5 },
    ],
    howLong: 'months',
    worseWith: ['sitting'],
    betterWith: ['moving'],
    activity: { level: 'light', deskHoursPerDay: 9 },
    recentInjury: 'none',
    redFlags: NO_FLAGS,
    zone: 'America/New_York',
    ...patch,
  });
}

const withFlag = (key: RedFlagQuestionKey) => answers({ redFlags: { ...NO_FLAGS, [key]: true } });

const ruleMessage = (ruleId: string) =>
  SCREENING_ENTRIES.flatMap((e) => e.rules).find((r) => r.id === ruleId)!.clientMessage;

describe('the red-flag questions are the consultation’s', () => {
  it('each one fills a field of the consultation that the screening reads', () => {
    const conditions = Object.keys(conditionsSchema.shape);
    for (const q of URGENT_CONDITION_QUESTIONS) expect(conditions, q.key).toContain(q.key);
    const spinal = Object.keys(conditionsSchema.shape.spinalRedFlags.unwrap().shape);
    expect(SPINAL_RED_FLAG_QUESTIONS.map((q) => q.key).sort()).toEqual([...spinal].sort());
  });
});

describe('a red flag answered yes comes first, in the screening’s own words', () => {
  const EMERGENCIES: [RedFlagQuestionKey, string][] = [
    ['unstableAngina', 'heart.unstable_angina'],
    ['saddleNumbness', 'spinal_red_flags.emergency'],
    ['bladderOrBowelChange', 'spinal_red_flags.emergency'],
    ['progressiveLegWeakness', 'spinal_red_flags.emergency'],
  ];
  for (const [key, ruleId] of EMERGENCIES) {
    it(`${key}: call the emergency number now, and no therapist is offered`, () => {
      const { safety } = selfCheckResult(withFlag(key), NOW);
      expect(safety.level).toBe('emergency');
      expect(safety.headline.startsWith(CALL_EMERGENCY_NOW)).toBe(true);
      expect(safety.messages[0]).toMatchObject({ id: ruleId, title: 'Call for help now', text: ruleMessage(ruleId) });
      expect(safety.messages[0]!.text).toContain(CALL_EMERGENCY_NOW);
      expect(safety.findTherapist).toBe('hidden');
    });
  }

  for (const key of ['legClotSigns', 'bloodClot'] as const) {
    it(`${key}: see a doctor today (emergency if breathless), and no therapist is offered`, () => {
      const { safety } = selfCheckResult(withFlag(key), NOW);
      expect(safety.level).toBe('same_day');
      expect(safety.headline).toMatch(/^Please get medical advice today/);
      expect(safety.messages[0]).toMatchObject({
        id: 'blood_clot.suspected',
        text: ruleMessage('blood_clot.suspected'),
      });
      expect(safety.messages[0]!.text).toMatch(/call emergency services now/);
      expect(safety.findTherapist).toBe('hidden');
    });
  }

  it('fever: not at the moment, and no therapist is offered', () => {
    const { safety } = selfCheckResult(withFlag('feverOrInfection'), NOW);
    expect(safety).toMatchObject({ level: 'not_today', findTherapist: 'hidden' });
    expect(safety.messages[0]).toMatchObject({ id: 'fever', text: ruleMessage('fever') });
  });

  it('new numbness or radiating pain: the doctor first, and search only after their note', () => {
    const { safety } = selfCheckResult(withFlag('newNumbnessOrRadiatingPain'), NOW);
    expect(safety).toMatchObject({ level: 'doctor_first', findTherapist: 'after_doctor' });
    expect(safety.headline).toMatch(/^Please see your doctor first/);
    expect(safety.messages[0]).toMatchObject({
      id: 'spinal_red_flags.radiating',
      title: 'See your doctor first',
      text: ruleMessage('spinal_red_flags.radiating'),
    });
  });

  it('every red-flag question the consultation asks changes the result when answered yes', () => {
    for (const { key } of RED_FLAG_QUESTIONS)
      expect(selfCheckResult(withFlag(key), NOW).safety.level, key).not.toMatch(/^(clear|adapt)$/);
  });

  it('the most urgent answer wins when several are yes', () => {
    const { safety } = selfCheckResult(
      answers({
        redFlags: { ...NO_FLAGS, newNumbnessOrRadiatingPain: true, legClotSigns: true, saddleNumbness: true },
      }),
      NOW,
    );
    expect(safety.level).toBe('emergency');
    expect(safety.messages.map((m) => m.id).slice(0, 2)).toEqual([
      'spinal_red_flags.emergency',
      'blood_clot.suspected',
    ]);
  });

  it('with no red flag, nothing stops a session and search is offered', () => {
    const { safety } = selfCheckResult(answers(), NOW);
    expect(safety).toMatchObject({ level: 'clear', findTherapist: 'shown', messages: [] });
  });

  it('a fresh injury on every place marked leaves nothing to work on: the screening’s combination rule', () => {
    const { safety, selfCare } = selfCheckResult(answers({ recentInjury: 'last_3_days' }), NOW);
    expect(safety.level).toBe('not_today');
    expect(safety.messages.map((m) => m.id)).toContain('focus_regions_excluded');
    expect(selfCare.map((s) => s.id)).toContain('fresh_injury');
  });

  it('a marked back of the knee gets the endangerment site’s light pressure', () => {
    const { safety, likely } = selfCheckResult(
      answers({ bodyMap: [{ region: 'back_of_knee.left', tightness: 5, pain: 3 }] }),
      NOW,
    );
    expect(safety.level).toBe('adapt');
    expect(safety.messages[0]).toMatchObject({ id: 'endangerment_sites', regions: [{ region: 'back_of_knee.left' }] });
    expect(likely.find((s) => s.id === 'tender_under_pressure')!.text).toMatch(/back of the knee/);
  });
});

describe('the places marked explain what is likely going on', () => {
  it('low back pain: referred pain from the muscles the catalogue names for it', () => {
    const { likely } = selfCheckResult(answers(), NOW);
    const referred = likely.filter((s) => s.id.startsWith('referred.')).map((s) => s.id.slice('referred.'.length));
    const expected = REFERRAL_PATTERNS.filter((p) => (p.painFeltAt as readonly string[]).includes('low_back')).map(
      (p) => p.muscle,
    );
    expect(referred.sort()).toEqual([...expected].sort());
    const glute = likely.find((s) => s.id === 'referred.gluteus_medius')!;
    expect(glute.title).toBe('Referred pain from the gluteus medius');
    expect(glute.text).toContain('low back (left)');
    expect(glute.text).toContain('buttock');
    expect(glute.sources.map((s) => s.key)).toEqual(['NAMTPT-Gmed']);
  });

  it('places marked only as tight give no referred-pain hints (the catalogue speaks of pain)', () => {
    const { likely } = selfCheckResult(answers({ bodyMap: [{ region: 'low_back.left', tightness: 8, pain: 0 }] }), NOW);
    expect(likely.filter((s) => s.id.startsWith('referred.'))).toEqual([]);
    expect(likely.map((s) => s.id)).toContain('knots');
  });

  it('tight hamstrings with a low back: the pull on the pelvis, and why firm pressure on tight legs hurts', () => {
    const { likely } = selfCheckResult(answers(), NOW);
    const ids = likely.map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining(['knots', 'hamstrings_pelvis', 'tender_under_pressure', 'long_standing']),
    );
    expect(likely.find((s) => s.id === 'hamstrings_pelvis')!.text).toMatch(/low back/);
    expect(likely.find((s) => s.id === 'knots')!.text).toContain('about 9 a day');
  });

  it('a painful calf puts the clot check first', () => {
    const { likely } = selfCheckResult(answers({ bodyMap: [{ region: 'calves.right', tightness: 4, pain: 6 }] }), NOW);
    expect(likely[0]).toMatchObject({ id: 'calf_check', sources: [{ key: 'UCLH' }] });
  });

  it('the session uses the technique catalogue, and self-care the home programme for those places', () => {
    const result = selfCheckResult(answers(), NOW);
    const techniques = result.session.filter((s) => s.id.startsWith('technique.'));
    for (const s of techniques) {
      const t = TECHNIQUES.find((x) => `technique.${x.id}` === s.id)!;
      expect(s.text.startsWith(t.description)).toBe(true);
    }
    const exerciseIds = new Set(EXERCISES.map((e) => e.id));
    const exercises = result.selfCare.filter((s) => exerciseIds.has(s.id));
    expect(exercises.map((s) => s.title)).toEqual(expect.arrayContaining(['Stretch', 'Foam roll', 'Strengthen']));
    expect(result.selfCare.map((s) => s.id)).toEqual(expect.arrayContaining(['hydrate', 'compress']));
    // A visitor has had no session yet: the programme's timing from one is left out.
    for (const s of exercises) expect(s.text, s.id).not.toMatch(/the session/);
    expect(result.selfCare.find((s) => s.id === 'glute_bridge')!.text).toMatch(/10 times, 2 sets\. Every other day\.$/);
  });

  it('search gets the specialty most places call for and every place marked', () => {
    expect(selfCheckResult(answers(), NOW).search).toEqual({
      specialty: 'hamstrings',
      focusRegions: ['low_back.left', 'hamstrings.left', 'hamstrings.right'],
    });
    expect(specialtyFor(['neck.left', 'upper_back.right', 'low_back.left'])).toBe('neck_shoulders');
    expect(specialtyFor(['abdomen'])).toBeNull();
  });

  it('links the guides for those places by their fixed slugs', () => {
    const { guides } = selfCheckResult(answers(), NOW);
    expect(guides.map((g) => g.path)).toEqual(
      expect.arrayContaining(['/guides/tight-hamstrings', '/guides/knots-in-the-back', '/guides/what-to-expect']),
    );
    for (const g of guides) expect(GUIDE_TITLES[g.slug as keyof typeof GUIDE_TITLES]).toBe(g.title);
  });
});

describe('every statement carries sources that exist', () => {
  const variants: SelfCheckInput[] = [
    answers(),
    answers({ recentInjury: 'last_3_days' }),
    answers({ recentInjury: 'earlier', activity: { level: 'athlete', deskHoursPerDay: 0 } }),
    answers({
      bodyMap: [
        { region: 'calves.left', tightness: 3, pain: 7 },
        { region: 'neck.right', tightness: 6, pain: 6 },
        { region: 'back_of_knee.right', tightness: 2, pain: 4 },
        { region: 'abdomen', tightness: 2, pain: 0 },
      ],
      worseWith: ['pressure', 'exercise'],
      howLong: 'days',
    }),
    ...RED_FLAG_QUESTIONS.map((q) => withFlag(q.key)),
  ];
  it('in every part of the result, and the sources list is exactly what was cited', () => {
    for (const input of variants) {
      const result = selfCheckResult(input, NOW);
      const statements = [...result.safety.messages, ...result.likely, ...result.session, ...result.selfCare];
      expect(statements.length).toBeGreaterThan(0);
      const cited = new Set<string>();
      for (const s of statements) {
        expect(s.sources.length, s.id).toBeGreaterThan(0);
        for (const source of s.sources) {
          expect(Object.hasOwn(CLINICAL_SOURCES, source.key), `${s.id}: ${source.key}`).toBe(true);
          expect(source.where).toBe(CLINICAL_SOURCES[source.key as keyof typeof CLINICAL_SOURCES]);
          cited.add(source.key);
        }
      }
      expect(new Set(result.sources.map((s) => s.key))).toEqual(cited);
    }
  });
});
