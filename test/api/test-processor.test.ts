import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackgroundWork } from '../../src/background-work.js';
import { DEVELOPMENT_WEBHOOK_SECRET, loadConfig } from '../../src/config.js';
import { ownBaseUrl } from '../../src/money/payment-providers.js';
import { type ProviderEvent, WebhookRejected } from '../../src/money/engine/payment-provider.js';
import { AUTHORIZATION_VALID_MS, TestProcessor, WEBHOOK_PATH } from '../../src/money/test-processor/test-processor.js';
import { signWebhook } from '../../src/money/webhook-signature.js';
import { type TestApp, TEST_NOW, call, startTestApp } from '../support/test-app.js';

let t: TestApp;
let processor: TestProcessor;
let keys = 0;
const key = (what: string) => `${what}-${++keys}`;

beforeAll(async () => {
  t = await startTestApp();
  expect(t.app.paymentProvider).toBeInstanceOf(TestProcessor);
  processor = t.app.paymentProvider as TestProcessor;
});
afterAll(() => t.close());

async function tokenise(number: string, card: Partial<{ expMonth: number; expYear: number; cvc: string }> = {}) {
  const response = await call(t.app, null, {
    method: 'POST',
    url: '/test-processor/v1/payment-methods',
    payload: { number, expMonth: 12, expYear: 2030, cvc: '123', ...card },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ token: string; brand: string; last4: string; expMonth: number; expYear: number }>();
}

const money = (paymentMethod: string, amountMinor = 10_000) => ({
  paymentMethod,
  amountMinor,
  currency: 'USD',
  idempotencyKey: key('money'),
  description: 'Knotwork: 60 min deep tissue',
});

async function authorised(number: string, amountMinor = 10_000) {
  const { token } = await tokenise(number);
  const result = await processor.authorize(money(token, amountMinor));
  if (!result.ok) throw new Error(`authorize failed: ${result.code}`);
  return { token, ...result };
}

/** The outbox's events about one payment, in order. */
async function eventsOf(reference: string): Promise<ProviderEvent[]> {
  return (await processor.webhookOutbox())
    .map((hook) => JSON.parse(hook.body) as ProviderEvent)
    .filter((event) => event.reference === reference);
}

async function countRows(table: 'test_processor_payments' | 'test_processor_refunds') {
  const row = await t.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('tokenisation', () => {
  it('answers a token, brand, last four digits and expiry, and keeps no card number or security code', async () => {
    const visa = await tokenise('4242 4242 4242 4242', { cvc: '987' });
    expect(visa).toMatchObject({ brand: 'Visa', last4: '4242', expMonth: 12, expYear: 2030 });
    expect(visa.token).toMatch(/^pm_[0-9a-f]{24}$/);
    expect(await tokenise('5555-5555-5555-4444')).toMatchObject({ brand: 'Mastercard', last4: '4444' });
    expect(await tokenise('378282246310005', { cvc: '1234' })).toMatchObject({ brand: 'American Express' });
    const stored = JSON.stringify(await t.database.db.selectFrom('test_processor_cards').selectAll().execute());
    expect(stored).not.toContain('4242424242424242');
    expect(stored).not.toContain('987');
    expect(await processor.describePaymentMethod(visa.token)).toEqual({
      ok: true,
      brand: 'Visa',
      last4: '4242',
      expMonth: 12,
      expYear: 2030,
    });
    expect(await processor.describePaymentMethod('pm_unknown')).toMatchObject({
      ok: false,
      code: 'invalid_payment_method',
    });
  });

  it.each([
    ['a number failing the Luhn check', { number: '4242 4242 4242 4241' }, 'number', 'card_number_invalid'],
    ['letters in the number', { number: '4242 4242 abcd 4242' }, 'number', 'card_number_invalid'],
    ['too few digits', { number: '4242 4242' }, 'number', 'card_number_invalid'],
    ['an expiry year past, by the clock', { expMonth: 12, expYear: 2025 }, 'expYear', 'card_expired'],
    ['an expiry month past this year', { expMonth: 10, expYear: 2026 }, 'expMonth', 'card_expired'],
    ['a month that is not one', { expMonth: 13 }, 'expMonth', undefined],
    ['a two-digit year', { expYear: 30 }, 'expYear', undefined],
    ['a two-digit security code', { cvc: '12' }, 'cvc', undefined],
    ['a security code of letters', { cvc: 'abc' }, 'cvc', undefined],
    ['no number', { number: undefined }, 'number', undefined],
  ])('refuses %s as problem+json naming the field', async (_what, change, field, code) => {
    const response = await call(t.app, null, {
      method: 'POST',
      url: '/test-processor/v1/payment-methods',
      payload: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123', ...change },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'validation_failed', field });
    if (code) expect(response.json().errors[0].code).toBe(code);
  });

  it('takes a card expiring this month (valid through its last day)', async () => {
    expect(await tokenise('4242424242424242', { expMonth: 11, expYear: 2026 })).toMatchObject({ expMonth: 11 });
  });

  it('refuses unknown fields', async () => {
    const response = await call(t.app, null, {
      method: 'POST',
      url: '/test-processor/v1/payment-methods',
      payload: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123', name: 'Ada' },
    });
    expect(response.statusCode).toBe(400);
  });
});

describe('test cards', () => {
  it.each([
    ['4242424242424242'],
    ['5555555555554444'],
    ['4000056655665556'], // any other Luhn-valid number
  ])('%s authorises and captures', async (number) => {
    const payment = await authorised(number);
    expect(payment.reference).toMatch(/^ch_/);
    expect(payment.expiresAt).toBe(TEST_NOW + AUTHORIZATION_VALID_MS);
    expect(
      await processor.capture({ reference: payment.reference, amountMinor: 10_000, idempotencyKey: key('cap') }),
    ).toEqual({ ok: true, capturedMinor: 10_000 });
    expect((await eventsOf(payment.reference)).map((e) => e.type)).toEqual(['payment.captured']);
  });

  it.each([
    ['4000000000000002', 'card_declined'],
    ['4000000000009995', 'insufficient_funds'],
    ['4000000000000069', 'expired_card'],
  ])('%s is declined with %s, on authorise and on charge', async (number, code) => {
    const { token } = await tokenise(number);
    const before = await countRows('test_processor_payments');
    const authorise = await processor.authorize(money(token));
    expect(authorise).toMatchObject({ ok: false, code });
    expect(authorise.ok || authorise.message.length > 10).toBe(true);
    expect(await processor.charge(money(token))).toMatchObject({ ok: false, code });
    expect(await countRows('test_processor_payments')).toBe(before);
  });

  it('a card authorises through the last instant of its expiry month and is declined expired_card from the next', async () => {
    const now = new Date(TEST_NOW);
    const { token } = await tokenise('4242424242424242', {
      expMonth: now.getUTCMonth() + 1,
      expYear: now.getUTCFullYear(),
    });
    const monthEnds = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    try {
      t.clock.set(monthEnds - 1);
      expect(await processor.authorize(money(token))).toMatchObject({
        ok: true,
        expiresAt: monthEnds - 1 + AUTHORIZATION_VALID_MS,
      });
      t.clock.set(monthEnds);
      const before = await countRows('test_processor_payments');
      expect(await processor.authorize(money(token))).toMatchObject({ ok: false, code: 'expired_card' });
      expect(await countRows('test_processor_payments')).toBe(before);
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('4000 0000 0000 0077: the authorisation expires at once; capture answers authorization_expired, a new charge succeeds', async () => {
    const payment = await authorised('4000000000000077');
    expect(payment.expiresAt).toBe(TEST_NOW);
    const capture = await processor.capture({
      reference: payment.reference,
      amountMinor: 10_000,
      idempotencyKey: key('cap'),
    });
    expect(capture).toMatchObject({ ok: false, code: 'authorization_expired' });
    expect((await eventsOf(payment.reference)).map((e) => e.type)).toEqual(['authorization.expired']);
    const again = await processor.capture({
      reference: payment.reference,
      amountMinor: 10_000,
      idempotencyKey: key('cap'),
    });
    expect(again).toMatchObject({ ok: false, code: 'authorization_expired' });
    expect(await eventsOf(payment.reference)).toHaveLength(1);
    const charge = await processor.charge(money(payment.token));
    expect(charge.ok).toBe(true);
  });

  it('4000 0000 0000 0259 succeeds, then a dispute.opened webhook follows the capture or the charge', async () => {
    const payment = await authorised('4000000000000259', 7_000);
    await processor.capture({ reference: payment.reference, amountMinor: 7_000, idempotencyKey: key('cap') });
    const events = await eventsOf(payment.reference);
    expect(events.map((e) => e.type)).toEqual(['payment.captured', 'dispute.opened']);
    expect(events[1]).toMatchObject({ amountMinor: 7_000, reason: 'fraudulent' });
    const charge = await processor.charge(money(payment.token, 2_500));
    if (!charge.ok) throw new Error(charge.code);
    expect((await eventsOf(charge.reference)).map((e) => e.type)).toEqual(['payment.captured', 'dispute.opened']);
  });

  it('4000 0000 0000 5126: refunds answer pending, then a refund.failed webhook follows', async () => {
    const { token } = await tokenise('4000000000005126');
    const charge = await processor.charge(money(token, 4_000));
    if (!charge.ok) throw new Error(charge.code);
    const refund = await processor.refund({
      reference: charge.reference,
      amountMinor: 4_000,
      idempotencyKey: key('r'),
    });
    expect(refund).toMatchObject({ ok: true, status: 'pending' });
    if (!refund.ok) return;
    const failed = (await eventsOf(charge.reference)).find((e) => e.type === 'refund.failed');
    expect(failed).toMatchObject({ refundReference: refund.refundReference, amountMinor: 4_000 });
    expect(failed && 'failureMessage' in failed && failed.failureMessage).toBeTruthy();
    // The failed refund gave its amount back: it can be refunded again.
    expect(
      await processor.refund({ reference: charge.reference, amountMinor: 4_000, idempotencyKey: key('r') }),
    ).toMatchObject({ ok: true, status: 'pending' });
  });
});

describe('money calls', () => {
  it('a partial capture releases the rest; a second capture answers already_captured', async () => {
    const payment = await authorised('4242424242424242', 10_000);
    expect(
      await processor.capture({ reference: payment.reference, amountMinor: 6_000, idempotencyKey: key('cap') }),
    ).toEqual({ ok: true, capturedMinor: 6_000 });
    expect(
      await processor.capture({ reference: payment.reference, amountMinor: 4_000, idempotencyKey: key('cap') }),
    ).toMatchObject({ ok: false, code: 'already_captured' });
    const row = await t.database.db
      .selectFrom('test_processor_payments')
      .selectAll()
      .where('reference', '=', payment.reference)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'captured', amount_authorized_minor: 6_000, amount_captured_minor: 6_000 });
    // Refunds are limited to the 6,000 captured.
    expect(
      await processor.refund({ reference: payment.reference, amountMinor: 6_001, idempotencyKey: key('r') }),
    ).toMatchObject({ ok: false, code: 'amount_too_large' });
  });

  it('captures no more than was authorised', async () => {
    const payment = await authorised('4242424242424242', 5_000);
    expect(
      await processor.capture({ reference: payment.reference, amountMinor: 5_001, idempotencyKey: key('cap') }),
    ).toMatchObject({ ok: false, code: 'amount_too_large' });
    expect(
      await processor.capture({ reference: payment.reference, amountMinor: 5_000, idempotencyKey: key('cap') }),
    ).toMatchObject({ ok: true });
  });

  it('an authorisation is held 7 days: captured after that, it answers authorization_expired', async () => {
    const payment = await authorised('4242424242424242');
    t.clock.advance(AUTHORIZATION_VALID_MS);
    try {
      expect(
        await processor.capture({ reference: payment.reference, amountMinor: 100, idempotencyKey: key('cap') }),
      ).toMatchObject({ ok: false, code: 'authorization_expired' });
      expect((await eventsOf(payment.reference)).map((e) => e.type)).toEqual(['authorization.expired']);
      expect((await processor.charge(money(payment.token))).ok).toBe(true);
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('voids only what is not captured', async () => {
    const voided = await authorised('4242424242424242');
    expect(await processor.void({ reference: voided.reference, idempotencyKey: key('void') })).toEqual({ ok: true });
    expect(
      await processor.capture({ reference: voided.reference, amountMinor: 100, idempotencyKey: key('cap') }),
    ).toMatchObject({ ok: false, code: 'processing_error' });
    const captured = await authorised('4242424242424242');
    await processor.capture({ reference: captured.reference, amountMinor: 100, idempotencyKey: key('cap') });
    expect(await processor.void({ reference: captured.reference, idempotencyKey: key('void') })).toMatchObject({
      ok: false,
      code: 'already_captured',
    });
  });

  it('refunds in parts up to what was captured, each succeeding at once with a refund.succeeded webhook', async () => {
    const { token } = await tokenise('4242424242424242');
    const charge = await processor.charge(money(token, 9_000));
    if (!charge.ok) throw new Error(charge.code);
    const first = await processor.refund({ reference: charge.reference, amountMinor: 4_000, idempotencyKey: key('r') });
    expect(first).toMatchObject({ ok: true, status: 'succeeded' });
    expect(
      await processor.refund({ reference: charge.reference, amountMinor: 5_001, idempotencyKey: key('r') }),
    ).toMatchObject({ ok: false, code: 'amount_too_large' });
    expect(
      await processor.refund({ reference: charge.reference, amountMinor: 5_000, idempotencyKey: key('r') }),
    ).toMatchObject({ ok: true, status: 'succeeded' });
    expect(
      await processor.refund({ reference: charge.reference, amountMinor: 1, idempotencyKey: key('r') }),
    ).toMatchObject({ ok: false, code: 'amount_too_large' });
    expect((await eventsOf(charge.reference)).map((e) => e.type)).toEqual([
      'payment.captured',
      'refund.succeeded',
      'refund.succeeded',
    ]);
    const uncaptured = await authorised('4242424242424242');
    expect(
      await processor.refund({ reference: uncaptured.reference, amountMinor: 1, idempotencyKey: key('r') }),
    ).toMatchObject({ ok: false, code: 'processing_error' });
  });

  it('refuses amounts over 1,000,000 minor units and amounts that are not positive whole numbers', async () => {
    const { token } = await tokenise('4242424242424242');
    expect(await processor.authorize(money(token, 1_000_001))).toMatchObject({ ok: false, code: 'amount_too_large' });
    expect(await processor.charge(money(token, 1_000_001))).toMatchObject({ ok: false, code: 'amount_too_large' });
    expect((await processor.authorize(money(token, 1_000_000))).ok).toBe(true);
    expect(await processor.authorize(money(token, 0))).toMatchObject({ ok: false, code: 'processing_error' });
    expect(await processor.authorize(money(token, 1.5))).toMatchObject({ ok: false, code: 'processing_error' });
    expect(await processor.authorize(money('pm_nope'))).toMatchObject({ ok: false, code: 'invalid_payment_method' });
  });
});

describe('idempotency', () => {
  it('the same key and request answers the first answer and moves nothing again', async () => {
    const { token } = await tokenise('4242424242424242');
    const request = money(token, 3_000);
    const first = await processor.charge(request);
    if (!first.ok) throw new Error(first.code);
    const payments = await countRows('test_processor_payments');
    const outbox = (await processor.webhookOutbox()).length;
    expect(await processor.charge(request)).toEqual(first);
    expect(await countRows('test_processor_payments')).toBe(payments);
    expect((await processor.webhookOutbox()).length).toBe(outbox);

    const refund = { reference: first.reference, amountMinor: 3_000, idempotencyKey: key('r') };
    const refunded = await processor.refund(refund);
    expect(refunded).toMatchObject({ ok: true });
    const refunds = await countRows('test_processor_refunds');
    expect(await processor.refund(refund)).toEqual(refunded);
    expect(await countRows('test_processor_refunds')).toBe(refunds);
  });

  it('authorizeMany answers each request as authorize would: new keys held in bulk, a key answered before or repeated answered as before', async () => {
    const { token } = await tokenise('4242424242424242');
    const declined = (await tokenise('4000000000000002')).token;
    const before = money(token, 2_000);
    const answeredBefore = await processor.authorize(before);
    const reused = { ...money(token, 2_500), idempotencyKey: before.idempotencyKey };
    const fresh = money(token, 1_000);
    const refused = money(declined);
    const repeated = money(token, 1_500);
    const payments = await countRows('test_processor_payments');
    const answers = await processor.authorizeMany([before, fresh, refused, reused, repeated, repeated]);
    expect(answers[0]).toEqual(answeredBefore);
    expect(answers[1]).toMatchObject({ ok: true, expiresAt: TEST_NOW + AUTHORIZATION_VALID_MS });
    expect(answers[2]).toMatchObject({ ok: false, code: 'card_declined' });
    expect(answers[3]).toMatchObject({ ok: false, code: 'processing_error' });
    expect(answers[4]).toMatchObject({ ok: true });
    expect(answers[5]).toEqual(answers[4]);
    // Held once each: the fresh request and the repeated one.
    expect(await countRows('test_processor_payments')).toBe(payments + 2);
    // Replayed one by one, every answer is the one kept under its key.
    for (const [i, request] of [before, fresh, refused].entries()) {
      expect(await processor.authorize(request)).toEqual(answers[i]);
    }
  });

  it('a declined request replayed is declined the same way', async () => {
    const { token } = await tokenise('4000000000000002');
    const request = money(token);
    const first = await processor.authorize(request);
    expect(await processor.authorize(request)).toEqual(first);
  });

  it('the same key for a different request is refused with processing_error saying the key was reused', async () => {
    const { token } = await tokenise('4242424242424242');
    const request = money(token, 3_000);
    expect((await processor.authorize(request)).ok).toBe(true);
    const reused = await processor.authorize({ ...request, amountMinor: 3_001 });
    expect(reused).toMatchObject({ ok: false, code: 'processing_error' });
    expect(!reused.ok && reused.message).toMatch(/already used for a different request/);
    // Another operation under the same key is another request too.
    expect(await processor.charge(request)).toMatchObject({ ok: false, code: 'processing_error' });
  });

  it('two captures at once: one captures, the other answers already_captured', async () => {
    const payment = await authorised('4242424242424242', 8_000);
    const answers = await Promise.all([
      processor.capture({ reference: payment.reference, amountMinor: 8_000, idempotencyKey: key('cap') }),
      processor.capture({ reference: payment.reference, amountMinor: 8_000, idempotencyKey: key('cap') }),
    ]);
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => !a.ok && a.code === 'already_captured')).toHaveLength(1);
    expect((await eventsOf(payment.reference)).map((e) => e.type)).toEqual(['payment.captured']);
  });

  it('the same charge sent twice at once is charged once', async () => {
    const { token } = await tokenise('4242424242424242');
    const request = money(token, 1_234);
    const before = await countRows('test_processor_payments');
    const [a, b] = await Promise.all([processor.charge(request), processor.charge(request)]);
    expect(a).toEqual(b);
    expect(await countRows('test_processor_payments')).toBe(before + 1);
  });

  it('the same authorisation sent twice at once holds once, and a replay answers the same', async () => {
    const { token } = await tokenise('4242424242424242');
    const request = money(token, 2_345);
    const before = await countRows('test_processor_payments');
    const [a, b] = await Promise.all([processor.authorize(request), processor.authorize(request)]);
    expect(a.ok).toBe(true);
    expect(a).toEqual(b);
    expect(await processor.authorize(request)).toEqual(a);
    expect(await countRows('test_processor_payments')).toBe(before + 1);
  });
});

/** A local HTTP server standing in for the app's webhook endpoint: records requests, answers the statuses given. */
async function webhookReceiver(statuses: number[]) {
  const received: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString() });
      response.statusCode = statuses.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('webhooks', () => {
  it('are POSTed signed over real HTTP, retried with backoff after a 500, and verify with parseWebhook', async () => {
    // Deliver everything written so far, then start from an empty outbox.
    const drain = await webhookReceiver([]);
    while ((await processor.deliverWebhooks(drain.url)) > 0);
    await drain.close();

    const receiver = await webhookReceiver([500]);
    try {
      const { token } = await tokenise('4242424242424242');
      const charge = await processor.charge(money(token, 2_000));
      if (!charge.ok) throw new Error(charge.code);

      expect(await processor.deliverWebhooks(receiver.url)).toBe(0);
      expect(receiver.received).toHaveLength(1);
      const [hook] = (await processor.webhookOutbox()).filter((h) => h.body.includes(charge.reference));
      expect(hook).toMatchObject({ attempts: 1, delivered_at: null, last_error: 'HTTP 500' });
      expect(hook!.next_attempt_at?.getTime()).toBe(TEST_NOW + 30_000);

      // Not due again before the backoff has passed.
      expect(await processor.deliverWebhooks(receiver.url)).toBe(0);
      expect(receiver.received).toHaveLength(1);

      t.clock.advance(30_000);
      expect(await processor.deliverWebhooks(receiver.url)).toBe(1);
      expect(receiver.received).toHaveLength(2);
      const [first, second] = receiver.received;
      expect(second!.body).toBe(first!.body);
      expect(second!.url).toBe(WEBHOOK_PATH);
      expect(second!.headers['content-type']).toBe('application/json');
      expect(second!.headers['knotwork-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

      const event = processor.parseWebhook(second!.body, second!.headers, t.clock.now());
      expect(event).toMatchObject({ type: 'payment.captured', reference: charge.reference, amountMinor: 2_000 });
      expect(event.id).toMatch(/^evt_[0-9a-f]{24}$/);
      expect((await processor.webhookOutbox()).find((h) => h.event_id === event.id)).toMatchObject({
        attempts: 2,
        next_attempt_at: null,
        last_error: null,
      });
      expect(await processor.deliverWebhooks(receiver.url)).toBe(0);
    } finally {
      t.clock.set(TEST_NOW);
      await receiver.close();
    }
  });

  it('a background round delivers due webhooks to the base URL it is given', async () => {
    const receiver = await webhookReceiver([]);
    try {
      const { token } = await tokenise('4000000000000259');
      const charge = await processor.charge(money(token, 2_000));
      if (!charge.ok) throw new Error(charge.code);
      const work = createBackgroundWork(
        { db: t.database.db, clock: t.clock, config: t.config },
        { sender: null, payments: { provider: t.app.paymentProvider, webhookBaseUrl: receiver.url } },
      );
      expect((await work.runRound()).webhooks).toBe(2);
      const types = receiver.received.map((r) => processor.parseWebhook(r.body, r.headers, t.clock.now()).type);
      expect(types).toEqual(['payment.captured', 'dispute.opened']);
    } finally {
      await receiver.close();
    }
  });

  it('a webhook nobody answers is retried, and given up after the last attempt', async () => {
    const { token } = await tokenise('4242424242424242');
    const charge = await processor.charge(money(token, 2_000));
    if (!charge.ok) throw new Error(charge.code);
    const nowhere = await webhookReceiver([]);
    await nowhere.close(); // a port nothing listens on
    try {
      for (let attempt = 0; attempt < 12; attempt++) {
        await processor.deliverWebhooks(nowhere.url);
        t.clock.advance(3_600_000);
      }
      const hook = (await processor.webhookOutbox()).find((h) => h.body.includes(charge.reference))!;
      expect(hook).toMatchObject({ attempts: 12, delivered_at: null, next_attempt_at: null });
      expect(hook.last_error).toBeTruthy();
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  describe('parseWebhook refuses', () => {
    const secret = () => t.config.payments.webhookSecret;
    const body = JSON.stringify({
      id: 'evt_000000000000000000000001',
      type: 'payment.captured',
      reference: 'ch_1',
      amountMinor: 100,
      occurredAt: TEST_NOW,
    });
    const reason = (raw: string, headers: Record<string, string>, now = TEST_NOW) => {
      try {
        processor.parseWebhook(raw, headers, now);
        return 'accepted';
      } catch (error) {
        if (error instanceof WebhookRejected) return error.reason;
        throw error;
      }
    };

    it('accepts a genuine, fresh event', () => {
      expect(reason(body, { 'knotwork-signature': signWebhook(secret(), body, TEST_NOW) })).toBe('accepted');
    });
    it('a bad signature', () => {
      expect(reason(body, { 'knotwork-signature': signWebhook('not-the-secret-at-all', body, TEST_NOW) })).toBe(
        'invalid_signature',
      );
      const changed = body.replace('100', '100000');
      expect(reason(changed, { 'knotwork-signature': signWebhook(secret(), body, TEST_NOW) })).toBe(
        'invalid_signature',
      );
    });
    it('no signature', () => {
      expect(reason(body, {})).toBe('missing_signature');
    });
    it('a stale one (more than five minutes old)', () => {
      const header = signWebhook(secret(), body, TEST_NOW - 301_000);
      expect(reason(body, { 'knotwork-signature': header })).toBe('stale');
    });
    it('a malformed body, even signed', () => {
      for (const raw of ['not json', '{"type":"payment.captured"}', JSON.stringify({ id: 'evt_1', type: 'other' })])
        expect(reason(raw, { 'knotwork-signature': signWebhook(secret(), raw, TEST_NOW) })).toBe('malformed');
    });
  });
});

describe('configuration', () => {
  it('PAYMENT_PROVIDER is test by default; other names and short secrets are refused', () => {
    expect(loadConfig({}).payments).toEqual({
      provider: 'test',
      webhookSecret: DEVELOPMENT_WEBHOOK_SECRET,
      cardTokensPerMinute: 60,
    });
    expect(() => loadConfig({ PAYMENT_PROVIDER: 'stripe' })).toThrow(/PAYMENT_PROVIDER/);
    expect(() => loadConfig({ PAYMENT_WEBHOOK_SECRET: 'short' })).toThrow(/PAYMENT_WEBHOOK_SECRET/);
    expect(loadConfig({ PAYMENT_WEBHOOK_SECRET: 'a-secret-of-sixteen' }).payments.webhookSecret).toBe(
      'a-secret-of-sixteen',
    );
  });

  it('production needs its own webhook secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PAYMENT_WEBHOOK_SECRET: required in production/);
    expect(loadConfig({ NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'x'.repeat(32) }).payments.webhookSecret).toBe(
      'x'.repeat(32),
    );
  });

  it("webhooks go to the app's own address: PUBLIC_URL, else http://HOST:PORT", () => {
    expect(ownBaseUrl({ publicUrl: 'https://knotwork.example', host: '0.0.0.0', port: 3000 })).toBe(
      'https://knotwork.example',
    );
    expect(ownBaseUrl({ publicUrl: undefined, host: '0.0.0.0', port: 3000 })).toBe('http://127.0.0.1:3000');
    expect(ownBaseUrl({ publicUrl: undefined, host: '::', port: 8080 })).toBe('http://[::1]:8080');
    expect(ownBaseUrl({ publicUrl: undefined, host: 'knotwork.internal', port: 80 })).toBe(
      'http://knotwork.internal:80',
    );
  });
});
