import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import { isPrivateAddress } from './external-calendar-fetch.js';
import {
  MAX_EXTERNAL_CALENDARS,
  REFRESH_NOW_INTERVAL_MS,
  addExternalCalendar,
  countExternalCalendars,
  externalCalendarOf,
  externalCalendarSchema,
  listExternalCalendars,
  refreshExternalCalendar,
  removeExternalCalendar,
} from './external-calendars.js';
import { lockTherapist, therapistById } from './therapists-reads.js';

const addBody = z
  .object({
    url: z
      .string()
      .trim()
      .min(1)
      .max(2048)
      .describe('The secret iCalendar address (http, https or webcal) of your Google, Apple or Outlook calendar'),
  })
  .strict();

const idParams = z.object({ id: z.uuid() }).strict();

/**
 * The address as Knotwork will read it: webcal:// is https:// (Apple and Outlook hand those out), anything else
 * than http(s) is refused, and so is an address on a private network unless the configuration allows it.
 */
function calendarAddress(text: string, allowPrivate: boolean): string {
  let url: URL;
  try {
    url = new URL(text.replace(/^webcals?:\/\//i, 'https://'));
  } catch {
    throw fieldProblem('url', 'not_a_url', 'Paste the whole address, starting with https://');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw fieldProblem('url', 'unsupported_scheme', 'The address must start with https:// (or http:// or webcal://)');
  if (!allowPrivate && (url.hostname === 'localhost' || isPrivateAddress(url.hostname.replace(/^\[|\]$/g, ''))))
    throw fieldProblem('url', 'private_address', 'The address points into a private network');
  url.hash = '';
  return url.toString();
}

export function registerExternalCalendarRoutes(app: App, ctx: AppContext) {
  const { db, clock, config } = ctx;
  const settings = config.externalCalendars;

  app.get(
    '/api/therapists/me/external-calendars',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Your other calendars, whose busy times block your slots',
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: z.object({ items: z.array(externalCalendarSchema) }) },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist');
      return { items: await listExternalCalendars(db, user.id, clock.now()) };
    },
  );

  app.post(
    '/api/therapists/me/external-calendars',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Add your other calendar by its secret iCalendar address',
        description: `Reads it at once and then every ${settings.refreshMinutes} minutes; its busy times (recurring events, exceptions and time zones included) block your slots in search and holds. A failed read is shown in \`error\` and keeps the last good busy times. The address is a secret: it is never shown again in full. At most ${MAX_EXTERNAL_CALENDARS} calendars (409 external_calendar_limit).`,
        body: addBody,
        problems: [
          'unauthenticated',
          'forbidden',
          'profile_incomplete',
          'external_calendar_limit',
          'external_calendar_exists',
        ],
        response: { 201: externalCalendarSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'therapist');
      const url = calendarAddress(request.body.url, settings.allowPrivateAddresses);
      const now = clock.now();
      if (!(await therapistById(db, user.id)))
        throw new ProblemError('profile_incomplete', 'Create your therapist profile first (PUT /api/therapists/me)');
      const id = await db.transaction().execute(async (trx) => {
        await lockTherapist(trx, user.id);
        if ((await countExternalCalendars(trx, user.id)) >= MAX_EXTERNAL_CALENDARS)
          throw new ProblemError(
            'external_calendar_limit',
            `At most ${MAX_EXTERNAL_CALENDARS} other calendars; remove one you no longer use`,
          );
        const added = await addExternalCalendar(trx, user.id, url, now, settings);
        if (!added) throw new ProblemError('external_calendar_exists', 'You have already added this calendar');
        return added;
      });
      await refreshExternalCalendar(db, id, now, settings);
      return reply.code(201).send((await externalCalendarOf(db, user.id, id, now))!);
    },
  );

  app.post(
    '/api/therapists/me/external-calendars/:id/refresh',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Read your other calendar now',
        description: `Reads it and answers with the outcome (a failure is in \`error\`, not an error answer). At most once every ${REFRESH_NOW_INTERVAL_MS / 1000} seconds per calendar (429 rate_limited).`,
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'rate_limited'],
        response: { 200: externalCalendarSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist');
      const now = clock.now();
      const calendar = await externalCalendarOf(db, user.id, request.params.id, now);
      if (!calendar) throw new ProblemError('not_found', 'No such calendar');
      const readAgainAt = calendar.lastAttemptAt ? Date.parse(calendar.lastAttemptAt) + REFRESH_NOW_INTERVAL_MS : 0;
      if (readAgainAt > now)
        throw new ProblemError('rate_limited', 'This calendar was read moments ago; try again in a little while', {
          extra: { retryAfterSeconds: Math.max(1, Math.ceil((readAgainAt - now) / 1000)) },
        });
      await refreshExternalCalendar(db, calendar.id, now, settings);
      const refreshed = await externalCalendarOf(db, user.id, calendar.id, now);
      if (!refreshed) throw new ProblemError('not_found', 'No such calendar');
      return refreshed;
    },
  );

  app.delete(
    '/api/therapists/me/external-calendars/:id',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Remove your other calendar and the busy times read from it',
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'therapist');
      if (!(await removeExternalCalendar(db, user.id, request.params.id)))
        throw new ProblemError('not_found', 'No such calendar');
      return reply.code(204).send(null);
    },
  );
}
