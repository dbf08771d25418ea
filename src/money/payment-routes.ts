import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError } from '../domain/problems.js';
import { type PaymentProvider, WebhookRejected } from './engine/payment-provider.js';
import {
  type PaymentMethodRow,
  type PaymentView,
  type RefundView,
  listPaymentMethods,
  paymentById,
  receiveProviderEvent,
  refundPayment,
  removePaymentMethod,
  savePaymentMethod,
} from './payment-service.js';

const idParams = z.object({ id: z.uuid() }).strict();

const paymentMethodSchema = z
  .object({
    id: z.uuid(),
    brand: z.string().describe('The card network as the provider names it, e.g. `visa`'),
    last4: z.string().describe('The last four digits: all of the card number Knotwork ever sees'),
    expMonth: z.int(),
    expYear: z.int(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'PaymentMethod' });

const methodView = (m: PaymentMethodRow) => ({
  id: m.id,
  brand: m.brand,
  last4: m.last4,
  expMonth: m.expMonth,
  expYear: m.expYear,
  createdAt: new Date(m.createdAt).toISOString(),
});

const refundSchema = z
  .object({
    id: z.uuid(),
    paymentId: z.uuid(),
    amountMinor: z.int(),
    status: z.enum(['pending', 'succeeded', 'failed']).describe('Card refunds settle later: pending until then'),
    reason: z.string().nullable(),
    failureMessage: z.string().nullable().describe('What the provider said when the refund failed'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'PaymentRefund' });

const refundOut = (r: RefundView) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const paymentSchema = z
  .object({
    id: z.uuid(),
    market: z.string(),
    currency: z.string(),
    clientId: z.uuid(),
    therapistId: z.uuid().nullable(),
    purpose: z.enum(['booking', 'fee', 'tip', 'package', 'membership', 'gift_card']),
    bookingId: z.uuid().nullable(),
    paymentMethodId: z.uuid().nullable(),
    status: z.enum(['authorized', 'captured', 'voided', 'failed']),
    amountAuthorizedMinor: z.int(),
    amountCapturedMinor: z.int(),
    amountRefundedMinor: z.int().describe('Refunded or being refunded (pending refunds count until they fail)'),
    breakdown: z.record(z.string(), z.unknown()).describe('What the amount is made of, as the client was shown it'),
    failureCode: z.string().nullable(),
    failureMessage: z.string().nullable(),
    authorizedAt: z.iso.datetime(),
    capturedAt: z.iso.datetime().nullable(),
    refunds: z.array(refundSchema),
    disputes: z.array(
      z.object({
        id: z.uuid(),
        amountMinor: z.int(),
        reason: z.string().nullable(),
        status: z.enum(['open', 'won', 'lost']),
        openedAt: z.iso.datetime(),
        closedAt: z.iso.datetime().nullable(),
      }),
    ),
  })
  .meta({ id: 'Payment' });

const paymentOut = (p: PaymentView) => ({
  ...p,
  authorizedAt: new Date(p.authorizedAt).toISOString(),
  capturedAt: iso(p.capturedAt),
  refunds: p.refunds.map(refundOut),
  disputes: p.disputes.map((d) => ({ ...d, openedAt: new Date(d.openedAt).toISOString(), closedAt: iso(d.closedAt) })),
});

/**
 * Payment methods (a client's saved cards, as provider tokens), the provider's webhook endpoint, and the operator's
 * view of a payment with refunds. The provider is built once in http/app.ts and handed in.
 */
export function registerPaymentRoutes(app: App, ctx: AppContext, options: { provider: PaymentProvider }) {
  const { db, clock } = ctx;
  const { provider } = options;

  app.get(
    '/api/me/payment-methods',
    {
      schema: {
        tags: ['payments'],
        summary: 'My saved cards',
        description: 'Cards saved for paying, newest first (the newest is the default). Clients only.',
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: z.object({ items: z.array(paymentMethodSchema) }) },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      return { items: (await listPaymentMethods(db, client.id)).map(methodView) };
    },
  );

  app.post(
    '/api/me/payment-methods',
    {
      schema: {
        tags: ['payments'],
        summary: 'Save a card',
        description:
          'Saves the card behind a token from the payment provider’s card form (the card number goes to the provider, never to Knotwork). Saving the same token again answers the card already saved. 422 `payment_method_invalid` naming `token` when the provider does not know it.',
        body: z
          .object({
            token: z
              .string()
              .trim()
              .min(1)
              .max(200)
              .describe('The provider’s token for the card, e.g. `tok_visa` from the test processor'),
          })
          .strict(),
        problems: ['unauthenticated', 'forbidden', 'payment_method_invalid', 'payment_failed'],
        response: { 201: paymentMethodSchema },
      },
    },
    async (request, reply) => {
      const client = requireUser(request, 'client');
      const saved = await savePaymentMethod(db, provider, client.id, request.body.token, clock.now());
      return reply.code(201).send(methodView(saved));
    },
  );

  app.delete(
    '/api/me/payment-methods/:id',
    {
      schema: {
        tags: ['payments'],
        summary: 'Remove a saved card',
        description: 'The card is no longer offered for paying; payments already made with it keep naming it.',
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const client = requireUser(request, 'client');
      await removePaymentMethod(db, client.id, request.params.id, clock.now());
      return reply.code(204).send(null);
    },
  );

  // The webhook reads its body as the provider signed it: raw text, so its own content-type parser, in its own scope.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    (scope as unknown as App).post(
      '/api/payments/webhooks/:provider',
      {
        config: { crossSiteWrites: true },
        schema: {
          tags: ['payments'],
          summary: 'Receive a payment provider’s event',
          description:
            'For the payment provider only: a signed event (capture succeeded, refund succeeded or failed, dispute opened, won or lost, authorisation expired) in the body exactly as signed, any content type. 400 `webhook_signature_invalid` when the signature does not verify or the event is stale, and nothing is applied. Each event is applied once: a redelivery is answered 200 too. 400 `validation_failed` naming `provider` for a provider this server does not use; 503 for an event about a refund still being recorded (the provider sends it again).',
          params: z
            .object({
              provider: z
                .enum([provider.name])
                .describe('The name of the provider this server takes payments through, e.g. `test`'),
            })
            .strict(),
          problems: ['webhook_signature_invalid', 'service_unavailable'],
          response: {
            200: z.object({
              received: z.literal(true),
              duplicate: z.boolean().describe('The event was applied before; nothing changed now'),
            }),
          },
        },
      },
      async (request) => {
        const raw = typeof request.body === 'string' ? request.body : '';
        const now = clock.now();
        let event;
        try {
          event = provider.parseWebhook(raw, request.headers, now);
        } catch (error) {
          if (error instanceof WebhookRejected) {
            throw new ProblemError('webhook_signature_invalid', error.message, { extra: { reason: error.reason } });
          }
          throw error;
        }
        const outcome = await receiveProviderEvent(db, provider.name, event, now);
        return { received: true as const, duplicate: outcome === 'duplicate' };
      },
    );
  });

  app.get(
    '/api/operator/payments/:id',
    {
      schema: {
        tags: ['operator'],
        summary: 'A payment, with its refunds and disputes',
        description: 'Operators only.',
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: paymentSchema },
      },
    },
    async (request) => {
      requireUser(request, 'operator');
      const payment = await paymentById(db, request.params.id);
      if (!payment) throw new ProblemError('not_found', 'No payment has this id');
      return paymentOut(payment);
    },
  );

  app.post(
    '/api/operator/payments/:id/refunds',
    {
      schema: {
        tags: ['operator'],
        summary: 'Refund a payment, in part or whole',
        description:
          'Sends back `amountMinor` of what the payment captured and has not refunded. A session or fee refund is split back between therapist, platform and tax in proportion; a tip refund is taken back from the therapist’s tips. Card refunds usually settle later (status pending until the provider says). 422 `refund_too_large` naming `amountMinor` for more than is left; 409 `nothing_to_refund` when nothing is left; 409 `refund_not_supported` for a package, membership or gift card purchase (its credits or balance would stay usable).',
        params: idParams,
        body: z
          .object({
            amountMinor: z.int().min(1).max(100_000_000).describe('In minor units of the payment’s currency'),
            reason: z.string().trim().min(1).max(500),
          })
          .strict(),
        problems: [
          'unauthenticated',
          'forbidden',
          'not_found',
          'refund_too_large',
          'nothing_to_refund',
          'refund_not_supported',
          'payment_declined',
          'payment_failed',
        ],
        response: { 201: refundSchema },
      },
    },
    async (request, reply) => {
      const operator = requireUser(request, 'operator');
      const refund = await refundPayment(
        db,
        provider,
        {
          paymentId: request.params.id,
          amountMinor: request.body.amountMinor,
          reason: request.body.reason,
          requestedBy: operator.id,
        },
        clock.now(),
      );
      return reply.code(201).send(refundOut(refund));
    },
  );
}
