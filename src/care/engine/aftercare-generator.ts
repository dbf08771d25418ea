import { parseRegionRef, type RegionId, type RegionRef } from '../../domain/body-regions.js';
import {
  AFTERCARE_SECTION_TITLES,
  type AftercareItem,
  type AftercarePlan,
  type AftercareSectionId,
} from './aftercare-plan.js';
import { heatIceBathItems, hydrationAndRestItems, whatToExpectItems } from './aftercare-self-care.js';
import type { ClientCondition } from './client-conditions.js';
import { precautionFor } from './condition-precautions.js';
import { homeProgramme, type OmittedExercise } from './home-programme.js';
import { RED_FLAGS, SORENESS_ESCALATION } from './red-flags.js';

/** What aftercare needs from a signed note (a note's own regionsWorked fits as it is). */
export interface SignedNoteSummary {
  regionsWorked: readonly { region: RegionRef; maxPressure: number }[];
  /** When the session ended, epoch ms. */
  sessionEndedAt: number;
}

export interface AftercareInput {
  note: SignedNoteSummary;
  conditions: readonly ClientCondition[];
  /** The client's IANA time zone, for "by about Thursday 6:30 PM". */
  zone: string;
}

export interface AftercareDraft {
  /** What the client will receive once the therapist has reviewed it. */
  plan: AftercarePlan;
  /** For the therapist: exercises left out because of the client's conditions, and why. */
  omitted: OmittedExercise[];
}

function whenToGetHelpItems(): AftercareItem[] {
  return [
    {
      id: 'soreness_escalation',
      text: `${SORENESS_ESCALATION.sign} ${SORENESS_ESCALATION.action}`,
      why: 'Pain that persists or worsens needs attention.',
      sources: [...SORENESS_ESCALATION.sources],
    },
    ...RED_FLAGS.map((flag) => ({
      id: `red_flag_${flag.id}`,
      text: `${flag.sign} ${flag.action}`,
      why: `It can be a sign of ${flag.concern}.`,
      sources: [...flag.sources],
      ...(flag.level === 'emergency' ? { emergency: true } : {}),
    })),
  ];
}

/** The aftercare for a session, from what was done and the client's conditions. Pure: same input, same plan. */
export function generateAftercare(input: AftercareInput): AftercareDraft {
  const worked: RegionId[] = [];
  for (const w of input.note.regionsWorked) {
    const id = parseRegionRef(w.region)?.region.id as RegionId | undefined;
    if (id && !worked.includes(id)) worked.push(id);
  }
  const programme = homeProgramme(worked, input.conditions);
  const precautions = input.conditions.flatMap((condition) => {
    const p = precautionFor(condition);
    return p ? [{ id: `precaution_${p.code}`, text: p.text, why: p.why, sources: [...p.sources] }] : [];
  });

  const sections: [AftercareSectionId, AftercareItem[]][] = [
    ['what_to_expect', whatToExpectItems(input.note, input.zone)],
    ['hydration_and_rest', hydrationAndRestItems(input.conditions)],
    ['heat_ice_bath', heatIceBathItems(input.conditions)],
    ['precautions', precautions],
    ['stretches', programme.stretches],
    ['foam_rolling', programme.foamRolling],
    ['strengthening', programme.strengthening],
    ['when_to_get_help', whenToGetHelpItems()],
  ];
  return {
    plan: {
      sections: sections
        .filter(([, items]) => items.length > 0)
        .map(([id, items]) => ({ id, title: AFTERCARE_SECTION_TITLES[id], items })),
    },
    omitted: programme.omitted,
  };
}
