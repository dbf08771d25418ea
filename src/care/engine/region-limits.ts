import { z } from 'zod';
import { SCREENING_ENTRIES } from '../../screening/engine/contraindication-catalogue.js';
import type { ScreeningDecision } from '../../screening/engine/screening-engine.js';
import { regionRefLabel } from '../../domain/region-label.js';

/** Each screening rule's clinical reason, for the therapist, by rule id. */
const THERAPIST_REASONS = new Map(
  SCREENING_ENTRIES.flatMap((e) => e.rules.map((r) => [r.id, r.therapistReason] as const)),
);

/** One region's limit as the therapist works with it: on the live controls and in the note editor. */
export const regionLimitSchema = z
  .object({
    region: z.string(),
    label: z.string(),
    excluded: z.boolean().describe('Leave this region out'),
    cap: z
      .number()
      .int()
      .min(1)
      .max(5)
      .nullable()
      .describe('Highest pressure allowed (1 light … 5 very deep); null when excluded'),
    reasons: z.array(z.string()).describe('Why, in clinical words for the therapist (one per rule behind the limit)'),
  })
  .meta({ id: 'RegionLimit' });

export type RegionLimitView = z.infer<typeof regionLimitSchema>;

/** The regions a booking's screening caps or excludes (endangerment sites included), with the reasons. */
export function regionLimitsOf(decision: Pick<ScreeningDecision, 'restrictions'> | undefined): RegionLimitView[] {
  return (decision?.restrictions ?? [])
    .filter((r) => r.excluded || r.cap !== null)
    .map((r) => ({
      region: r.region,
      label: regionRefLabel(r.region),
      excluded: r.excluded,
      cap: r.excluded ? null : r.cap,
      reasons: [...new Set(r.ruleIds.flatMap((id) => THERAPIST_REASONS.get(id) ?? []))],
    }));
}
