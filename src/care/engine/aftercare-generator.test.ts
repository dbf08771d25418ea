import { describe, expect, it } from 'vitest';
import { aftercarePlanSchema, type AftercarePlan } from './aftercare-plan.js';
import { generateAftercare, type SignedNoteSummary } from './aftercare-generator.js';
import { isSourceKey } from '../../domain/clinical-sources.js';
import type { ClientCondition } from './client-conditions.js';

/** Tuesday 24 November 2026, 15:00 in New York. */
const ENDED = Date.UTC(2026, 10, 24, 20, 0);
const ZONE = 'America/New_York';

const note = (...regions: [string, number][]): SignedNoteSummary => ({
  regionsWorked: regions.map(([region, maxPressure]) => ({ region, maxPressure })),
  sessionEndedAt: ENDED,
});
const HAMSTRINGS = note(['hamstrings.left', 4], ['hamstrings.right', 4], ['glutes.left', 3], ['calves.left', 3]);

const itemIds = (plan: AftercarePlan, section: string) =>
  plan.sections.find((s) => s.id === section)?.items.map((i) => i.id) ?? [];
const itemText = (plan: AftercarePlan, id: string) =>
  plan.sections.flatMap((s) => s.items).find((i) => i.id === id)?.text ?? '';
const allItems = (plan: AftercarePlan) => plan.sections.flatMap((s) => s.items);

describe('generateAftercare without conditions', () => {
  const { plan, omitted } = generateAftercare({ note: HAMSTRINGS, conditions: [], zone: ZONE });

  it('sets the soreness timeline in the client’s time: eases within 24-48 h, minor discomfort gone within 36 h', () => {
    expect(itemText(plan, 'soreness_24_48h')).toContain('by about Thu, Nov 26, 3:00 PM');
    expect(itemText(plan, 'soreness_24_48h')).toContain(
      'where the work was deepest: back of the thigh (hamstrings), left; back of the thigh (hamstrings), right',
    );
    expect(itemText(plan, 'minor_discomfort')).toMatch(
      /1 in 10 .*within 12 hours.*within 36 hours \(by about Thu, Nov 26, 3:00 AM\)/,
    );
  });

  it('covers water, rest, Epsom bath and compress, stretches and rolling for the regions worked, glute and core work, and red flags', () => {
    expect(plan.sections.map((s) => s.id)).toEqual([
      'what_to_expect',
      'hydration_and_rest',
      'heat_ice_bath',
      'stretches',
      'foam_rolling',
      'strengthening',
      'when_to_get_help',
    ]);
    expect(itemIds(plan, 'hydration_and_rest')).toEqual(['hydrate', 'rest_today']);
    expect(itemText(plan, 'bath')).toContain('Epsom salts');
    expect(itemIds(plan, 'stretches')).toEqual([
      'hamstring_stretch_lying',
      'glute_stretch_lying',
      'calf_stretch_straight_knee',
    ]);
    expect(itemIds(plan, 'foam_rolling')).toEqual(['roll_hamstrings', 'roll_glutes', 'roll_calves']);
    expect(itemIds(plan, 'strengthening')).toEqual(['glute_bridge', 'dead_bug']);
    expect(omitted).toEqual([]);
  });

  it('marks chest pain, breathlessness and saddle numbness as emergencies with emergency-number wording', () => {
    const urgent = plan.sections.find((s) => s.id === 'when_to_get_help')!.items.filter((i) => i.emergency);
    expect(urgent.map((i) => i.id)).toEqual([
      'red_flag_chest_pain_or_breathlessness',
      'red_flag_saddle_numbness_bladder_or_leg_weakness',
    ]);
    for (const item of urgent) expect(item.text).toContain('Call your local emergency number now');
    expect(itemIds(plan, 'when_to_get_help')).toEqual(
      expect.arrayContaining([
        'soreness_escalation',
        'red_flag_clot_in_leg',
        'red_flag_dark_urine_or_swelling',
        'red_flag_numbness_or_radiating_pain',
      ]),
    );
  });

  it('gives every item a reason and known sources, and passes its own schema as an editable plan', () => {
    for (const item of allItems(plan)) {
      expect(item.why, item.id).not.toBe('');
      expect(item.sources.length, item.id).toBeGreaterThan(0);
      for (const key of item.sources) expect(isSourceKey(key), `${item.id}: ${key}`).toBe(true);
    }
    expect(aftercarePlanSchema.safeParse(plan).success).toBe(true);
  });

  it('adds strengthening only after hamstring, low back or buttock work', () => {
    const neck = generateAftercare({
      note: note(['neck.left', 3], ['upper_back.left', 4]),
      conditions: [],
      zone: ZONE,
    }).plan;
    expect(itemIds(neck, 'strengthening')).toEqual([]);
    expect(itemIds(neck, 'stretches')).toEqual(['upper_trapezius_stretch']);
    expect(itemIds(neck, 'foam_rolling')).toEqual(['roll_upper_back']);
    const lowBack = generateAftercare({ note: note(['low_back.left', 3]), conditions: [], zone: ZONE }).plan;
    expect(itemIds(lowBack, 'strengthening')).toEqual(['glute_bridge', 'dead_bug']);
  });
});

