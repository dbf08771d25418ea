/**
 * The red-flag questions as a person reads them, in one place: the consultation asks them (web consultation, the
 * health step) and the self-check asks them in the same words (src/guides/engine/self-check.ts), and both hand the
 * answers to the same screening rules (src/screening/engine/contraindication-catalogue.ts), so a "yes" means the same
 * in both. `key` is the intake field the answer fills: a condition of `conditions`, or one of
 * `conditions.spinalRedFlags`.
 */

/** Conditions of "right now" that stop a session or need a doctor first (clot, chest pain, fever). */
export const URGENT_CONDITION_QUESTIONS = [
  { key: 'legClotSigns', label: 'Pain in a calf with swelling, warmth or redness' },
  { key: 'bloodClot', label: 'A blood clot (DVT), or a doctor thinks I may have one' },
  { key: 'unstableAngina', label: 'Chest pain at rest, or chest pain that is getting worse (unstable angina)' },
  { key: 'feverOrInfection', label: 'A fever, flu or another infection' },
] as const;

/** Asked with back or neck pain (clinical reference, section 5). */
export const SPINAL_RED_FLAG_QUESTIONS = [
  { key: 'saddleNumbness', label: 'Numbness around the groin, buttocks or inner thighs' },
  { key: 'bladderOrBowelChange', label: 'New trouble controlling your bladder or bowels' },
  { key: 'progressiveLegWeakness', label: 'Legs getting weaker' },
  { key: 'newNumbnessOrRadiatingPain', label: 'New numbness, tingling or pain shooting down an arm or a leg' },
] as const;

export const RED_FLAG_QUESTIONS = [...URGENT_CONDITION_QUESTIONS, ...SPINAL_RED_FLAG_QUESTIONS] as const;

export type RedFlagQuestionKey = (typeof RED_FLAG_QUESTIONS)[number]['key'];

/** The words of one question. */
export function redFlagLabel(key: RedFlagQuestionKey): string {
  return RED_FLAG_QUESTIONS.find((q) => q.key === key)!.label;
}
