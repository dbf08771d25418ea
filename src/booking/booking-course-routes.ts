import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import type { SignedInUser } from '../accounts/sessions.js';
import { regionRef } from '../intake/engine/intake-schema.js';
import { durationSchema } from '../therapists/engine/therapist-schemas.js';
import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import { type CourseResult, RollBack, courseUnavailable, holdCourseIn, previewCourse } from './booking-courses.js';
import { bookingSchema, bookingViewById } from './booking-view.js';
import { type BookingScreeningPorts, idempotencyHeaders, requestedPlaceSchema } from './booking-routes.js';
import { MAX_COURSE_SESSIONS } from './engine/course-limits.js';
import { idempotent, requestFingerprint } from './idempotency.js';

const courseBody = z
  .object({
    therapistId: z.uuid(),
    durationMin: durationSchema,
    place: requestedPlaceSchema,
    firstStart: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: 'A local date and time, e.g. 2026-12-01T18:00' })
      .describe("The first session's local date and time at the place (the studio's or the home address's zone)"),
    rrule: z
      .string()
      .min(1)
      .max(200)
      .describe(
        `An iCalendar RRULE: FREQ=WEEKLY, INTERVAL 1 or 2, COUNT 2 to ${MAX_COURSE_SESSIONS}; e.g. FREQ=WEEKLY;COUNT=6`,
      ),
    focusRegions: z
      .array(regionRef)
      .min(1)
      .max(20)
      .refine((refs) => new Set(refs).size === refs.length, {
        message: 'Each region once',
        params: { code: 'duplicate' },
      })
      .optional(),
    changes: z
      .array(
        z
          .object({
            index: z
              .int()
              .min(0)
              .max(MAX_COURSE_SESSIONS - 1)
              .describe("The session's place in the rule (0 = the first)"),
            startsAt: z.iso
              .datetime({ offset: true })
              .nullable()
              .describe('Another start for it (e.g. one of its alternatives), or null to leave it out'),
          })
          .strict(),
      )
      .max(MAX_COURSE_SESSIONS)
      .refine((changes) => new Set(changes.map((c) => c.index)).size === changes.length, {
        message: 'Each session once',
        params: { code: 'duplicate' },
      })
      .optional()
      .describe(
        'Sessions of the rule moved to another start or left out: after a conflict or a safety refusal, the client holds exactly the sessions they accepted',
      ),
    replacesBookingId: z
      .uuid()
      .optional()
      .describe(
        'A time the client holds with this therapist, outside any course, that the course replaces (the booking screen\'s "Make it a course"): released in the same transaction the course is held in, so it stays held when the course cannot be; a preview sees its time free. One that lapsed meanwhile is passed over; 400 not_replaceable for anything else (another client’s, a confirmed time, a course’s session)',
      ),
  })
  .strict()
  .meta({
    examples: [
      {
        therapistId: '3f2b8c1e-5d4a-4b6f-9e7d-2c1a0b9f8e7d',
        durationMin: 60,
        place: { mode: 'studio', studioId: '6a1d4e2f-7b3c-4d5e-8f9a-0b1c2d3e4f5a' },
        firstStart: '2026-12-01T18:00',
        rrule: 'FREQ=WEEKLY;COUNT=6',
      },
    ],
  });

const courseSchema = z
  .object({
    courseId: z.uuid().nullable().describe('Null for a preview'),
    timeZone: z.string().describe("The sessions' zone (their place's)"),
    sessions: z.array(
      z.object({
        startsAt: z.string(),
        available: z.boolean(),
        index: z.int().describe("The session's place in the rule (0 = the first); left-out sessions are not listed"),
        reason: z
          .enum(['screening_not_today', 'focus_regions_excluded', 'slot_unavailable', 'slot_not_offered'])
          .nullable()
          .describe('Why it cannot be held: a safety refusal (screening, which always answers first) or the time'),
        message: z.string().nullable().describe('The reason in plain words (screening’s reasons for a safety refusal)'),
        alternatives: z
          .array(z.string())
          .describe(
            'Nearest free starts the same day, when the time is taken or not offered (none for a safety refusal)',
          ),
        booking: bookingSchema.nullable().describe('The held booking (null in a preview)'),
      }),
    ),
  })
  .meta({ id: 'BookingCourse' });