interface ConditionCase {
  name: string;
  conditions: ClientCondition[];
  session?: SignedNoteSummary;
  /** Item ids that must not appear. */
  absent?: string[];
  /** Item ids that must appear. */
  present?: string[];
  /** Text that must appear in an item: [item id, fragment]. */
  says?: [string, string][];
  /** Exercises the therapist is told were left out, with the condition that ruled them out. */
  omitted?: [string, string][];
}

const ROLLING_IDS = ['roll_hamstrings', 'roll_glutes', 'roll_calves'];

const CASES: ConditionCase[] = [
  {
    name: 'diabetes with neuropathy: no heat on feet with reduced sensation, no ball rolling under the feet',
    conditions: [{ code: 'diabetes_neuropathy' }],
    session: note(['calves.left', 4], ['feet.left', 3]),
    says: [
      ['compress', 'No heat pads, hot-water bottles or ice on areas with reduced feeling (hand, foot)'],
      ['bath', 'Test the water with your elbow'],
      ['precaution_diabetes_neuropathy', 'Check your feet every day'],
    ],
    absent: ['roll_foot'],
    present: ['roll_calves'],
    omitted: [['roll_foot', 'diabetes_neuropathy']],
  },
  {
    name: 'varicose veins: no foam rolling of the affected legs, no heat on them',
    conditions: [{ code: 'varicose_veins', regions: ['calves.left'] }],
    absent: ['roll_calves'],
    present: ['roll_hamstrings', 'roll_glutes', 'calf_stretch_straight_knee'],
    says: [
      ['compress', 'No heat on legs with varicose veins (calf)'],
      ['precaution_varicose_veins', 'the affected leg (calf, left)'],
    ],
    omitted: [['roll_calves', 'varicose_veins']],
  },
  {
    name: 'anticoagulants: gentle self-massage only, no foam rolling, watch for bruising',
    conditions: [{ code: 'anticoagulants' }],
    absent: ROLLING_IDS,
    says: [['precaution_anticoagulants', 'bruise more easily']],
    omitted: [
      ['roll_hamstrings', 'anticoagulants'],
      ['roll_glutes', 'anticoagulants'],
      ['roll_calves', 'anticoagulants'],
    ],
  },
  {
    name: 'pregnancy: nothing lying face down or on the back, no rolling of the legs, warm not hot bath',
    conditions: [{ code: 'pregnancy' }],
    session: note(['hamstrings.left', 3], ['glutes.left', 3], ['quadriceps.left', 3]),
    absent: [
      'hamstring_stretch_lying',
      'glute_stretch_lying',
      'glute_bridge',
      'dead_bug',
      'roll_hamstrings',
      'roll_quadriceps',
    ],
    present: ['hamstring_stretch_standing', 'glute_stretch_seated', 'clamshell', 'bird_dog', 'roll_glutes'],
    says: [
      ['bath', 'warm, not hot'],
      ['precaution_pregnancy', 'not face down or flat on your back'],
    ],
    omitted: [
      ['hamstring_stretch_lying', 'pregnancy'],
      ['glute_bridge', 'pregnancy'],
      ['roll_quadriceps', 'pregnancy'],
    ],
  },
  {
    name: 'osteoporosis: no rolling over the spine or ribs, no rounding stretches',
    conditions: [{ code: 'osteoporosis' }],
    session: note(['upper_back.left', 3], ['mid_back.left', 3], ['low_back.left', 2]),
    absent: ['roll_upper_back', 'knees_to_chest', 'cat_cow'],
    present: ['upper_trapezius_stretch', 'thread_the_needle', 'precaution_osteoporosis'],
    omitted: [
      ['roll_upper_back', 'osteoporosis'],
      ['knees_to_chest', 'osteoporosis'],
      ['cat_cow', 'osteoporosis'],
    ],
  },
  {
    name: 'recent surgery: the site is avoided, no soaking, clot warning',
    conditions: [{ code: 'recent_surgery', regions: ['hamstrings.left'] }],
    absent: ['hamstring_stretch_lying', 'hamstring_stretch_standing', 'roll_hamstrings', 'glute_bridge'],
    present: ['roll_calves', 'clamshell'],
    says: [
      ['bath', 'Shower rather than bath'],
      ['precaution_recent_surgery', 'surgical site (back of the thigh (hamstrings), left)'],
    ],
  },
  {
    name: 'high blood pressure not under control: warm, not hot, no saunas',
    conditions: [{ code: 'high_blood_pressure', controlled: false }],
    says: [['bath', 'skip saunas and hot tubs']],
  },
  {
    name: 'high blood pressure under control: the usual bath',
    conditions: [{ code: 'high_blood_pressure', controlled: true }],
    says: [['bath', 'A warm bath with Epsom salts']],
    absent: ['precaution_high_blood_pressure'],
  },
  {
    name: 'fibromyalgia: no foam rolling, gentle stretching kept',
    conditions: [{ code: 'fibromyalgia' }],
    absent: ROLLING_IDS,
    present: ['hamstring_stretch_lying', 'precaution_fibromyalgia'],
  },
  {
    name: 'kidney failure: fluid allowance instead of extra water, no Epsom salts without the kidney team',
    conditions: [{ code: 'kidney_failure' }],
    says: [
      ['hydrate', 'fluid allowance'],
      ['bath', 'Ask your kidney team before adding Epsom salts'],
    ],
  },
  {
    name: 'history of a clot: no rolling on the legs, buttock rolling kept',
    conditions: [{ code: 'dvt_history' }],
    absent: ['roll_hamstrings', 'roll_calves'],
    present: ['roll_glutes', 'precaution_dvt_history'],
  },
  {
    name: 'acute calf injury: ice not heat there, no stretching or rolling it',
    conditions: [{ code: 'acute_injury', regions: ['calves.right'] }],
    absent: ['calf_stretch_straight_knee', 'calf_stretch_bent_knee', 'roll_calves'],
    says: [['compress', 'On the injured area (calf) use ice, not heat']],
  },
  {
    name: 'herniated disc: no rolling along the spine, no loaded forward bending, nerve warning signs',
    conditions: [{ code: 'herniated_disc' }],
    session: note(['low_back.left', 2], ['upper_back.left', 3]),
    absent: ['roll_upper_back', 'knees_to_chest', 'cat_cow'],
    present: ['glute_bridge', 'dead_bug', 'precaution_herniated_disc'],
  },
  {
    name: 'cancer: no foam rolling without the oncology team',
    conditions: [{ code: 'cancer' }],
    absent: ROLLING_IDS,
    says: [['precaution_cancer', 'oncology team']],
  },
];

describe('generateAftercare adjusts to the client’s conditions', () => {
  it.each(CASES)('$name', (c) => {
    const { plan, omitted } = generateAftercare({
      note: c.session ?? HAMSTRINGS,
      conditions: c.conditions,
      zone: ZONE,
    });
    const ids = allItems(plan).map((i) => i.id);
    for (const id of c.absent ?? []) expect(ids, `should leave out ${id}`).not.toContain(id);
    for (const id of c.present ?? []) expect(ids, `should include ${id}`).toContain(id);
    for (const [id, fragment] of c.says ?? []) expect(itemText(plan, id), id).toContain(fragment);
    for (const [exerciseId, condition] of c.omitted ?? []) {
      expect(omitted, exerciseId).toContainEqual(expect.objectContaining({ exerciseId, condition }));
    }
    for (const item of allItems(plan))
      for (const key of item.sources) expect(isSourceKey(key), `${item.id}: ${key}`).toBe(true);
    expect(aftercarePlanSchema.safeParse(plan).success).toBe(true);
  });
});
