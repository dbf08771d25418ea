import { z } from 'zod';
import type { App, AppContext } from '../app-context.js';
import { fieldProblem } from '../domain/problems.js';
import { therapistsKeptApartFrom } from '../ratings/pair-preferences.js';
import { epochDayFromIsoDate } from '../scheduling/engine/calendar-date.js';
import { todayIn } from '../therapists/today.js';
import { genderSchema, specialtySchema } from '../therapists/engine/therapist-schemas.js';
import { searchAvailability } from './availability-search.js';
import { CalendarCache } from './calendar-cache.js';
import { loadCachedTherapists } from './calendar-loader.js';
import { registerWorkingTimeRoutes } from './working-time-routes.js';
import { registerPairAvailabilityRoutes } from './pair-availability-routes.js';
import { datesRunForward, searchQueryFields } from './search-query.js';

const MAX_RANGE_DAYS = 31;

const availabilityQuery = datesRunForward(
  z
    .object({
      ...searchQueryFields,
      mode: z.enum(['studio', 'home']).meta({ examples: ['studio'] }),
      radiusKm: z.coerce
        .number()
        .gt(0)
        .max(100)
        .default(10)
        .describe('Studio mode: how far you will travel')
        .meta({ examples: [3] }),
      gender: genderSchema.optional(),
      specialty: specialtySchema.optional().meta({ examples: ['hamstrings'] }),
      therapistId: z.uuid().optional().describe('Only this therapist, e.g. to reschedule with them'),
      sort: z.enum(['earliest', 'rating', 'distance']).default('earliest'),
      page: z.coerce.number().int().min(1).max(1000).default(1),
      pageSize: z.coerce.number().int().min(1).max(50).default(10),
      slotsPerTherapist: z.coerce.number().int().min(1).max(500).default(40),
    })
    .strict(),
);

const offerSchema = z.object({
  place: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('studio'), studioId: z.uuid(), name: z.string(), address: z.string() }),
    z.object({ mode: z.literal('home') }),
  ]),
  timeZone: z
    .string()
    .describe(
      "The place's IANA zone: show the slots as wall-clock time there, naming the zone when the reader's differs",
    ),
  distanceKm: z.number().describe('Studio: from your point. Home: from the therapist’s base'),
  slots: z.array(z.iso.datetime()),
  moreSlots: z.boolean(),
});

export const availabilityPage = z
  .object({
    page: z.number(),
    pageSize: z.number(),
    total: z.number().describe('Therapists with at least one slot in the range'),
    results: z.array(
      z.object({
        therapist: z.object({
          id: z.uuid(),
          displayName: z.string(),
          gender: genderSchema,
          specialties: z.array(z.string()),
          rating: z.object({ average: z.number().nullable(), count: z.number() }),
          photoUrl: z
            .string()
            .nullable()
            .describe(
              'The profile photo as a small square thumbnail (96×96 px WebP, cacheable for a year: the address changes with every upload); null when there is no photo',
            ),
        }),
        priceCents: z.number(),
        currency: z.string(),
        earliest: z.iso.datetime(),
        distanceKm: z.number(),
        offers: z.array(offerSchema),
      }),
    ),
  })
  .meta({
    id: 'AvailabilityPage',
    examples: [
      {
        page: 1,
        pageSize: 10,
        total: 1,
        results: [
          {
            therapist: {
              id: '3f2b8c1e-5d4a-4b6f-9e7d-2c1a0b9f8e7d',
              displayName: 'Maya Chen',
              gender: 'female',
              specialties: ['hamstrings', 'sports'],
              rating: { average: 4.8, count: 12 },
              photoUrl: '/api/therapists/3f2b8c1e-5d4a-4b6f-9e7d-2c1a0b9f8e7d/photo?v=2&size=thumb',
            },
            priceCents: 12000,
            currency: 'USD',
            earliest: '2026-11-24T14:00:00.000Z',
            distanceKm: 2.2,
            offers: [
              {
                place: {
                  mode: 'studio',
                  studioId: '6a1d4e2f-7b3c-4d5e-8f9a-0b1c2d3e4f5a',
                  name: 'Chelsea studio',
                  address: '210 W 21st St, New York',
                },
                timeZone: 'America/New_York',
                distanceKm: 2.2,
                slots: ['2026-11-24T14:00:00.000Z', '2026-11-24T14:15:00.000Z', '2026-11-24T15:00:00.000Z'],
                moreSlots: true,
              },
            ],
          },
        ],
      },
    ],
  });

export function registerAvailabilityRoutes(app: App, ctx: AppContext) {
  const { db, clock, config } = ctx;
  // Search's calendar reads go to a replica that has caught up with the primary (DATABASE_READ_URLS), else the
  // primary; the change notices and barriers stay on the primary (a standby delivers no NOTIFY).
  const replicas = ctx.readReplicas;
  const cache = new CalendarCache(ctx.database, {
    shortcuts: config.searchShortcuts,
    ...(replicas ? { load: (scope, now) => replicas.read((reads) => loadCachedTherapists(reads, scope, now)) } : {}),
  });
  app.addHook('onClose', () => cache.close());
  registerWorkingTimeRoutes(app, ctx);
  registerPairAvailabilityRoutes(app, ctx, cache);

  app.get(
    '/api/availability',
    {
      schema: {
        tags: ['availability'],
        summary: 'Search therapists with open slots',
        description:
          'Deep tissue sessions of the given length, at a studio within radiusKm of the point or at home at the point (inside each therapist’s own service radius). Only therapists with an approved, unexpired licence appear; for a signed-in client, not those kept apart from them after a session ("never" by either side). Slots are UTC instants.',
        querystring: availabilityQuery,
        response: { 200: availabilityPage },
      },
    },
    async (request) => {
      const q = request.query;
      const now = clock.now();
      const span = epochDayFromIsoDate(q.to)! - epochDayFromIsoDate(q.from)!;
      if (span >= MAX_RANGE_DAYS)
        throw fieldProblem('to', 'range_too_long', `Search at most ${MAX_RANGE_DAYS} days at once`, 'query');
      const today = epochDayFromIsoDate(todayIn(q.zone, now))!;
      if (epochDayFromIsoDate(q.to)! < today - 1 || epochDayFromIsoDate(q.from)! > today + 400) {
        throw fieldProblem('from', 'out_of_range', 'Search between today and about a year ahead', 'query');
      }
      const { total, results } = await searchAvailability(
        cache,
        {
          durationMin: q.durationMin,
          from: q.from,
          to: q.to,
          zone: q.zone,
          mode: q.mode,
          point: { lat: q.lat, lng: q.lng },
          radiusKm: q.radiusKm,
          ...(q.gender ? { gender: q.gender } : {}),
          ...(q.specialty ? { specialty: q.specialty } : {}),
          ...(q.therapistId ? { therapistId: q.therapistId } : {}),
          ...(request.user?.role === 'client' ? { keptApart: await therapistsKeptApartFrom(db, request.user.id) } : {}),
          sort: q.sort,
          page: q.page,
          pageSize: q.pageSize,
          slotsPerTherapist: q.slotsPerTherapist,
        },
        now,
        config.slotStepMin,
      );
      return {
        page: q.page,
        pageSize: q.pageSize,
        total,
        results: results.map((r) => ({
          ...r,
          earliest: new Date(r.earliest).toISOString(),
          offers: r.offers.map((o) => ({ ...o, slots: o.slots.map((s) => new Date(s).toISOString()) })),
        })),
      };
    },
  );
}
