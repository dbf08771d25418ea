import { z } from 'zod';
import { parseRegionRef, regionRefLabel } from '../../domain/body-regions.js';
import { PRESSURE_LABELS, type Pressure } from '../../domain/screening-vocabulary.js';
import { ENDANGERMENT_ENTRY, SCREENING_ENTRIES, conditionOfRule } from './contraindication-catalogue.js';
import { OUTCOMES, type Outcome, type ScreeningDecision } from './screening-engine.js';
import { CLINICAL_SOURCES, type SourceKey } from '../../domain/clinical-sources.js';

/** How screening decisions leave the server: everything for the therapist, plain words for the client. */

const pressure = z.number().int().min(1).max(5);
const sourceSchema = z.object({ key: z.string(), where: z.string() });
const region = z.object({ region: z.string(), label: z.string() });

export const sourcesOf = (keys: readonly SourceKey[]) => keys.map((key) => ({ key, where: CLINICAL_SOURCES[key] }));

export const flagSchema = z
  .object({
    ruleId: z.string(),
    conditionId: z.string(),
    condition: z.string(),
    class: z
      .enum(['A', 'L', 'R'])
      .describe('A absolute (no massage today), L local (avoid the regions), R relative (modify or get clearance)'),
    reason: z.string(),
    clientMessage: z.string(),
    sources: z.array(sourceSchema),
    regions: z.array(region),
    wholeBody: z.boolean(),
    facts: z.string().nullable(),
    urgency: z.enum(['same_day', 'emergency']).nullable(),
    overridable: z.boolean(),
    overridden: z.boolean(),
  })
  .meta({ id: 'ScreeningFlag' });

const restrictionSchema = z.object({
  region: z.string(),
  label: z.string(),
  excluded: z.boolean(),
  cap: pressure.nullable().describe('Highest pressure allowed (1 light … 5 very deep); null: no cap'),
  ruleIds: z.array(z.string()),
  because: z.array(z.string()).describe('The conditions behind the limit, in words, for staff'),
});

const planSchema = z.object({
  date: z.string(),
  pressure,
  regions: z.array(
    z.object({
      region: z.string(),
      label: z.string(),
      allowedPressure: pressure.nullable().describe('null: excluded'),
    }),
  ),
});

const adviceSchema = z.object({
  ruleId: z.string(),
  topic: z.enum(['position', 'session', 'therapist']),
  text: z.string(),
});
const clearanceSchema = z.object({ ruleId: z.string(), level: z.enum(['required', 'advised']), from: z.string() });

export const screeningDecisionSchema = z
  .object({
    outcome: z.enum(OUTCOMES),
    headline: z.string().describe("The outcome in the client's words"),
    staffHeadline: z.string().describe('The outcome in words for the therapist and operators'),
    clientMessages: z.array(z.string()),
    medicalUrgency: z.enum(['same_day', 'emergency']).nullable(),
    flags: z.array(flagSchema),
    restrictions: z.array(restrictionSchema),
    plan: planSchema,
    advice: z.array(adviceSchema),
    clearance: z.array(clearanceSchema),
    techniqueLimits: z.array(
      z.object({
        region: z.string(),
        label: z.string(),
        technique: z.literal('cross_fibre_friction'),
        ruleId: z.string(),
      }),
    ),
  })
  .meta({ id: 'ScreeningDecision' });

export type ScreeningDecisionView = z.infer<typeof screeningDecisionSchema>;

const STAFF_HEADLINES: Record<Outcome, string> = {
  proceed: 'Suitable for deep tissue massage.',
  adapt: 'Suitable for deep tissue massage with adaptations: keep to the limits below.',
  clearance_required: 'Needs a verified medical clearance before this session.',
  not_today: 'Not suitable at the moment: this session cannot go ahead.',
};
const URGENT_STAFF_HEADLINES = {
  same_day: 'Do not massage: the client has been told to get medical advice today.',
  emergency: 'Do not massage: the client has been told to call the emergency number now.',
} as const;

/** The outcome as the therapist and operators read it: about the client, never addressed to them. */
export function staffHeadline(outcome: Outcome, urgency: ScreeningDecision['medicalUrgency']): string {
  return urgency ? URGENT_STAFF_HEADLINES[urgency] : STAFF_HEADLINES[outcome];
}

