import { describe, expect, it } from 'vitest';
import { ENDANGERMENT_REFS, type RegionRef } from '../../domain/body-regions.js';
import { deskWorkerIntake, withConditions } from '../../intake/engine/intake-fixtures.test-support.js';
import type { Intake } from '../../intake/engine/intake-schema.js';
import { epochDayFromIsoDate, isoDateFromEpochDay } from '../../scheduling/engine/calendar-date.js';
import type { Pressure } from '../../domain/screening-vocabulary.js';
import { type Outcome, type ScreeningDecision, defaultFocusRegions, screen } from './screening-engine.js';

/** Tuesday 24 November 2026: the day of every planned session below. */
const SESSION_DATE = '2026-11-24';
const daysBefore = (days: number) => isoDateFromEpochDay(epochDayFromIsoDate(SESSION_DATE)! - days);
const DESK_FOCUS: RegionRef[] = ['hamstrings.left', 'hamstrings.right', 'low_back.left'];

interface Profile {
  name: string;
  intake: Intake;
  focus?: RegionRef[];
  pressure?: Pressure;
  outcome: Outcome;
  /** Active (not overridden) flags, exactly. */
  flags: string[];
  /** Expected restriction per region: a cap, 'excluded', or 'none'. */
  regions?: Record<RegionRef, Pressure | 'excluded' | 'none'>;
  urgency?: 'same_day' | 'emergency';
  clearance?: { required?: string[]; advised?: string[] };
  advice?: string[];
}

const c = withConditions;

