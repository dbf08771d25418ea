import { z } from 'zod';
import type { FieldError } from '../../domain/problems.js';
import { epochDayFromIsoDate, minuteOfDayFromHhMm } from '../../scheduling/engine/calendar-date.js';
import { localToInstant } from '../../scheduling/engine/zoned-time.js';
import { isRegionRef } from '../../domain/body-regions.js';

/**
 * The consultation a client gives once, as a whole: body map, goals, lifestyle, history, every condition of
 * clinical-reference section 1 with the detail its screening rule needs, pressure preference and consent.
 * A saved intake is never edited: saving again makes a new version (src/intake/intake-store.ts).
 */

const isoDate = z.iso.date('Use a date like 2026-11-23');

/**
 * A detail the client may not know (a reading, a date, a severity): `null` is their answer "I don't know". Screening
 * reads it as the strictest value it could be and flags that the client did not know (no form fails open).
 */
const orUnknown = <T extends z.ZodType>(detail: T) =>
  detail
    .nullable()
    .describe(`${detail.description ?? ''}${detail.description ? '; ' : ''}null: the client does not know`);

export const regionRef = z.string().refine(isRegionRef, {
  message: 'Use a body-map region such as hamstrings.left or abdomen (GET /api/body-regions lists them)',
  params: { code: 'unknown_region' },
});

/** A list of distinct body-map regions. */
const regionList = (max = 40) =>
  z
    .array(regionRef)
    .max(max)
    .superRefine((refs, ctx) => {
      const seen = new Set<string>();
      refs.forEach((ref, i) => {
        if (seen.has(ref))
          ctx.addIssue({ code: 'custom', message: `${ref} is listed twice`, path: [i], params: { code: 'duplicate' } });
        seen.add(ref);
      });
    });

const score = z.number().int().min(0).max(10);
const shortText = (max: number) => z.string().trim().min(1).max(max);

export const ACTIVITY_LEVELS = ['sedentary', 'light', 'moderate', 'active', 'athlete'] as const;

/** Likely causes asked at intake (clinical-reference section 5, seeds 001 and 004). */
export const LIKELY_CAUSES = [
  'posture',
  'overuse',
  'stress',
  'inactivity',
  'hydration',
  'sleep_position',
  'previous_injuries',
] as const;

export const INJURY_KINDS = ['sprain', 'strain', 'fracture', 'other'] as const;

const bodyMapEntry = z
  .object({
    region: regionRef,
    tightness: score.describe('0 none … 10 worst'),
    pain: score.describe('0 none … 10 worst'),
    note: z.string().trim().max(500).optional(),
  })
  .strict();

const injury = z
  .object({
    kind: z.enum(INJURY_KINDS),
    regions: regionList(10).min(1),
    date: orUnknown(isoDate.describe('When it happened (not in the future)')),
    time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time like 21:30')
      .optional()
      .describe(
        'What time it happened on that day, if known (24-hour HH:MM, the client’s clock). Without it, screening reads the end of the day: the acute window then lasts longest.',
      ),
    description: z.string().trim().max(300).optional(),
  })
  .strict();

const surgery = z
  .object({
    date: orUnknown(isoDate.describe('The day of the operation')),
    regions: regionList(10).min(1).describe('The surgical site'),
    cancerRelated: z.boolean(),
    description: z.string().trim().max(300).optional(),
  })
  .strict();