/** POST /api/bookings/courses: a weekly course held in one go; POST /api/bookings/courses/preview: the same check, holding nothing. */
export function registerCourseRoutes(app: App, ctx: AppContext, screening: BookingScreeningPorts) {
  const { db, clock, config } = ctx;
  const problems = [
    'unauthenticated',
    'forbidden',
    'intake_required',
    'screening_not_today',
    'focus_regions_excluded',
    'outside_service_area',
    'service_not_offered',
    'therapist_not_bookable',
  ] as const;

  const request = (body: z.infer<typeof courseBody>) => ({
    therapistId: body.therapistId,
    durationMin: body.durationMin,
    place: body.place,
    firstStart: body.firstStart,
    rrule: body.rrule,
    ...(body.focusRegions ? { focusRegions: body.focusRegions } : {}),
    ...(body.replacesBookingId ? { replacesBookingId: body.replacesBookingId } : {}),
    ...(body.changes
      ? {
          changes: body.changes.map((c) => ({
            index: c.index,
            startsAt: c.startsAt === null ? null : Date.parse(c.startsAt),
          })),
        }
      : {}),
  });
  const settings = () => ({
    now: clock.now(),
    holdMinutes: config.holdMinutes,
    graceMinutes: config.graceMinutes,
    stepMin: config.slotStepMin,
  });

  const view = async (reader: Kysely<DB>, client: SignedInUser, result: CourseResult) => {
    const sessions = [];
    for (const session of result.sessions) {
      sessions.push({
        startsAt: new Date(session.startsAt).toISOString(),
        available: session.refusal === null,
        index: session.index,
        reason: session.refusal,
        message: session.message,
        alternatives: session.alternatives.map((ms) => new Date(ms).toISOString()),
        booking: session.bookingId
          ? await bookingViewById(reader, session.bookingId, client, screening.summaries)
          : null,
      });
    }
    return { courseId: result.courseId, timeZone: result.timeZone, sessions };
  };

  app.post(
    '/api/bookings/courses',
    {
      schema: {
        tags: ['booking'],
        summary: 'Hold a course of weekly sessions',
        description: `Holds every session of a weekly (or fortnightly) course in one go, each exactly as POST /api/bookings would (screening first, then offered times and overlaps), for ${config.holdMinutes} minutes: all or nothing. Each session is an ordinary booking of the course: confirm (and pay), move or cancel each on its own. 409 course_unavailable when any session cannot be held: nothing is held, and conflicts lists each with its reason — a safety refusal of screening (screening_not_today, focus_regions_excluded, with the reasons in plain words; it wins over any other answer for that session) or a taken or unoffered time with up to 3 nearest free starts that day. Send changes to move a session to an alternative or leave it out, then hold again: exactly the sessions sent are held, or none. An Idempotency-Key makes retries safe: the same key and body answer the same course; the same key with another body is refused (idempotency_key_reused).`,
        headers: idempotencyHeaders,
        body: courseBody,
        problems: [...problems, 'course_unavailable', 'idempotency_key_reused'],
        response: { 201: courseSchema },
      },
    },
    async (req, reply) => {
      const client = requireUser(req, 'client');
      try {
        const response = await idempotent(
          db,
          client.id,
          req.headers['idempotency-key'],
          requestFingerprint('POST /api/bookings/courses', req.body),
          async (trx) => {
            const result = await holdCourseIn(trx, client, request(req.body), settings(), screening.gate, false);
            return { statusCode: 201, body: await view(trx, client, result) };
          },
        );
        return reply.code(201).send(response.body as Awaited<ReturnType<typeof view>>);
      } catch (error) {
        if (error instanceof RollBack) throw courseUnavailable(error.result);
        throw error;
      }
    },
  );

  app.post(
    '/api/bookings/courses/preview',
    {
      schema: {
        tags: ['booking'],
        summary: 'Check a course of weekly sessions without holding it',
        description:
          'Tries every session of the course as POST /api/bookings/courses would, then holds nothing: which sessions are available, and for each that is not, up to 3 nearest free starts that day.',
        body: courseBody,
        problems: [...problems],
        response: { 200: courseSchema },
      },
    },
    async (req) => {
      const client = requireUser(req, 'client');
      return view(db, client, await previewCourse(db, client, request(req.body), settings(), screening.gate));
    },
  );
}
