import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import type { PaymentProvider } from '../../src/money/engine/payment-provider.js';
import { RECEIPT_MAIL_JOB } from '../../src/money/receipts.js';
import { TestProcessor } from '../../src/money/test-processor/test-processor.js';
import { saveCard } from '../support/payment-fixture.js';
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
 * Receipts issued where money moves (issue 16), through the real flows with the test processor: a capture at
 * check-out, a late cancellation fee and a no-show fee taken from the session's authorisation, an operator's partial
 * refund, a tip charged once its window closes. Each issues one receipt in the transaction that records the money and
 * queues its e-mail; running the background round again issues nothing new.
 */

let t: TestApp;
let background: BackgroundWork;
let therapist: TherapistFixture;
let operator: Session;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

beforeAll(async () => {
  let provider: PaymentProvider | undefined;
  t = await startTestApp({
    paymentProvider: (deps) => (provider = new TestProcessor({ ...deps, webhookSecret: 'receipts-issued-secret' })),
  });
  // A booking fee and a sales tax, so a session's receipt has several lines.
  await t.database.db
    .insertInto('market_money')
    .values({
      market: 'nyc',
      commission_bp: 1500,
      service_fee_minor: 300,
      tax_bp: 887,
      tax_label: 'Sales tax',
      updated_at: new Date(TEST_NOW),
      updated_by: null,
    })
    .execute();
  background = createBackgroundWork(
    { db: t.database.db, clock: t.clock, config: { ...t.config, publicUrl: 'https://knotwork.test' } },
    { sender: null, payments: { provider: provider! } },
  );
  operator = await createOperator(t);
  therapist = await createTherapist(
    t,
    { displayName: 'Dana Deep', cancellationPolicy: { freeUntilHoursBefore: 24, lateFeePercent: 50 } },
    operator,
  );
}, 120_000);
afterAll(() => t.close());
beforeEach(() => t.clock.set(TEST_NOW));

const nyAt = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();
const post = (who: Session, url: string, payload?: unknown) =>
  call(t.app, who, { method: 'POST', url, ...(payload === undefined ? {} : { payload }) });

async function confirmedBooking(start: string) {
  const client = await signUp(t.app, 'client', 'Jamie Fox');
  const paymentMethodId = await saveCard(t.app, client);
  const held = await post(client, '/api/bookings', {
    therapistId: therapist.id,
    durationMin: 60,
    start,
    place: { mode: 'studio', studioId: therapist.studioId },
  });
  expect(held.statusCode, held.body).toBe(201);
  const booking = held.json<{ id: string; priceCents: number; startsAt: string; endsAt: string }>();
  const confirmed = await post(client, `/api/bookings/${booking.id}/confirm`, { paymentMethodId });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return { client, booking };
}

async function checkInAndOut(booking: { id: string; startsAt: string; endsAt: string }) {
  t.clock.set(Date.parse(booking.startsAt) - 5 * MINUTE);
  expect((await post(therapist.session, `/api/bookings/${booking.id}/check-in`)).statusCode).toBe(200);
  t.clock.set(Date.parse(booking.endsAt) + 2 * MINUTE);
  expect((await post(therapist.session, `/api/bookings/${booking.id}/check-out`)).statusCode).toBe(200);
}

const receiptsOf = (clientId: string) =>
  t.database.db
    .selectFrom('receipts')
    .select(['id', 'kind', 'purpose', 'amount_minor', 'description', 'payment_id', 'refund_id', 'lines'])
    .where('client_id', '=', clientId)
    .orderBy('number')
    .execute();

const sessionPayment = (bookingId: string) =>
  t.database.db
    .selectFrom('payments')
    .select(['id', 'status', 'amount_captured_minor'])
    .where('booking_id', '=', bookingId)
    .where('purpose', '=', 'booking')
    .executeTakeFirstOrThrow();

/** The receipt e-mail jobs queued for these receipts. */
async function mailJobsFor(receiptIds: string[]) {
  const rows = await t.database.db
    .selectFrom('jobs')
    .select(['payload'])
    .where('kind', '=', RECEIPT_MAIL_JOB)
    .where(sql<string>`payload->>'receiptId'`, 'in', receiptIds.length ? receiptIds : ['none'])
    .execute();
  return rows.map((r) => (r.payload as { receiptId: string }).receiptId).sort();
}

/** Runs the background round again and checks that no receipt appeared anywhere. */
async function expectNothingNewOnAnotherRound() {
  const before = await t.database.db
    .selectFrom('receipts')
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  await background.runRound();
  await background.runRound();
  const after = await t.database.db
    .selectFrom('receipts')
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  expect(Number(after.n)).toBe(Number(before.n));
}

