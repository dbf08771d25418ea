import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { readsOf } from '../db/read-replicas.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import type { PaymentProvider } from './engine/payment-provider.js';
import { type GiftCardMailer, buyGiftCard, giftCardBalance } from './gift-cards.js';
import type { MarketZone } from './receipts.js';
import {
  cancelMembership,
  changeMembershipCard,
  createPlan,
  joinPlan,
  listPlans,
  membershipsOf,
  resumeMembership,
} from './memberships.js';
import { buyPackage, createOffer, creditsOf, listOffers, withdrawOffer } from './packages.js';

/**
 * Routes of what a client pays for ahead of sessions (issue 16, deliverables 5 and 6): package offers and purchases,
 * membership plans and memberships, gift cards. None needs a booking's facts; redeeming happens in booking's confirm
 * (packages.ts `redeemCredit`, gift-cards.ts `redeemGiftCard`).
 */

export interface PrepaidRouteOptions {
  /** The payment provider (http/app.ts builds it once); without one, buying answers 502 payment_failed. */
  provider: PaymentProvider | undefined;
  giftCardMailer: GiftCardMailer;
  /** The market's zone, in which the receipts of purchases write times (therapists owns markets). */
  marketZone?: MarketZone;
  /** Balance checks per address per minute (a code guessed by trying is the risk). */
  balanceChecksPerMinute?: number;
}

const duration = z.union([z.literal(60), z.literal(90), z.literal(120)]).describe('Session length in minutes');
const market = z
  .string()
  .regex(/^[a-z0-9-]{2,40}$/, 'A market id, e.g. nyc')
  .describe('Market id, e.g. nyc');
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'An ISO 4217 code, e.g. USD')
  .default('USD')
  .describe('ISO 4217 currency code');
const money = (max: number) => z.number().int().min(1).max(max).describe('Integer minor units (cents)');
const idParams = z.object({ id: z.uuid() }).strict();
const idempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Makes retries of this POST safe: the same key never charges twice'),
});

const offerBody = z
  .object({
    market,
    name: z.string().trim().min(1).max(80),
    durationMin: duration,
    sessions: z.number().int().min(1).max(50),
    priceMinor: money(10_000_000),
    currency,
    validDays: z.number().int().min(1).max(1095).describe('Days the credits can be used after buying'),
  })
  .strict()
  .refine((o) => o.priceMinor >= o.sessions, {
    message: 'The price must be at least one cent a session',
    path: ['priceMinor'],
    params: { code: 'too_small' },
  })
  .meta({
    examples: [
      { market: 'nyc', name: '5 × 90 minutes', durationMin: 90, sessions: 5, priceMinor: 60000, validDays: 365 },
    ],
  });

const offerSchema = z.object({
  id: z.string(),
  market: z.string(),
  therapistId: z.string().nullable(),
  name: z.string(),
  durationMin: z.number(),
  sessions: z.number(),
  priceMinor: z.number(),
  currency: z.string(),
  validDays: z.number(),
  active: z.boolean(),
});

const offersQuery = z
  .object({ therapistId: z.uuid().optional(), market: market.optional() })
  .strict()
  .refine((q) => q.therapistId || q.market, {
    message: 'Give a therapistId or a market',
    path: ['therapistId'],
    params: { code: 'required' },
  });

const creditsSchema = z.object({
  id: z.string(),
  kind: z.enum(['package', 'membership']),
  label: z.string(),
  therapistId: z.string().nullable(),
  market: z.string(),
  durationMin: z.number(),
  creditsTotal: z.number(),
  creditsUsed: z.number(),
  creditsLeft: z.number(),
  priceMinor: z.number(),
  currency: z.string(),
  startsAt: z.string(),
  expiresAt: z.string(),
  expired: z.boolean(),
});

const planBody = z
  .object({
    market,
    name: z.string().trim().min(1).max(80),
    priceMinor: money(10_000_000).describe('Price a month, integer minor units'),
    currency,
    creditsPerMonth: z.number().int().min(0).max(8),
    durationMin: duration.describe('The session length the monthly credits pay for'),
    memberDiscountBp: z.number().int().min(0).max(10_000).describe('Member price: basis points off the list price'),
  })
  .strict()
  .meta({
    examples: [
      {
        market: 'nyc',
        name: 'Monthly reset',
        priceMinor: 11000,
        creditsPerMonth: 1,
        durationMin: 90,
        memberDiscountBp: 1500,
      },
    ],
  });

