import { type Transaction, sql } from 'kysely';
import type { DB } from '../../src/schema.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/jobs/job-runner.js';
import { accountBalance, postMoneyEvent } from '../../src/money/ledger-store.js';
import { paymentJobs } from '../../src/money/payment-jobs.js';
import {
  authorizeCard,
  capturePayment,
  chargeSavedMethod,
  recordAuthorization,
  scheduleCapture,
  scheduleVoid,
} from '../../src/money/payment-service.js';
import { TestProcessor } from '../../src/money/test-processor/test-processor.js';
import { SIGNATURE_HEADER, signWebhook } from '../../src/money/webhook-signature.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  BACKEND,
  type Session,
  type TestApp,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';

const SECRET = 'payments-test-webhook-secret-0123456789';
const MARKET = 'nyc';
const CURRENCY = 'USD';
const CARDS = {
  visa: '4242424242424242',
  expiring: '4000000000000077',
  dispute: '4000000000000259',
  refundFails: '4000000000005126',
};

let t: TestApp;
let processor: TestProcessor;
let operator: Session;
let therapist: TherapistFixture;

/** The processor's webhooks reach the app through its real HTTP endpoint (by inject, no socket). */
const injectFetch = (async (url: string | URL | Request, init?: RequestInit) => {
  const response = await t.app.inject({
    method: 'POST',
    url: new URL(url instanceof Request ? url.url : url).pathname,
    headers: init?.headers as Record<string, string>,
    payload: init?.body as string,
  });
  return new Response(response.body, { status: response.statusCode });
}) as typeof fetch;

beforeAll(async () => {
  t = await startTestApp({
    paymentProvider: ({ db, clock }) =>
      (processor = new TestProcessor({ db, clock, webhookSecret: SECRET, fetch: injectFetch })),
  });
  operator = await createOperator(t);
  therapist = await createTherapist(t, {}, operator);
});
afterAll(() => t.close());

const db = () => t.database.db;

async function tokenFor(number: string) {
  return (await processor.tokenizeCard({ number, expMonth: 12, expYear: 2030, cvc: '123' })).token;
}