const PROFILES: Profile[] = [
  // Nothing to screen
  {
    name: 'a healthy desk worker with tight hamstrings and low-back knots',
    intake: deskWorkerIntake(),
    outcome: 'proceed',
    flags: [],
    regions: { 'hamstrings.left': 'none', 'low_back.left': 'none' },
  },
  {
    name: 'a healthy client whose plan reaches the back of the knee at deep pressure',
    intake: deskWorkerIntake(),
    focus: ['back_of_knee.left', 'calves.left'],
    outcome: 'adapt',
    flags: ['endangerment_sites'],
    regions: { 'back_of_knee.left': 1, 'calves.left': 'none' },
  },
  {
    name: 'a healthy client asking for light work at the back of the knee',
    intake: deskWorkerIntake(),
    focus: ['back_of_knee.left'],
    pressure: 1,
    outcome: 'proceed',
    flags: [],
    regions: { 'back_of_knee.left': 1 },
  },
  // Blood clots
  {
    name: 'a diagnosed blood clot',
    intake: c({ bloodClot: { status: 'diagnosed' } }),
    outcome: 'not_today',
    flags: ['blood_clot.suspected'],
    urgency: 'same_day',
  },
  {
    name: 'a suspected blood clot',
    intake: c({ bloodClot: { status: 'suspected' } }),
    outcome: 'not_today',
    flags: ['blood_clot.suspected'],
    urgency: 'same_day',
  },
  {
    name: 'a painful, swollen, warm left calf',
    intake: c({ legClotSigns: { side: 'left', signs: ['swelling', 'warmth'] } }),
    outcome: 'not_today',
    flags: ['blood_clot.suspected'],
    urgency: 'same_day',
  },
  {
    name: 'a resolved clot two years ago',
    intake: c({ dvtHistory: { resolvedOn: daysBefore(730), cancerRelated: false } }),
    outcome: 'adapt',
    flags: ['dvt_history.resolved'],
    regions: { 'hamstrings.left': 1, 'calves.right': 1, 'feet.left': 1, 'low_back.left': 'none' },
    clearance: { advised: ['dvt_history.resolved'] },
  },
  {
    name: 'a cancer-related clot resolved three months ago',
    intake: c({ dvtHistory: { resolvedOn: daysBefore(90), cancerRelated: true } }),
    outcome: 'clearance_required',
    flags: ['dvt_history.cancer_related_recent'],
    regions: { 'hamstrings.right': 1 },
    clearance: { required: ['dvt_history.cancer_related_recent'] },
  },
  {
    name: 'a cancer-related clot resolved seven months ago',
    intake: c({ dvtHistory: { resolvedOn: daysBefore(213), cancerRelated: true } }),
    outcome: 'adapt',
    flags: ['dvt_history.resolved'],
  },
  // Bleeding, infection, skin
  {
    name: 'a client on anticoagulants',
    intake: c({ bleedingRisk: { causes: ['anticoagulants'], medication: 'apixaban' } }),
    outcome: 'adapt',
    flags: ['bleeding_risk'],
    regions: { 'hamstrings.left': 2, 'neck.right': 2, abdomen: 2, 'armpit.left': 1 },
  },
  { name: 'a fever', intake: c({ feverOrInfection: true }), outcome: 'not_today', flags: ['fever'] },
  {
    name: 'an open wound on the right forearm',
    intake: c({ openWounds: { regions: ['forearm.right'] } }),
    outcome: 'adapt',
    flags: ['open_wound'],
    regions: { 'forearm.right': 'excluded', 'forearm.left': 'none' },
  },
  {
    name: 'cellulitis on the left calf',
    intake: c({ skinInfection: { regions: ['calves.left'], widespread: false } }),
    outcome: 'adapt',
    flags: ['skin_infection.local'],
    regions: { 'calves.left': 'excluded', 'calves.right': 'none' },
  },
  {
    name: 'a widespread contagious rash',
    intake: c({ skinInfection: { regions: [], widespread: true } }),
    outcome: 'not_today',
    flags: ['skin_infection.widespread'],
  },
  // Bone
  {
    name: 'mild osteoporosis',
    intake: c({ osteoporosis: { severity: 'mild' } }),
    outcome: 'adapt',
    flags: ['osteoporosis.fragile_bone'],
    regions: {
      'low_back.left': 1,
      'mid_back.right': 1,
      'glutes.left': 1,
      'wrist.right': 1,
      'forearm.left': 1,
      spine_thoracic: 1,
      'hand.right': 'none',
      'hamstrings.left': 'none',
    },
  },
  {
    name: 'severe osteoporosis',
    intake: c({ osteoporosis: { severity: 'severe' } }),
    outcome: 'adapt',
    flags: ['osteoporosis.fragile_bone', 'osteoporosis.severe'],
    regions: { 'low_back.left': 1, 'hamstrings.left': 2, 'calves.right': 2 },
  },
  {
    name: 'a right forearm fracture four weeks ago',
    intake: deskWorkerIntake({ injuries: [{ kind: 'fracture', regions: ['forearm.right'], date: daysBefore(28) }] }),
    outcome: 'adapt',
    flags: ['acute_fracture'],
    regions: { 'forearm.right': 'excluded', 'forearm.left': 'none' },
  },
  {
    name: 'a fracture thirteen weeks ago',
    intake: deskWorkerIntake({ injuries: [{ kind: 'fracture', regions: ['forearm.right'], date: daysBefore(91) }] }),
    outcome: 'proceed',
    flags: [],
    regions: { 'forearm.right': 'none' },
  },
  // Acute injuries: the 72-hour window
  {
    name: 'a left ankle sprain yesterday',
    intake: deskWorkerIntake({ injuries: [{ kind: 'sprain', regions: ['feet.left'], date: daysBefore(1) }] }),
    outcome: 'adapt',
    flags: ['acute_injury'],
    regions: { 'feet.left': 'excluded', 'feet.right': 'none' },
  },
  {
    name: 'a hamstring strain two days ago, on the focus side',
    intake: deskWorkerIntake({ injuries: [{ kind: 'strain', regions: ['hamstrings.left'], date: daysBefore(2) }] }),
    outcome: 'adapt',
    flags: ['acute_injury'],
    regions: { 'hamstrings.left': 'excluded', 'hamstrings.right': 'none' },
  },
  {
    // No time of day: read as the end of that day (strictest), so 48 hours before a session at the start of this one.
    name: 'a hamstring strain three days ago at an unknown time (still within 72 hours of the end of its day)',
    intake: deskWorkerIntake({ injuries: [{ kind: 'strain', regions: ['hamstrings.left'], date: daysBefore(3) }] }),
    outcome: 'adapt',
    flags: ['acute_injury'],
    regions: { 'hamstrings.left': 'excluded' },
  },
  {
    name: 'a hamstring strain four days ago (subacute)',
    intake: deskWorkerIntake({ injuries: [{ kind: 'strain', regions: ['hamstrings.left'], date: daysBefore(4) }] }),
    outcome: 'proceed',
    flags: [],
    regions: { 'hamstrings.left': 'none' },
  },
  // Spine
  {
    name: 'a lumbar disc herniation',
    intake: c({ herniatedDisc: { levels: ['lumbar'] } }),
    outcome: 'adapt',
    flags: ['herniated_disc'],
    regions: { 'low_back.left': 2, 'low_back.right': 2, 'neck.left': 'none' },
    clearance: { advised: ['herniated_disc'] },
  },
  {
    name: 'a cervical disc herniation',
    intake: c({ herniatedDisc: { levels: ['cervical'] } }),
    outcome: 'adapt',
    flags: ['herniated_disc'],
    regions: { 'neck.left': 2, 'neck.right': 2, 'low_back.left': 'none' },
  },
  {
    name: 'saddle numbness',
    intake: c({
      spinalRedFlags: {
        saddleNumbness: true,
        bladderOrBowelChange: false,
        progressiveLegWeakness: false,
        newNumbnessOrRadiatingPain: false,
      },
    }),
    outcome: 'not_today',
    flags: ['spinal_red_flags.emergency'],
    urgency: 'emergency',
  },
  {
    name: 'pain radiating down a leg',
    intake: c({
      spinalRedFlags: {
        saddleNumbness: false,
        bladderOrBowelChange: false,
        progressiveLegWeakness: false,
        newNumbnessOrRadiatingPain: true,
      },
    }),
    outcome: 'clearance_required',
    flags: ['spinal_red_flags.radiating'],
    clearance: { required: ['spinal_red_flags.radiating'] },
  },
  // Joints
  {
    name: 'a rheumatoid arthritis flare',
    intake: c({ rheumatoidArthritis: { flare: true, joints: ['hand.left'] } }),
    outcome: 'not_today',
    flags: ['rheumatoid_arthritis.flare'],
  },
  {
    name: 'rheumatoid arthritis in the left hand, not in flare',
    intake: c({ rheumatoidArthritis: { flare: false, joints: ['hand.left'] } }),
    outcome: 'adapt',
    flags: ['rheumatoid_arthritis.joints'],
    regions: { 'hand.left': 'excluded', 'hand.right': 'none' },
  },
  {
    name: 'an acutely inflamed right knee (osteoarthritis)',
    intake: c({ osteoarthritis: { inflamedJoints: ['back_of_knee.right'] } }),
    outcome: 'adapt',
    flags: ['osteoarthritis.inflamed'],
    regions: { 'back_of_knee.right': 'excluded', 'back_of_knee.left': 1 },
  },
  {
    name: 'osteoarthritis with no joint inflamed now',
    intake: c({ osteoarthritis: { inflamedJoints: [] } }),
    outcome: 'proceed',
    flags: [],
  },
  // Veins
  {
    name: 'severe varicose veins in the left calf',
    intake: c({ varicoseVeins: { severity: 'severe', regions: ['calves.left'] } }),
    outcome: 'adapt',
    flags: ['varicose_veins.severe'],
    regions: { 'calves.left': 'excluded', 'feet.left': 'excluded', 'calves.right': 'none', 'hamstrings.left': 'none' },
  },
  {
    name: 'mild varicose veins on the right thigh',
    intake: c({ varicoseVeins: { severity: 'mild', regions: ['quadriceps.right'] } }),
    outcome: 'adapt',
    flags: ['varicose_veins.mild'],
    regions: { 'quadriceps.right': 2, 'shin.right': 'none', 'quadriceps.left': 'none' },
  },
  // Surgery
  {
    name: 'right shoulder surgery two weeks ago',
    intake: deskWorkerIntake({
      surgeries: [{ date: daysBefore(14), regions: ['shoulder_front.right'], cancerRelated: false }],
    }),
    outcome: 'clearance_required',
    flags: ['recent_surgery.healing'],
    regions: { 'shoulder_front.right': 'excluded', 'shoulder_front.left': 'none' },
    clearance: { required: ['recent_surgery.healing'] },
    advice: ['therapist'],
  },
  {
    name: 'surgery eight weeks ago',
    intake: deskWorkerIntake({ surgeries: [{ date: daysBefore(56), regions: ['abdomen'], cancerRelated: false }] }),
    outcome: 'adapt',
    flags: ['recent_surgery.recovering'],
    regions: { abdomen: 2 },
  },
  {
    name: 'surgery thirteen weeks ago',
    intake: deskWorkerIntake({ surgeries: [{ date: daysBefore(91), regions: ['abdomen'], cancerRelated: false }] }),
    outcome: 'proceed',
    flags: [],
  },
  {
    name: 'cancer surgery five weeks ago',
    intake: deskWorkerIntake({ surgeries: [{ date: daysBefore(35), regions: ['chest.left'], cancerRelated: true }] }),
    outcome: 'clearance_required',
    flags: ['recent_surgery.healing', 'recent_surgery.near_cancer_site'],
    regions: { 'chest.left': 'excluded', abdomen: 2, 'shoulder_front.left': 2, 'chest.right': 'none' },
  },
  // Cancer
  {
    name: 'current cancer treatment',
    intake: c({
      cancer: { treatment: 'current', tumourSites: [], boneMetastasisSites: [], lymphoedemaRiskRegions: [] },
    }),
    outcome: 'clearance_required',
    flags: ['cancer.treatment'],
    clearance: { required: ['cancer.treatment'] },
  },
  {
    name: 'past cancer with a tumour site and a lymphoedema-risk arm',
    intake: c({
      cancer: {
        treatment: 'none',
        tumourSites: ['chest.left'],
        boneMetastasisSites: ['mid_back.left'],
        lymphoedemaRiskRegions: ['upper_arm.left'],
      },
    }),
    outcome: 'adapt',
    flags: ['cancer.sites', 'cancer.lymphoedema'],
    regions: { 'chest.left': 'excluded', 'mid_back.left': 'excluded', 'upper_arm.left': 1, 'upper_arm.right': 'none' },
  },
  // Metabolic and cardiovascular
  {
    name: 'diabetic neuropathy without named places',
    intake: c({ diabetesNeuropathy: { reducedSensation: [] } }),
    outcome: 'adapt',
    flags: ['diabetes_neuropathy'],
    regions: { 'feet.left': 1, 'feet.right': 1, 'hand.left': 1, 'calves.left': 'none' },
  },
  {
    name: 'diabetic neuropathy in the left foot only',
    intake: c({ diabetesNeuropathy: { reducedSensation: ['feet.left'] } }),
    outcome: 'adapt',
    flags: ['diabetes_neuropathy'],
    regions: { 'feet.left': 1, 'feet.right': 'none', 'hand.left': 'none' },
  },
  {
    name: 'controlled hypertension, 150/85 last week',
    intake: c({ hypertension: { systolic: 150, diastolic: 85, measuredOn: daysBefore(7) } }),
    outcome: 'proceed',
    flags: [],
  },
  {
    name: 'hypertension at 165/95',
    intake: c({ hypertension: { systolic: 165, diastolic: 95, measuredOn: daysBefore(7) } }),
    outcome: 'adapt',
    flags: ['hypertension.high'],
    regions: { abdomen: 2, 'hamstrings.left': 'none' },
  },
  {
    name: 'hypertension at 150/92 (diastolic alone crosses 90)',
    intake: c({ hypertension: { systolic: 150, diastolic: 92, measuredOn: daysBefore(7) } }),
    outcome: 'adapt',
    flags: ['hypertension.high'],
    regions: { abdomen: 2 },
  },
  {
    name: 'hypertension at 195/105 at rest',
    intake: c({ hypertension: { systolic: 195, diastolic: 105, measuredOn: daysBefore(1) } }),
    outcome: 'not_today',
    flags: ['hypertension.severe'],
  },
  {
    name: 'hypertension with a four-month-old reading',
    intake: c({ hypertension: { systolic: 140, diastolic: 80, measuredOn: daysBefore(120) } }),
    outcome: 'adapt',
    flags: ['hypertension.no_recent_reading'],
    regions: { abdomen: 2 },
    advice: ['session'],
  },
  {
    name: 'a heart attack three weeks ago',
    intake: c({ heartAttack: { date: daysBefore(21) } }),
    outcome: 'not_today',
    flags: ['heart.recovering'],
  },
  {
    name: 'a heart attack three months ago',
    intake: c({ heartAttack: { date: daysBefore(90) } }),
    outcome: 'clearance_required',
    flags: ['heart.clearance'],
  },
  {
    name: 'a heart attack two years ago',
    intake: c({ heartAttack: { date: daysBefore(730) } }),
    outcome: 'proceed',
    flags: [],
  },
  // Chest pain at rest or getting worse is an emergency [UCLH, PE24], not a recovery to wait out (issue 14).
  {
    name: 'unstable angina',
    intake: c({ unstableAngina: true }),
    outcome: 'not_today',
    flags: ['heart.unstable_angina'],
    urgency: 'emergency',
  },
  {
    name: 'kidney failure',
    intake: c({ kidneyFailure: true }),
    outcome: 'clearance_required',
    flags: ['kidney_failure'],
    regions: { 'low_back.left': 2, 'kidney_area.right': 1, 'hamstrings.left': 'none' },
    clearance: { required: ['kidney_failure'] },
  },
  {
    name: 'fibromyalgia',
    intake: c({ fibromyalgia: true }),
    outcome: 'adapt',
    flags: ['fibromyalgia'],
    regions: { 'hamstrings.left': 2, head: 2 },
    advice: ['session'],
  },
  // Pregnancy
  {
    name: 'pregnancy at 10 weeks',
    intake: c({ pregnancy: { weeks: 10, asOf: SESSION_DATE } }),
    outcome: 'adapt',
    flags: ['pregnancy'],
    regions: { 'hamstrings.left': 2, 'calves.right': 2, abdomen: 1, 'low_back.left': 'none' },
    advice: ['therapist'],
  },
  {
    name: 'pregnancy at 20 weeks',
    intake: c({ pregnancy: { weeks: 20, asOf: SESSION_DATE } }),
    outcome: 'adapt',
    flags: ['pregnancy', 'pregnancy.side_lying'],
    advice: ['therapist', 'position'],
  },
  {
    name: 'pregnancy at 12 weeks two weeks before the session (14 on the day)',
    intake: c({ pregnancy: { weeks: 12, asOf: daysBefore(14) } }),
    outcome: 'adapt',
    flags: ['pregnancy', 'pregnancy.side_lying'],
    advice: ['therapist', 'position'],
  },
  // Combinations: the strictest rule wins
  {
    name: 'a past clot during pregnancy: light legs, not medium',
    intake: c({
      dvtHistory: { resolvedOn: daysBefore(400), cancerRelated: false },
      pregnancy: { weeks: 22, asOf: SESSION_DATE },
    }),
    outcome: 'adapt',
    flags: ['dvt_history.resolved', 'pregnancy', 'pregnancy.side_lying'],
    regions: { 'hamstrings.left': 1, abdomen: 1 },
  },
  {
    name: 'severe left-calf veins when the calf is the only focus',
    intake: c({ varicoseVeins: { severity: 'severe', regions: ['calves.left'] } }),
    focus: ['calves.left', 'feet.left'],
    outcome: 'not_today',
    flags: ['varicose_veins.severe', 'focus_regions_excluded'],
  },
  {
    name: 'a fresh hamstring strain with the low back still to work on',
    intake: deskWorkerIntake({
      injuries: [{ kind: 'strain', regions: ['hamstrings.left', 'hamstrings.right'], date: daysBefore(0) }],
    }),
    outcome: 'adapt',
    flags: ['acute_injury'],
    regions: { 'hamstrings.left': 'excluded', 'hamstrings.right': 'excluded', 'low_back.left': 'none' },
  },
  {
    name: 'fever with mild osteoporosis',
    intake: c({ feverOrInfection: true, osteoporosis: { severity: 'mild' } }),
    outcome: 'not_today',
    flags: ['fever', 'osteoporosis.fragile_bone'],
  },
  {
    name: 'kidney failure during current cancer treatment',
    intake: c({
      kidneyFailure: true,
      cancer: { treatment: 'current', tumourSites: [], boneMetastasisSites: [], lymphoedemaRiskRegions: [] },
    }),
    outcome: 'clearance_required',
    flags: ['cancer.treatment', 'kidney_failure'],
    clearance: { required: ['cancer.treatment', 'kidney_failure'] },
  },
  {
    name: 'anticoagulants with severe osteoporosis',
    intake: c({ bleedingRisk: { causes: ['anticoagulants'] }, osteoporosis: { severity: 'severe' } }),
    outcome: 'adapt',
    flags: ['bleeding_risk', 'osteoporosis.fragile_bone', 'osteoporosis.severe'],
    regions: { 'hamstrings.left': 2, 'low_back.right': 1 },
  },
  {
    name: 'a general session (no focus) with an excluded region',
    intake: c({ openWounds: { regions: ['forearm.left'] } }, { bodyMap: [] }),
    focus: [],
    outcome: 'adapt',
    flags: ['open_wound'],
    regions: { 'forearm.left': 'excluded' },
  },
  {
    name: 'mild veins on one calf and a fresh sprain on the other: laterality kept apart',
    intake: withConditions(
      { varicoseVeins: { severity: 'mild', regions: ['calves.right'] } },
      { injuries: [{ kind: 'sprain', regions: ['calves.left'], date: daysBefore(1) }] },
    ),
    focus: ['calves.left', 'calves.right'],
    outcome: 'adapt',
    flags: ['acute_injury', 'varicose_veins.mild'],
    regions: { 'calves.left': 'excluded', 'calves.right': 2 },
  },
];

