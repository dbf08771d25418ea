import { z } from 'zod';

/**
 * The aftercare a client receives after a session: sections of items, each item with what to do, why, and the
 * reference keys behind it. It is plain data a therapist can edit (change text, drop or add items) before it is
 * sent, so the schema below validates an edited plan as strictly as a generated one.
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

export const aftercareItemSchema = z
  .object({
    id: z.string().min(1).max(80),
    text: z.string().min(1).max(2000),
    dosage: z.string().max(300).optional(),
    why: z.string().max(1000),
    sources: z.array(z.string().max(40)).max(20),
    /** Shown as urgent: the emergency warning signs. */
    emergency: z.boolean().optional(),
  })
  .strict();

export const aftercareSectionSchema = z
  .object({
    id: z.enum(AFTERCARE_SECTION_IDS),
    title: z.string().min(1).max(200),
    items: z.array(aftercareItemSchema).max(50),
  })
  .strict();

export const aftercarePlanSchema = z.object({ sections: z.array(aftercareSectionSchema).max(AFTERCARE_SECTION_IDS.length) }).strict();

export type AftercareItem = z.infer<typeof aftercareItemSchema>;
export type AftercareSection = z.infer<typeof aftercareSectionSchema>;
export type AftercarePlan = z.infer<typeof aftercarePlanSchema>;
