import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import { authorizeBookingHealthRead, authorizeHealthRead } from '../intake/health-access.js';
import { regionRef } from '../intake/engine/intake-schema.js';
import { loadIntake } from '../intake/intake-store.js';
import { isoDate, timeZone } from '../therapists/engine/therapist-schemas.js';
import { todayIn } from '../therapists/today.js';
import { epochDayFromIsoDate } from '../scheduling/engine/calendar-date.js';
import { localDay } from '../scheduling/engine/zoned-time.js';
import { latestScreening } from './booking-screening.js';
import { bookingScreeningView } from './booking-screening-view.js';
import type { Pressure } from '../domain/screening-vocabulary.js';
import { defaultFocusRegions, screen } from './engine/screening-engine.js';
import {
  bookingScreeningSchema,
  clientScreeningSchema,
  screeningDecisionSchema,
  toClientView,
  toDecisionView,
} from './engine/screening-views.js';

const DAY = 86_400_000;

const bookingParams = z.object({ id: z.uuid() }).strict();
const noQuery = z.object({}).strict();

const previewQuery = z
  .object({
    date: isoDate.optional().describe('The session day; default today in zone'),
    zone: timeZone
      .optional()
      .describe(
        'Your IANA zone (the web sends the browser’s): "today" is your day there, the default date; your dates and times are read there. Default UTC.',
      ),
    focusRegions: z
      .string()
      .transform((s) => s.split(',').map((x) => x.trim()))
      .pipe(z.array(regionRef).max(20))
      .optional()
      .describe('Comma-separated body-map regions; default the regions marked on your intake'),
  })
  .strict();

/** Screening results: the client's own preview for a day, and a booking's current screening (both audited reads). */
export function registerScreeningResultRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;

  app.get(
    '/api/me/screening',
    {
      schema: {
        tags: ['screening'],
        summary: 'Whether deep tissue massage suits you: your screening for a session on a given day',
        querystring: previewQuery,
        problems: ['unauthenticated', 'forbidden', 'intake_required'],
        response: {
          200: z.object({
            intakeVersion: z.number(),
            date: z.string(),
            forClient: clientScreeningSchema,
            decision: screeningDecisionSchema,
          }),
        },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      const now = clock.now();
      const zone = request.query.zone ?? 'UTC';
      const today = todayIn(zone, now);
      const date = request.query.date ?? today;
      const day = Date.parse(`${date}T00:00:00Z`);
      if (day < now - 2 * DAY || day > now + 400 * DAY)
        throw fieldProblem('date', 'out_of_range', 'Pick a day between today and about a year ahead', 'query');
      return db.transaction().execute(async (trx) => {
        await authorizeHealthRead(
          trx,
          client,
          { clientId: client.id, record: 'screening', subjectId: client.id, detail: { preview: date } },
          now,
        );
        const intake = await loadIntake(trx, client.id);
        if (!intake) throw new ProblemError('intake_required', 'Complete your consultation (PUT /api/me/intake) first');
        const decision = screen(
          intake.intake,
          {
            date,
            // No session yet: windows are measured to now, or to the start of a later day (the earliest a session
            // that day could start, so a window still open then is shown).
            startsAt: Math.max(now, localDay(zone, epochDayFromIsoDate(date)!).startMs),
            timeZone: zone,
            regions: request.query.focusRegions ?? defaultFocusRegions(intake.intake),
            pressure: intake.intake.pressure.preference as Pressure,
          },
          { today },
        );
        return {
          intakeVersion: intake.version,
          date,
          forClient: toClientView(decision),
          decision: toDecisionView(decision),
        };
      });
    },
  );

  app.get(
    '/api/bookings/:id/screening',
    {
      schema: {
        tags: ['screening'],
        summary:
          'The health screening of a booking: outcome, flags with reasons and sources, caps, clearance (audited)',
        params: bookingParams,
        querystring: noQuery,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: bookingScreeningSchema },
      },
    },
    async (request) =>
      db.transaction().execute(async (trx) => {
        await authorizeBookingHealthRead(trx, request.user, request.params.id, 'screening', clock.now());
        const screening = await latestScreening(trx, request.params.id);
        if (!screening) throw new ProblemError('not_found', 'This booking has no current screening');
        return bookingScreeningView(trx, screening);
      }),
  );
}