function restrictionOf(decision: ScreeningDecision, ref: RegionRef): Pressure | 'excluded' | 'none' {
  const r = decision.restrictions.find((x) => x.region === ref);
  if (!r) return 'none';
  return r.excluded ? 'excluded' : (r.cap ?? 'none');
}

describe('screening profiles', () => {
  it('has at least 40 profiles and covers every condition of clinical-reference section 1', () => {
    expect(PROFILES.length).toBeGreaterThanOrEqual(40);
    const covered = new Set(PROFILES.flatMap((p) => p.flags.map((f) => f.split('.')[0])));
    for (const id of [
      'blood_clot',
      'dvt_history',
      'bleeding_risk',
      'fever',
      'open_wound',
      'skin_infection',
      'osteoporosis',
      'acute_fracture',
      'acute_injury',
      'herniated_disc',
      'rheumatoid_arthritis',
      'osteoarthritis',
      'varicose_veins',
      'recent_surgery',
      'cancer',
      'diabetes_neuropathy',
      'hypertension',
      'heart',
      'kidney_failure',
      'fibromyalgia',
      'pregnancy',
    ]) {
      expect(covered, id).toContain(id);
    }
  });

  for (const p of PROFILES) {
    it(`decides ${p.outcome} for ${p.name}`, () => {
      const decision = screen(p.intake, {
        date: SESSION_DATE,
        regions: p.focus ?? DESK_FOCUS,
        pressure: p.pressure ?? 4,
      });
      expect(decision.outcome).toBe(p.outcome);
      expect(
        decision.flags
          .filter((f) => !f.overridden)
          .map((f) => f.ruleId)
          .sort(),
      ).toEqual([...p.flags].sort());
      for (const [ref, expected] of Object.entries(p.regions ?? {}))
        expect(restrictionOf(decision, ref), ref).toBe(expected);
      expect(decision.medicalUrgency).toBe(p.urgency ?? null);
      if (p.clearance?.required)
        expect(
          decision.clearance
            .filter((x) => x.level === 'required')
            .map((x) => x.ruleId)
            .sort(),
        ).toEqual(p.clearance.required);
      if (p.clearance?.advised)
        expect(decision.clearance.filter((x) => x.level === 'advised').map((x) => x.ruleId)).toEqual(
          p.clearance.advised,
        );
      if (p.advice) expect(decision.advice.map((a) => a.topic).sort()).toEqual([...p.advice].sort());
      for (const flag of decision.flags) {
        expect(flag.sources.length, flag.ruleId).toBeGreaterThan(0);
        expect(flag.reason.length, flag.ruleId).toBeGreaterThan(0);
      }
      for (const ref of ENDANGERMENT_REFS) expect(['excluded', 1], ref).toContain(restrictionOf(decision, ref));
    });
  }
});

