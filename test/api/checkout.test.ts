import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import type { IntakeInput } from '../../src/intake/engine/intake-schema.js';
import { applyRate } from '../../src/money/engine/checkout.js';
import { TEST_CARD, saveCard } from '../support/payment-fixture.js';
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
import type { PaymentProvider } from '../../src/money/engine/payment-provider.js';
import { TestProcessor } from '../../src/money/test-processor/test-processor.js';

/**
 * Checkout (issue 16, deliverable 3): confirming shows the total and authorises it on the client's card (a decline
 * leaves the hold and says why at the field; a safety refusal is said first); check-out captures it; a late
 * cancellation or a no-show captures the fee and releases the rest; a free cancellation voids; a move keeps the
 * authorisation; the ledger splits the charge by the market's commission, fee and tax.
 */

let t: TestApp;
let background: BackgroundWork;
let therapist: TherapistFixture;
let stranger: Session;
let operatorSession: Session;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The market's terms in these tests: 15% commission, a $3.00 booking fee, 8.87% sales tax. */
const TERMS = { commission_bp: 1500, service_fee_minor: 300, tax_bp: 887, tax_label: 'Sales tax' };
const CLOT = { legClotSigns: { side: 'left', signs: ['swelling', 'warmth'] } } satisfies IntakeInput['conditions'];

beforeAll(async () => {
  let provider: PaymentProvider | undefined;
  t = await startTestApp({
    paymentProvider: (deps) =>
      (provider = new TestProcessor({ ...deps, webhookSecret: 'checkout-test-webhook-secret' })),
  });
  await t.database.db
    .insertInto('market_money')
    .values({ market: 'nyc', ...TERMS, updated_at: new Date(TEST_NOW), updated_by: null })
    .execute();
  background = createBackgroundWork(
    { db: t.database.db, clock: t.clock, config: t.config },
    { sender: null, payments: { provider: provider! } },
  );
  const operator = (operatorSession = await createOperator(t));
  therapist = await createTherapist(
    t,
    { displayName: 'Dana Deep', cancellationPolicy: { freeUntilHoursBefore: 24, lateFeePercent: 50 } },
    operator,
  );
  stranger = await signUp(t.app, 'client', 'Someone Else');
}, 120_000);
afterAll(() => t.close());
beforeEach(() => t.clock.set(TEST_NOW));

/** A local time in New York (UTC-5 in these weeks). */
const nyAt = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();

const post = (who: Session, url: string, payload?: unknown) =>
  call(t.app, who, { method: 'POST', url, ...(payload === undefined ? {} : { payload }) });
const get = (who: Session, url: string) => call(t.app, who, { method: 'GET', url });

async function hold(client: Session, start: string) {
  const held = await post(client, '/api/bookings', {
    therapistId: therapist.id,
    durationMin: 60,
    start,
    place: { mode: 'studio', studioId: therapist.studioId },
  });
  expect(held.statusCode, held.body).toBe(201);
  return held.json<{ id: string; priceCents: number; startsAt: string; endsAt: string }>();
}

/** What the market's terms make of a price: the lines and total the client is shown. */
function expectedQuote(price: number) {
  const tax = applyRate(price + TERMS.service_fee_minor, TERMS.tax_bp);
  return {
    currency: 'USD',
    lines: [
      { kind: 'session', label: 'Session', amountMinor: price },
      { kind: 'service_fee', label: 'Booking fee', amountMinor: TERMS.service_fee_minor },
      { kind: 'tax', label: 'Sales tax', amountMinor: tax },
    ],
    totalMinor: price + TERMS.service_fee_minor + tax,
    tax,
  };
}

/** A client with a saved card, and a booking held and confirmed with it. */
async function confirmedBooking(start: string) {
  const client = await signUp(t.app, 'client');
  const paymentMethodId = await saveCard(t.app, client);
  const held = await hold(client, start);
  const confirmed = await post(client, `/api/bookings/${held.id}/confirm`, { paymentMethodId });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return { client, paymentMethodId, booking: held };
}

/** The statuses of the client's payments at the test processor, oldest first. */
async function processorStatusesOf(clientId: string) {
  const rows = await t.database.db
    .selectFrom('test_processor_payments as p')
    .innerJoin('payment_methods as m', 'm.provider_token', 'p.token')
    .select('p.status')
    .where('m.client_id', '=', clientId)
    .orderBy('p.authorized_at')
    .orderBy('p.status')
    .execute();
  return rows.map((r) => r.status);
}

const paymentsOf = (bookingId: string) =>
  t.database.db
    .selectFrom('payments')
    .select(['id', 'status', 'purpose', 'amount_authorized_minor', 'amount_captured_minor', 'booking_id'])
    .where('booking_id', '=', bookingId)
    .execute();

