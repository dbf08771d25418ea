import { describe, expect, it } from 'vitest';
import { REGION_REFS, type RegionRef, refsOfWholeSpine } from '../../domain/body-regions.js';
import { deskWorkerIntake, withConditions } from '../../intake/engine/intake-fixtures.test-support.js';
import type { Intake } from '../../intake/engine/intake-schema.js';
import { epochDayFromIsoDate, isoDateFromEpochDay } from '../../scheduling/engine/calendar-date.js';
import { type ScreeningDecision, screen } from './screening-engine.js';
import { toClientView } from './screening-views.js';

/**
 * Site-bearing conditions on the new knee, wrist and spine regions: the site is left alone and the places next to
 * it get light pressure only, whichever of two neighbouring regions the client tapped [W-Open, W-Fract, W-Sprain,
 * W-Strain, W-RA, W-OA]; a bone metastasis on the spine, or on the back over it, keeps the whole spine and the
 * back over it untouched [NCCIH, MSD, WALT].
 */

const SESSION_DATE = '2026-11-24';
const daysBefore = (days: number) => isoDateFromEpochDay(epochDayFromIsoDate(SESSION_DATE)! - days);
const injured = (kind: 'sprain' | 'fracture' | 'other', regions: RegionRef[]) =>
  deskWorkerIntake({ injuries: [{ kind, regions, date: daysBefore(1) }] });
const metastases = (boneMetastasisSites: RegionRef[], tumourSites: RegionRef[] = []): Intake =>
  withConditions({ cancer: { treatment: 'none', tumourSites, boneMetastasisSites, lymphoedemaRiskRegions: [] } });

type Expected = Record<RegionRef, 1 | 2 | 'excluded' | 'none'>;

function restrictionOf(decision: ScreeningDecision, ref: RegionRef) {
  const r = decision.restrictions.find((x) => x.region === ref);
  if (!r) return 'none';
  return r.excluded ? 'excluded' : (r.cap ?? 'none');
}

const CASES: { name: string; intake: Intake; rule: string; regions: Expected }[] = [
  {
    name: 'a sprain at the front of the left knee',
    intake: injured('sprain', ['knee_front.left']),
    rule: 'acute_injury',
    regions: {
      'knee_front.left': 'excluded',
      'quadriceps.left': 1,
      'it_band.left': 1,
      'shin.left': 1,
      'back_of_knee.left': 1,
      'knee_front.right': 'none',
      'quadriceps.right': 'none',
      'hamstrings.left': 'none',
    },
  },
  {
    name: 'a graze on the knee tapped as the shin',
    intake: withConditions({ openWounds: { regions: ['shin.left'] } }),
    rule: 'open_wound',
    regions: { 'shin.left': 'excluded', 'knee_front.left': 1, 'calves.left': 1, 'feet.left': 1, 'shin.right': 'none' },
  },
  {
    name: 'a broken wrist',
    intake: injured('fracture', ['wrist.right']),
    rule: 'acute_fracture',
    regions: { 'wrist.right': 'excluded', 'forearm.right': 1, 'hand.right': 1, 'upper_arm.right': 'none' },
  },
  {
    name: 'a broken wrist tapped as the hand',
    intake: injured('fracture', ['hand.left']),
    rule: 'acute_fracture',
    regions: { 'hand.left': 'excluded', 'wrist.left': 1, 'forearm.left': 'none', 'hand.right': 'none' },
  },
  {
    name: 'rheumatoid arthritis in the left knee, not in flare',
    intake: withConditions({ rheumatoidArthritis: { flare: false, joints: ['knee_front.left'] } }),
    rule: 'rheumatoid_arthritis.joints',
    regions: { 'knee_front.left': 'excluded', 'shin.left': 1, 'quadriceps.left': 1, 'knee_front.right': 'none' },
  },
  {
    name: 'an inflamed right knee tapped at the back (osteoarthritis)',
    intake: withConditions({ osteoarthritis: { inflamedJoints: ['back_of_knee.right'] } }),
    rule: 'osteoarthritis.inflamed',
    regions: {
      'back_of_knee.right': 'excluded',
      'knee_front.right': 1,
      'hamstrings.right': 1,
      'calves.right': 1,
      'knee_front.left': 'none',
    },
  },
  {
    name: 'a bone metastasis in the lumbar spine',
    intake: metastases(['spine_lumbar']),
    rule: 'cancer.sites',
    regions: {
      spine_cervical: 'excluded',
      spine_thoracic: 'excluded',
      spine_lumbar: 'excluded',
      spine_sacral: 'excluded',
      'neck.left': 'excluded',
      'neck.right': 'excluded',
      'upper_back.right': 'excluded',
      'mid_back.left': 'excluded',
      'low_back.right': 'excluded',
      'glutes.left': 1,
      'shoulder_blade.right': 1,
      head: 1,
      'hamstrings.left': 'none',
    },
  },
  {
    name: 'a spinal metastasis tapped as the mid back',
    intake: metastases(['mid_back.left']),
    rule: 'cancer.sites',
    regions: {
      'mid_back.left': 'excluded',
      'mid_back.right': 'excluded',
      'low_back.left': 'excluded',
      'low_back.right': 'excluded',
      'neck.right': 'excluded',
      spine_sacral: 'excluded',
      'kidney_area.left': 1,
      'glutes.right': 1,
    },
  },
  {
    name: 'a soft-tissue tumour in the mid back (not bone)',
    intake: metastases([], ['mid_back.left']),
    rule: 'cancer.sites',
    regions: {
      'mid_back.left': 'excluded',
      spine_thoracic: 1,
      'shoulder_blade.left': 1,
      'mid_back.right': 'none',
      'low_back.left': 'none',
      spine_lumbar: 'none',
    },
  },
  {
    name: 'a bone metastasis in the thigh',
    intake: metastases(['quadriceps.left']),
    rule: 'cancer.sites',
    regions: { 'quadriceps.left': 'excluded', 'knee_front.left': 1, 'hip_flexors.left': 1, spine_lumbar: 'none' },
  },
  {
    name: 'a lumbar disc herniation',
    intake: withConditions({ herniatedDisc: { levels: ['lumbar'] } }),
    rule: 'herniated_disc',
    regions: { spine_lumbar: 2, 'low_back.left': 2, spine_cervical: 'none', spine_thoracic: 'none' },
  },
  {
    name: 'a cervical disc herniation',
    intake: withConditions({ herniatedDisc: { levels: ['cervical'] } }),
    rule: 'herniated_disc',
    regions: { spine_cervical: 2, 'neck.right': 2, spine_lumbar: 'none' },
  },
];

