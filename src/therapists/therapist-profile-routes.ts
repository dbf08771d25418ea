import { sql } from 'kysely';
import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { readsOf } from '../db/read-replicas.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import { zoneAt } from '../scheduling/engine/place-zone.js';
import { todayIn } from './today.js';
import { SPECIALTIES } from '../domain/specialties.js';
import {
  type TherapistProfile,
  loadTherapistProfile,
  serviceSchema,
  studioSchema,
  profileAsSeenBy,
  publicPageFreshness,
  therapistProfileSchema,
} from './therapist-profile.js';
import { genderSchema, isoDate, latitude, longitude, specialtySchema, timeZone } from './engine/therapist-schemas.js';

export const profileBody = z
  .object({
    market: z.string().min(2).max(40),
    gender: genderSchema,
    bio: z.string().max(2000).default(''),
    licence: z
      .object({
        number: z.string().trim().min(2).max(40),
        region: z.string().trim().min(2).max(80),
        expiresOn: isoDate,
      })
      .strict(),
    specialties: z.array(specialtySchema).max(7).default([]),
    languages: z
      .array(z.string().trim().min(2).max(40))
      .max(10)
      .default([])
      .describe('Languages you give sessions in, as clients should read them ("English", "Español")'),
    yearsInPractice: z.number().int().min(0).max(70).nullable().default(null),
    timeZone,
    bufferBeforeMin: z.number().int().min(0).max(120).default(0),
    bufferAfterMin: z.number().int().min(0).max(120).default(15),
    minNoticeMin: z.number().int().min(0).max(20_160).default(120),
    bookingWindowDays: z.number().int().min(1).max(365).default(60),
    travelSpeedKmh: z.number().min(5).max(120).default(25),
    mobileArea: z
      .object({
        label: z.string().trim().max(200).nullable().default(null),
        lat: latitude,
        lng: longitude,
        radiusKm: z.number().gt(0).max(100),
      })
      .strict()
      .nullable()
      .default(null),
    cancellationPolicy: z
      .object({
        freeUntilHoursBefore: z.number().int().min(0).max(168),
        lateFeePercent: z.number().int().min(0).max(100),
      })
      .strict()
      .default({ freeUntilHoursBefore: 24, lateFeePercent: 50 }),
  })
  .strict();

export const studioBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    address: z.string().trim().min(3).max(300),
    lat: latitude,
    lng: longitude,
  })
  .strict();

const idParams = z.object({ id: z.uuid() }).strict();

const specialtyEntry = z.object({ code: specialtySchema, label: z.string() });