export function toDecisionView(decision: ScreeningDecision): ScreeningDecisionView {
  return {
    ...decision,
    staffHeadline: staffHeadline(decision.outcome, decision.medicalUrgency),
    restrictions: decision.restrictions.map((r) => ({ ...r, because: [...new Set(r.ruleIds.map(conditionOfRule))] })),
    flags: decision.flags.map((f) => ({
      ...f,
      sources: sourcesOf(f.sources),
      regions: f.regions.map((r) => ({ region: r, label: regionRefLabel(r) })),
    })),
    plan: { ...decision.plan, regions: decision.plan.regions.map((r) => ({ ...r, label: regionRefLabel(r.region) })) },
    techniqueLimits: decision.techniqueLimits.map((t) => ({ ...t, label: regionRefLabel(t.region) })),
  };
}

/** What the client reads: the outcome and reasons in plain words, what changes, and who must give clearance. */
export const clientScreeningSchema = z
  .object({
    outcome: z.enum(OUTCOMES),
    headline: z.string(),
    messages: z.array(z.string()),
    medicalUrgency: z.enum(['same_day', 'emergency']).nullable(),
    changes: z.array(
      z.object({ region: z.string(), label: z.string(), excluded: z.boolean(), cap: pressure.nullable() }),
    ),
    limits: z
      .array(
        z.object({
          region: z.string(),
          label: z.string(),
          excluded: z.boolean(),
          cap: pressure.nullable(),
          text: z.string().describe('The limit in plain words ("Pressure up to 1 (light) on the front of the neck.")'),
          why: z.array(z.string()).describe('Why, in plain words, one line per condition behind it'),
        }),
      )
      .describe('Every cap and exclusion on a focus region or next to one, as the therapist’s brief shows it'),
    advice: z.array(z.string()),
    clearance: z.array(z.object({ level: z.enum(['required', 'advised']), from: z.string() })),
  })
  .meta({ id: 'ClientScreening' });

export type ClientScreeningView = z.infer<typeof clientScreeningSchema>;

/**
 * The places next to each endangerment site [WRN-END]: a session on one of them works beside the site, so the
 * site's standing light-pressure cap touches that plan (same side, where both have sides).
 */
const NEXT_TO_ENDANGERMENT_SITE: Record<string, readonly string[]> = {
  front_of_neck: ['head', 'sternocleidomastoid', 'chest', 'neck', 'upper_back'],
  armpit: ['chest', 'shoulder_front', 'upper_arm', 'shoulder_blade'],
  groin: ['abdomen', 'hip_flexors', 'quadriceps'],
  kidney_area: ['mid_back', 'low_back', 'spine_thoracic', 'spine_lumbar'],
  // The back of the knee is the popliteal fossa: working the front of the knee works beside it.
  back_of_knee: ['hamstrings', 'calves', 'shin', 'knee_front'],
};

/** Whether a restricted region is a planned region or next to one (the rule the client's limits follow). */
function touchesPlan(ref: string, planned: readonly string[]): boolean {
  if (planned.includes(ref)) return true;
  const site = parseRegionRef(ref);
  if (!site) return false;
  const near = NEXT_TO_ENDANGERMENT_SITE[site.region.id] ?? [];
  return planned.some((p) => {
    const place = parseRegionRef(p);
    if (!place || !near.includes(place.region.id)) return false;
    return site.side === null || place.side === null || site.side === place.side;
  });
}

const CLIENT_MESSAGE_OF_RULE = new Map(
  SCREENING_ENTRIES.flatMap((entry) => entry.rules.map((rule) => [rule.id, rule.clientMessage] as const)),
);