describe('site-bearing conditions on the knee, wrist and spine', () => {
  for (const c of CASES) {
    it(`protects the site and its neighbours: ${c.name}`, () => {
      const decision = screen(c.intake, { date: SESSION_DATE, regions: [], pressure: 4 });
      expect(decision.flags.map((f) => f.ruleId)).toContain(c.rule);
      for (const [ref, expected] of Object.entries(c.regions)) {
        expect(REGION_REFS, ref).toContain(ref);
        expect(restrictionOf(decision, ref), ref).toBe(expected);
      }
    });
  }

  it('keeps cross-fibre friction off a fresh injury and the places next to it', () => {
    const decision = screen(injured('sprain', ['knee_front.left']), { date: SESSION_DATE, regions: [], pressure: 4 });
    const limited = decision.techniqueLimits.map((t) => t.region);
    expect(limited).toEqual(
      expect.arrayContaining(['knee_front.left', 'shin.left', 'quadriceps.left', 'back_of_knee.left']),
    );
    expect(limited).not.toContain('knee_front.right');
  });

  it('says on the flag that a spinal metastasis covers the whole spine', () => {
    const decision = screen(metastases(['spine_thoracic']), { date: SESSION_DATE, regions: [], pressure: 4 });
    const flag = decision.flags.find((f) => f.ruleId === 'cancer.sites')!;
    expect(flag.facts).toBe('bone metastasis on the spine');
    expect(flag.regions).toEqual(expect.arrayContaining(refsOfWholeSpine()));
  });
});

describe('the endangerment sites next to the new regions', () => {
  const limitsFor = (regions: RegionRef[]) =>
    toClientView(screen(deskWorkerIntake(), { date: SESSION_DATE, regions, pressure: 4 })).limits.map((l) => l.region);

  it('shows the back of the knee (popliteal fossa) when the front of the same knee is worked', () => {
    expect(limitsFor(['knee_front.left'])).toEqual(['back_of_knee.left']);
  });

  it('shows the kidney area when the thoracic or lumbar spine is worked', () => {
    expect(limitsFor(['spine_lumbar'])).toEqual(['kidney_area.left', 'kidney_area.right']);
    expect(limitsFor(['spine_thoracic'])).toEqual(['kidney_area.left', 'kidney_area.right']);
  });
});

describe('near a cancer surgical site', () => {
  const surgery = (cancerRelated: boolean) =>
    screen(deskWorkerIntake({ surgeries: [{ date: daysBefore(20), regions: ['knee_front.right'], cancerRelated }] }), {
      date: SESSION_DATE,
      regions: [],
      pressure: 4,
    });

  it('keeps deep pressure off the places next to it for 6 weeks [MSU]', () => {
    const decision = surgery(true);
    expect(restrictionOf(decision, 'knee_front.right')).toBe('excluded');
    expect(restrictionOf(decision, 'quadriceps.right')).toBe(2);
    expect(restrictionOf(decision, 'shin.right')).toBe(2);
    expect(restrictionOf(decision, 'back_of_knee.right')).toBe(1);
  });

  it('leaves the places next to other surgery as they are', () => {
    const decision = surgery(false);
    expect(restrictionOf(decision, 'knee_front.right')).toBe('excluded');
    expect(restrictionOf(decision, 'quadriceps.right')).toBe('none');
  });
});
