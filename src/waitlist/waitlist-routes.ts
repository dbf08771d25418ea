import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import type { BookingScreeningPorts } from '../booking/booking-routes.js';
import { bookingSchema, bookingViewById } from '../booking/booking-view.js';
import { fieldProblem } from '../domain/problems.js';
import { epochDayFromIsoDate, hhMmFromMinuteOfDay, minuteOfDayFromHhMm } from '../scheduling/engine/calendar-date.js';
import { zoneAt } from '../scheduling/engine/place-zone.js';
import {
  clockTime,
  durationSchema,
  genderSchema,
  isoDate,
  latitude,
  longitude,
  specialtySchema,
} from '../therapists/engine/therapist-schemas.js';
import { todayIn } from '../therapists/today.js';
import { claimWaitlistTime, joinWaitlist, leaveWaitlist, waitlistOf } from './waitlist.js';

const DAY = 86_400_000;
const MAX_RANGE_DAYS = 31;

const joinBody = z
  .object({
    therapistId: z.uuid().optional().describe('Wait for this therapist; leave out to wait for any therapist matching'),
    durationMin: durationSchema,
    mode: z.enum(['studio', 'home']),
    lat: latitude.describe('Studio mode: where you search from. Home mode: your address'),
    lng: longitude,
    radiusKm: z.number().gt(0).max(100).default(10).describe('Studio mode: how far you will travel'),
    address: z.string().trim().min(3).max(300).optional().describe('Home mode: your address (required)'),
    gender: genderSchema.optional(),
    specialty: specialtySchema.optional(),
    from: isoDate.describe('First date of the window (local at the session’s place)'),
    to: isoDate.describe('Last date of the window (inclusive)'),
    fromTime: clockTime.describe('The session starts at or after this local time'),
    toTime: clockTime.describe('…and ends by this local time'),
  })
  .strict()
  .refine((b) => b.to >= b.from, {
    message: 'to must not be before from',
    path: ['to'],
    params: { code: 'range_reversed' },
  })
  .refine((b) => minuteOfDayFromHhMm(b.toTime)! > minuteOfDayFromHhMm(b.fromTime)!, {
    message: 'toTime must be after fromTime',
    path: ['toTime'],
    params: { code: 'range_reversed' },
  })
  .refine((b) => b.mode === 'studio' || b.address !== undefined, {
    message: 'Give the address of the home visit',
    path: ['address'],
    params: { code: 'required' },
  })
  .meta({
    examples: [
      {
        therapistId: '3f2b8c1e-5d4a-4b6f-9e7d-2c1a0b9f8e7d',
        durationMin: 60,
        mode: 'studio',
        lat: 40.7359,
        lng: -73.9911,
        radiusKm: 5,
        from: '2026-11-24',
        to: '2026-11-27',
        fromTime: '17:00',
        toTime: '20:00',
      },
    ],
  });

const placeSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('studio'), studioId: z.uuid(), name: z.string() }),
  z.object({ mode: z.literal('home') }),
]);

export const waitlistEntrySchema = z
  .object({
    id: z.uuid(),
    therapistId: z.uuid().nullable().describe('Null: any therapist matching the search'),
    therapistName: z.string().nullable(),
    durationMin: z.number(),
    mode: z.enum(['studio', 'home']),
    address: z.string().nullable(),
    radiusKm: z.number(),
    gender: genderSchema.nullable(),
    specialty: z.string().nullable(),
    from: z.string(),
    to: z.string(),
    fromTime: z.string(),
    toTime: z.string(),
    status: z
      .enum(['waiting', 'offered', 'claimed', 'expired', 'cancelled'])
      .describe(
        'waiting; offered: times opened (see offer), claim one; claimed: you hold one (bookingId); expired: the window passed; cancelled: you left',
      ),
    offer: z
      .object({
        therapistId: z.uuid(),
        therapistName: z.string(),
        place: placeSchema,
        timeZone: z.string().describe('The place’s zone: show the starts as wall-clock time there'),
        starts: z.array(z.iso.datetime()),
      })
      .nullable()
      .describe('The free times you were told of; the first client to claim one gets it'),
    bookingId: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'WaitlistEntry' });

const claimBody = z
  .object({
    therapistId: z.uuid(),
    start: z.iso.datetime({ offset: true, message: 'Use an ISO 8601 date-time with a zone' }),
    studioId: z.uuid().optional().describe('Studio mode: the studio of the offered time'),
  })
  .strict();

const idParams = z.object({ id: z.uuid() }).strict();

type Entry = Awaited<ReturnType<typeof waitlistOf>>[number];

function entryView({ row, status, therapistName, offer }: Entry): z.infer<typeof waitlistEntrySchema> {
  return {
    id: row.id,
    therapistId: row.therapist_id,
    therapistName,
    durationMin: row.duration_min,
    mode: row.mode,
    address: row.address,
    radiusKm: row.radius_km,
    gender: row.gender,
    specialty: row.specialty,
    from: row.from_date,
    to: row.to_date,
    fromTime: hhMmFromMinuteOfDay(row.from_minute),
    toTime: hhMmFromMinuteOfDay(row.to_minute),
    status,
    offer: offer && { ...offer, starts: offer.starts.map((s) => new Date(s).toISOString()) },
    bookingId: row.booking_id,
    createdAt: row.created_at.toISOString(),
  };
}

