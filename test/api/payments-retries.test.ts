import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { bookingJournal } from '../../src/money/ledger-store.js';
import { REFUND_RETRY_AFTER_MS, capturePayment, chargeSavedMethod } from '../../src/money/payment-service.js';
import { TestProcessor } from '../../src/money/test-processor/test-processor.js';
import { capturedOn, saveCard } from '../support/payment-fixture.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  BACKEND,
  type Session,
  type TestApp,
  TEST_NOW,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';

/**
 * Money's retries and releases (issue 16): a booking awaiting clearance is authorised at its confirm and the
 * authorisation voided when the deadline releases it; a refund whose answer was lost is retried as the same call;
 * a booking authorised again after a void gets a new authorisation; the test processor limits card tokens per
 * address. What the card was really charged is read from the processor's own tables.
 */

const SECRET = 'payments-retries-webhook-secret';
const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * The test processor, with one fault a real network has: the answer to a refund can be lost after the processor
 * acted on it (a timeout). `loseRefundAnswers` is how many refund answers to lose.
 */
class LossyProcessor extends TestProcessor {
  loseRefundAnswers = 0;
  refundCalls: string[] = [];
  /** How many voids to answer with an outage (processing_error) before doing them. */
  failVoids = 0;
  override void(request: Parameters<TestProcessor['void']>[0]) {
    if (this.failVoids > 0) {
      this.failVoids--;
      return Promise.resolve({ ok: false as const, code: 'processing_error' as const, message: 'Try again later' });
    }
    return super.void(request);
  }
  override async refund(request: Parameters<TestProcessor['refund']>[0]) {
    this.refundCalls.push(request.idempotencyKey);
    const answer = await super.refund(request);
    if (this.loseRefundAnswers > 0) {
      this.loseRefundAnswers--;
      throw new Error('The processor did not answer in time');
    }
    return answer;
  }
}

let t: TestApp;
let processor: LossyProcessor;
let background: BackgroundWork;
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
    paymentProvider: (deps) => (processor = new LossyProcessor({ ...deps, webhookSecret: SECRET, fetch: injectFetch })),
  });
  background = createBackgroundWork(
    { db: t.database.db, clock: t.clock, config: t.config },
    { sender: null, payments: { provider: processor } },
  );
  operator = await createOperator(t);
  therapist = await createTherapist(t, { displayName: 'Dana Smith' }, operator);
}, 120_000);
afterAll(() => t.close());
beforeEach(() => {
  t.clock.set(TEST_NOW);
  processor.loseRefundAnswers = 0;
  processor.refundCalls = [];
  processor.failVoids = 0;
});

const db = () => t.database.db;
/** A local time in New York (UTC-5 in these weeks); TEST_NOW is Monday 23 November, 07:00 there. */
const nyAt = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();
const post = (who: Session, url: string, payload?: unknown) =>
  call(t.app, who, { method: 'POST', url, ...(payload === undefined ? {} : { payload }) });

async function hold(client: Session, start: string, who: TherapistFixture = therapist) {
  const held = await post(client, '/api/bookings', {
    therapistId: who.id,
    durationMin: 60,
    start,
    place: { mode: 'studio', studioId: who.studioId },
  });
  expect(held.statusCode, held.body).toBe(201);
  return held.json<{ id: string; priceCents: number }>();
}

const paymentsOf = (bookingId: string) =>
  db()
    .selectFrom('payments')
    .select(['id', 'status', 'provider_reference', 'amount_authorized_minor', 'amount_captured_minor'])
    .where('booking_id', '=', bookingId)
    .where('purpose', '=', 'booking')
    .orderBy('created_at')
    .execute();

/** The processor's own record of an authorisation or charge. */
const atProcessor = (reference: string) =>
  db()
    .selectFrom('test_processor_payments')
    .select(['status', 'amount_authorized_minor', 'amount_captured_minor', 'amount_refunded_minor'])
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow();

