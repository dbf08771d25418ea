import { CALL_EMERGENCY_NOW } from '../../domain/emergency-wording.js';

/**
 * The warning signs after a massage that must not wait (clinical reference, section 5). The same catalogue words
 * the check-in questions, the aftercare's "when to get help" list and the message a matching answer produces.
 */

export type RedFlagId =
  | 'clot_in_leg'
  | 'chest_pain_or_breathlessness'
  | 'dark_urine_or_swelling'
  | 'numbness_or_radiating_pain'
  | 'saddle_numbness_bladder_or_leg_weakness';

export type EscalationLevel = 'seek_care' | 'emergency';

export interface RedFlag {
  id: RedFlagId;
  /** The yes/no check-in question. */
  question: string;
  /** The sign in plain words, for the aftercare list. */
  sign: string;
  level: EscalationLevel;
  /** What to do, said to the client when the sign is present. */
  action: string;
  /** What it can be a sign of. */
  concern: string;
  sources: readonly string[];
}

export const EMERGENCY_ACTION = `${CALL_EMERGENCY_NOW} Do not drive yourself.`;

export const RED_FLAGS: readonly RedFlag[] = [
  {
    id: 'chest_pain_or_breathlessness',
    question: 'Have you had sudden breathlessness or chest pain?',
    sign: 'Sudden breathlessness or chest pain.',
    level: 'emergency',
    action: EMERGENCY_ACTION,
    concern: 'a blood clot in the lungs (pulmonary embolism)',
    sources: ['UCLH', 'PE24'],
  },
  {
    id: 'saddle_numbness_bladder_or_leg_weakness',
    question:
      'Do you have numbness between your legs or around your bottom, new trouble passing or holding urine, or legs getting weaker?',
    sign: 'Numbness between the legs or around the bottom ("saddle" area), new trouble passing or holding urine, or legs getting weaker.',
    level: 'emergency',
    action: EMERGENCY_ACTION,
    concern: 'pressure on the nerves at the base of the spine (cauda equina)',
    sources: ['AHCPR'],
  },
  {
    id: 'clot_in_leg',
    question: 'Do you have pain in one calf or thigh with swelling, warmth or redness?',
    sign: 'Pain in one calf or thigh with swelling, warmth or redness.',
    level: 'seek_care',
    action:
      'Get medical advice today (your doctor, an urgent care centre or a nurse line): this needs checking for a blood clot. If you also become breathless or have chest pain, call emergency services.',
    concern: 'a blood clot in the leg (deep vein thrombosis)',
    sources: ['UCLH'],
  },
  {
    id: 'dark_urine_or_swelling',
    question: 'Is your urine dark (like tea or cola), or do you have unusual swelling?',
    sign: 'Dark urine (like tea or cola) or unusual swelling.',
    level: 'seek_care',
    action: 'Get medical advice today and mention that you had a deep tissue massage.',
    concern: 'muscle breakdown (rhabdomyolysis)',
    sources: ['RHABDO'],
  },
  {
    id: 'numbness_or_radiating_pain',
    question: 'Do you have new numbness, or pain spreading down an arm or a leg?',
    sign: 'New numbness, or pain spreading down an arm or a leg.',
    level: 'seek_care',
    action: 'Contact your doctor for advice.',
    concern: 'an irritated or compressed nerve',
    sources: ['GRANT11'],
  },
];

/** The soreness rule: not a yes/no question, but the same escalation (seeds: "if the pain persists or worsens"). */
export const SORENESS_ESCALATION = {
  sign: 'Soreness that gets worse, or is not easing 48 hours after the session.',
  action: 'Contact your therapist, and get medical advice if it does not settle.',
  sources: ['seeds'],
} as const;
