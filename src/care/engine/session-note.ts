import { z } from 'zod';
import { isRegionRef, parseRegionRef, REGION_REFS } from '../../domain/body-regions.js';
import { FLEXIBILITY_TEST_IDS, flexibilityTest } from '../../domain/flexibility-tests.js';
import { rangeOfMotionProblems } from '../../outcomes/engine/flexibility-tests.js';
import { TECHNIQUE_IDS } from '../../domain/technique-catalogue.js';
import { TOOL_IDS } from '../../domain/tool-catalogue.js';

/**
 * The structured session note a therapist records after a session (issue 5). It is SOAP-compatible (see
 * soap.ts): painBefore is the Subjective part, findings and regionsWorked the Objective part, painAfter and
 * assessment the Assessment, plan the Plan; freeText is kept alongside.
 *
 * The schema is the one validator: routes use it as their body schema, so every rule below reaches the client
 * as a field error with a stable code (custom codes ride in `params.code`, as elsewhere in the API).
 */

const regionRef = z
  .string()
  .refine(isRegionRef, { message: 'Not a body region of the body map', params: { code: 'unknown_region' } });

const regionPain = z
  .object({
    region: regionRef,
    /** Client-reported, 0 (no pain) to 10 (worst imaginable). */
    score: z.number().int().min(0).max(10),
  })
  .strict();

const palpationFinding = z
  .object({
    kind: z.enum(['knot', 'trigger_point']),
    region: regionRef,
    /** A muscle of that region (body-regions.ts). */
    muscle: z.string(),
    note: z.string().max(500).optional(),
  })
  .strict();

const rangeOfMotionTest = z
  .object({
    test: z.enum(FLEXIBILITY_TEST_IDS),
    /** Required for per-side tests (AKE, SLR), null for sit-and-reach. */
    side: z.enum(['left', 'right']).nullable(),
    /** The protocol's trials (AKE 1, SLR 2, sit-and-reach 3); the recorded value is derived from them. */
    trials: z.array(z.number()).min(1).max(3),
  })
  .strict();

const workedRegion = z
  .object({
    region: regionRef,
    techniques: z.array(z.enum(TECHNIQUE_IDS)).min(1),
    tools: z.array(z.enum(TOOL_IDS)).min(1),
    /** Highest pressure reached on the 1 (light) .. 5 (very deep) scale. */
    maxPressure: z.number().int().min(1).max(5),
    minutes: z.number().int().min(1).max(120),
  })
  .strict();

const noteShape = z
  .object({
    painBefore: z.array(regionPain).max(REGION_REFS.length),
    findings: z
      .object({
        palpation: z.array(palpationFinding).max(100),
        rangeOfMotion: z.array(rangeOfMotionTest).max(6),
      })
      .strict(),
    regionsWorked: z.array(workedRegion).min(1).max(REGION_REFS.length),
    painAfter: z.array(regionPain).max(REGION_REFS.length),
    assessment: z.string().max(4000),
    plan: z.string().max(4000),
    freeText: z.string().max(10_000),
  })
  .strict();

export type SessionNote = z.infer<typeof noteShape>;
export type RegionPain = z.infer<typeof regionPain>;
export type WorkedRegion = z.infer<typeof workedRegion>;

export interface NoteIssue {
  path: (string | number)[];
  code:
    | 'muscle_not_in_region'
    | 'duplicate_region'
    | 'duplicate_entry'
    | 'side_required'
    | 'side_not_allowed'
    | 'wrong_trial_count'
    | 'out_of_range';
  message: string;
}

/** Rules that span fields; regions are assumed to be valid references already (the schema checks those first). */
export function noteConsistencyIssues(note: SessionNote): NoteIssue[] {
  const issues: NoteIssue[] = [];
  for (const list of ['painBefore', 'painAfter', 'regionsWorked'] as const) {
    note[list].forEach((entry, i, all) => {
      if (all.findIndex((other) => other.region === entry.region) !== i) {
        issues.push({
          path: [list, i, 'region'],
          code: 'duplicate_region',
          message: `${entry.region} is listed twice`,
        });
      }
    });
  }
  note.regionsWorked.forEach((worked, i) => {
    for (const list of ['techniques', 'tools'] as const) {
      if (new Set(worked[list]).size !== worked[list].length) {
        issues.push({
          path: ['regionsWorked', i, list],
          code: 'duplicate_entry',
          message: `A ${list.slice(0, -1)} is listed twice`,
        });
      }
    }
  });
  note.findings.palpation.forEach((finding, i) => {
    const region = parseRegionRef(finding.region)?.region;
    if (region && !region.muscles.some((m) => m.id === finding.muscle)) {
      issues.push({
        path: ['findings', 'palpation', i, 'muscle'],
        code: 'muscle_not_in_region',
        message: `${finding.muscle} is not a muscle of ${region.label}; choose one of: ${region.muscles.map((m) => m.id).join(', ') || '(none)'}`,
      });
    }
  });
  note.findings.rangeOfMotion.forEach((rom, i, all) => {
    const at = (field: string) => ['findings', 'rangeOfMotion', i, field];
    for (const problem of rangeOfMotionProblems(rom))
      issues.push({ path: at(problem.field), code: problem.code, message: problem.message });
    if (all.findIndex((other) => other.test === rom.test && other.side === rom.side) !== i) {
      issues.push({
        path: at('test'),
        code: 'duplicate_entry',
        message: `${flexibilityTest(rom.test).name} is recorded twice for the same side`,
      });
    }
  });
  return issues;
}

export const sessionNoteSchema = noteShape.superRefine((note, ctx) => {
  for (const issue of noteConsistencyIssues(note)) {
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, params: { code: issue.code } });
  }
});
