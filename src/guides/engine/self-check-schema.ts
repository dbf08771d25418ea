import { z } from 'zod';
import { SPECIALTY_CODES } from '../../domain/specialties.js';
import { RED_FLAG_QUESTIONS, type RedFlagQuestionKey } from '../../domain/red-flag-questions.js';
import { ACTIVITY_LEVELS, eachRegionOnce, regionRef } from '../../intake/engine/intake-schema.js';
import { timeZone } from '../../therapists/engine/therapist-schemas.js';

/**
 * The self-check a visitor answers without an account (POST /api/self-check), and the result it gets back. Nothing of
 * it is stored: the answers live in the visitor's browser, and the marked places travel on to the consultation only
 * if they sign up.
 */

/** How long it has been like this. */
const SELF_CHECK_DURATIONS = ['days', 'weeks', 'months'] as const;
/** What makes it worse. */
const WORSE_WITH = ['sitting', 'standing', 'bending', 'exercise', 'mornings', 'pressure'] as const;
/** What makes it better. */
const BETTER_WITH = ['moving', 'rest', 'heat', 'stretching', 'massage'] as const;
/** A recent injury to the places marked: none, a fresh one (the screening's 72 hours), or an older one. */
const RECENT_INJURY = ['none', 'last_3_days', 'earlier'] as const;

/** As many places as a booking's focus may name (src/booking/booking-routes.ts), so all of them can travel on. */
const MAX_SELF_CHECK_REGIONS = 20;

const score = z.number().int().min(0).max(10);

const distinct = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .superRefine((values, ctx) => {
      const seen = new Set<unknown>();
      values.forEach((value, i) => {
        if (seen.has(value))
          ctx.addIssue({ code: 'custom', message: 'Give each answer once', path: [i], params: { code: 'duplicate' } });
        seen.add(value);
      });
    });

const redFlagsShape = Object.fromEntries(
  RED_FLAG_QUESTIONS.map((q) => [q.key, z.boolean().describe(q.label)]),
) as Record<RedFlagQuestionKey, z.ZodBoolean>;

export const selfCheckSchema = z
  .object({
    bodyMap: z
      .array(
        z
          .object({
            region: regionRef,
            tightness: score.describe('0 none … 10 worst'),
            pain: score.describe('0 none … 10 worst'),
          })
          .strict(),
      )
      .min(1, { message: 'Mark at least one place on the body map' })
      .max(MAX_SELF_CHECK_REGIONS)
      .superRefine(eachRegionOnce)
      .describe('Where it hurts or feels tight, as on the consultation’s body map'),
    howLong: z.enum(SELF_CHECK_DURATIONS).describe('days: under a week; weeks: up to about six; months: longer'),
    worseWith: distinct(z.enum(WORSE_WITH), WORSE_WITH.length),
    betterWith: distinct(z.enum(BETTER_WITH), BETTER_WITH.length),
    activity: z.object({ level: z.enum(ACTIVITY_LEVELS), deskHoursPerDay: z.number().min(0).max(24) }).strict(),
    recentInjury: z.enum(RECENT_INJURY),
    redFlags: z
      .object(redFlagsShape)
      .strict()
      .describe('The consultation’s red-flag questions, each answered yes (true) or no (false)'),
    zone: timeZone
      .optional()
      .describe('Your IANA zone (the web sends the browser’s): a fresh injury is dated today there. Default UTC.'),
  })
  .strict()
  .meta({
    id: 'SelfCheck',
    examples: [
      {
        bodyMap: [
          { region: 'hamstrings.left', tightness: 8, pain: 2 },
          { region: 'hamstrings.right', tightness: 7, pain: 2 },
          { region: 'low_back.left', tightness: 6, pain: 5 },
        ],
        howLong: 'months',
        worseWith: ['sitting', 'bending'],
        betterWith: ['moving', 'heat'],
        activity: { level: 'light', deskHoursPerDay: 9 },
        recentInjury: 'none',
        redFlags: Object.fromEntries(RED_FLAG_QUESTIONS.map((q) => [q.key, false])) as Record<
          RedFlagQuestionKey,
          boolean
        >,
        zone: 'America/New_York',
      },
    ],
  });

export type SelfCheckInput = z.infer<typeof selfCheckSchema>;

const source = z.object({ key: z.string(), where: z.string() });

const statementSchema = z.object({
  id: z.string(),
  title: z.string(),
  text: z.string(),
  /** The body-map places it speaks of, if any. */
  regions: z.array(z.object({ region: z.string(), label: z.string() })),
  sources: z.array(source).min(1),
});

const SAFETY_LEVELS = ['emergency', 'same_day', 'not_today', 'doctor_first', 'adapt', 'clear'] as const;

export const selfCheckResultSchema = z
  .object({
    safety: z.object({
      level: z
        .enum(SAFETY_LEVELS)
        .describe(
          'emergency and same_day: get medical help now or today; not_today: no massage at the moment; doctor_first: a note from a doctor before a session; adapt: a session with changes; clear: nothing stops one',
        ),
      headline: z.string(),
      messages: z
        .array(statementSchema)
        .describe('The screening’s own words for each answer that matters, most urgent first'),
      findTherapist: z
        .enum(['shown', 'after_doctor', 'hidden'])
        .describe('Whether to offer search: hidden when the screening would refuse any session now'),
    }),
    likely: z.array(statementSchema).describe('What is likely going on'),
    session: z.array(statementSchema).describe('What a deep tissue session would do for it, and what it feels like'),
    selfCare: z.array(statementSchema).describe('What you can do yourself'),
    search: z.object({
      specialty: z.enum(SPECIALTY_CODES).nullable(),
      focusRegions: z.array(z.string()),
    }),
    guides: z.array(z.object({ slug: z.string(), path: z.string(), title: z.string() })),
    sources: z.array(source).describe('Every source cited above, once'),
  })
  .meta({ id: 'SelfCheckResult' });

export type SelfCheckResult = z.infer<typeof selfCheckResultSchema>;
export type SelfCheckStatement = z.infer<typeof statementSchema>;