/** A cap or exclusion in the client's words: "Pressure up to 2 (medium) on the calf (left).", "No massage on the calf (left)." */
export function limitText(label: string, excluded: boolean, cap: number | null): string {
  const place = `the ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
  if (excluded) return `No massage on ${place}.`;
  return cap === null ? label : `Pressure up to ${cap} (${PRESSURE_LABELS[cap as Pressure]}) on ${place}.`;
}

export function toClientView(decision: ScreeningDecision): ClientScreeningView {
  const planned = new Set(decision.plan.regions.map((r) => r.region));
  const standing = new Set(ENDANGERMENT_ENTRY.rules.map((r) => r.id));
  const plannedRefs = [...planned];
  return {
    outcome: decision.outcome,
    headline: decision.headline,
    messages: decision.clientMessages,
    medicalUrgency: decision.medicalUrgency,
    // Every client's endangerment caps are listed only where this session's plan meets them.
    changes: decision.restrictions
      .filter((r) => planned.has(r.region) || r.ruleIds.some((id) => !standing.has(id)))
      .map(({ region, label, excluded, cap }) => ({ region, label, excluded, cap })),
    limits: decision.restrictions
      .filter((r) => touchesPlan(r.region, plannedRefs) || r.ruleIds.some((id) => !standing.has(id)))
      .map(({ region, label, excluded, cap, ruleIds }) => ({
        region,
        label,
        excluded,
        cap,
        text: limitText(label, excluded, cap),
        why: [...new Set(ruleIds.map((id) => CLIENT_MESSAGE_OF_RULE.get(id) ?? conditionOfRule(id)))],
      })),
    advice: decision.advice.filter((a) => a.topic !== 'therapist').map((a) => a.text),
    clearance: [
      ...new Map(decision.clearance.map((c) => [`${c.level}:${c.from}`, { level: c.level, from: c.from }])).values(),
    ],
  };
}

/** A clearance document as its client, therapist and operators see it (the file itself is fetched separately). */
export const documentSchema = z
  .object({
    id: z.uuid(),
    bookingId: z.uuid(),
    filename: z.string(),
    contentType: z.string(),
    sizeBytes: z.number(),
    sha256: z.string(),
    status: z.enum(['submitted', 'verified', 'rejected']),
    uploadedAt: z.iso.datetime(),
    reviewedAt: z.iso.datetime().nullable(),
    reviewNote: z.string().nullable(),
    covers: z.array(z.string()),
  })
  .meta({ id: 'ClearanceDocument' });

/** A clearance document as stored (its content aside), and with the rule ids it covers once verified. */
export interface ClearanceDocumentRow {
  id: string;
  booking_id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  status: 'submitted' | 'verified' | 'rejected';
  uploaded_at: Date;
  reviewed_at: Date | null;
  review_note: string | null;
}

/** A clearance document's metadata as the API shows it (the one mapping; the export leaves out what it covers). */
export function toDocumentMeta(d: ClearanceDocumentRow) {
  return {
    id: d.id,
    bookingId: d.booking_id,
    filename: d.filename,
    contentType: d.content_type,
    sizeBytes: d.size_bytes,
    sha256: d.sha256,
    status: d.status,
    uploadedAt: d.uploaded_at.toISOString(),
    reviewedAt: d.reviewed_at?.toISOString() ?? null,
    reviewNote: d.review_note,
  };
}

/** A clearance document as GET /api/bookings/{id}/clearance-documents shows it. */
export function toDocumentView(d: ClearanceDocumentRow & { covers: string[] }): z.infer<typeof documentSchema> {
  return { ...toDocumentMeta(d), covers: d.covers };
}

/** A booking's screening as GET /api/bookings/{id}/screening shows it (screening/booking-screening-view.ts builds it). */
/** Where a booking stands on clearance (clearanceStatus below). */
export const clearanceStatusSchema = z.enum(['not_required', 'pending', 'verified']);

export const bookingScreeningSchema = z
  .object({
    bookingId: z.uuid(),
    intakeVersion: z.number(),
    stage: z.string(),
    screenedAt: z.iso.datetime(),
    clearance: z.object({
      status: clearanceStatusSchema,
      requiredFor: z.array(z.string()).describe('Rule ids a verified document must cover'),
    }),
    forClient: clientScreeningSchema,
    decision: screeningDecisionSchema,
    overrides: z.array(
      z.object({ ruleId: z.string(), reason: z.string(), therapistId: z.uuid(), createdAt: z.iso.datetime() }),
    ),
  })
  .meta({ id: 'BookingScreening' });

/** Where a booking stands on clearance: the required rules must all be covered by verified documents. */
export type ClearanceStatus = z.infer<typeof clearanceStatusSchema>;

export function clearanceStatus(
  requiredRuleIds: readonly string[],
  verifiedCovers: readonly (readonly string[])[],
): ClearanceStatus {
  if (requiredRuleIds.length === 0) return 'not_required';
  const covered = new Set(verifiedCovers.flat());
  return requiredRuleIds.every((id) => covered.has(id)) ? 'verified' : 'pending';
}

/**
 * A booking's clearance as the booking list and the flagged screenings show it: where it stands against the rules
 * its screening requires, and how many of its documents wait for review.
 */
export function clearanceSummary(
  requiredRuleIds: readonly string[],
  documents: readonly { status: string; covers: readonly string[] }[],
) {
  const verified = documents.filter((d) => d.status === 'verified').map((d) => d.covers);
  return {
    status: clearanceStatus(requiredRuleIds, verified),
    documentsToReview: documents.filter((d) => d.status === 'submitted').length,
  };
}