const planSchema = z.object({
  id: z.string(),
  market: z.string(),
  therapistId: z.string().nullable(),
  name: z.string(),
  priceMinor: z.number(),
  currency: z.string(),
  creditsPerMonth: z.number(),
  durationMin: z.number(),
  memberDiscountBp: z.number(),
  active: z.boolean(),
});

const membershipSchema = z.object({
  id: z.string(),
  planId: z.string(),
  planName: z.string(),
  therapistId: z.string().nullable(),
  market: z.string(),
  status: z.enum(['active', 'paused', 'cancelled']),
  priceMinor: z.number(),
  currency: z.string(),
  creditsPerMonth: z.number(),
  memberDiscountBp: z.number(),
  currentPeriodStart: z.string(),
  currentPeriodEnd: z.string(),
  renews: z.boolean(),
  failedAttempts: z.number(),
  paymentMethodId: z.string(),
});

const giftCardBody = z
  .object({
    amountMinor: money(100_000).min(500, 'A gift card is at least 5.00'),
    recipientEmail: z
      .email({ message: 'Enter a valid e-mail address' })
      .max(254)
      .overwrite((email) => email.toLowerCase()),
    recipientName: z.string().trim().min(1).max(100),
    message: z.string().trim().max(500).optional(),
    paymentMethodId: z.uuid(),
    market,
    currency,
  })
  .strict()
  .meta({
    examples: [
      {
        amountMinor: 10000,
        recipientEmail: 'sam@example.com',
        recipientName: 'Sam',
        message: 'For your shoulders',
        paymentMethodId: '3f2b8c1e-5d4a-4b6f-9e7d-2c1a0b9f8e7d',
        market: 'nyc',
      },
    ],
  });

const giftCardSchema = z.object({ id: z.string(), last4: z.string(), amountMinor: z.number(), currency: z.string() });
const balanceSchema = z.object({
  last4: z.string(),
  balanceMinor: z.number(),
  initialMinor: z.number(),
  currency: z.string(),
  market: z.string(),
});

const PAY_PROBLEMS = [
  'unauthenticated',
  'forbidden',
  'not_found',
  'payment_declined',
  'payment_failed',
  'payment_method_required',
] as const;

/** A foreign key to a market that does not exist is the caller's mistake, said at the field. */
async function inMarket<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const e = error as { code?: string; constraint?: string; message?: string };
    if (e.code === '23503' && /market/.test(e.constraint ?? e.message ?? '')) {
      throw fieldProblem('market', 'unknown_market', 'There is no such market');
    }
    throw error;
  }
}