/** The processor's refunds of a charge, oldest first. */
const refundsAtProcessor = (reference: string) =>
  db()
    .selectFrom('test_processor_refunds')
    .select(['amount_minor', 'status'])
    .where('payment_reference', '=', reference)
    .orderBy('created_at')
    .execute();

describe(`awaiting clearance (${BACKEND})`, () => {
  it('is authorised at its confirm, and released free at the deadline with the authorisation voided', async () => {
    const client = await signUp(t.app, 'client', 'Kim Lee', {
      intake: { ...deskWorkerIntake(), conditions: { kidneyFailure: true } },
    });
    const paymentMethodId = await saveCard(t.app, client);
    const start = nyAt('2026-11-26', '13:00');
    const held = await hold(client, start);
    const confirmed = await post(client, `/api/bookings/${held.id}/confirm`, { paymentMethodId });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'awaiting_clearance' });

    // Authorised (the client is here now and the slot is kept), not charged: no ledger entry, nothing captured.
    const [payment] = await paymentsOf(held.id);
    expect(payment).toMatchObject({ status: 'authorized', amount_captured_minor: 0 });
    expect(await atProcessor(payment!.provider_reference)).toMatchObject({
      status: 'authorized',
      amount_authorized_minor: payment!.amount_authorized_minor,
    });
    expect(await bookingJournal(db(), held.id)).toEqual([]);
    const checkout = await call(t.app, client, { method: 'GET', url: `/api/bookings/${held.id}/checkout` });
    expect(checkout.json().payment).toMatchObject({ status: 'authorized' });

    // Just before the deadline nothing changes.
    t.clock.set(Date.parse(start) - 24 * HOUR - MINUTE);
    await background.runRound();
    expect((await paymentsOf(held.id))[0]!.status).toBe('authorized');

    // At the deadline: released free of charge, and the authorisation voided here and at the processor.
    t.clock.set(Date.parse(start) - 24 * HOUR);
    await background.runRound();
    await background.runRound();
    const released = await call(t.app, client, { method: 'GET', url: `/api/bookings/${held.id}` });
    expect(released.json()).toMatchObject({ status: 'cancelled', cancellationFeeCents: 0 });
    expect(await paymentsOf(held.id)).toEqual([
      expect.objectContaining({ status: 'voided', amount_captured_minor: 0 }),
    ]);
    expect(await atProcessor(payment!.provider_reference)).toMatchObject({
      status: 'voided',
      amount_captured_minor: 0,
    });
    expect(await capturedOn(db(), paymentMethodId)).toEqual([]);
    expect(await bookingJournal(db(), held.id)).toEqual([]);
  });
});

