import type { Selectable } from 'kysely';
import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import {
  loadTherapistProfile,
  locationKey,
  placeOfLocationKey,
  therapistProfileSchema,
  toWeeklyRule,
} from './therapist-profile.js';
import {
  clockInterval,
  isoDate,
  overlappingRules,
  placeSchema,
  weeklyHoursRuleSchema,
  type Place,
} from './engine/therapist-schemas.js';
import type { ScheduleOverridesTable } from './therapist-tables.js';
import { todayIn } from './today.js';
import { announceFreedTime } from './new-hours.js';

export const overrideBody = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('off'),
      date: isoDate,
      intervals: z.array(clockInterval).max(10).default([]).describe('Empty means the whole day off'),
      note: z.string().max(300).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('extra'),
      date: isoDate,
      intervals: z
        .array(clockInterval.and(z.object({ place: placeSchema })))
        .min(1)
        .max(10),
      note: z.string().max(300).optional(),
    })
    .strict(),
]);

export const overrideSchema = z
  .object({
    id: z.uuid(),
    date: z.string(),
    kind: z.enum(['off', 'extra']),
    intervals: z.array(z.object({ start: z.string(), end: z.string(), place: placeSchema.optional() })),
    note: z.string().nullable(),
  })
  .meta({ id: 'ScheduleOverride' });

/** A stored override as the API shows it: places by mode and studio, not by the engine's location keys. */
export const overrideView = (row: Selectable<ScheduleOverridesTable>): z.infer<typeof overrideSchema> => ({
  id: row.id,
  date: row.on_date,
  kind: row.kind,
  intervals: row.intervals.map((i) =>
    'location' in i && i.location
      ? { start: i.start, end: i.end, place: placeOfLocationKey(i.location) }
      : { start: i.start, end: i.end },
  ),
  note: row.note,
});

const rangeQuery = z
  .object({ from: isoDate.optional(), to: isoDate.optional() })
  .strict()
  .refine((q) => !q.from || !q.to || q.to >= q.from, {
    message: 'to must not be before from',
    path: ['to'],
    params: { code: 'range_reversed' },
  });

export function registerTherapistScheduleRoutes(app: App, ctx: AppContext) {
  const { db, clock, config } = ctx;

  /** A place named in hours must exist: a live studio of this therapist, or the mobile area for home visits. */
  const checkPlaces = async (therapistId: string, places: { place: Place; field: string }[]) => {
    const profile = await loadTherapistProfile(db, therapistId, config.graceMinutes, todayIn('UTC', clock.now()));
    if (!profile)
      throw new ProblemError('profile_incomplete', 'Create your therapist profile first (PUT /api/therapists/me)');
    const studioIds = new Set(profile.studios.map((s) => s.id));
    for (const { place, field } of places) {
      if (place.mode === 'studio' && !studioIds.has(place.studioId)) {
        throw fieldProblem(`${field}.studioId`, 'unknown_studio', 'Not one of your studios');
      }
      if (place.mode === 'home' && !profile.mobileArea) {
        throw fieldProblem(`${field}.mode`, 'no_mobile_area', 'Set a mobile service area before adding at-home hours');
      }
    }
  };

  app.put(
    '/api/therapists/me/weekly-hours',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Replace your weekly hours',
        description:
          'Local wall-clock hours in your time zone, per studio or for at-home visits. Rules on the same weekday may not overlap.',
        body: z.object({ rules: z.array(weeklyHoursRuleSchema).max(70) }).strict(),
        problems: ['unauthenticated', 'forbidden', 'profile_incomplete'],
        response: { 200: therapistProfileSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist');
      const { rules } = request.body;
      const clash = overlappingRules(rules);
      if (clash)
        throw fieldProblem(`rules.${clash[1]}`, 'overlapping_hours', `Overlaps rule ${clash[0]} on the same weekday`);
      await checkPlaces(
        user.id,
        rules.map((r, i) => ({ place: r.place, field: `rules.${i}.place` })),
      );
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('therapists')
          .set({ weekly_hours: JSON.stringify(rules.map(toWeeklyRule)), updated_at: new Date(clock.now()) })
          .where('user_id', '=', user.id)
          .execute();
        // New hours may free time someone waits for (the waitlist looks, in a job).
        await announceFreedTime(trx, user.id, clock.now(), `hours:${clock.now()}`);
      });
      return (await loadTherapistProfile(db, user.id, config.graceMinutes, todayIn('UTC', clock.now())))!;
    },
  );

  app.get(
    '/api/therapists/me/overrides',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Your date overrides (days off, partial days off, extra hours)',
        querystring: rangeQuery,
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: z.array(overrideSchema) },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist');
      let query = db.selectFrom('schedule_overrides').selectAll().where('therapist_id', '=', user.id);
      if (request.query.from) query = query.where('on_date', '>=', request.query.from);
      if (request.query.to) query = query.where('on_date', '<=', request.query.to);
      const rows = await query.orderBy('on_date').orderBy('created_at').execute();
      return rows.map(overrideView);
    },
  );

  app.post(
    '/api/therapists/me/overrides',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Add a date override',
        body: overrideBody,
        problems: ['unauthenticated', 'forbidden', 'profile_incomplete'],
        response: { 201: overrideSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'therapist');
      const body = request.body;
      if (body.kind === 'extra') {
        await checkPlaces(
          user.id,
          body.intervals.map((i, n) => ({ place: i.place, field: `intervals.${n}.place` })),
        );
      }
      const stored =
        body.kind === 'extra'
          ? body.intervals.map((i) => ({ start: i.start, end: i.end, location: locationKey(i.place) }))
          : body.intervals.map((i) => ({ start: i.start, end: i.end }));
      const row = await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('schedule_overrides')
          .values({
            therapist_id: user.id,
            on_date: body.date,
            kind: body.kind,
            intervals: JSON.stringify(stored),
            note: body.note ?? null,
          })
          .returning(['id'])
          .executeTakeFirstOrThrow();
        // Extra hours free time someone may wait for.
        if (body.kind === 'extra') await announceFreedTime(trx, user.id, clock.now(), `override:${inserted.id}`);
        return inserted;
      });
      return reply
        .code(201)
        .send({ id: row.id, date: body.date, kind: body.kind, intervals: body.intervals, note: body.note ?? null });
    },
  );

  app.delete(
    '/api/therapists/me/overrides/:id',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Remove a date override',
        params: z.object({ id: z.uuid() }).strict(),
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'therapist');
      const deleted = await db
        .deleteFrom('schedule_overrides')
        .where('id', '=', request.params.id)
        .where('therapist_id', '=', user.id)
        .executeTakeFirst();
      if (deleted.numDeletedRows === 0n) throw new ProblemError('not_found', 'No such override of yours');
      // A day or time off taken back frees time too.
      await announceFreedTime(db, user.id, clock.now(), `override-removed:${request.params.id}`);
      return reply.code(204).send(null);
    },
  );
}
