/**
 * The sections of an aftercare plan, in the order the client reads them, with their titles. Kept apart from the
 * plan's zod schema (aftercare-plan.ts) so the web app's editor can use the same list without loading zod.
 */
export const AFTERCARE_SECTION_IDS = [
  'what_to_expect',
  'hydration_and_rest',
  'heat_ice_bath',
  'precautions',
  'stretches',
  'foam_rolling',
  'strengthening',
  'when_to_get_help',
] as const;

export type AftercareSectionId = (typeof AFTERCARE_SECTION_IDS)[number];

export const AFTERCARE_SECTION_TITLES: Record<AftercareSectionId, string> = {
  what_to_expect: 'What to expect',
  hydration_and_rest: 'Water and rest',
  heat_ice_bath: 'Heat, ice and baths',
  precautions: 'Take care',
  stretches: 'Stretches',
  foam_rolling: 'Foam rolling',
  strengthening: 'Strengthening',
  when_to_get_help: 'When to get help',
};