describe(`receipts issued where money moves, on ${BACKEND}`, () => {
  it('a capture at check-out issues one receipt with the session’s lines, and queues its e-mail', async () => {
    const { client, booking } = await confirmedBooking(nyAt('2026-11-24', '09:00'));
    await checkInAndOut(booking);
    expect(await receiptsOf(client.id)).toEqual([]); // captured by the durable job, not in the check-out
    await background.runRound();
    const payment = await sessionPayment(booking.id);
    expect(payment.status).toBe('captured');
    const receipts = await receiptsOf(client.id);
    expect(receipts).toEqual([
      expect.objectContaining({
        kind: 'charge',
        purpose: 'booking',
        payment_id: payment.id,
        amount_minor: payment.amount_captured_minor,
        description: 'Massage session',
      }),
    ]);
    const lines = receipts[0]!.lines;
    expect(lines.map((l) => l.label)).toEqual(['Session', 'Booking fee', 'Sales tax']);
    expect(lines[1]!.amountMinor).toBe(300);
    expect(lines.reduce((sum, l) => sum + l.amountMinor, 0)).toBe(payment.amount_captured_minor);
    expect(await mailJobsFor([receipts[0]!.id])).toEqual([receipts[0]!.id]);
    await expectNothingNewOnAnotherRound();
    expect(await receiptsOf(client.id)).toHaveLength(1);
  });

  it('a late cancellation fee taken from the authorisation issues a receipt saying so', async () => {
    const { client, booking } = await confirmedBooking(nyAt('2026-11-24', '10:15'));
    const fee = Math.round(booking.priceCents * 0.5);
    t.clock.set(Date.parse(booking.startsAt) - 2 * HOUR);
    const cancelled = await post(client, `/api/bookings/${booking.id}/cancel`, { reason: 'Running late' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await background.runRound();
    const receipts = await receiptsOf(client.id);
    expect(receipts).toEqual([
      expect.objectContaining({ kind: 'charge', amount_minor: fee, description: 'Late cancellation fee' }),
    ]);
    expect(receipts[0]!.lines).toEqual([{ label: 'Late cancellation fee', amountMinor: fee }]);
    // The client's payments page names it the same way.
    const page = await call(t.app, client, { method: 'GET', url: '/api/me/payments' });
    expect(page.statusCode, page.body).toBe(200);
    expect(JSON.stringify(page.json())).toContain('Late cancellation fee');
    expect(await mailJobsFor([receipts[0]!.id])).toHaveLength(1);
    await expectNothingNewOnAnotherRound();
  });

  it('a no-show fee issues a receipt saying so', async () => {
    const { client, booking } = await confirmedBooking(nyAt('2026-11-24', '11:30'));
    const fee = Math.round(booking.priceCents * 0.5);
    t.clock.set(Date.parse(booking.startsAt) + 20 * MINUTE);
    const missed = await post(therapist.session, `/api/bookings/${booking.id}/no-show`);
    expect(missed.statusCode, missed.body).toBe(200);
    await background.runRound();
    expect(await receiptsOf(client.id)).toEqual([
      expect.objectContaining({ kind: 'charge', amount_minor: fee, description: 'No-show fee' }),
    ]);
  });

  it('an operator’s partial refund issues a refund receipt for the amount refunded', async () => {
    const { client, booking } = await confirmedBooking(nyAt('2026-11-24', '12:45'));
    await checkInAndOut(booking);
    await background.runRound();
    const payment = await sessionPayment(booking.id);
    const refunded = await post(operator, `/api/operator/payments/${payment.id}/refunds`, {
      amountMinor: 2_500,
      reason: 'Session cut short',
    });
    expect(refunded.statusCode, refunded.body).toBe(201);
    expect(refunded.json()).toMatchObject({ status: 'succeeded' });
    const receipts = await receiptsOf(client.id);
    expect(receipts).toHaveLength(2);
    expect(receipts[1]).toMatchObject({
      kind: 'refund',
      payment_id: payment.id,
      refund_id: refunded.json().id,
      amount_minor: 2_500,
      description: 'Refund: Massage session',
      lines: [{ label: 'Refund (Session cut short)', amountMinor: 2_500 }],
    });
    expect(await mailJobsFor(receipts.map((r) => r.id))).toHaveLength(2);
    await expectNothingNewOnAnotherRound();
    expect(await receiptsOf(client.id)).toHaveLength(2);
  });

  it('a tip charged once its window closes issues one receipt', async () => {
    const { client, booking } = await confirmedBooking(nyAt('2026-11-24', '14:00'));
    await checkInAndOut(booking);
    await background.runRound();
    const given = await call(t.app, client, {
      method: 'PUT',
      url: `/api/bookings/${booking.id}/tip`,
      payload: { amountMinor: 2_000 },
    });
    expect(given.statusCode, given.body).toBe(200);
    t.clock.advance(16 * MINUTE);
    await background.runRound();
    await background.runRound();
    const tips = (await receiptsOf(client.id)).filter((r) => r.purpose === 'tip');
    expect(tips).toEqual([expect.objectContaining({ kind: 'charge', amount_minor: 2_000 })]);
    expect(tips[0]!.lines).toEqual([{ label: tips[0]!.description, amountMinor: 2_000 }]);
    expect(await mailJobsFor([tips[0]!.id])).toHaveLength(1);
    await expectNothingNewOnAnotherRound();
    expect((await receiptsOf(client.id)).filter((r) => r.purpose === 'tip')).toHaveLength(1);
  });
});
