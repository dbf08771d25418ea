import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { SignedInUser } from '../accounts/sessions.js';
import type { SignInLinkMailer } from '../accounts/sign-in-links.js';
import type { App, AppContext } from '../app-context.js';
import { regionRef } from '../intake/engine/intake-schema.js';
import { latitude, longitude, durationSchema } from '../therapists/engine/therapist-schemas.js';
import { MAX_NEW_GUESTS_PER_DAY } from '../accounts/guest-accounts.js';
import { PAIR_HOLD_MINUTES, cancelPair, holdPair, loadPair } from './booking-pairs.js';
import type { BookingScreeningPorts } from './booking-routes.js';
import { bookingSchema, bookingViewById } from './booking-view.js';
import { BOOKING_STATUSES } from './engine/booking-states.js';

const pairBody = z
  .object({
    durationMin: durationSchema,
    start: z.iso.datetime({
      offset: true,
      message: 'Use an ISO 8601 date-time with a zone, e.g. 2026-11-23T14:00:00Z',
    }),
    place: z
      .object({ mode: z.literal('home'), address: z.string().trim().min(3).max(300), lat: latitude, lng: longitude })
      .strict()
      .describe('A session for two is at one home address'),
    first: z
      .object({
        therapistId: z.uuid(),
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
      .describe('Your own session'),
    second: z
      .object({
        therapistId: z.uuid(),
        guest: z
          .object({
            name: z.string().trim().min(1).max(100),
            email: z
              .email({ message: 'Enter a valid e-mail address' })
              .max(254)
              .overwrite((email) => email.toLowerCase()),
          })
          .strict(),
      })
      .strict()
      .describe("Your guest's session: they are invited by e-mail and screened against their own consultation"),
  })
  .strict()
  .meta({
    examples: [
      {
        durationMin: 60,
        start: '2026-11-24T15:00:00Z',
        place: { mode: 'home', address: '12 W 4th St, New York', lat: 40.7306, lng: -73.9973 },
        first: { therapistId: '3f2b8c1e-5d4a-4b6f-9e7d-2c1a0b9f8e7d' },
        second: {
          therapistId: '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
          guest: { name: 'Sam', email: 'sam@example.com' },
        },
      },
    ],
  });

const idParams = z.object({ id: z.uuid() }).strict();

const cancelBody = z
  .object({ reason: z.string().trim().max(500).optional() })
  .strict()
  .nullish()
  .transform((body) => body ?? {});

const pairSchema = z
  .object({
    id: z.uuid(),
    you: z.enum(['booker', 'guest', 'operator']).describe('Which of the two you are'),
    startsAt: z.iso.datetime(),
    durationMin: z.number(),
    address: z.string(),
    timeZone: z.string(),
    parts: z.array(
      z.object({
        person: z.enum(['booker', 'guest']),
        personName: z.string(),
        therapistName: z.string(),
        status: z.enum(BOOKING_STATUSES),
        booking: bookingSchema
          .nullable()
          .describe("Your own part in full; the other person's part is only who, with whom and its status"),
      }),
    ),
  })
  .meta({ id: 'BookingPair' });

export interface PairPorts {
  /** Notify's mailer of sign-in links: the guest's invitation. */
  signInLinks: SignInLinkMailer;
}

/** Booking for two: hold both sessions in one go, see the pair, cancel it. */
export function registerPairRoutes(app: App, ctx: AppContext, screening: BookingScreeningPorts, ports: PairPorts) {
  const { db, clock, config } = ctx;

  const pairView = async (pairId: string, viewer: SignedInUser) => {
    const { pair, parts, names } = await loadPair(db, pairId, viewer);
    const you: 'booker' | 'guest' | 'operator' =
      viewer.id === pair.booker_id ? 'booker' : viewer.id === pair.guest_id ? 'guest' : 'operator';
    const first = parts[0]!;
    const views = [];
    for (const part of parts) {
      const person = part.client_id === pair.booker_id ? ('booker' as const) : ('guest' as const);
      // Only the part's own client (or an operator) sees it in full: health screening stays with its person.
      const own = viewer.role === 'operator' || viewer.id === part.client_id;
      views.push({
        person,
        personName: names.get(part.client_id) ?? '',
        therapistName: names.get(part.therapist_id) ?? '',
        status: part.status,
        booking: own ? await bookingViewById(db, part.id, viewer, screening.summaries) : null,
      });
    }
    views.sort((a, b) => (a.person === b.person ? 0 : a.person === 'booker' ? -1 : 1));
    return {
      id: pair.id,
      you,
      startsAt: first.starts_at.toISOString(),
      durationMin: first.duration_min,
      address: first.address,
      timeZone: first.time_zone,
      parts: views,
    };
  };

  app.post(
    '/api/bookings/pairs',
    {
      schema: {
        tags: ['booking'],
        summary: 'Book a session for two at home',
        description: `Two therapists at the same time at one home address: yours (first) and your guest's (second), two different therapists (find them with GET /api/availability/pairs). Both sessions are held in one go, for ${PAIR_HOLD_MINUTES / 60} hours, or neither is: the problem's \`part\` (first or second) says whose session could not be held and why. Your guest is found (or an account made) by e-mail and sent a sign-in link; their session is screened against their OWN consultation: 422 guest_consultation_required when they have none yet (they are e-mailed a link to fill it in; book again once they have); 422 guest_screening_refused when their consultation does not allow the session (their reasons are never shown to you). Each of you then confirms and pays for your own session (POST /api/bookings/{id}/confirm). At most ${MAX_NEW_GUESTS_PER_DAY} new guests (e-mails with no account yet) per booker in 24 hours: beyond, 429 rate_limited at \`second.guest.email\` (code too_many_new_guests), nothing written.`,
        body: pairBody,
        problems: [
          'unauthenticated',
          'forbidden',
          'intake_required',
          'guest_consultation_required',
          'guest_screening_refused',
          'screening_not_today',
          'focus_regions_excluded',
          'slot_unavailable',
          'slot_not_offered',
          'outside_service_area',
          'service_not_offered',
          'therapist_not_bookable',
          'rate_limited',
        ],
        response: { 201: pairSchema },
      },
    },
    async (request, reply) => {
      const booker = requireUser(request, 'client');
      const body = request.body;
      const held = await holdPair(
        db,
        booker,
        {
          durationMin: body.durationMin,
          startsAt: Date.parse(body.start),
          place: body.place,
          first: {
            therapistId: body.first.therapistId,
            ...(body.first.focusRegions ? { focusRegions: body.first.focusRegions } : {}),
          },
          second: body.second,
        },
        {
          now: clock.now(),
          holdMinutes: config.holdMinutes,
          graceMinutes: config.graceMinutes,
          stepMin: config.slotStepMin,
        },
        screening.gate,
        { mailer: ports.signInLinks, linkBase: config.publicUrl ?? `http://localhost:${config.port}` },
      );
      return reply.code(201).send(await pairView(held.pairId, booker));
    },
  );

  app.get(
    '/api/bookings/pairs/:id',
    {
      schema: {
        tags: ['booking'],
        summary: 'A session for two',
        description:
          "For either of its two people (or an operator): the time and place, and each person's part: who, with which therapist, its status. Your own part in full; never the other person's screening.",
        params: idParams,
        problems: ['unauthenticated', 'not_found'],
        response: { 200: pairSchema },
      },
    },
    async (request) => pairView(request.params.id, requireUser(request)),
  );

  app.post(
    '/api/bookings/pairs/:id/cancel',
    {
      schema: {
        tags: ['booking'],
        summary: 'Cancel a session for two',
        description:
          'Cancels both sessions (each still held, awaiting clearance or confirmed), for either of the two people. Each is ended as if its own client cancelled it: late, each session’s late fee is charged to the card that paid for it. To cancel only your own session, cancel it alone (POST /api/bookings/{id}/cancel): the other stays as a single session.',
        params: idParams,
        body: cancelBody,
        problems: ['unauthenticated', 'not_found', 'invalid_transition'],
        response: { 200: pairSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await cancelPair(db, user, request.params.id, request.body.reason ?? null, clock.now());
      return pairView(request.params.id, user);
    },
  );
}