/** Every condition of clinical-reference section 1; an absent key means "no". */
export const conditionsSchema = z
  .object({
    bloodClot: z
      .object({ status: z.enum(['diagnosed', 'suspected']) })
      .strict()
      .optional()
      .describe('A current or suspected blood clot (DVT)'),
    legClotSigns: z
      .object({
        side: z.enum(['left', 'right', 'both']),
        signs: z
          .array(z.enum(['swelling', 'warmth', 'redness']))
          .min(1)
          .max(3),
      })
      .strict()
      .optional()
      .describe('Pain in a calf with swelling, warmth or redness'),
    dvtHistory: z
      .object({
        resolvedOn: orUnknown(isoDate.describe('When it was treated (resolved)')),
        cancerRelated: orUnknown(z.boolean().describe('Whether it was linked to cancer')),
      })
      .strict()
      .optional()
      .describe('A blood clot in the past, now resolved'),
    bleedingRisk: z
      .object({
        causes: z
          .array(z.enum(['anticoagulants', 'bleeding_disorder', 'low_platelets']))
          .min(1)
          .max(3),
        medication: z.string().trim().max(120).optional(),
      })
      .strict()
      .optional(),
    feverOrInfection: z.boolean().optional().describe('Fever or an acute infection affecting the whole body'),
    openWounds: z
      .object({ regions: regionList(20).min(1) })
      .strict()
      .optional(),
    skinInfection: z
      .object({ regions: regionList(), widespread: z.boolean() })
      .strict()
      .refine((s) => s.widespread || s.regions.length > 0, {
        message: 'Mark where it is, or say it is widespread',
        path: ['regions'],
        params: { code: 'required' },
      })
      .optional(),
    osteoporosis: z
      .object({ severity: orUnknown(z.enum(['mild', 'moderate', 'severe'])) })
      .strict()
      .optional(),
    herniatedDisc: z
      .object({
        levels: orUnknown(
          z
            .array(z.enum(['cervical', 'lumbar']))
            .min(1)
            .max(2),
        ),
      })
      .strict()
      .optional(),
    spinalRedFlags: z
      .object({
        saddleNumbness: z.boolean(),
        bladderOrBowelChange: z.boolean(),
        progressiveLegWeakness: z.boolean(),
        newNumbnessOrRadiatingPain: z.boolean(),
      })
      .strict()
      .optional()
      .describe('Answers to the red-flag questions asked with back or neck pain (clinical-reference section 5)'),
    rheumatoidArthritis: z.object({ flare: z.boolean(), joints: regionList() }).strict().optional(),
    osteoarthritis: z.object({ inflamedJoints: regionList() }).strict().optional(),
    varicoseVeins: z
      .object({ severity: orUnknown(z.enum(['mild', 'severe'])), regions: regionList().min(1) })
      .strict()
      .optional(),
    cancer: z
      .object({
        treatment: orUnknown(
          z.enum(['current', 'recent', 'none']).describe('recent: finished within the last 12 months'),
        ),
        tumourSites: regionList(),
        boneMetastasisSites: regionList(),
        lymphoedemaRiskRegions: regionList(),
      })
      .strict()
      .optional(),
    diabetesNeuropathy: z
      .object({ reducedSensation: regionList().describe('Where feeling is reduced; empty means feet and hands') })
      .strict()
      .optional(),
    hypertension: z
      .object({
        systolic: orUnknown(z.number().int().min(70).max(260)),
        diastolic: orUnknown(z.number().int().min(40).max(160)),
        measuredOn: orUnknown(isoDate.describe('A recent reading taken at rest')),
      })
      .strict()
      .refine((bp) => (bp.systolic === null) === (bp.diastolic === null), {
        message: 'Give both numbers of the reading, or say you do not know it',
        path: ['diastolic'],
        params: { code: 'required' },
      })
      .refine((bp) => bp.systolic === null || bp.diastolic === null || bp.systolic > bp.diastolic, {
        message: 'The first number (systolic) is the larger one',
        path: ['systolic'],
        params: { code: 'implausible' },
      })
      .optional(),
    heartAttack: z
      .object({ date: orUnknown(isoDate) })
      .strict()
      .optional(),
    unstableAngina: z.boolean().optional(),
    kidneyFailure: z.boolean().optional(),
    fibromyalgia: z.boolean().optional(),
    pregnancy: z
      .object({
        weeks: orUnknown(z.number().int().min(1).max(42)),
        asOf: isoDate.optional().describe('The day `weeks` was true; defaults to the day of saving'),
      })
      .strict()
      .optional(),
  })
  .strict();

/** A body map marks each place once: a second mark of one is refused at its own index (code duplicate). */
export function eachRegionOnce(entries: readonly { region: string }[], ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (seen.has(e.region))
      ctx.addIssue({
        code: 'custom',
        message: `${e.region} is marked twice`,
        path: [i, 'region'],
        params: { code: 'duplicate' },
      });
    seen.add(e.region);
  });
}

