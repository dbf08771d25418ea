import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import { epochDayFromIsoDate } from '../scheduling/engine/calendar-date.js';
import { placeOfLocationKey } from '../therapists/therapist-profile.js';
import { overrideSchema, overrideView } from '../therapists/therapist-schedule-routes.js';
import { isoDate } from '../therapists/engine/therapist-schemas.js';
import { overrideRowsOf, studioNamesOfTherapist, therapistById } from '../therapists/therapists-reads.js';
import { todayIn } from '../therapists/today.js';
import { calendarOf, dateOverrideOf, workingTimeByDate } from '../therapists/therapist-calendar.js';

const MAX_RANGE_DAYS = 31;
/** How far from today (in the therapist's zone) the schedule reaches, back and ahead. */
const MAX_DAYS_FROM_TODAY = 400;

const rangeQuery = z
  .object({
    from: isoDate.describe('First local date, in the therapist’s zone'),
    to: isoDate.describe('Last local date (inclusive)'),
  })
  .strict()
  .refine((q) => q.to >= q.from, {
    message: 'to must not be before from',
    path: ['to'],
    params: { code: 'range_reversed' },
  });

const workingPlaceSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('studio'), studioId: z.uuid(), name: z.string() }),
  z.object({ mode: z.literal('home') }),
]);

export const workingTimeSchema = z
  .object({
    therapistId: z.uuid(),
    timeZone: z.string().describe('The therapist’s IANA zone: the dates are local dates there'),
    days: z.array(
      z.object({
        date: z.string(),
        working: z
          .array(z.object({ start: z.iso.datetime(), end: z.iso.datetime(), place: workingPlaceSchema }))
          .describe('Working intervals at every place, by start; empty on a day off or a day without hours'),
        overrides: z
          .array(overrideSchema)
          .describe('The date overrides of this date (days off, time off, extra hours) with their notes'),
      }),
    ),
  })
  .meta({ id: 'WorkingTime' });

const DESCRIPTION =
  'For each local date from `from` to `to` (at most 31 days, within about a year of today), the working intervals at each place, computed by the slot engine that search and booking use: weekly hours plus extra hours minus days and time off, in the therapist’s zone, DST included.';

export function registerWorkingTimeRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;

  const workingTime = async (therapistId: string, query: z.infer<typeof rangeQuery>, missing: () => ProblemError) => {
    const fromDay = epochDayFromIsoDate(query.from)!;
    const toDay = epochDayFromIsoDate(query.to)!;
    if (toDay - fromDay >= MAX_RANGE_DAYS)
      throw fieldProblem('to', 'range_too_long', `Ask for at most ${MAX_RANGE_DAYS} days at once`, 'query');
    const therapist = await therapistById(db, therapistId);
    if (!therapist) throw missing();
    const today = epochDayFromIsoDate(todayIn(therapist.time_zone, clock.now()))!;
    if (fromDay < today - MAX_DAYS_FROM_TODAY)
      throw fieldProblem('from', 'out_of_range', 'Ask for dates within about a year of today', 'query');
    if (toDay > today + MAX_DAYS_FROM_TODAY)
      throw fieldProblem('to', 'out_of_range', 'Ask for dates within about a year of today', 'query');
    const [overrides, studios] = await Promise.all([
      overrideRowsOf(db, therapistId, query.from, query.to),
      // Archived studios too: extra hours written before a studio closed still name it.
      studioNamesOfTherapist(db, therapistId),
    ]);
    const studioNames = new Map(studios.map((s) => [s.id, s.name]));
    const placeOf = (location: string) => {
      const place = placeOfLocationKey(location);
      return place.mode === 'home' ? place : { ...place, name: studioNames.get(place.studioId) ?? 'Studio' };
    };
    const calendar = calendarOf(therapist, overrides.map(dateOverrideOf));
    return {
      therapistId,
      timeZone: therapist.time_zone,
      days: workingTimeByDate(calendar, fromDay, toDay).map((day) => ({
        date: day.date,
        working: day.intervals.map((i) => ({
          start: new Date(i.start).toISOString(),
          end: new Date(i.end).toISOString(),
          place: placeOf(i.location),
        })),
        overrides: overrides.filter((o) => o.on_date === day.date).map(overrideView),
      })),
    };
  };

  app.get(
    '/api/therapists/me/working-time',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Your working time per date, as search and booking see it',
        description: DESCRIPTION,
        querystring: rangeQuery,
        response: { 200: workingTimeSchema },
        problems: ['unauthenticated', 'forbidden', 'profile_incomplete'],
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist');
      return workingTime(
        user.id,
        request.query,
        () => new ProblemError('profile_incomplete', 'Create your therapist profile first (PUT /api/therapists/me)'),
      );
    },
  );

  app.get(
    '/api/therapists/:id/working-time',
    {
      schema: {
        tags: ['therapists'],
        summary: 'A therapist’s working time per date (operators, or the therapist)',
        description: DESCRIPTION,
        params: z.object({ id: z.uuid() }).strict(),
        querystring: rangeQuery,
        response: { 200: workingTimeSchema },
        problems: ['unauthenticated', 'forbidden', 'not_found', 'profile_incomplete'],
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist', 'operator');
      if (user.role === 'therapist' && user.id !== request.params.id)
        throw new ProblemError('forbidden', 'Therapists see their own working time');
      return workingTime(request.params.id, request.query, () => new ProblemError('not_found', 'No such therapist'));
    },
  );
}