/** The booking's journal: each entry's kind and its postings by account. */
async function journalOf(bookingId: string) {
  const rows = await t.database.db
    .selectFrom('journal_entries as j')
    .innerJoin('postings as p', 'p.journal_id', 'j.id')
    .select(['j.id', 'j.seq', 'j.kind', 'p.account', 'p.amount_minor'])
    .where('j.booking_id', '=', bookingId)
    .orderBy('j.seq')
    .execute();
  const entries = new Map<string, { kind: string; postings: Record<string, number> }>();
  for (const r of rows) {
    const entry = entries.get(r.id) ?? { kind: r.kind, postings: {} };
    entry.postings[r.account] = (entry.postings[r.account] ?? 0) + r.amount_minor;
    entries.set(r.id, entry);
  }
  return [...entries.values()];
}

async function checkInAndOut(booking: { id: string; startsAt: string; endsAt: string }) {
  t.clock.set(Date.parse(booking.startsAt) - 5 * MINUTE);
  const checkedIn = await post(therapist.session, `/api/bookings/${booking.id}/check-in`);
  expect(checkedIn.statusCode, checkedIn.body).toBe(200);
  t.clock.set(Date.parse(booking.endsAt) + 2 * MINUTE);
  const checkedOut = await post(therapist.session, `/api/bookings/${booking.id}/check-out`);
  expect(checkedOut.statusCode, checkedOut.body).toBe(200);
}

