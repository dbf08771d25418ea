import {
  type RegionId,
  type RegionRef,
  bodyRegion,
  parseRegionRef,
  refsOfRegion,
  sortRegionRefs,
} from '../../domain/body-regions.js';
import type { Intake } from '../../intake/engine/intake-schema.js';
import type { SourceKey } from '../../domain/clinical-sources.js';

/**
 * Referred pain [clinical-reference section 3]: "pain felt at X may come from a trigger point in Y". Each entry
 * names the muscle (as the body-region catalogue does), the region it lies in, the regions where its trigger
 * points are felt, and the reference's own words for the pattern. Hints are suggestions to assess, not findings.
 */
export interface ReferralPattern {
  muscle: string;
  muscleName: string;
  /** Where the muscle, and so the trigger point, lies. */
  locatedIn: RegionId;
  painFeltAt: readonly RegionId[];
  pattern: string;
  sources: readonly SourceKey[];
}

export const REFERRAL_PATTERNS: readonly ReferralPattern[] = [
  {
    muscle: 'upper_trapezius',
    muscleName: 'Upper trapezius',
    locatedIn: 'upper_back',
    painFeltAt: ['neck', 'sternocleidomastoid', 'head'],
    pattern: 'side/back of neck to behind the ear, temple, behind the eye (tension headache)',
    sources: ['ML-UT'],
  },
  {
    muscle: 'levator_scapulae',
    muscleName: 'Levator scapulae',
    locatedIn: 'upper_back',
    painFeltAt: ['neck', 'shoulder_blade', 'mid_back'],
    pattern: 'angle of the neck, inner border of the shoulder blade, back of the shoulder',
    sources: ['ML-LS'],
  },
  {
    muscle: 'rhomboids',
    muscleName: 'Rhomboids',
    locatedIn: 'mid_back',
    painFeltAt: ['mid_back', 'shoulder_blade'],
    pattern: 'inner border of the shoulder blade',
    sources: ['AAOFMM'],
  },
  {
    muscle: 'infraspinatus',
    muscleName: 'Infraspinatus',
    locatedIn: 'shoulder_blade',
    painFeltAt: ['shoulder_front', 'upper_arm', 'forearm', 'hand'],
    pattern: 'deep front of the shoulder, down the outer arm to the thumb side of the hand',
    sources: ['NAMTPT-Inf', 'ML-INF'],
  },
  {
    muscle: 'quadratus_lumborum',
    muscleName: 'Quadratus lumborum',
    locatedIn: 'low_back',
    painFeltAt: ['low_back', 'spine_sacral', 'glutes', 'groin'],
    pattern: 'sacroiliac joint, lower buttock, along the iliac crest, outer hip, groin',
    sources: ['NAMTPT-QL'],
  },
  {
    muscle: 'gluteus_medius',
    muscleName: 'Gluteus medius',
    locatedIn: 'glutes',
    painFeltAt: ['low_back', 'spine_sacral', 'glutes'],
    pattern: 'low back, sacrum, buttock',
    sources: ['NAMTPT-Gmed'],
  },
  {
    muscle: 'gluteus_minimus',
    muscleName: 'Gluteus minimus',
    locatedIn: 'glutes',
    painFeltAt: ['hamstrings', 'it_band', 'calves'],
    pattern: 'back and side of the thigh and calf down to the ankle (sciatica-like)',
    sources: ['NAMTPT-Gmin'],
  },
  {
    muscle: 'piriformis',
    muscleName: 'Piriformis',
    locatedIn: 'glutes',
    painFeltAt: ['low_back', 'spine_sacral', 'glutes', 'hamstrings'],
    pattern: 'sacroiliac region, buttock, back of the hip, upper back of the thigh',
    sources: ['ML-PIR', 'NAMTPT-Pir'],
  },
  {
    muscle: 'semitendinosus',
    muscleName: 'Semitendinosus',
    locatedIn: 'hamstrings',
    painFeltAt: ['glutes', 'hamstrings'],
    pattern: 'buttock crease, inner back of the thigh',
    sources: ['nielasher'],
  },
  {
    muscle: 'semimembranosus',
    muscleName: 'Semimembranosus',
    locatedIn: 'hamstrings',
    painFeltAt: ['glutes', 'hamstrings'],
    pattern: 'buttock crease, inner back of the thigh',
    sources: ['nielasher'],
  },
  {
    muscle: 'biceps_femoris',
    muscleName: 'Biceps femoris',
    locatedIn: 'hamstrings',
    painFeltAt: ['back_of_knee'],
    pattern: 'back of the knee',
    sources: ['nielasher'],
  },
  {
    muscle: 'gastrocnemius',
    muscleName: 'Gastrocnemius',
    locatedIn: 'calves',
    painFeltAt: ['back_of_knee', 'calves', 'feet'],
    pattern: 'back of the knee, outer calf, arch of the foot',
    sources: ['NAMTPT-Gas'],
  },
  {
    muscle: 'soleus',
    muscleName: 'Soleus',
    locatedIn: 'calves',
    painFeltAt: ['feet', 'calves', 'low_back', 'spine_sacral'],
    pattern: 'back and underside of the heel, Achilles, same-side sacroiliac joint',
    sources: ['NAMTPT-Sol'],
  },
  {
    muscle: 'sternocleidomastoid',
    muscleName: 'Sternocleidomastoid',
    locatedIn: 'sternocleidomastoid',
    painFeltAt: ['head'],
    pattern: 'top and back of the head, cheek, over the eye; forehead, ear; dizziness',
    sources: ['ML-SCM'],
  },
  {
    muscle: 'erector_spinae',
    muscleName: 'Erector spinae',
    locatedIn: 'low_back',
    painFeltAt: ['glutes', 'low_back', 'mid_back', 'spine_thoracic', 'spine_lumbar', 'spine_sacral'],
    pattern: 'mid-buttock, sacroiliac joint and buttock, the nearby spine',
    sources: ['NAMTPT-Para'],
  },
];