describe(`refunds retried (${BACKEND})`, () => {
  /** A fee of 100.00 charged at once on a new client's card: the payment's id and the processor's reference. */
  async function chargedFee() {
    const client = await signUp(t.app, 'client');
    const paymentMethodId = await saveCard(t.app, client);
    const { paymentId } = await chargeSavedMethod(
      db(),
      processor,
      {
        purpose: 'fee',
        clientId: client.id,
        therapistId: therapist.id,
        market: 'nyc',
        currency: 'USD',
        paymentMethodId,
        amountMinor: 10_000,
        idempotencyKey: `fee:${client.id}`,
        description: 'Late cancellation fee',
        breakdown: { split: { amountMinor: 10_000, platformShareMinor: 2_000, taxMinor: 0 } },
      },
      t.clock.now(),
    );
    const { provider_reference: reference } = await db()
      .selectFrom('payments')
      .select('provider_reference')
      .where('id', '=', paymentId)
      .executeTakeFirstOrThrow();
    return { client, paymentId, reference };
  }

  const refund = (paymentId: string, amountMinor: number) =>
    post(operator, `/api/operator/payments/${paymentId}/refunds`, { amountMinor, reason: 'Goodwill' });
  const operatorPayment = async (paymentId: string) =>
    (await call(t.app, operator, { method: 'GET', url: `/api/operator/payments/${paymentId}` })).json();
  const repayments = async (paymentId: string) =>
    (await bookingJournalOfPayment(paymentId)).filter((kind) => kind === 'repayment');
  async function bookingJournalOfPayment(paymentId: string) {
    const { client_id: clientId } = await db()
      .selectFrom('payments')
      .select('client_id')
      .where('id', '=', paymentId)
      .executeTakeFirstOrThrow();
    const rows = await db()
      .selectFrom('journal_entries as j')
      .innerJoin('postings as p', 'p.journal_id', 'j.id')
      .select('j.kind')
      .where('p.account', '=', 'client')
      .where('p.holder', '=', clientId)
      .orderBy('j.seq')
      .execute();
    return rows.map((r) => r.kind);
  }

  it('a refund whose answer was lost stays pending and is retried as the same call: refunded once', async () => {
    const { paymentId, reference } = await chargedFee();
    processor.loseRefundAnswers = 1;
    const lost = await refund(paymentId, 4_000);
    expect(lost.statusCode, lost.body).toBe(201);
    expect(lost.json()).toMatchObject({ amountMinor: 4_000, status: 'pending' });
    // The processor did refund; Knotwork does not know yet and keeps the amount reserved, so it cannot be refunded
    // a second time meanwhile.
    expect(await refundsAtProcessor(reference)).toEqual([{ amount_minor: 4_000, status: 'succeeded' }]);
    expect((await operatorPayment(paymentId)).amountRefundedMinor).toBe(4_000);
    expect((await refund(paymentId, 6_001)).json()).toMatchObject({ code: 'refund_too_large', refundableMinor: 6_000 });

    // The retry (money's refund job, due a minute later) sends the same call: the processor answers what it did,
    // and moves nothing.
    t.clock.advance(REFUND_RETRY_AFTER_MS);
    await background.runRound();
    expect(processor.refundCalls).toHaveLength(2);
    expect(new Set(processor.refundCalls).size).toBe(1);
    expect(await refundsAtProcessor(reference)).toEqual([{ amount_minor: 4_000, status: 'succeeded' }]);
    expect((await atProcessor(reference)).amount_refunded_minor).toBe(4_000);
    const payment = await operatorPayment(paymentId);
    expect(payment).toMatchObject({ amountRefundedMinor: 4_000 });
    expect(payment.refunds).toEqual([expect.objectContaining({ id: lost.json().id, status: 'succeeded' })]);
    expect(await repayments(paymentId)).toEqual(['repayment']);
    // The processor's webhook, and another round, change nothing.
    expect(await processor.deliverWebhooks('http://knotwork.test')).toBeGreaterThanOrEqual(1);
    t.clock.advance(HOUR);
    await background.runRound();
    expect(await refundsAtProcessor(reference)).toHaveLength(1);
    expect(await repayments(paymentId)).toEqual(['repayment']);
  });

  it('a retry that is lost again stays pending, and the next one settles it', async () => {
    const { paymentId, reference } = await chargedFee();
    processor.loseRefundAnswers = 2;
    const lost = await refund(paymentId, 2_500);
    expect(lost.json().status).toBe('pending');
    t.clock.advance(REFUND_RETRY_AFTER_MS);
    await background.runRound();
    expect((await operatorPayment(paymentId)).refunds).toEqual([expect.objectContaining({ status: 'pending' })]);
    t.clock.advance(10 * MINUTE);
    await background.runRound();
    expect((await operatorPayment(paymentId)).refunds).toEqual([expect.objectContaining({ status: 'succeeded' })]);
    expect(await refundsAtProcessor(reference)).toEqual([{ amount_minor: 2_500, status: 'succeeded' }]);
    expect(await repayments(paymentId)).toEqual(['repayment']);
  });

  it('two refunds of the same amount are two refunds', async () => {
    const { paymentId, reference } = await chargedFee();
    const first = await refund(paymentId, 3_000);
    const second = await refund(paymentId, 3_000);
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect([first.json().status, second.json().status]).toEqual(['succeeded', 'succeeded']);
    expect(processor.refundCalls).toEqual([`refund:${first.json().id}`, `refund:${second.json().id}`]);
    expect(await refundsAtProcessor(reference)).toEqual([
      { amount_minor: 3_000, status: 'succeeded' },
      { amount_minor: 3_000, status: 'succeeded' },
    ]);
    expect((await atProcessor(reference)).amount_refunded_minor).toBe(6_000);
    expect((await operatorPayment(paymentId)).amountRefundedMinor).toBe(6_000);
    expect(await repayments(paymentId)).toEqual(['repayment', 'repayment']);
  });
});

