import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { SignedInUser } from '../accounts/sessions.js';
import type { App, AppContext } from '../app-context.js';
import { fieldProblem } from '../domain/problems.js';
import { regionRef } from '../intake/engine/intake-schema.js';
import { durationSchema, isoDate, latitude, longitude } from '../therapists/engine/therapist-schemas.js';
import {
  type ScreeningGate,
  cancelBooking,
  confirmHold,
  holdPlaced,
  quoteCancellation,
  rescheduleBooking,
} from './booking-service.js';
import {
  type ScreeningSummaryReader,
  bookingRows,
  bookingSchema,
  bookingViewById,
  canSeeBooking,
  loadVisibleBooking,
  viewOfWritten,
  toBookingViews,
} from './booking-view.js';
import { BOOKING_STATUSES } from './engine/booking-states.js';
import { idempotent, requestFingerprint } from './idempotency.js';
import { ProblemError } from '../domain/problems.js';
import type { PaymentProvider } from '../money/engine/payment-provider.js';
import { sessionPaymentOf } from '../money/session-payments.js';
import { sessionQuote } from './booking-payments.js';

const DAY = 86_400_000;

export const requestedPlaceSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('studio'), studioId: z.uuid() }).strict(),
  z
    .object({ mode: z.literal('home'), address: z.string().trim().min(3).max(300), lat: latitude, lng: longitude })
    .strict(),
]);

const startSchema = z.iso.datetime({
  offset: true,
  message: 'Use an ISO 8601 date-time with a zone, e.g. 2026-11-23T14:00:00Z',
});

const holdBody = z
  .object({
    therapistId: z.uuid(),
    durationMin: durationSchema,
    start: startSchema,
    place: requestedPlaceSchema,
    focusRegions: z
      .array(regionRef)
      .min(1)
      .max(20)
      .refine((refs) => new Set(refs).size === refs.length, {
        message: 'Each region once',
        params: { code: 'duplicate' },
      })
      .optional()
      .describe('Body-map regions to work on; default: the regions marked tight or painful on your intake'),
  })
  .strict()
  .meta({
    examples: [
      {
        therapistId: '3f2b8c1e-5d4a-4b6f-9e7d-2c1a0b9f8e7d',
        durationMin: 60,
        start: '2026-11-24T15:00:00Z',
        place: { mode: 'studio', studioId: '6a1d4e2f-7b3c-4d5e-8f9a-0b1c2d3e4f5a' },
        focusRegions: ['hamstrings.left', 'hamstrings.right'],
      },
    ],
  });

const rescheduleBody = z
  .object({ start: startSchema, durationMin: durationSchema.optional(), place: requestedPlaceSchema.optional() })
  .strict();

/** The body is optional: Fastify passes a missing body as null. */
const cancelBody = z
  .object({ reason: z.string().trim().max(500).optional() })
  .strict()
  .meta({ examples: [{ reason: 'Feeling unwell' }] })
  .nullish()
  .transform((body) => body ?? {});

const idParams = z.object({ id: z.uuid() }).strict();

/** The body is optional (a session paid without a card); Fastify passes a missing body as null. */
const confirmBody = z
  .object({
    paymentMethodId: z
      .uuid()
      .optional()
      .describe('One of your saved cards (GET /api/me/payment-methods); needed when the total is above zero'),
    usePackageCredit: z
      .boolean()
      .optional()
      .describe('Pay the session price with a package or membership credit when one can (default true)'),
    giftCardCode: z
      .string()
      .min(1)
      .max(40)
      .optional()
      .describe('A gift card code: its balance pays as much of the total as it can, the card the rest'),
  })
  .strict()
  .meta({
    examples: [{ paymentMethodId: '8c2d5e1f-3a4b-4c6d-9e8f-1a2b3c4d5e6f', giftCardCode: 'KNOT-7Q2M-XK4P-9TBC' }],
  })
  .nullish()
  .transform((body) => body ?? {});

const checkoutQuery = z
  .object({
    giftCardCode: z
      .string()
      .min(1)
      .max(40)
      .optional()
      .describe('Preview a gift card code: what of the total it would pay at confirm'),
  })
  .strict();

