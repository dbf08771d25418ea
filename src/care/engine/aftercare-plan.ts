import { z } from 'zod';

/**
 * The aftercare a client receives after a session: sections of items, each item with what to do, why, and the
 * reference keys behind it. It is plain data a therapist can edit (change text, drop or add items) before it is
 * sent, so the schema below validates an edited plan as strictly as a generated one.
 */

export {
  AFTERCARE_SECTION_IDS,
  AFTERCARE_SECTION_TITLES,
  type AftercareSectionId,
} from '../../domain/aftercare-sections.js';
import { AFTERCARE_SECTION_IDS } from '../../domain/aftercare-sections.js';

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

export const aftercarePlanSchema = z
  .object({ sections: z.array(aftercareSectionSchema).max(AFTERCARE_SECTION_IDS.length) })
  .strict();

export type AftercareItem = z.infer<typeof aftercareItemSchema>;
export type AftercarePlan = z.infer<typeof aftercarePlanSchema>;
