import { parseRegionRef, type RegionId, type RegionRef } from '../../domain/body-regions.js';

/**
 * The client's health conditions as aftercare needs them: the intake items of clinical-reference section 1 that can
 * still lead to a session (absolute contraindications such as fever, a current clot or a recent heart attack block
 * the booking, so they never reach aftercare). Conditions tied to a place on the body carry the regions affected.
 */

/** Conditions that affect one place: the regions are required. */
export type SiteConditionCode =
  'acute_injury' | 'recent_surgery' | 'open_wound' | 'skin_infection' | 'rheumatoid_arthritis' | 'osteoarthritis';

/** Conditions with a usual place (below); the intake may name the regions more precisely. */
export type PlacedConditionCode = 'varicose_veins' | 'diabetes_neuropathy' | 'dvt_history';

export type WholeBodyConditionCode =
  'anticoagulants' | 'osteoporosis' | 'herniated_disc' | 'cancer' | 'kidney_failure' | 'fibromyalgia' | 'pregnancy';

export type ClientCondition =
  | { code: SiteConditionCode; regions: RegionRef[] }
  | { code: PlacedConditionCode; regions?: RegionRef[] }
  | {
      code: 'high_blood_pressure';
      /** Under control by the client's latest reading; unknown counts as not. */ controlled: boolean;
    }
  | { code: WholeBodyConditionCode };

export type ConditionCode = ClientCondition['code'];

export const LEG_REGIONS: readonly RegionId[] = [
  'quadriceps',
  'it_band',
  'hamstrings',
  'back_of_knee',
  'calves',
  'shin',
];

/** Where a placed condition is when the intake does not say: the reference's regions for it. */
const USUAL_REGIONS: Record<PlacedConditionCode, readonly RegionId[]> = {
  varicose_veins: LEG_REGIONS,
  dvt_history: LEG_REGIONS,
  diabetes_neuropathy: ['feet', 'hand'],
};

/** The body regions (ids, both sides together) a condition is tied to; empty for whole-body conditions. */
export function affectedRegionIds(condition: ClientCondition): Set<RegionId> {
  if ('regions' in condition && condition.regions && condition.regions.length > 0) {
    return new Set(condition.regions.flatMap((ref) => parseRegionRef(ref)?.region.id ?? []) as RegionId[]);
  }
  if (condition.code in USUAL_REGIONS) return new Set(USUAL_REGIONS[condition.code as PlacedConditionCode]);
  return new Set();
}

export function hasCondition(conditions: readonly ClientCondition[], code: ConditionCode): boolean {
  return conditions.some((c) => c.code === code);
}