/** The waitlist's endpoints: join, my entries, leave, claim an offered time. */
export function registerWaitlistRoutes(app: App, ctx: AppContext, screening: BookingScreeningPorts) {
  const { db, clock, config } = ctx;

  app.post(
    '/api/waitlist',
    {
      schema: {
        tags: ['waitlist'],
        summary: 'Join the waitlist',
        description:
          'Wait for a session with a therapist (or any therapist matching the search) within dates (at most 31 days) and a daily time range, local at the session’s place. When time frees there (a cancellation, an expired hold, new hours), waiting clients are told in the order they joined, by e-mail and in GET /api/waitlist; the first to claim a time (POST /api/waitlist/{id}/claim) gets it held.',
        body: joinBody,
        problems: ['unauthenticated', 'forbidden', 'waitlist_full'],
        response: { 201: waitlistEntrySchema },
      },
    },
    async (request, reply) => {
      const client = requireUser(request, 'client');
      const body = request.body;
      const now = clock.now();
      const zone = zoneAt({ lat: body.lat, lng: body.lng });
      const fromDay = epochDayFromIsoDate(body.from)!;
      const toDay = epochDayFromIsoDate(body.to)!;
      if (toDay - fromDay >= MAX_RANGE_DAYS)
        throw fieldProblem('to', 'range_too_long', `Wait for at most ${MAX_RANGE_DAYS} days at once`);
      const today = epochDayFromIsoDate(todayIn(zone, now))!;
      if (toDay < today) throw fieldProblem('to', 'out_of_range', 'The window has passed');
      if (fromDay > today + 400) throw fieldProblem('from', 'out_of_range', 'Wait for dates within about a year');
      const id = await db.transaction().execute(async (trx) => {
        const entry = await joinWaitlist(
          trx,
          client,
          {
            therapistId: body.therapistId,
            durationMin: body.durationMin,
            mode: body.mode,
            lat: body.lat,
            lng: body.lng,
            radiusKm: body.radiusKm,
            address: body.address,
            gender: body.gender,
            specialty: body.specialty,
            timeZone: zone,
            window: {
              fromDate: body.from,
              toDate: body.to,
              fromMinute: minuteOfDayFromHhMm(body.fromTime)!,
              toMinute: minuteOfDayFromHhMm(body.toTime)!,
            },
          },
          now,
        );
        return entry.id;
      });
      const [entry] = await waitlistOf(db, client.id, now, id);
      return reply.code(201).send(entryView(entry!));
    },
  );

  app.get(
    '/api/waitlist',
    {
      schema: {
        tags: ['waitlist'],
        summary: 'Your waitlist, newest first, with the times offered to you',
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: z.object({ items: z.array(waitlistEntrySchema) }) },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      return { items: (await waitlistOf(db, client.id, clock.now())).map(entryView) };
    },
  );

  app.delete(
    '/api/waitlist/:id',
    {
      schema: {
        tags: ['waitlist'],
        summary: 'Leave the waitlist',
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'waitlist_entry_closed'],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const client = requireUser(request, 'client');
      await leaveWaitlist(db, client.id, request.params.id, clock.now());
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/waitlist/:id/claim',
    {
      schema: {
        tags: ['waitlist'],
        summary: 'Claim a freed time',
        description: `Holds the time for ${config.holdMinutes} minutes, as POST /api/bookings does (screening first; confirm it with POST /api/bookings/{id}/confirm). The first claim wins: 409 slot_unavailable when another client took it, and your entry stays waiting. 422 validation_failed (start: outside_window) for a time outside the dates and hours you wait for.`,
        params: idParams,
        body: claimBody,
        problems: [
          'unauthenticated',
          'forbidden',
          'not_found',
          'waitlist_entry_closed',
          'slot_unavailable',
          'intake_required',
          'screening_not_today',
          'focus_regions_excluded',
          'slot_not_offered',
          'outside_service_area',
          'service_not_offered',
          'therapist_not_bookable',
        ],
        response: { 201: z.object({ entry: waitlistEntrySchema, booking: bookingSchema }) },
      },
    },
    async (request, reply) => {
      const client = requireUser(request, 'client');
      const now = clock.now();
      const startsAt = Date.parse(request.body.start);
      if (startsAt < now - DAY || startsAt > now + 400 * DAY)
        throw fieldProblem('start', 'out_of_range', 'Pick a time between now and about a year ahead');
      const bookingId = await claimWaitlistTime(
        db,
        client,
        request.params.id,
        { therapistId: request.body.therapistId, startsAt, studioId: request.body.studioId },
        { now, holdMinutes: config.holdMinutes, graceMinutes: config.graceMinutes, stepMin: config.slotStepMin },
        screening.gate,
      );
      const [entry] = await waitlistOf(db, client.id, now, request.params.id);
      const booking = await bookingViewById(db, bookingId, client, screening.summaries);
      return reply.code(201).send({ entry: entryView(entry!), booking });
    },
  );
}