export const checkoutSchema = z
  .object({
    currency: z.string(),
    lines: z.array(
      z.object({
        kind: z.enum(['session', 'service_fee', 'tax', 'package_credit', 'member_price', 'gift_card']),
        label: z.string(),
        amountMinor: z.number().int().describe('Positive adds to the total, negative takes off'),
      }),
    ),
    totalMinor: z.number().int().describe('What the card is authorised for at confirmation and charged after'),
    paymentMethodRequired: z.boolean().describe('Whether confirming needs a card (the total is above zero)'),
    packageCredit: z
      .object({
        label: z.string(),
        valueMinor: z.int().describe('What the credit is worth: the session is charged at this value'),
        creditsLeft: z.int().describe('Credits left in its package after this session'),
      })
      .nullable()
      .describe('The package or membership credit paying the session price (used, or to be used at confirm), or null'),
    memberPrice: z
      .object({ priceMinor: z.int(), planName: z.string() })
      .nullable()
      .describe('The member price of an active membership, or null'),
    giftCard: z
      .object({ last4: z.string(), appliedMinor: z.int(), balanceMinor: z.int() })
      .nullable()
      .describe('The gift card code previewed (?giftCardCode=) and what of it applies, or null'),
    payment: z
      .object({
        status: z.enum(['authorized', 'captured', 'voided', 'failed']),
        brand: z.string().nullable(),
        last4: z.string().nullable(),
        amountAuthorizedMinor: z.number().int(),
        amountCapturedMinor: z.number().int(),
        amountRefundedMinor: z.number().int(),
      })
      .nullable()
      .describe('The card payment of the session, once authorised; null before'),
  })
  .meta({ id: 'BookingCheckout' });
export const idempotencyHeaders = z.looseObject({
  'idempotency-key': z.string().min(1).max(200).optional().describe('Makes retries of this POST safe'),
});

const statusList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()))
  .pipe(z.array(z.enum(BOOKING_STATUSES)))
  .describe('Comma-separated statuses');

const pageFields = {
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
};

const listQuery = z
  .object({ status: statusList.optional(), from: isoDate.optional(), to: isoDate.optional(), ...pageFields })
  .strict()
  .refine((q) => !q.from || !q.to || q.to >= q.from, {
    message: 'to must not be before from',
    path: ['to'],
    params: { code: 'range_reversed' },
  });