export function registerTherapistProfileRoutes(app: App, ctx: AppContext) {
  const { db, clock, config } = ctx;
  const reads = readsOf(ctx);
  const today = () => todayIn('UTC', clock.now());

  const ownProfile = async (therapistId: string): Promise<TherapistProfile> => {
    const profile = await loadTherapistProfile(db, therapistId, config.graceMinutes, today());
    if (!profile)
      throw new ProblemError('profile_incomplete', 'Create your therapist profile first (PUT /api/therapists/me)');
    return profile;
  };

  app.get(
    '/api/catalogue/specialties',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Specialties a therapist can list',
        response: { 200: z.array(specialtyEntry) },
      },
    },
    async () => SPECIALTIES.map((s) => ({ ...s })),
  );

  app.get(
    '/api/therapists/me',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Your therapist profile',
        problems: ['unauthenticated', 'forbidden', 'profile_incomplete'],
        response: { 200: therapistProfileSchema },
      },
    },
    async (request) => ownProfile(requireUser(request, 'therapist').id),
  );

  app.put(
    '/api/therapists/me',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Create or update your therapist profile',
        description: 'Changing the licence number, region or expiry sends the licence back to an operator for review.',
        body: profileBody,
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: therapistProfileSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist');
      const body = request.body;
      if (body.licence.expiresOn < today())
        throw fieldProblem('licence.expiresOn', 'expired', 'The licence has already expired');
      const languages = body.languages.map((l) => l.toLocaleLowerCase());
      const repeatedLanguage = languages.findIndex((l, i) => languages.indexOf(l) !== i);
      if (repeatedLanguage >= 0)
        throw fieldProblem(`languages.${repeatedLanguage}`, 'duplicate', 'Each language may appear once');
      const market = await db.selectFrom('markets').select('id').where('id', '=', body.market).executeTakeFirst();
      if (!market) throw fieldProblem('market', 'unknown', `No market "${body.market}"`);
      const columns = {
        market: body.market,
        gender: body.gender,
        bio: body.bio,
        licence_number: body.licence.number,
        licence_region: body.licence.region,
        licence_expires_on: body.licence.expiresOn,
        specialties: sql<string[]>`${sql.val(body.specialties)}::text[]`,
        languages: sql<string[]>`${sql.val(body.languages)}::text[]`,
        years_in_practice: body.yearsInPractice,
        time_zone: body.timeZone,
        buffer_before_min: body.bufferBeforeMin,
        buffer_after_min: body.bufferAfterMin,
        min_notice_min: body.minNoticeMin,
        booking_window_days: body.bookingWindowDays,
        travel_speed_kmh: body.travelSpeedKmh,
        mobile_base_label: body.mobileArea?.label ?? null,
        mobile_base_lat: body.mobileArea?.lat ?? null,
        mobile_base_lng: body.mobileArea?.lng ?? null,
        mobile_radius_km: body.mobileArea?.radiusKm ?? null,
        cancellation_cutoff_hours: body.cancellationPolicy.freeUntilHoursBefore,
        late_cancellation_fee_percent: body.cancellationPolicy.lateFeePercent,
        updated_at: new Date(clock.now()),
      };
      await db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('therapists')
          .select(['licence_number', 'licence_region', 'licence_expires_on', 'weekly_hours'])
          .where('user_id', '=', user.id)
          .forUpdate()
          .executeTakeFirst();
        if (!existing) {
          await trx
            .insertInto('therapists')
            .values({ user_id: user.id, weekly_hours: '[]', ...columns })
            .execute();
          return;
        }
        if (body.mobileArea === null && existing.weekly_hours.some((r) => r.location === 'mobile')) {
          throw fieldProblem(
            'mobileArea',
            'in_use',
            'Remove the at-home weekly hours before removing the service area',
          );
        }
        const licenceChanged =
          existing.licence_number !== body.licence.number ||
          existing.licence_region !== body.licence.region ||
          existing.licence_expires_on !== body.licence.expiresOn;
        await trx
          .updateTable('therapists')
          .set({
            ...columns,
            ...(licenceChanged
              ? {
                  licence_status: 'pending',
                  licence_reviewed_at: null,
                  licence_reviewed_by: null,
                  licence_review_note: null,
                }
              : {}),
          })
          .where('user_id', '=', user.id)
          .execute();
      });
      return ownProfile(user.id);
    },
  );

  app.put(
    '/api/therapists/me/services',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Replace the services you offer (deep tissue at 60, 90 or 120 minutes) and their prices',
        body: z.object({ services: z.array(serviceSchema).min(1).max(3) }).strict(),
        problems: ['unauthenticated', 'forbidden', 'profile_incomplete'],
        response: { 200: therapistProfileSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist');
      const durations = request.body.services.map((s) => s.durationMin);
      const repeated = durations.findIndex((d, i) => durations.indexOf(d) !== i);
      if (repeated >= 0)
        throw fieldProblem(`services.${repeated}.durationMin`, 'duplicate', 'Each duration may appear once');
      await ownProfile(user.id);
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('therapist_services').where('therapist_id', '=', user.id).execute();
        await trx
          .insertInto('therapist_services')
          .values(
            request.body.services.map((s) => ({
              therapist_id: user.id,
              duration_min: s.durationMin,
              price_cents: s.priceCents,
              currency: s.currency,
            })),
          )
          .execute();
      });
      return ownProfile(user.id);
    },
  );

  app.post(
    '/api/therapists/me/studios',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Add a studio location',
        body: studioBody,
        problems: ['unauthenticated', 'forbidden', 'profile_incomplete'],
        response: { 201: studioSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'therapist');
      await ownProfile(user.id);
      const studio = await db
        .insertInto('studios')
        .values({ therapist_id: user.id, ...request.body, time_zone: zoneAt(request.body) })
        .returning(['id', 'name', 'address', 'lat', 'lng', 'time_zone as timeZone'])
        .executeTakeFirstOrThrow();
      return reply.code(201).send(studio);
    },
  );

  app.put(
    '/api/therapists/me/studios/:id',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Update a studio',
        params: idParams,
        body: studioBody,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: studioSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist');
      const studio = await db
        .updateTable('studios')
        .set({ ...request.body, time_zone: zoneAt(request.body) })
        .where('id', '=', request.params.id)
        .where('therapist_id', '=', user.id)
        .where('archived_at', 'is', null)
        .returning(['id', 'name', 'address', 'lat', 'lng', 'time_zone as timeZone'])
        .executeTakeFirst();
      if (!studio) throw new ProblemError('not_found', 'No such studio of yours');
      return studio;
    },
  );

  app.delete(
    '/api/therapists/me/studios/:id',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Archive a studio (past bookings keep pointing at it)',
        description: 'Refused while weekly hours still use the studio.',
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'profile_incomplete'],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'therapist');
      const profile = await ownProfile(user.id);
      if (profile.weeklyHours.some((r) => r.place.mode === 'studio' && r.place.studioId === request.params.id)) {
        throw fieldProblem('id', 'in_use', 'Remove the weekly hours at this studio first', 'path');
      }
      const archived = await db
        .updateTable('studios')
        .set({ archived_at: new Date(clock.now()) })
        .where('id', '=', request.params.id)
        .where('therapist_id', '=', user.id)
        .where('archived_at', 'is', null)
        .executeTakeFirst();
      if (archived.numUpdatedRows === 0n) throw new ProblemError('not_found', 'No such studio of yours');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/therapists/:id',
    {
      schema: {
        tags: ['therapists'],
        summary: 'A therapist’s public profile',
        description: 'Visible when the therapist is searchable; the therapist and operators always see it.',
        params: idParams,
        problems: ['not_found'],
        response: { 200: therapistProfileSchema },
      },
    },
    async (request) => {
      // On a replica for everybody but the therapist and operators (publicPageFreshness says how fresh, and why).
      const { id } = request.params;
      const profile = await reads.readAs(publicPageFreshness(request.user, id), (from) =>
        loadTherapistProfile(from, id, config.graceMinutes, today()),
      );
      return profileAsSeenBy(profile, request.user);
    },
  );
}