export const intakeSchema = z
  .object({
    bodyMap: z.array(bodyMapEntry).max(80).superRefine(eachRegionOnce),
    goals: z.array(shortText(200)).max(5),
    activity: z.object({ level: z.enum(ACTIVITY_LEVELS), deskHoursPerDay: z.number().min(0).max(24) }).strict(),
    causes: z
      .array(z.enum(LIKELY_CAUSES))
      .max(LIKELY_CAUSES.length)
      .refine((c) => new Set(c).size === c.length, { message: 'Each cause once', params: { code: 'duplicate' } }),
    injuries: z.array(injury).max(20),
    surgeries: z.array(surgery).max(20),
    medications: z.array(shortText(200)).max(30),
    conditions: conditionsSchema,
    pressure: z
      .object({
        preference: z.number().int().min(1).max(5).describe('1 light, 2 medium, 3 firm, 4 deep, 5 very deep'),
        avoidRegions: regionList().describe('Places the client does not want worked on'),
      })
      .strict(),
    consent: z
      .object({
        treatment: z.boolean().describe('Consent to deep tissue treatment; needed to book'),
        dataProcessing: z.boolean().describe('Consent to Knotwork keeping this health information; needed to save'),
      })
      .strict(),
  })
  .strict()
  .meta({
    id: 'Intake',
    examples: [
      {
        bodyMap: [
          { region: 'hamstrings.left', tightness: 8, pain: 3, note: 'Pulls behind the knee when I bend' },
          { region: 'hamstrings.right', tightness: 7, pain: 2 },
          { region: 'low_back.left', tightness: 6, pain: 5, note: 'Knots that hurt when pressed' },
        ],
        goals: ['Touch my toes again', 'Sit through a workday without back pain'],
        activity: { level: 'light', deskHoursPerDay: 9 },
        causes: ['posture', 'inactivity'],
        injuries: [
          {
            kind: 'strain',
            regions: ['hamstrings.left'],
            date: '2025-10-02',
            time: '18:30',
            description: 'Pulled it sprinting for a bus',
          },
        ],
        surgeries: [],
        medications: [],
        conditions: {},
        pressure: { preference: 4, avoidRegions: [] },
        consent: { treatment: true, dataProcessing: true },
      },
    ],
  });

export type IntakeInput = z.infer<typeof intakeSchema>;
export type Conditions = z.infer<typeof conditionsSchema>;

/** A saved intake: as given, with the pregnancy's reference day filled in. */
export type Intake = Omit<IntakeInput, 'conditions'> & {
  conditions: Omit<Conditions, 'pregnancy'> & { pregnancy?: { weeks: number | null; asOf: string } };
};

/** What is saved: the pregnancy's `asOf` defaults to the day of saving, so its weeks can be advanced later. */
export function normalizeIntake(input: IntakeInput, today: string): Intake {
  const { pregnancy, ...rest } = input.conditions;
  return {
    ...input,
    conditions: {
      ...rest,
      ...(pregnancy ? { pregnancy: { weeks: pregnancy.weeks, asOf: pregnancy.asOf ?? today } } : {}),
    },
  };
}

/** Every date in the intake with its field path. */
function datedFields(intake: IntakeInput): [string, string][] {
  const c = intake.conditions;
  const fields: [string, string | null | undefined][] = [
    ...intake.injuries.map((i, n): [string, string | null] => [`injuries.${n}.date`, i.date]),
    ...intake.surgeries.map((s, n): [string, string | null] => [`surgeries.${n}.date`, s.date]),
    ['conditions.dvtHistory.resolvedOn', c.dvtHistory?.resolvedOn],
    ['conditions.hypertension.measuredOn', c.hypertension?.measuredOn],
    ['conditions.heartAttack.date', c.heartAttack?.date],
    ['conditions.pregnancy.asOf', c.pregnancy?.asOf],
  ];
  // A date the client does not know (null) has nothing to check.
  return fields.filter((f): f is [string, string] => typeof f[1] === 'string');
}

const OLDEST_DATE = '1900-01-01';

/** What a static schema cannot check: every date lies between 1900 and `today`. Returns the fields at fault. */
export function intakeDateProblems(intake: IntakeInput, today: string): FieldError[] {
  return datedFields(intake).flatMap(([field, date]) => {
    if (date > today) return [{ field, in: 'body' as const, code: 'in_future', message: 'This date is in the future' }];
    if (epochDayFromIsoDate(date)! < epochDayFromIsoDate(OLDEST_DATE)!)
      return [{ field, in: 'body' as const, code: 'out_of_range', message: 'This date is too far back' }];
    return [];
  });
}

/**
 * An injury's date and time that lie after `now` on the client's clock in `zone` (the zone the consultation is saved
 * in). Checked only when the zone is known: without it a time cannot be placed, and the date check above still holds.
 */
export function injuryTimeProblems(intake: IntakeInput, zone: string, now: number): FieldError[] {
  return intake.injuries.flatMap((injury, n) => {
    if (injury.time === undefined || injury.date === null) return [];
    const at = localToInstant(zone, epochDayFromIsoDate(injury.date)!, minuteOfDayFromHhMm(injury.time)!);
    return at > now
      ? [{ field: `injuries.${n}.time`, in: 'body' as const, code: 'in_future', message: 'This time is still to come' }]
      : [];
  });
}
