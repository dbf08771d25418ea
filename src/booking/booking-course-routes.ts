import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import type { SignedInUser } from '../accounts/sessions.js';
import { regionRef } from '../intake/engine/intake-schema.js';
import { durationSchema } from '../therapists/engine/therapist-schemas.js';
import { holdCourse } from './booking-courses.js';
import { bookingSchema, bookingViewById } from './booking-view.js';
import { type BookingScreeningPorts, requestedPlaceSchema } from './booking-routes.js';
import { MAX_COURSE_SESSIONS } from './engine/course-recurrence.js';

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
        reason: z.enum(['slot_unavailable', 'slot_not_offered']).nullable(),
        alternatives: z.array(z.string()).describe('Nearest free starts the same day, when not available'),
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

  const answer = async (client: SignedInUser, body: z.infer<typeof courseBody>, preview: boolean) => {
    const result = await holdCourse(
      db,
      client,
      {
        therapistId: body.therapistId,
        durationMin: body.durationMin,
        place: body.place,
        firstStart: body.firstStart,
        rrule: body.rrule,
        ...(body.focusRegions ? { focusRegions: body.focusRegions } : {}),
      },
      {
        now: clock.now(),
        holdMinutes: config.holdMinutes,
        graceMinutes: config.graceMinutes,
        stepMin: config.slotStepMin,
      },
      screening.gate,
      preview,
    );
    const sessions = [];
    for (const session of result.sessions) {
      sessions.push({
        startsAt: new Date(session.startsAt).toISOString(),
        available: session.refusal === null,
        reason: session.refusal,
        alternatives: session.alternatives.map((ms) => new Date(ms).toISOString()),
        booking: session.bookingId ? await bookingViewById(db, session.bookingId, client, screening.summaries) : null,
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
        description: `Holds every session of a weekly (or fortnightly) course in one go, each exactly as POST /api/bookings would (screening, offered times, overlaps), for ${config.holdMinutes} minutes: all or nothing. Each session is an ordinary booking of the course: confirm (and pay), move or cancel each on its own. 409 course_unavailable when any session cannot be held: nothing is held, and conflicts lists each with up to 3 nearest free starts that day.`,
        body: courseBody,
        problems: [...problems, 'course_unavailable'],
        response: { 201: courseSchema },
      },
    },
    async (request, reply) => {
      const client = requireUser(request, 'client');
      return reply.code(201).send(await answer(client, request.body, false));
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
    async (request) => answer(requireUser(request, 'client'), request.body, true),
  );
}