describe(`authorising again after a void (${BACKEND})`, () => {
  it('a confirm after a voided authorisation of the same amount gets a new authorisation, which captures', async () => {
    const other = await createTherapist(t, { displayName: 'Kim Park' }, operator);
    const client = await signUp(t.app, 'client');
    const paymentMethodId = await saveCard(t.app, client);
    const first = await hold(client, nyAt('2026-11-27', '09:00'));
    expect((await post(client, `/api/bookings/${first.id}/confirm`, { paymentMethodId })).statusCode).toBe(200);
    const second = await hold(client, nyAt('2026-11-27', '09:30'), other);
    // The confirm authorises, then its transaction refuses (the client has a session then): the authorisation is
    // voided at the processor.
    const clash = await post(client, `/api/bookings/${second.id}/confirm`, { paymentMethodId });
    expect(clash.json().code).toBe('client_double_booked');
    const voided = await db()
      .selectFrom('test_processor_payments as p')
      .innerJoin('payment_methods as m', 'm.provider_token', 'p.token')
      .select(['p.reference', 'p.status'])
      .where('m.id', '=', paymentMethodId)
      .where('p.status', '=', 'voided')
      .execute();
    expect(voided).toHaveLength(1);

    // The first session is cancelled, and the same hold confirmed again with the same card, for the same amount:
    // a new authorisation, standing at the processor, that captures (not the voided one answered again).
    expect((await post(client, `/api/bookings/${first.id}/cancel`)).statusCode).toBe(200);
    const again = await post(client, `/api/bookings/${second.id}/confirm`, { paymentMethodId });
    expect(again.statusCode, again.body).toBe(200);
    const live = (await paymentsOf(second.id)).find((p) => p.status === 'authorized')!;
    expect(live.provider_reference).not.toBe(voided[0]!.reference);
    expect(await atProcessor(live.provider_reference)).toMatchObject({ status: 'authorized' });
    expect(await capturePayment(db(), processor, live.id, live.amount_authorized_minor, t.clock.now())).toBe(
      'captured',
    );
    // Knotwork's books know both: the voided attempt and the captured one.
    expect((await paymentsOf(second.id)).map((p) => [p.provider_reference, p.status])).toEqual([
      [voided[0]!.reference, 'voided'],
      [live.provider_reference, 'captured'],
    ]);
  });

  it('a void the processor cannot do at the failed confirm is asked again by a job until the money is released', async () => {
    const other = await createTherapist(t, { displayName: 'Lee Chan' }, operator);
    const client = await signUp(t.app, 'client');
    const paymentMethodId = await saveCard(t.app, client);
    const first = await hold(client, nyAt('2026-12-01', '09:00'));
    expect((await post(client, `/api/bookings/${first.id}/confirm`, { paymentMethodId })).statusCode).toBe(200);
    const second = await hold(client, nyAt('2026-12-01', '09:30'), other);
    // The confirm authorises, its transaction refuses, and the processor is down for the void and its first retry
    // (the earlier tests' due jobs run first, so no other void meets the outage).
    await background.runRound();
    processor.failVoids = 2;
    const clash = await post(client, `/api/bookings/${second.id}/confirm`, { paymentMethodId });
    expect(clash.json().code).toBe('client_double_booked');
    const held = await db()
      .selectFrom('test_processor_payments as p')
      .innerJoin('payment_methods as m', 'm.provider_token', 'p.token')
      .select(['p.reference', 'p.status'])
      .where('m.id', '=', paymentMethodId)
      .where('p.status', '=', 'authorized')
      .where('p.amount_authorized_minor', '>', 0)
      .execute();
    const recorded = (await paymentsOf(first.id)).map((p) => p.provider_reference);
    const strays = held.filter((p) => !recorded.includes(p.reference));
    expect(strays, 'the refused confirm left one authorisation standing at the processor').toHaveLength(1);
    const reference = strays[0]!.reference;
    expect(await paymentsOf(second.id)).toEqual([]);

    // The job's first run meets the outage again and waits; a later one releases the money and records the void.
    const job = () =>
      db()
        .selectFrom('jobs')
        .select(['status', 'attempts'])
        .where('kind', '=', 'money.release_unrecorded')
        .where('dedupe_key', 'like', `%:${reference}`)
        .executeTakeFirstOrThrow();
    expect(await job()).toMatchObject({ status: 'pending', attempts: 0 });
    await background.runRound();
    expect(await job()).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await atProcessor(reference)).toMatchObject({ status: 'authorized' });
    t.clock.advance(MINUTE); // past the first retry's 30 s
    await background.runRound();
    expect(await job()).toMatchObject({ status: 'done' });
    expect(await atProcessor(reference)).toMatchObject({ status: 'voided' });
    expect((await paymentsOf(second.id)).map((p) => [p.provider_reference, p.status])).toEqual([[reference, 'voided']]);

    // The booking's next confirm is a new authorisation, not the voided one answered again.
    expect((await post(client, `/api/bookings/${first.id}/cancel`)).statusCode).toBe(200);
    const again = await post(client, `/api/bookings/${second.id}/confirm`, { paymentMethodId });
    expect(again.statusCode, again.body).toBe(200);
    const live = (await paymentsOf(second.id)).find((p) => p.status === 'authorized')!;
    expect(live.provider_reference).not.toBe(reference);
  });

  it('a confirm sent twice at once records one authorisation and leaves it standing', async () => {
    const client = await signUp(t.app, 'client');
    const paymentMethodId = await saveCard(t.app, client);
    const held = await hold(client, nyAt('2026-11-30', '11:00'));
    const answers = await Promise.all([
      post(client, `/api/bookings/${held.id}/confirm`, { paymentMethodId }),
      post(client, `/api/bookings/${held.id}/confirm`, { paymentMethodId }),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const payments = await paymentsOf(held.id);
    expect(payments.map((p) => p.status)).toEqual(['authorized']);
    expect((await atProcessor(payments[0]!.provider_reference)).status).toBe('authorized');
  });
});

describe(`the test processor's card limit per address (${BACKEND})`, () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await startTestApp({
      config: { payments: { provider: 'test', webhookSecret: SECRET, cardTokensPerMinute: 3 } },
    });
  });
  afterAll(() => limited.close());

  const tokenise = (remoteAddress: string) =>
    limited.app.inject({
      method: 'POST',
      url: '/test-processor/v1/payment-methods',
      payload: { number: '4242 4242 4242 4242', expMonth: 12, expYear: 2035, cvc: '123' },
      remoteAddress,
    });

  it('tokenises as many cards a minute as configured from one address, then answers 429 problem+json', async () => {
    for (let i = 0; i < 3; i++) expect((await tokenise('198.51.100.7')).statusCode).toBe(201);
    const refused = await tokenise('198.51.100.7');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(refused.json().retryAfterSeconds).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Nothing was kept for the refused card; another address has its own allowance.
    expect((await tokenise('198.51.100.8')).statusCode).toBe(201);
    const cards = await limited.database.db
      .selectFrom('test_processor_cards')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(cards.n)).toBe(4);
  });
});