async function saveCard(client: Session, number = CARDS.visa): Promise<string> {
  const response = await call(t.app, client, {
    method: 'POST',
    url: '/api/me/payment-methods',
    payload: { token: await tokenFor(number) },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

const SPLIT = { amountMinor: 10_000, platformShareMinor: 2_000, taxMinor: 0 };

/** A session payment as checkout makes one: charge posted, card authorised, payment recorded. */
async function authorizedSession(client: Session, number = CARDS.visa, amountMinor = 10_000) {
  const methodId = await saveCard(client, number);
  const auth = await authorizeCard(db(), processor, {
    paymentMethodId: methodId,
    clientId: client.id,
    amountMinor,
    currency: CURRENCY,
    idempotencyKey: `auth:${client.id}:${amountMinor}:${number}`,
    description: 'Deep tissue, 90 minutes',
  });
  if (!auth.ok) throw new Error(auth.message);
  const now = t.clock.now();
  const paymentId = await db()
    .transaction()
    .execute(async (trx) => {
      await postMoneyEvent(
        trx,
        { kind: 'charge', clientId: client.id, therapistId: therapist.id, ...SPLIT },
        { market: MARKET, currency: CURRENCY, bookingId: null, occurredAt: now },
      );
      return recordAuthorization(trx, {
        provider: processor.name,
        reference: auth.reference,
        expiresAt: auth.expiresAt,
        paymentMethodId: auth.paymentMethodId,
        purpose: 'booking',
        market: MARKET,
        currency: CURRENCY,
        clientId: client.id,
        therapistId: therapist.id,
        bookingId: null,
        amountMinor,
        breakdown: { split: SPLIT },
        now,
      });
    });
  return { paymentId, methodId };
}

async function capturedSession(client: Session, number = CARDS.visa) {
  const session = await authorizedSession(client, number);
  expect(await capturePayment(db(), processor, session.paymentId, 10_000, t.clock.now())).toBe('captured');
  return session;
}

async function journalKinds(clientId: string) {
  const rows = await db()
    .selectFrom('journal_entries as j')
    .innerJoin('postings as p', 'p.journal_id', 'j.id')
    .select(['j.kind', 'p.amount_minor'])
    .where('p.account', '=', 'client')
    .where('p.holder', '=', clientId)
    .orderBy('j.seq')
    .execute();
  return rows.map((r) => `${r.kind}:${r.amount_minor}`);
}

const operatorPayment = async (paymentId: string) =>
  (await call(t.app, operator, { method: 'GET', url: `/api/operator/payments/${paymentId}` })).json();

function refund(paymentId: string, amountMinor: unknown, who: Session = operator) {
  return call(t.app, who, {
    method: 'POST',
    url: `/api/operator/payments/${paymentId}/refunds`,
    payload: { amountMinor, reason: 'The session ended early' },
  });
}

async function postSignedEvent(event: Record<string, unknown>) {
  const body = JSON.stringify(event);
  return t.app.inject({
    method: 'POST',
    url: '/api/payments/webhooks/test',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(SECRET, body, t.clock.now()) },
    payload: body,
  });
}

async function providerReference(paymentId: string) {
  return (
    await db().selectFrom('payments').select('provider_reference').where('id', '=', paymentId).executeTakeFirstOrThrow()
  ).provider_reference;
}

describe(`payments on ${BACKEND}`, () => {
  describe('payment methods', () => {
    it('saves, lists and removes a card; never stores the number', async () => {
      const client = await signUp(t.app, 'client');
      const id = await saveCard(client);
      t.clock.advance(1_000);
      const second = await saveCard(client, '5555555555554444');
      const list = await call(t.app, client, { method: 'GET', url: '/api/me/payment-methods' });
      expect(list.statusCode).toBe(200);
      expect(list.json().items).toEqual([
        expect.objectContaining({ id: second, brand: 'Mastercard', last4: '4444', expMonth: 12, expYear: 2030 }),
        expect.objectContaining({ id, brand: 'Visa', last4: '4242' }),
      ]);

      const removed = await call(t.app, client, { method: 'DELETE', url: `/api/me/payment-methods/${second}` });
      expect(removed.statusCode).toBe(204);
      const after = await call(t.app, client, { method: 'GET', url: '/api/me/payment-methods' });
      expect(after.json().items.map((m: { id: string }) => m.id)).toEqual([id]);
      const again = await call(t.app, client, { method: 'DELETE', url: `/api/me/payment-methods/${second}` });
      expect(again.statusCode).toBe(404);

      // No table anywhere holds a card number (the processor's own tables included).
      const tables = await sql<{ table_name: string }>`
        SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
      `.execute(db());
      expect(tables.rows.length).toBeGreaterThan(20);
      for (const { table_name } of tables.rows) {
        const found = await sql<{ n: string }>`
          SELECT count(*) AS n FROM ${sql.table(table_name)} AS x
          WHERE row_to_json(x)::text LIKE '%4242424242424242%' OR row_to_json(x)::text LIKE '%5555555555554444%'
        `.execute(db());
        expect(Number(found.rows[0]!.n), table_name).toBe(0);
      }
    });

    it('refuses someone else’s card (404), a token the provider does not know (422 naming token), and non-clients', async () => {
      const owner = await signUp(t.app, 'client');
      const other = await signUp(t.app, 'client');
      const id = await saveCard(owner);
      const theirs = await call(t.app, other, { method: 'DELETE', url: `/api/me/payment-methods/${id}` });
      expect(theirs.statusCode).toBe(404);
      expect(theirs.headers['content-type']).toMatch(/^application\/problem\+json/);
      await expect(
        chargeSavedMethod(
          db(),
          processor,
          {
            purpose: 'tip',
            clientId: other.id,
            therapistId: therapist.id,
            market: MARKET,
            currency: CURRENCY,
            paymentMethodId: id,
            amountMinor: 500,
            idempotencyKey: 'tip:someone-else',
            description: 'Tip',
          },
          t.clock.now(),
        ),
      ).rejects.toMatchObject({ code: 'not_found' });

      const bad = await call(t.app, owner, {
        method: 'POST',
        url: '/api/me/payment-methods',
        payload: { token: 'pm_unknown' },
      });
      expect(bad.statusCode).toBe(422);
      expect(bad.json()).toMatchObject({ code: 'payment_method_invalid', errors: [{ field: 'token' }] });

      const asTherapist = await call(t.app, therapist.session, { method: 'GET', url: '/api/me/payment-methods' });
      expect(asTherapist.statusCode).toBe(403);
      const anonymous = await call(t.app, null, { method: 'GET', url: '/api/me/payment-methods' });
      expect(anonymous.statusCode).toBe(401);
    });
  });

  describe('webhooks', () => {
    it('refuses a bad signature with 400 and applies nothing', async () => {
      const client = await signUp(t.app, 'client');
      const { paymentId } = await authorizedSession(client);
      const body = JSON.stringify({
        id: 'evt_forged',
        type: 'payment.captured',
        reference: await providerReference(paymentId),
        amountMinor: 10_000,
        occurredAt: t.clock.now(),
      });
      for (const signature of [signWebhook('not-the-secret-at-all-000000', body, t.clock.now()), undefined]) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/payments/webhooks/test',
          headers: { 'content-type': 'application/json', ...(signature ? { [SIGNATURE_HEADER]: signature } : {}) },
          payload: body,
        });
        expect(response.statusCode).toBe(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json().code).toBe('webhook_signature_invalid');
      }
      // Stale: signed long ago.
      const stale = await t.app.inject({
        method: 'POST',
        url: '/api/payments/webhooks/test',
        headers: { [SIGNATURE_HEADER]: signWebhook(SECRET, body, t.clock.now() - 3_600_000) },
        payload: body,
      });
      expect(stale.statusCode).toBe(400);
      const events = await db()
        .selectFrom('provider_events')
        .selectAll()
        .where('event_id', '=', 'evt_forged')
        .execute();
      expect(events).toHaveLength(0);
      expect((await operatorPayment(paymentId)).status).toBe('authorized');

      const unknown = await postSignedEvent({
        id: 'evt_x',
        type: 'authorization.expired',
        reference: 'x',
        occurredAt: 1,
      });
      expect(unknown.statusCode).toBe(200);
      const otherProvider = await t.app.inject({ method: 'POST', url: '/api/payments/webhooks/stripe', payload: body });
      expect(otherProvider.statusCode).toBe(400);
      expect(otherProvider.json()).toMatchObject({ code: 'validation_failed' });
      expect(otherProvider.json().errors).toContainEqual(expect.objectContaining({ field: 'provider', in: 'path' }));
    });

    it('takes the provider’s webhook from another origin; a cookie write from another site is still refused', async () => {
      const client = await signUp(t.app, 'client');
      const { paymentId } = await authorizedSession(client);
      const body = JSON.stringify({
        id: 'evt_cross_site',
        type: 'authorization.expired',
        reference: await providerReference(paymentId),
        occurredAt: t.clock.now(),
      });
      const hook = await t.app.inject({
        method: 'POST',
        url: '/api/payments/webhooks/test',
        headers: {
          origin: 'https://provider.example',
          'sec-fetch-site': 'cross-site',
          [SIGNATURE_HEADER]: signWebhook(SECRET, body, t.clock.now()),
        },
        payload: body,
      });
      expect(hook.statusCode, hook.body).toBe(200);
      expect((await operatorPayment(paymentId)).failureCode).toBe('authorization_expired');
      const forged = await call(t.app, client, {
        method: 'POST',
        url: '/api/me/payment-methods',
        payload: { token: await tokenFor(CARDS.visa) },
        headers: { origin: 'https://evil.example' },
      });
      expect(forged.statusCode).toBe(403);
      expect(forged.json().code).toBe('cross_origin_refused');
    });

    it('applies the same event once when it is delivered twice', async () => {
      const client = await signUp(t.app, 'client');
      const { paymentId } = await authorizedSession(client);
      const event = {
        id: 'evt_capture_twice',
        type: 'payment.captured',
        reference: await providerReference(paymentId),
        amountMinor: 10_000,
        occurredAt: t.clock.now(),
      };
      const first = await postSignedEvent(event);
      expect(first.json()).toEqual({ received: true, duplicate: false });
      const second = await postSignedEvent(event);
      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual({ received: true, duplicate: true });
      expect((await operatorPayment(paymentId)).status).toBe('captured');
      expect(await journalKinds(client.id)).toEqual(['charge:10000', 'payment:-10000']);
    });
  });

  describe('refunds', () => {
    it('refunds part, then the rest, splitting the session back in proportion; then nothing is left', async () => {
      const client = await signUp(t.app, 'client');
      const { paymentId } = await capturedSession(client);
      const client2 = await signUp(t.app, 'client');
      const other = await capturedSession(client2);

      const tooLarge = await refund(paymentId, 10_001);
      expect(tooLarge.statusCode).toBe(422);
      expect(tooLarge.json()).toMatchObject({ code: 'refund_too_large', errors: [{ field: 'amountMinor' }] });

      const part = await refund(paymentId, 3_333);
      expect(part.statusCode, part.body).toBe(201);
      expect(part.json()).toMatchObject({ amountMinor: 3_333, status: 'succeeded', reason: 'The session ended early' });
      const rest = await refund(paymentId, 6_667);
      expect(rest.statusCode).toBe(201);
      const nothing = await refund(paymentId, 1);
      expect(nothing.statusCode).toBe(409);
      expect(nothing.json().code).toBe('nothing_to_refund');

      const payment = await operatorPayment(paymentId);
      expect(payment).toMatchObject({ status: 'captured', amountCapturedMinor: 10_000, amountRefundedMinor: 10_000 });
      expect(payment.refunds.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'succeeded']);

      // The books are back to zero for this client, and the therapist keeps only the other client's session.
      expect(await accountBalance(db(), 'client', client.id, CURRENCY)).toBe(0);
      expect(await accountBalance(db(), 'therapist_payable', therapist.id, CURRENCY)).toBeLessThanOrEqual(0);
      expect(await journalKinds(client.id)).toEqual([
        'charge:10000',
        'payment:-10000',
        'refund:-3333',
        'repayment:3333',
        'refund:-6667',
        'repayment:6667',
      ]);
      const refundEntries = await db()
        .selectFrom('journal_entries as j')
        .innerJoin('postings as p', 'p.journal_id', 'j.id')
        .select([sql<string>`sum(p.amount_minor)`.as('sum'), 'p.account'])
        .where('j.kind', '=', 'refund')
        .where('p.account', 'in', ['therapist_payable', 'platform_revenue'])
        .where('j.id', 'in', (eb) =>
          eb
            .selectFrom('postings')
            .select('journal_id')
            .where('account', '=', 'client')
            .where('holder', '=', client.id),
        )
        .groupBy('p.account')
        .execute();
      expect(Object.fromEntries(refundEntries.map((r) => [r.account, Number(r.sum)]))).toEqual({
        therapist_payable: 8_000,
        platform_revenue: 2_000,
      });
      expect((await operatorPayment(other.paymentId)).amountRefundedMinor).toBe(0);
    });

    it('a refund that fails later gives its amount back to be refunded again (card 5126)', async () => {
      const client = await signUp(t.app, 'client');
      const { paymentId } = await capturedSession(client, CARDS.refundFails);
      await processor.deliverWebhooks('http://knotwork.test');
      const pending = await refund(paymentId, 4_000);
      expect(pending.statusCode).toBe(201);
      expect(pending.json().status).toBe('pending');
      expect((await operatorPayment(paymentId)).amountRefundedMinor).toBe(4_000);
      expect((await refund(paymentId, 6_001)).statusCode).toBe(422);

      const delivered = await processor.deliverWebhooks('http://knotwork.test');
      expect(delivered).toBeGreaterThanOrEqual(1);
      const payment = await operatorPayment(paymentId);
      expect(payment.amountRefundedMinor).toBe(0);
      expect(payment.refunds).toEqual([
        expect.objectContaining({ status: 'failed', failureMessage: expect.stringContaining('refused') }),
      ]);
      expect(await journalKinds(client.id)).toEqual(['charge:10000', 'payment:-10000']);
      // Delivered again (the processor retries what it thinks failed): still applied once.
      const outbox = await processor.webhookOutbox();
      const failedEvent = outbox.find((w) => w.type === 'refund.failed')!;
      const again = await t.app.inject({
        method: 'POST',
        url: '/api/payments/webhooks/test',
        headers: { [SIGNATURE_HEADER]: signWebhook(SECRET, failedEvent.body, t.clock.now()) },
        payload: failedEvent.body,
      });
      expect(again.json()).toEqual({ received: true, duplicate: true });
      expect((await operatorPayment(paymentId)).amountRefundedMinor).toBe(0);
      expect(await refund(paymentId, 10_000).then((r) => r.statusCode)).toBe(201);
    });

    it('an event about a refund not yet recorded is refused for now, and applied when sent again', async () => {
      const client = await signUp(t.app, 'client');
      const { paymentId } = await capturedSession(client);
      const now = new Date(t.clock.now());
      // As refundPayment leaves it between reserving the amount and recording the provider's answer.
      await db().updateTable('payments').set({ amount_refunded_minor: 2_500 }).where('id', '=', paymentId).execute();
      const row = await db()
        .insertInto('payment_refunds')
        .values({
          payment_id: paymentId,
          amount_minor: 2_500,
          status: 'pending',
          provider_reference: 'requested:early',
          reason: null,
          requested_by: null,
          failure_message: null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const event = {
        id: 'evt_early_refund',
        type: 'refund.succeeded',
        reference: await providerReference(paymentId),
        refundReference: 're_early',
        amountMinor: 2_500,
        occurredAt: t.clock.now(),
      };
      const early = await postSignedEvent(event);
      expect(early.statusCode).toBe(503);
      expect(early.headers['content-type']).toMatch(/^application\/problem\+json/);
      // The provider is told when to send it again, as every 503 here tells its caller.
      expect(early.headers['retry-after']).toBe('3');
      expect(
        await db().selectFrom('provider_events').select('event_id').where('event_id', '=', event.id).execute(),
      ).toHaveLength(0);
      await db()
        .updateTable('payment_refunds')
        .set({ provider_reference: 're_early' })
        .where('id', '=', row.id)
        .execute();
      expect((await postSignedEvent(event)).json()).toEqual({ received: true, duplicate: false });
      expect((await operatorPayment(paymentId)).refunds).toEqual([expect.objectContaining({ status: 'succeeded' })]);
      expect(await journalKinds(client.id)).toEqual([
        'charge:10000',
        'payment:-10000',
        'refund:-2500',
        'repayment:2500',
      ]);
    });

    it('two refunds racing never exceed what was captured', async () => {
      const client = await signUp(t.app, 'client');
      const { paymentId } = await capturedSession(client);
      const answers = await Promise.all([refund(paymentId, 7_000), refund(paymentId, 7_000)]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 422]);
      expect((await operatorPayment(paymentId)).amountRefundedMinor).toBe(7_000);
    });

    it('a tip refund takes the tip back from the therapist’s tips', async () => {
      const client = await signUp(t.app, 'client');
      const methodId = await saveCard(client);
      const before = await accountBalance(db(), 'tips_payable', therapist.id, CURRENCY);
      const request = {
        purpose: 'tip' as const,
        clientId: client.id,
        therapistId: therapist.id,
        market: MARKET,
        currency: CURRENCY,
        paymentMethodId: methodId,
        amountMinor: 1_500,
        idempotencyKey: `tip:${client.id}`,
        description: 'Tip for your session',
      };
      const postTip = async (trx: Transaction<DB>) => {
        await postMoneyEvent(
          trx,
          { kind: 'tip', clientId: client.id, therapistId: therapist.id, amountMinor: 1_500 },
          { market: MARKET, currency: CURRENCY, bookingId: null, occurredAt: t.clock.now() },
        );
      };
      const { paymentId } = await chargeSavedMethod(db(), processor, request, t.clock.now(), postTip);
      // The same idempotency key again: the first payment, nothing recorded twice.
      expect(await chargeSavedMethod(db(), processor, request, t.clock.now(), postTip)).toEqual({ paymentId });
      expect(await accountBalance(db(), 'tips_payable', therapist.id, CURRENCY)).toBe(before - 1_500);
      expect((await refund(paymentId, 1_500)).statusCode).toBe(201);
      expect(await accountBalance(db(), 'tips_payable', therapist.id, CURRENCY)).toBe(before);
      expect(await journalKinds(client.id)).toEqual([
        'payment:-1500',
        'tip:1500',
        'tip_refund:-1500',
        'repayment:1500',
      ]);
    });
  });

  describe('disputes', () => {
    it('a dispute opened is visible to the operator; lost, it posts a chargeback', async () => {
      const client = await signUp(t.app, 'client');
      const { paymentId } = await capturedSession(client, CARDS.dispute);
      await processor.deliverWebhooks('http://knotwork.test');
      const opened = await operatorPayment(paymentId);
      expect(opened.disputes).toEqual([expect.objectContaining({ status: 'open', amountMinor: 10_000 })]);

      const outbox = await processor.webhookOutbox();
      const reference = await providerReference(paymentId);
      const openedEvent = outbox
        .map((w) => JSON.parse(w.body))
        .find((e) => e.type === 'dispute.opened' && e.reference === reference);
      const lost = { ...openedEvent, id: `${openedEvent.id}_lost`, type: 'dispute.lost' };
      expect((await postSignedEvent(lost)).json()).toEqual({ received: true, duplicate: false });
      expect((await postSignedEvent(lost)).json()).toEqual({ received: true, duplicate: true });
      const closed = await operatorPayment(paymentId);
      expect(closed.disputes).toEqual([expect.objectContaining({ status: 'lost', closedAt: expect.any(String) })]);
      expect(await journalKinds(client.id)).toEqual(['charge:10000', 'payment:-10000', 'chargeback:10000']);
    });
  });

  describe('capture and void', () => {
    it('two captures at once capture once, with one payment entry', async () => {
      const client = await signUp(t.app, 'client');
      const { paymentId } = await authorizedSession(client);
      const results = await Promise.all([
        capturePayment(db(), processor, paymentId, 10_000, t.clock.now()),
        capturePayment(db(), processor, paymentId, 10_000, t.clock.now()),
      ]);
      expect(results).toEqual(['captured', 'captured']);
      expect(await journalKinds(client.id)).toEqual(['charge:10000', 'payment:-10000']);
      expect(await operatorPayment(paymentId)).toMatchObject({ status: 'captured', amountCapturedMinor: 10_000 });
    });

    it('two job runners capturing at once capture once', async () => {
      const client = await signUp(t.app, 'client');
      const { paymentId } = await authorizedSession(client);
      await scheduleCapture(db(), paymentId, 9_000, t.clock.now());
      await scheduleCapture(db(), paymentId, 9_000, t.clock.now());
      const jobs = paymentJobs(db(), processor);
      const reports = await Promise.all([
        new JobRunner(db(), jobs).runDueJobs(t.clock.now()),
        new JobRunner(db(), jobs).runDueJobs(t.clock.now()),
      ]);
      expect(reports.reduce((n, r) => n + r.done, 0)).toBe(1);
      expect(await operatorPayment(paymentId)).toMatchObject({ status: 'captured', amountCapturedMinor: 9_000 });
      expect(await journalKinds(client.id)).toEqual(['charge:10000', 'payment:-9000']);
    });

    it('an expired authorisation is charged anew at capture', async () => {
      const client = await signUp(t.app, 'client');
      const { paymentId } = await authorizedSession(client, CARDS.expiring);
      const before = await providerReference(paymentId);
      await scheduleCapture(db(), paymentId, 10_000, t.clock.now());
      const report = await new JobRunner(db(), paymentJobs(db(), processor)).runDueJobs(t.clock.now());
      expect(report.done).toBe(1);
      const payment = await operatorPayment(paymentId);
      expect(payment).toMatchObject({ status: 'captured', failureCode: 'authorization_expired' });
      expect(await providerReference(paymentId)).not.toBe(before);
      expect(await journalKinds(client.id)).toEqual(['charge:10000', 'payment:-10000']);
    });

    it('a void job releases the authorisation', async () => {
      const client = await signUp(t.app, 'client');
      const { paymentId } = await authorizedSession(client);
      await scheduleVoid(db(), paymentId, t.clock.now());
      expect((await new JobRunner(db(), paymentJobs(db(), processor)).runDueJobs(t.clock.now())).done).toBe(1);
      expect((await operatorPayment(paymentId)).status).toBe('voided');
      expect(await capturePayment(db(), processor, paymentId, 10_000, t.clock.now())).toBe('voided');
    });
  });

  describe('bad input', () => {
    it('answers problem+json naming the field on every endpoint', async () => {
      const client = await signUp(t.app, 'client');
      const { paymentId } = await capturedSession(client);
      const cases: {
        who: Session | null;
        method: 'GET' | 'POST' | 'DELETE';
        url: string;
        payload?: unknown;
        status: number;
        field?: string;
      }[] = [
        { who: client, method: 'POST', url: '/api/me/payment-methods', payload: {}, status: 400, field: 'token' },
        {
          who: client,
          method: 'POST',
          url: '/api/me/payment-methods',
          payload: { token: '' },
          status: 400,
          field: 'token',
        },
        {
          who: client,
          method: 'POST',
          url: '/api/me/payment-methods',
          payload: { token: 'x', number: '4242424242424242' },
          status: 400,
        },
        { who: client, method: 'DELETE', url: '/api/me/payment-methods/not-a-uuid', status: 400, field: 'id' },
        { who: operator, method: 'GET', url: '/api/operator/payments/not-a-uuid', status: 400, field: 'id' },
        {
          who: operator,
          method: 'GET',
          url: '/api/operator/payments/00000000-0000-4000-8000-000000000000',
          status: 404,
        },
        { who: client, method: 'GET', url: `/api/operator/payments/${paymentId}`, status: 403 },
        {
          who: operator,
          method: 'POST',
          url: `/api/operator/payments/${paymentId}/refunds`,
          payload: { amountMinor: 0, reason: 'x' },
          status: 400,
          field: 'amountMinor',
        },
        {
          who: operator,
          method: 'POST',
          url: `/api/operator/payments/${paymentId}/refunds`,
          payload: { amountMinor: 1.5, reason: 'x' },
          status: 400,
          field: 'amountMinor',
        },
        {
          who: operator,
          method: 'POST',
          url: `/api/operator/payments/${paymentId}/refunds`,
          payload: { amountMinor: 100 },
          status: 400,
          field: 'reason',
        },
        {
          who: client,
          method: 'POST',
          url: `/api/operator/payments/${paymentId}/refunds`,
          payload: { amountMinor: 100, reason: 'x' },
          status: 403,
        },
        { who: null, method: 'POST', url: '/api/payments/webhooks/test', payload: 'not json', status: 400 },
        {
          who: null,
          method: 'POST',
          url: `/api/payments/webhooks/${'x'.repeat(41)}`,
          payload: '{}',
          status: 400,
          field: 'provider',
        },
      ];
      for (const c of cases) {
        const response = await call(t.app, c.who, {
          method: c.method,
          url: c.url,
          ...(c.payload !== undefined ? { payload: c.payload } : {}),
        });
        const label = `${c.method} ${c.url} ${JSON.stringify(c.payload)}`;
        expect(response.statusCode, `${label}: ${response.body}`).toBe(c.status);
        expect(response.headers['content-type'], label).toMatch(/^application\/problem\+json/);
        if (c.field) {
          expect(response.json().errors, label).toContainEqual(expect.objectContaining({ field: c.field }));
        }
      }
    });
  });
});