export function registerPrepaidRoutes(app: App, ctx: AppContext, options: PrepaidRouteOptions) {
  const { db, clock } = ctx;
  const reads = readsOf(ctx);
  const provider = () => {
    if (!options.provider) throw new ProblemError('payment_failed', 'No payment provider is configured');
    return options.provider;
  };
  const keyOf = (header: string | undefined) => header ?? randomUUID();

  app.get(
    '/api/package-offers',
    {
      schema: {
        tags: ['money'],
        summary: 'Packages on offer',
        description:
          'Active packages of a therapist (with the market-wide ones, when market is given too) or of a market. Anyone may look.',
        querystring: offersQuery,
        response: { 200: z.object({ items: z.array(offerSchema) }) },
      },
    },
    async (request) => {
      const q = request.query;
      const filter = {
        ...(q.therapistId ? { therapistId: q.therapistId } : {}),
        ...(q.market ? { market: q.market } : {}),
      };
      // Therapists and operators offer and withdraw packages and look at the list right after: the primary. Anybody
      // else (nobody signed in, clients) writes no offers, so a replica that may lag by the bound (`within-lag`) serves
      // them: a new or withdrawn offer shows within it, and buying a withdrawn one is refused on the primary anyway.
      const writesOffers = request.user?.role === 'therapist' || request.user?.role === 'operator';
      return { items: await reads.readAs(writesOffers ? 'primary' : 'within-lag', (from) => listOffers(from, filter)) };
    },
  );

  app.post(
    '/api/package-offers',
    {
      schema: {
        tags: ['money'],
        summary: 'Offer a package of sessions',
        description:
          'A therapist offers a package of their own sessions; an operator offers a market-wide one (any therapist of the market). The credits are valid validDays after buying.',
        body: offerBody,
        problems: ['unauthenticated', 'forbidden'],
        response: { 201: offerSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'therapist', 'operator');
      const body = request.body;
      const offer = await inMarket(() =>
        createOffer(db, { ...body, therapistId: user.role === 'therapist' ? user.id : null }, user.id, clock.now()),
      );
      return reply.code(201).send(offer);
    },
  );

  app.delete(
    '/api/package-offers/:id',
    {
      schema: {
        tags: ['money'],
        summary: 'Withdraw a package offer',
        description: 'No one can buy it any more; packages already bought stay valid until they expire.',
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: offerSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist', 'operator');
      return withdrawOffer(db, request.params.id, user);
    },
  );

  app.post(
    '/api/packages',
    {
      schema: {
        tags: ['money'],
        summary: 'Buy a package',
        description:
          'Charges the package price to one of your saved cards at once. 402 payment_declined (field paymentMethodId) when the card is refused; nothing is bought. Send an Idempotency-Key to make a retry safe.',
        headers: idempotencyHeaders,
        body: z.object({ offerId: z.uuid(), paymentMethodId: z.uuid() }).strict(),
        problems: PAY_PROBLEMS,
        response: { 201: creditsSchema },
      },
    },
    async (request, reply) => {
      const client = requireUser(request, 'client');
      const now = clock.now();
      const id = await buyPackage(
        db,
        provider(),
        { clientId: client.id, ...request.body, idempotencyKey: keyOf(request.headers['idempotency-key']) },
        now,
        options.marketZone,
      );
      const credits = (await creditsOf(db, client.id, now)).find((c) => c.id === id)!;
      return reply.code(201).send(credits);
    },
  );

  app.get(
    '/api/me/packages',
    {
      schema: {
        tags: ['money'],
        summary: 'My packages and credits',
        description: 'Your packages and membership months, newest first: credits left and when they expire.',
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: z.object({ items: z.array(creditsSchema) }) },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      return { items: await creditsOf(db, client.id, clock.now()) };
    },
  );

  app.get(
    '/api/membership-plans',
    {
      schema: {
        tags: ['money'],
        summary: 'Membership plans',
        description: 'Active monthly plans, of a therapist or of a market. Anyone may look.',
        querystring: offersQuery,
        response: { 200: z.object({ items: z.array(planSchema) }) },
      },
    },
    async (request) => {
      const q = request.query;
      return {
        items: await listPlans(db, {
          ...(q.therapistId ? { therapistId: q.therapistId } : {}),
          ...(q.market ? { market: q.market } : {}),
        }),
      };
    },
  );

  app.post(
    '/api/membership-plans',
    {
      schema: {
        tags: ['money'],
        summary: 'Offer a monthly membership',
        description:
          'A therapist offers a plan for their own sessions; an operator a market-wide one. Members pay the price every month and get creditsPerMonth credits for sessions of durationMin, and memberDiscountBp off the list price of other sessions.',
        body: planBody,
        problems: ['unauthenticated', 'forbidden'],
        response: { 201: planSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'therapist', 'operator');
      const plan = await inMarket(() =>
        createPlan(
          db,
          { ...request.body, therapistId: user.role === 'therapist' ? user.id : null },
          user.id,
          clock.now(),
        ),
      );
      return reply.code(201).send(plan);
    },
  );

  app.post(
    '/api/memberships',
    {
      schema: {
        tags: ['money'],
        summary: 'Join a membership plan',
        description:
          'Charges the first month to a saved card and issues its credits; it renews every month on the same card. 402 payment_declined (field paymentMethodId) when the card is refused. 409 invalid_transition (field planId) when you are already a member.',
        headers: idempotencyHeaders,
        body: z.object({ planId: z.uuid(), paymentMethodId: z.uuid() }).strict(),
        problems: [...PAY_PROBLEMS, 'invalid_transition'],
        response: { 201: membershipSchema },
      },
    },
    async (request, reply) => {
      const client = requireUser(request, 'client');
      const membership = await joinPlan(
        db,
        provider(),
        { clientId: client.id, ...request.body, idempotencyKey: keyOf(request.headers['idempotency-key']) },
        clock.now(),
        options.marketZone,
      );
      return reply.code(201).send(membership);
    },
  );

  app.get(
    '/api/me/memberships',
    {
      schema: {
        tags: ['money'],
        summary: 'My memberships',
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: z.object({ items: z.array(membershipSchema) }) },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      return { items: await membershipsOf(db, client.id) };
    },
  );

  app.post(
    '/api/memberships/:id/cancel',
    {
      schema: {
        tags: ['money'],
        summary: 'Cancel a membership',
        description:
          'It does not renew; the month paid for runs to its end and its credits stay usable until then. A paused membership ends at once. 409 membership_not_active when already cancelled.',
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'membership_not_active'],
        response: { 200: membershipSchema },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      return cancelMembership(db, client.id, request.params.id, clock.now());
    },
  );

  app.post(
    '/api/memberships/:id/resume',
    {
      schema: {
        tags: ['money'],
        summary: 'Resume a paused membership',
        description:
          'A membership pauses when its renewal has failed three times. Resuming charges a month now, to the card named or else the membership’s own, and starts a new month with its credits; asking again charges once. 402 payment_declined (field paymentMethodId) when the card is refused, and the membership stays paused. 404 not_found (field paymentMethodId) unless the card is one of yours. 409 membership_not_active unless the membership is paused.',
        params: idParams,
        body: z.object({ paymentMethodId: z.uuid().optional() }).strict(),
        problems: [...PAY_PROBLEMS, 'membership_not_active'],
        response: { 200: membershipSchema },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      return resumeMembership(
        db,
        provider(),
        { clientId: client.id, membershipId: request.params.id, paymentMethodId: request.body.paymentMethodId },
        clock.now(),
      );
    },
  );

  app.put(
    '/api/memberships/:id/payment-method',
    {
      schema: {
        tags: ['money'],
        summary: 'Change the card a membership renews on',
        description:
          'Renewals (and the retries of a failed one) charge this saved card from now on; nothing is charged now. 404 not_found (field paymentMethodId) unless the card is one of yours, not removed. 409 membership_not_active when the membership is cancelled.',
        params: idParams,
        body: z.object({ paymentMethodId: z.uuid() }).strict(),
        problems: ['unauthenticated', 'forbidden', 'not_found', 'membership_not_active'],
        response: { 200: membershipSchema },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      return changeMembershipCard(db, client.id, request.params.id, request.body.paymentMethodId, clock.now());
    },
  );

  app.post(
    '/api/gift-cards',
    {
      schema: {
        tags: ['money'],
        summary: 'Buy a gift card for someone',
        description:
          'Charges amountMinor to one of your saved cards and e-mails the code to the recipient (the code is shown to nobody else and never stored). 402 payment_declined (field paymentMethodId) when the card is refused. Send an Idempotency-Key to make a retry safe.',
        headers: idempotencyHeaders,
        body: giftCardBody,
        problems: PAY_PROBLEMS,
        response: { 201: giftCardSchema },
      },
    },
    async (request, reply) => {
      const buyer = requireUser(request, 'client');
      const body = request.body;
      const card = await inMarket(() =>
        buyGiftCard(
          db,
          provider(),
          options.giftCardMailer,
          {
            buyerId: buyer.id,
            market: body.market,
            currency: body.currency,
            amountMinor: body.amountMinor,
            recipientEmail: body.recipientEmail,
            recipientName: body.recipientName,
            message: body.message ?? null,
            paymentMethodId: body.paymentMethodId,
            idempotencyKey: keyOf(request.headers['idempotency-key']),
          },
          clock.now(),
          options.marketZone,
        ),
      );
      return reply.code(201).send(card);
    },
  );

  const perMinute = options.balanceChecksPerMinute ?? 20;
  app.get(
    '/api/gift-cards/:code/balance',
    {
      config: { rateLimit: { max: perMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['money'],
        summary: 'A gift card’s balance',
        description: `What is left on a gift card, by its code (KNOT-XXXX-XXXX-XXXX; case, spaces and dashes do not matter). 422 gift_card_invalid when the code is not one of ours. At most ${perMinute} checks per address a minute.`,
        params: z
          .object({
            code: z
              .string()
              .regex(/^[A-Za-z0-9 -]{1,40}$/, 'Letters, digits, spaces and dashes, like KNOT-ABCD-EFGH-JKLM'),
          })
          .strict(),
        problems: ['gift_card_invalid', 'rate_limited'],
        response: { 200: balanceSchema },
      },
    },
    async (request) => giftCardBalance(db, request.params.code),
  );
}