describe(`checkout on ${BACKEND}`, () => {
  it('shows the total before confirming (price, booking fee, tax), and the card payment after', async () => {
    const client = await signUp(t.app, 'client');
    const held = await hold(client, nyAt('2026-11-24', '09:00'));
    const { tax: _tax, ...quote } = expectedQuote(held.priceCents);
    const before = await get(client, `/api/bookings/${held.id}/checkout`);
    expect(before.statusCode, before.body).toBe(200);
    const prepaid = { packageCredit: null, memberPrice: null, giftCard: null };
    expect(before.json()).toEqual({ ...quote, ...prepaid, paymentMethodRequired: true, payment: null });

    const paymentMethodId = await saveCard(t.app, client, '5555555555554444');
    expect((await post(client, `/api/bookings/${held.id}/confirm`, { paymentMethodId })).statusCode).toBe(200);
    const after = await get(client, `/api/bookings/${held.id}/checkout`);
    expect(after.json()).toEqual({
      ...quote,
      ...prepaid,
      paymentMethodRequired: true,
      payment: {
        status: 'authorized',
        brand: expect.stringMatching(/mastercard/i),
        last4: '4444',
        amountAuthorizedMinor: quote.totalMinor,
        amountCapturedMinor: 0,
        amountRefundedMinor: 0,
      },
    });
    // The therapist may read it too; another client may not know it exists.
    expect((await get(therapist.session, `/api/bookings/${held.id}/checkout`)).statusCode).toBe(200);
    expect((await get(stranger, `/api/bookings/${held.id}/checkout`)).json().code).toBe('not_found');
  });

  it('splits the charge in the ledger: the commission and fee to the platform, the rest to the therapist, tax apart', async () => {
    const { booking, client } = await confirmedBooking(nyAt('2026-11-24', '10:15'));
    const price = booking.priceCents;
    const { tax, totalMinor } = expectedQuote(price);
    const platform = applyRate(price, TERMS.commission_bp) + TERMS.service_fee_minor;
    expect(await journalOf(booking.id)).toEqual([
      {
        kind: 'charge',
        postings: {
          client: totalMinor,
          therapist_payable: -(price - applyRate(price, TERMS.commission_bp)),
          platform_revenue: -platform,
          tax_payable: -tax,
        },
      },
    ]);
    expect(client.id).toBeTruthy();
  });

  it('asks for a card when the total is above zero: 422 at paymentMethodId, and the hold stays', async () => {
    const client = await signUp(t.app, 'client');
    const held = await hold(client, nyAt('2026-11-24', '11:30'));
    const refused = await post(client, `/api/bookings/${held.id}/confirm`);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({
      code: 'payment_method_required',
      errors: [{ field: 'paymentMethodId' }],
    });
    expect((await get(client, `/api/bookings/${held.id}`)).json().status).toBe('held');
  });

  for (const [card, number, says] of [
    ['declined', TEST_CARD.declined, /declined/i],
    ['insufficient funds', TEST_CARD.insufficientFunds, /funds/i],
    ['expired', TEST_CARD.expired, /expired/i],
  ] as const) {
    it(`leaves the hold in place when the card is refused (${card}) and says why at the field`, async () => {
      const client = await signUp(t.app, 'client');
      const held = await hold(
        client,
        nyAt('2026-11-25', card === 'declined' ? '09:00' : card === 'expired' ? '10:15' : '11:30'),
      );
      const paymentMethodId = await saveCard(t.app, client, number);
      const refused = await post(client, `/api/bookings/${held.id}/confirm`, { paymentMethodId });
      expect(refused.statusCode, refused.body).toBe(402);
      expect(refused.json()).toMatchObject({
        code: 'payment_declined',
        detail: expect.stringMatching(says),
        errors: [{ field: 'paymentMethodId', message: expect.stringMatching(says) }],
      });
      expect((await get(client, `/api/bookings/${held.id}`)).json().status).toBe('held');
      expect(await paymentsOf(held.id)).toEqual([]);
      expect(await journalOf(held.id)).toEqual([]);
      // Another card confirms the same hold.
      const good = await saveCard(t.app, client);
      const confirmed = await post(client, `/api/bookings/${held.id}/confirm`, { paymentMethodId: good });
      expect(confirmed.statusCode, confirmed.body).toBe(200);
    });
  }

  it('says a safety refusal before a declined card', async () => {
    const client = await signUp(t.app, 'client');
    const held = await hold(client, nyAt('2026-11-25', '12:45'));
    const saved = await call(t.app, client, {
      method: 'PUT',
      url: '/api/me/intake',
      payload: deskWorkerIntake({ conditions: CLOT }),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const paymentMethodId = await saveCard(t.app, client, TEST_CARD.declined);
    const refused = await post(client, `/api/bookings/${held.id}/confirm`, { paymentMethodId });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'screening_not_today', medicalUrgency: 'same_day' });
    expect(await paymentsOf(held.id)).toEqual([]);
  });

  it('captures the total at check-out (a durable job), and the ledger records the payment', async () => {
    const { booking } = await confirmedBooking(nyAt('2026-11-24', '12:45'));
    const { totalMinor } = expectedQuote(booking.priceCents);
    await checkInAndOut(booking);
    // Not captured in the check-out's transaction: money's capture job does it, outside any transaction.
    expect((await paymentsOf(booking.id))[0]).toMatchObject({ status: 'authorized', amount_captured_minor: 0 });
    await background.runRound();
    expect(await paymentsOf(booking.id)).toEqual([
      expect.objectContaining({ status: 'captured', amount_captured_minor: totalMinor }),
    ]);
    expect((await journalOf(booking.id)).map((e) => e.kind)).toEqual(['charge', 'payment']);
    expect((await journalOf(booking.id))[1]!.postings).toEqual({ provider_clearing: totalMinor, client: -totalMinor });
  });

  it('captures the late fee on a late cancellation and releases the rest', async () => {
    const { booking, client } = await confirmedBooking(nyAt('2026-11-24', '14:00'));
    const fee = Math.round(booking.priceCents * 0.5);
    t.clock.set(Date.parse(booking.startsAt) - 2 * HOUR);
    const cancelled = await post(client, `/api/bookings/${booking.id}/cancel`, { reason: 'Running late' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await background.runRound();
    const [payment] = await paymentsOf(booking.id);
    expect(payment).toMatchObject({ status: 'captured', amount_captured_minor: fee });
    expect((await journalOf(booking.id)).map((e) => e.kind)).toEqual([
      'charge',
      'refund',
      'cancellation_fee',
      'payment',
    ]);
    const checkout = (await get(client, `/api/bookings/${booking.id}/checkout`)).json();
    expect(checkout.payment).toMatchObject({ status: 'captured', amountCapturedMinor: fee });
  });

  it('voids the authorisation on a free cancellation', async () => {
    const { booking, client } = await confirmedBooking(nyAt('2026-11-24', '15:15'));
    const cancelled = await post(client, `/api/bookings/${booking.id}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await background.runRound();
    expect(
      await t.database.db.selectFrom('payments').select('status').where('booking_id', '=', booking.id).execute(),
    ).toEqual([{ status: 'voided' }]);
    expect((await journalOf(booking.id)).map((e) => e.kind)).toEqual(['charge', 'refund']);
  });

  it('captures the no-show fee', async () => {
    const { booking } = await confirmedBooking(nyAt('2026-11-26', '09:00'));
    const fee = Math.round(booking.priceCents * 0.5);
    t.clock.set(Date.parse(booking.startsAt) + 20 * MINUTE);
    const missed = await post(therapist.session, `/api/bookings/${booking.id}/no-show`);
    expect(missed.statusCode, missed.body).toBe(200);
    await background.runRound();
    expect((await paymentsOf(booking.id))[0]).toMatchObject({ status: 'captured', amount_captured_minor: fee });
    expect((await journalOf(booking.id)).map((e) => e.kind)).toEqual([
      'charge',
      'refund',
      'cancellation_fee',
      'payment',
    ]);
  });

  it('keeps the authorisation through a move, and captures the new total from it at check-out', async () => {
    const { booking, client } = await confirmedBooking(nyAt('2026-11-26', '10:15'));
    const [before] = await paymentsOf(booking.id);
    const moved = await post(client, `/api/bookings/${booking.id}/reschedule`, { start: nyAt('2026-11-26', '12:45') });
    expect(moved.statusCode, moved.body).toBe(201);
    const next = moved.json<{ id: string; startsAt: string; endsAt: string; priceCents: number }>();
    expect(await paymentsOf(booking.id)).toEqual([]);
    expect(await paymentsOf(next.id)).toEqual([
      expect.objectContaining({ id: before!.id, status: 'authorized', booking_id: next.id }),
    ]);
    await checkInAndOut(next);
    await background.runRound();
    expect((await paymentsOf(next.id))[0]).toMatchObject({
      id: before!.id,
      status: 'captured',
      amount_captured_minor: expectedQuote(next.priceCents).totalMinor,
    });
  });

  it('lets the authorisation go when the confirm then fails (the client has a session then already)', async () => {
    const other = await createTherapist(t, { displayName: 'Kim Lee' }, operatorSession);
    const { client, paymentMethodId } = await confirmedBooking(nyAt('2026-11-27', '09:00'));
    const second = await post(client, '/api/bookings', {
      therapistId: other.id,
      durationMin: 60,
      start: nyAt('2026-11-27', '09:30'),
      place: { mode: 'studio', studioId: other.studioId },
    });
    expect(second.statusCode, second.body).toBe(201);
    const clash = await post(client, `/api/bookings/${second.json().id}/confirm`, { paymentMethodId });
    expect(clash.json().code).toBe('client_double_booked');
    // Recorded as voided, so a later confirm of this hold authorises anew (payments-retries.test.ts).
    expect(await paymentsOf(second.json().id)).toEqual([expect.objectContaining({ status: 'voided' })]);
    // At the processor: the first booking's authorisation stands, the second was voided.
    expect(await processorStatusesOf(client.id)).toEqual(['authorized', 'voided']);
  });

  it("carries a late move's fee, and charges what the authorisation cannot cover on the same card", async () => {
    const { booking, client } = await confirmedBooking(nyAt('2026-11-24', '16:00'));
    const authorised = expectedQuote(booking.priceCents).totalMinor;
    const fee = Math.round(booking.priceCents * 0.5);
    t.clock.set(Date.parse(booking.startsAt) - 3 * HOUR);
    const moved = await post(client, `/api/bookings/${booking.id}/reschedule`, {
      start: nyAt('2026-11-30', '09:00'),
      durationMin: 90,
    });
    expect(moved.statusCode, moved.body).toBe(201);
    const next = moved.json<{ id: string; startsAt: string; endsAt: string; priceCents: number }>();
    expect(next.priceCents).toBeGreaterThan(booking.priceCents);
    await checkInAndOut(next);
    await background.runRound();
    const owed = expectedQuote(next.priceCents).totalMinor + fee;
    const payments = await paymentsOf(next.id);
    expect(payments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ purpose: 'booking', status: 'captured', amount_captured_minor: authorised }),
        expect.objectContaining({ purpose: 'fee', status: 'captured', amount_captured_minor: owed - authorised }),
      ]),
    );
    expect(payments).toHaveLength(2);
    // Another round charges nothing more.
    await background.runRound();
    expect(await paymentsOf(next.id)).toHaveLength(2);
  });

  it('refuses bad input with problem+json naming the field', async () => {
    const client = await signUp(t.app, 'client');
    const held = await hold(client, nyAt('2026-11-26', '14:00'));
    const notUuid = await post(client, `/api/bookings/${held.id}/confirm`, { paymentMethodId: 'card-1' });
    expect(notUuid.statusCode).toBe(400);
    expect(notUuid.json().errors).toEqual([expect.objectContaining({ field: 'paymentMethodId' })]);
    const extra = await post(client, `/api/bookings/${held.id}/confirm`, { cardNumber: '4242424242424242' });
    expect(extra.statusCode).toBe(400);
    // Someone else's card is no card of yours.
    const theirs = await saveCard(t.app, stranger);
    const notYours = await post(client, `/api/bookings/${held.id}/confirm`, { paymentMethodId: theirs });
    expect(notYours.statusCode, notYours.body).toBe(404);
    expect((await get(client, `/api/bookings/${held.id}`)).json().status).toBe('held');
    const badId = await get(client, '/api/bookings/not-a-uuid/checkout');
    expect(badId.statusCode).toBe(400);
    expect(badId.json().errors).toEqual([expect.objectContaining({ field: 'id' })]);
  });
});