export interface ReferredPainHint {
  muscle: string;
  muscleName: string;
  /** Where to assess: the muscle's region, on the side of the pain when both are lateral. */
  assessAt: RegionRef[];
  /** The client's painful regions this pattern could explain. */
  explains: RegionRef[];
  pattern: string;
  sources: SourceKey[];
}

export interface ReferredPainReport {
  hints: ReferredPainHint[];
  /** Present when a calf hurts: screen for a clot before anything else. */
  clotReminder: { regions: RegionRef[]; text: string; sources: SourceKey[] } | null;
}

export const CLOT_REMINDER =
  'Calf pain: before working, check for a blood clot. Ask about and look for swelling, warmth or redness in one leg; if present, do not massage and refer for same-day medical assessment.';
const CLOT_REMINDER_SOURCES: SourceKey[] = ['NAMTPT-Gas', 'UCLH'];

/** Where a muscle in `locatedIn` should be assessed for pain felt at `painful`. */
function assessRefs(locatedIn: RegionId, painful: RegionRef): RegionRef[] {
  const side = parseRegionRef(painful)?.side;
  const muscleRegion = bodyRegion(locatedIn)!;
  if (muscleRegion.lateral && side) return [`${locatedIn}.${side}`];
  return refsOfRegion(locatedIn);
}

/** "Assess" suggestions for the regions the client marked as painful (pain 1 or more). */
export function referredPainHints(intake: Pick<Intake, 'bodyMap'>): ReferredPainReport {
  const painful = intake.bodyMap.filter((e) => e.pain > 0).map((e) => e.region);
  const hints: ReferredPainHint[] = [];
  for (const p of REFERRAL_PATTERNS) {
    const explains = painful.filter((ref) =>
      (p.painFeltAt as readonly string[]).includes(parseRegionRef(ref)!.region.id),
    );
    if (explains.length === 0) continue;
    hints.push({
      muscle: p.muscle,
      muscleName: p.muscleName,
      assessAt: sortRegionRefs(explains.flatMap((ref) => assessRefs(p.locatedIn, ref))),
      explains: sortRegionRefs(explains),
      pattern: p.pattern,
      sources: [...p.sources],
    });
  }
  const calves = sortRegionRefs(painful.filter((ref) => parseRegionRef(ref)!.region.id === 'calves'));
  return {
    hints,
    clotReminder: calves.length > 0 ? { regions: calves, text: CLOT_REMINDER, sources: CLOT_REMINDER_SOURCES } : null,
  };
}