const operatorListQuery = z
  .object({
    status: statusList.optional(),
    therapistId: z.uuid().optional(),
    clientId: z.uuid().optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    ...pageFields,
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.to >= q.from, {
    message: 'to must not be before from',
    path: ['to'],
    params: { code: 'range_reversed' },
  });

export const bookingPage = z.object({
  items: z.array(bookingSchema),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
});

export const cancellationQuote = z.object({
  feeCents: z.number(),
  currency: z.string(),
  reason: z.enum(['hold_released', 'grace_period', 'before_cutoff', 'cancelled_by_therapist', 'late_cancellation']),
});

/** Absurd instants are bad input, not merely unavailable slots. */
function parseStart(start: string, now: number, field: string): number {
  const ms = Date.parse(start);
  if (ms < now - DAY || ms > now + 400 * DAY) {
    throw fieldProblem(field, 'out_of_range', 'Pick a time between now and about a year ahead');
  }
  return ms;
}

/** What booking asks screening, which is above it: wired by src/http/app.ts. */
export interface BookingScreeningPorts {
  gate: ScreeningGate;
  summaries: ScreeningSummaryReader;
}

/** The session's checkout: its quote under the market's terms and its card payment, if any. */
async function checkoutOf(
  db: AppContext['db'],
  booking: Parameters<typeof sessionQuote>[1] & { status: string },
  now: number,
  giftCardCode: string | undefined,
) {
  // A hold previews what its confirm would use; a booking past it shows what it holds.
  const preview =
    booking.status === 'held' ? { ...(giftCardCode ? { giftCardCode, giftCardIn: 'query' as const } : {}) } : undefined;
  const quote = await sessionQuote(db, booking, now, preview);
  const payment = await sessionPaymentOf(db, booking.id);
  return {
    currency: quote.currency,
    lines: quote.lines,
    totalMinor: quote.totalMinor,
    paymentMethodRequired: quote.totalMinor > 0,
    packageCredit: quote.credit && {
      label: quote.credit.label,
      valueMinor: quote.credit.valueMinor,
      creditsLeft: quote.credit.creditsLeft,
    },
    memberPrice: quote.memberPrice,
    giftCard: quote.giftCard && {
      last4: quote.giftCard.last4,
      appliedMinor: quote.giftCard.appliedMinor,
      balanceMinor: quote.giftCard.balanceMinor,
    },
    payment: payment && {
      status: payment.status,
      brand: payment.brand,
      last4: payment.last4,
      amountAuthorizedMinor: payment.amountAuthorizedMinor,
      amountCapturedMinor: payment.amountCapturedMinor,
      amountRefundedMinor: payment.amountRefundedMinor,
    },
  };
}

export function registerBookingRoutes(
  app: App,
  ctx: AppContext,
  screening: BookingScreeningPorts,
  options: { paymentProvider: PaymentProvider },
) {
  const { db, clock, config } = ctx;
  const settings = () => ({
    now: clock.now(),
    holdMinutes: config.holdMinutes,
    graceMinutes: config.graceMinutes,
    stepMin: config.slotStepMin,
  });

  app.post(
    '/api/bookings',
    {
      schema: {
        tags: ['booking'],
        summary: 'Hold a slot',
        description: `Holds the slot for ${config.holdMinutes} minutes; confirm it with POST /api/bookings/{id}/confirm. The response carries the cancellation terms to show before confirming, and the health screening of the session against your latest intake (details: GET /api/bookings/{id}/screening). 409 slot_unavailable when the time was taken; 422 intake_required without a consultation; 422 screening_not_today or focus_regions_excluded when the session cannot go ahead, with the reasons in plain words.`,
        headers: idempotencyHeaders,
        body: holdBody,
        problems: [
          'unauthenticated',
          'forbidden',
          'slot_unavailable',
          'intake_required',
          'screening_not_today',
          'focus_regions_excluded',
          'slot_not_offered',
          'outside_service_area',
          'service_not_offered',
          'therapist_not_bookable',
          'idempotency_key_reused',
        ],
        response: { 201: bookingSchema },
      },
    },
    async (request, reply) => {
      const client = requireUser(request, 'client');
      const body = request.body;
      const startsAt = parseStart(body.start, clock.now(), 'start');
      const response = await idempotent(
        db,
        client.id,
        request.headers['idempotency-key'],
        requestFingerprint('POST /api/bookings', body),
        async (trx) => {
          const hold = { therapistId: body.therapistId, durationMin: body.durationMin, startsAt, place: body.place };
          const placed = await holdPlaced(
            trx,
            client,
            body.focusRegions ? { ...hold, focusRegions: body.focusRegions } : hold,
            settings(),
            screening.gate,
          );
          // Shown from what placing it wrote: no read-back of the booking.
          return {
            statusCode: 201,
            body: await viewOfWritten(trx, placed.booking, client, screening.summaries, placed),
          };
        },
      );
      return reply.code(201).send(response.body as z.infer<typeof bookingSchema>);
    },
  );

  app.post(
    '/api/bookings/:id/confirm',
    {
      schema: {
        tags: ['booking'],
        summary: 'Confirm a held slot',
        description:
          "Screens the session again against your latest intake, and authorises the total (GET /api/bookings/{id}/checkout) on your card (paymentMethodId, one of GET /api/me/payment-methods): the card is held, and charged after the session at check-out. 422 payment_method_required when the total is above zero and no card is given; 402 payment_declined (the card issuer's reason, at paymentMethodId) when the card is refused: the hold stays as it was and nothing is charged. A safety refusal of the session is said before a card problem. 409 hold_expired when the hold ran out; 409 client_double_booked when you already have a session then; 422 screening_not_today (with same-day medical wording for a suspected clot) or focus_regions_excluded when it cannot go ahead. When a medical clearance is required and no verified document covers it yet, the booking is not confirmed and nothing is charged: it answers with status awaiting_clearance, keeping the slot, and clearanceDueAt (24 hours before the start). Upload the document (POST /api/bookings/{id}/clearance-documents); once the therapist verifies it the booking is confirmed and charged; if it is not verified by clearanceDueAt the booking is released free of charge. 409 clearance_too_late when that deadline has already passed (nothing changes; the hold stays).",
        params: idParams,
        problems: [
          'unauthenticated',
          'forbidden',
          'not_found',
          'hold_expired',
          'clearance_too_late',
          'client_double_booked',
          'invalid_transition',
          'intake_required',
          'screening_not_today',
          'focus_regions_excluded',
          'payment_method_required',
          'payment_declined',
          'payment_failed',
          'no_package_credit',
          'gift_card_invalid',
          'gift_card_empty',
        ],
        body: confirmBody,
        response: { 200: bookingSchema },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      const { paymentMethodId, usePackageCredit, giftCardCode } = request.body;
      const confirmed = await confirmHold(db, client, request.params.id, clock.now(), screening.gate, {
        provider: options.paymentProvider,
        ...(paymentMethodId ? { paymentMethodId } : {}),
        prepaid: {
          ...(usePackageCredit !== undefined ? { usePackageCredit } : {}),
          ...(giftCardCode ? { giftCardCode } : {}),
        },
        log: (error) => request.log.error({ err: error }, 'voiding an unrecorded authorisation failed'),
      });
      // Shown from the row the confirm's change returned (the client's own booking), with the names read with the
      // booking before and the screening it recorded: no read-back.
      return viewOfWritten(db, confirmed.booking, client, screening.summaries, confirmed.shown);
    },
  );

  app.get(
    '/api/bookings/:id/checkout',
    {
      schema: {
        tags: ['booking'],
        summary: 'What the session costs, and its card payment',
        description:
          "The total the client is shown before confirming: the session price, the market's booking fee and tax where it has them, each a line in minor units of the currency, and whether a card is needed. Once confirmed, the card payment: authorised at confirmation, captured at check-out (a late cancellation or a no-show captures the fee and releases the rest; a free cancellation releases it all). For the booking's client, its therapist and operators.",
        params: idParams,
        querystring: checkoutQuery,
        problems: ['unauthenticated', 'not_found', 'validation_failed', 'gift_card_invalid', 'gift_card_empty'],
        response: { 200: checkoutSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const booking = await db
        .selectFrom('bookings')
        .selectAll()
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!booking || !canSeeBooking(user, booking)) throw new ProblemError('not_found', 'No such booking');
      return checkoutOf(db, booking, clock.now(), request.query.giftCardCode);
    },
  );

  app.get(
    '/api/bookings/:id/cancellation-quote',
    {
      schema: {
        tags: ['booking'],
        summary: 'What cancelling (or moving) this booking now would cost',
        params: idParams,
        problems: ['unauthenticated', 'not_found'],
        response: { 200: cancellationQuote },
      },
    },
    async (request) => {
      return quoteCancellation(db, requireUser(request), request.params.id, clock.now());
    },
  );

  app.post(
    '/api/bookings/:id/cancel',
    {
      schema: {
        tags: ['booking'],
        summary: 'Cancel a held, awaiting-clearance or confirmed booking',
        description:
          'The client pays the late fee of the policy kept on the booking; cancellations by the therapist or an operator are free for the client.',
        params: idParams,
        body: cancelBody,
        problems: ['unauthenticated', 'not_found', 'invalid_transition'],
        response: { 200: bookingSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await cancelBooking(db, user, request.params.id, request.body.reason ?? null, clock.now());
      return loadVisibleBooking(db, request.params.id, user, screening.summaries);
    },
  );

  app.post(
    '/api/bookings/:id/reschedule',
    {
      schema: {
        tags: ['booking'],
        summary: 'Move a confirmed booking to another time with the same therapist',
        description:
          'Atomic: the new time is secured and the old booking released in one transaction, so a failure leaves the original untouched. The new booking keeps the original cancellation terms; moving after the cut-off costs the late fee.',
        params: idParams,
        headers: idempotencyHeaders,
        body: rescheduleBody,
        problems: [
          'unauthenticated',
          'forbidden',
          'not_found',
          'slot_unavailable',
          'client_double_booked',
          'invalid_transition',
          'intake_required',
          'screening_not_today',
          'focus_regions_excluded',
          'slot_not_offered',
          'outside_service_area',
          'service_not_offered',
          'therapist_not_bookable',
          'idempotency_key_reused',
        ],
        response: { 201: bookingSchema },
      },
    },
    async (request, reply) => {
      const client = requireUser(request, 'client');
      const now = clock.now();
      const startsAt = parseStart(request.body.start, now, 'start');
      const response = await idempotent(
        db,
        client.id,
        request.headers['idempotency-key'],
        requestFingerprint(`POST /api/bookings/${request.params.id}/reschedule`, request.body),
        async (trx) => {
          const { durationMin, place } = request.body;
          const change = {
            startsAt,
            ...(durationMin !== undefined ? { durationMin } : {}),
            ...(place ? { place: place } : {}),
          };
          const id = await rescheduleBooking(
            trx,
            client,
            request.params.id,
            change,
            { ...settings(), now },
            screening.gate,
          );
          return { statusCode: 201, body: await bookingViewById(trx, id, client, screening.summaries) };
        },
      );
      return reply.code(201).send(response.body as z.infer<typeof bookingSchema>);
    },
  );

  app.get(
    '/api/bookings/:id',
    {
      schema: {
        tags: ['booking'],
        summary: 'One booking',
        params: idParams,
        problems: ['unauthenticated', 'not_found'],
        response: { 200: bookingSchema },
      },
    },
    async (request) => loadVisibleBooking(db, request.params.id, requireUser(request), screening.summaries),
  );

  const listBookings = async (
    viewer: SignedInUser,
    filters: {
      status?: string[];
      from?: string;
      to?: string;
      therapistId?: string;
      clientId?: string;
      page: number;
      pageSize: number;
    },
  ) => {
    let query = bookingRows(db);
    if (filters.status) query = query.where('b.status', 'in', filters.status as (typeof BOOKING_STATUSES)[number][]);
    if (filters.therapistId) query = query.where('b.therapist_id', '=', filters.therapistId);
    if (filters.clientId) query = query.where('b.client_id', '=', filters.clientId);
    if (filters.from) query = query.where('b.starts_at', '>=', new Date(`${filters.from}T00:00:00Z`));
    if (filters.to) query = query.where('b.starts_at', '<', new Date(Date.parse(`${filters.to}T00:00:00Z`) + DAY));
    const [rows, count] = await Promise.all([
      query
        .orderBy('b.starts_at')
        .orderBy('b.id')
        .limit(filters.pageSize)
        .offset((filters.page - 1) * filters.pageSize)
        .execute(),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return {
      items: await toBookingViews(db, rows, viewer, screening.summaries),
      page: filters.page,
      pageSize: filters.pageSize,
      total: Number(count.n),
    };
  };

  app.get(
    '/api/bookings',
    {
      schema: {
        tags: ['booking'],
        summary: 'Your bookings (as client or therapist), soonest first',
        description: 'Dates are UTC calendar days.',
        querystring: listQuery,
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: bookingPage },
      },
    },
    async (request) => {
      const user = requireUser(request, 'client', 'therapist');
      return listBookings(user, {
        ...request.query,
        ...(user.role === 'client' ? { clientId: user.id } : { therapistId: user.id }),
      });
    },
  );

  app.get(
    '/api/operator/bookings',
    {
      schema: {
        tags: ['operator'],
        summary: 'All bookings, filtered',
        querystring: operatorListQuery,
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: bookingPage },
      },
    },
    async (request) => {
      return listBookings(requireUser(request, 'operator'), request.query);
    },
  );
}
