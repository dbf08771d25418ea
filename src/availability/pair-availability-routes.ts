import { z } from 'zod';
import type { App, AppContext } from '../app-context.js';
import { fieldProblem } from '../domain/problems.js';
import { therapistsKeptApartFrom } from '../ratings/pair-preferences.js';
import { epochDayFromIsoDate } from '../scheduling/engine/calendar-date.js';
import { pairSlots } from '../scheduling/engine/pair-slots.js';
import { zoneAt } from '../scheduling/engine/place-zone.js';
import { todayIn } from '../therapists/today.js';
import { genderSchema } from '../therapists/engine/therapist-schemas.js';
import { type AvailabilityResult, searchAvailability } from './availability-search.js';
import type { CalendarCache } from './calendar-cache.js';
import { datesRunForward, searchQueryFields } from './search-query.js';

const MAX_RANGE_DAYS = 14;
/** How many therapists per person are considered: the best-ranked of each side (earliest first). */
const CANDIDATES = 50;

const pairQuery = datesRunForward(
  z
    .object({
      ...searchQueryFields,
      firstGender: genderSchema.optional().describe('Your therapist: any gender when absent'),
      secondGender: genderSchema.optional().describe("Your guest's therapist: any gender when absent"),
      limit: z.coerce.number().int().min(1).max(200).default(40),
    })
    .strict(),
);

const therapistSchema = z.object({
  id: z.uuid(),
  displayName: z.string(),
  gender: genderSchema,
  rating: z.object({ average: z.number().nullable(), count: z.number() }),
  priceCents: z.number(),
  currency: z.string(),
});

const pairAvailability = z
  .object({
    timeZone: z.string().describe("The home address's zone: show the times as wall-clock time there"),
    slots: z.array(
      z.object({
        startsAt: z.iso.datetime(),
        first: therapistSchema.describe('A therapist for you, free then'),
        second: therapistSchema.describe('Another therapist, for your guest, free then'),
      }),
    ),
  })
  .meta({ id: 'PairAvailability' });

const summary = (result: AvailabilityResult) => ({
  id: result.therapist.id,
  displayName: result.therapist.displayName,
  gender: result.therapist.gender,
  rating: result.therapist.rating,
  priceCents: result.priceCents,
  currency: result.currency,
});

/** GET /api/availability/pairs: times two different therapists are both free at one home address. */
export function registerPairAvailabilityRoutes(app: App, ctx: AppContext, cache: CalendarCache) {
  const { db, clock, config } = ctx;
  app.get(
    '/api/availability/pairs',
    {
      schema: {
        tags: ['availability'],
        summary: 'Search times for a session for two at home',
        description:
          'Start times at which two different therapists, one matching each person’s gender preference, both visit the address and are both free for the session, earliest first, each with the therapists it would be. Hold one with POST /api/bookings/pairs.',
        querystring: pairQuery,
        response: { 200: pairAvailability },
      },
    },
    async (request) => {
      const q = request.query;
      const now = clock.now();
      const span = epochDayFromIsoDate(q.to)! - epochDayFromIsoDate(q.from)!;
      if (span >= MAX_RANGE_DAYS)
        throw fieldProblem('to', 'range_too_long', `Search at most ${MAX_RANGE_DAYS} days at once`, 'query');
      const today = epochDayFromIsoDate(todayIn(q.zone, now))!;
      if (epochDayFromIsoDate(q.to)! < today - 1 || epochDayFromIsoDate(q.from)! > today + 400)
        throw fieldProblem('from', 'out_of_range', 'Search between today and about a year ahead', 'query');
      const keptApart =
        request.user?.role === 'client' ? await therapistsKeptApartFrom(db, request.user.id) : undefined;
      const search = async (gender: (typeof q)['firstGender']) =>
        (
          await searchAvailability(
            cache,
            {
              durationMin: q.durationMin,
              from: q.from,
              to: q.to,
              zone: q.zone,
              mode: 'home',
              point: { lat: q.lat, lng: q.lng },
              radiusKm: 1,
              ...(gender ? { gender } : {}),
              ...(keptApart ? { keptApart } : {}),
              sort: 'earliest',
              page: 1,
              pageSize: CANDIDATES,
              slotsPerTherapist: 500,
            },
            now,
            config.slotStepMin,
          )
        ).results;
      const [first, second] = await Promise.all([search(q.firstGender), search(q.secondGender)]);
      const byId = new Map([...first, ...second].map((result) => [result.therapist.id, result]));
      const candidates = (results: AvailabilityResult[]) =>
        results.map((result) => ({ id: result.therapist.id, slots: result.offers.flatMap((offer) => offer.slots) }));
      const found = pairSlots(candidates(first), candidates(second), q.limit);
      return {
        timeZone: zoneAt({ lat: q.lat, lng: q.lng }),
        slots: found.map((slot) => ({
          startsAt: new Date(slot.startsAt).toISOString(),
          first: summary(byId.get(slot.first)!),
          second: summary(byId.get(slot.second)!),
        })),
      };
    },
  );
}