describe('what the client reads', () => {
  const decide = (intake: Intake, focus = DESK_FOCUS) =>
    screen(intake, { date: SESSION_DATE, regions: focus, pressure: 4 });

  it('tells a client with a suspected clot to get medical advice today, first', () => {
    const decision = decide(
      c({ legClotSigns: { side: 'right', signs: ['redness'] }, osteoporosis: { severity: 'mild' } }),
    );
    expect(decision.headline).toMatch(/medical advice today/);
    expect(decision.clientMessages[0]).toMatch(/doctor today/);
    expect(decision.clientMessages[0]).toMatch(/short of breath or have chest pain, call emergency services/);
    expect(decision.flags[0]).toMatchObject({
      ruleId: 'blood_clot.suspected',
      class: 'A',
      regions: ['calves.right'],
      facts: 'pain in the right calf with redness',
    });
  });

  it('says "today" only for a session today, "this session" for one on a later day', () => {
    const plan = { date: SESSION_DATE, regions: DESK_FOCUS, pressure: 4 as Pressure };
    const healthy = c({});
    const disc = c({ herniatedDisc: { levels: ['lumbar'] } });
    expect(screen(healthy, plan, { today: SESSION_DATE }).headline).toBe('Deep tissue massage suits you today.');
    expect(screen(healthy, plan, { today: daysBefore(2) }).headline).toBe(
      'Deep tissue massage suits you for this session.',
    );
    expect(screen(disc, plan, { today: daysBefore(2) }).headline).toBe(
      'Deep tissue massage suits you for this session, with some changes to keep it safe.',
    );
    const clot = c({ legClotSigns: { side: 'right', signs: ['redness'] } });
    expect(screen(clot, plan, { today: daysBefore(2) }).headline).toMatch(/medical advice today/);
  });

  it('explains adaptations in plain words and plans the allowed pressure per focus region', () => {
    const decision = decide(c({ herniatedDisc: { levels: ['lumbar'] } }));
    expect(decision.headline).toBe('Deep tissue massage suits you today, with some changes to keep it safe.');
    expect(decision.clientMessages).toEqual([expect.stringMatching(/disc problem.*medium pressure at most/)]);
    expect(decision.plan.regions).toEqual([
      { region: 'low_back.left', allowedPressure: 2 },
      { region: 'hamstrings.left', allowedPressure: 4 },
      { region: 'hamstrings.right', allowedPressure: 4 },
    ]);
  });

  it('asks for a doctor’s note before an appointment that needs clearance', () => {
    const decision = decide(c({ kidneyFailure: true }));
    expect(decision.headline).toMatch(/check with your doctor first/);
  });
});

describe('therapist overrides', () => {
  const plan = { date: SESSION_DATE, regions: DESK_FOCUS, pressure: 4 as Pressure };

  it('lift a caution but keep the flag, marked overridden', () => {
    const intake = c({ varicoseVeins: { severity: 'mild', regions: ['hamstrings.left'] } });
    expect(screen(intake, plan).outcome).toBe('adapt');
    const decision = screen(intake, plan, { overriddenRuleIds: ['varicose_veins.mild'] });
    expect(decision.outcome).toBe('proceed');
    expect(decision.flags).toEqual([expect.objectContaining({ ruleId: 'varicose_veins.mild', overridden: true })]);
    expect(restrictionOf(decision, 'hamstrings.left')).toBe('none');
    expect(decision.clientMessages).toEqual([]);
  });

  it('can lift a clearance requirement, but never an absolute contraindication or a never-press site', () => {
    const intake = c({
      heartAttack: { date: daysBefore(90) },
      feverOrInfection: true,
      cancer: { treatment: 'none', tumourSites: ['chest.left'], boneMetastasisSites: [], lymphoedemaRiskRegions: [] },
    });
    const decision = screen(intake, plan, {
      overriddenRuleIds: ['heart.clearance', 'fever', 'cancer.sites', 'endangerment_sites'],
    });
    expect(decision.outcome).toBe('not_today');
    expect(decision.flags.find((f) => f.ruleId === 'fever')).toMatchObject({ overridden: false, overridable: false });
    expect(decision.flags.find((f) => f.ruleId === 'heart.clearance')).toMatchObject({ overridden: true });
    expect(restrictionOf(decision, 'chest.left')).toBe('excluded');
    expect(restrictionOf(decision, 'armpit.left')).toBe(1);
    expect(decision.clearance).toEqual([]);
  });
});

describe('default focus', () => {
  it('is the tight or painful regions the client did not ask to avoid, in body order', () => {
    const intake = deskWorkerIntake({
      bodyMap: [
        { region: 'calves.left', tightness: 0, pain: 0 },
        { region: 'low_back.right', tightness: 4, pain: 0 },
        { region: 'neck.left', tightness: 0, pain: 3 },
        { region: 'glutes.left', tightness: 5, pain: 5 },
      ],
      pressure: { preference: 3, avoidRegions: ['glutes.left'] },
    });
    expect(defaultFocusRegions(intake)).toEqual(['neck.left', 'low_back.right']);
  });
});
