import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import { applyRate } from '../../src/money/engine/checkout.js';
import type { PaymentProvider } from '../../src/money/engine/payment-provider.js';
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
 * Prepaid money at checkout, with the real test processor: a package credit pays the session price
 * (the card only the fee and tax) and comes back on a free cancellation; the last credit goes to one of two confirms;
 * a gift card pays part (the card the rest) or all (no card); a bad code is refused before anything is authorised; a
 * member price applies; and the ledger leaves the client owing nothing.
 */

let t: TestApp;
let background: BackgroundWork;
let therapist: TherapistFixture;
/** Run once at the next authorisation, before it: another confirm taking what this one previewed. */
let beforeAuthorize: (() => Promise<void>) | null = null;

const MINUTE = 60_000;
/** 15% commission, a $3.00 booking fee, 8.87% sales tax. */
const TERMS = { commission_bp: 1500, service_fee_minor: 300, tax_bp: 887, tax_label: 'Sales tax' };

beforeAll(async () => {
  let provider: PaymentProvider | undefined;
  t = await startTestApp({
    paymentProvider: (deps) => {
      const processor = new TestProcessor({ ...deps, webhookSecret: 'prepaid-test-secret' });
      const authorize = processor.authorize.bind(processor);
      processor.authorize = async (request) => {
        const hook = beforeAuthorize;
        beforeAuthorize = null;
        if (hook) await hook();
        return authorize(request);
      };
      return (provider = processor);
    },
  });
  await t.database.db
    .insertInto('market_money')
    .values({ market: 'nyc', ...TERMS, updated_at: new Date(TEST_NOW), updated_by: null })
    .execute();
  background = createBackgroundWork(
    { db: t.database.db, clock: t.clock, config: t.config },
    { sender: null, payments: { provider: provider! } },
  );
  const operator = await createOperator(t);
  therapist = await createTherapist(
    t,
    { displayName: 'Pat Prepaid', cancellationPolicy: { freeUntilHoursBefore: 24, lateFeePercent: 50 } },
    operator,
  );
}, 120_000);
afterAll(() => t.close());
beforeEach(() => t.clock.set(TEST_NOW));

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

/** A client with a saved card and a package of `sessions` 60-minute sessions with the therapist. */
async function clientWithPackage(sessions: number, priceMinor = 20_000) {
  const client = await signUp(t.app, 'client');
  const paymentMethodId = await saveCard(t.app, client);
  const offer = await post(therapist.session, '/api/package-offers', {
    market: 'nyc',
    name: `${sessions} × 60 minutes`,
    durationMin: 60,
    sessions,
    priceMinor,
    validDays: 60,
  });
  expect(offer.statusCode, offer.body).toBe(201);
  const bought = await post(client, '/api/packages', { offerId: offer.json().id, paymentMethodId });
  expect(bought.statusCode, bought.body).toBe(201);
  return { client, paymentMethodId, packageId: bought.json<{ id: string }>().id };
}

/** A gift card of `amountMinor` bought by a client for themselves; its code as e-mailed. */
async function giftCard(amountMinor: number, buyer: Session) {
  const card = await saveCard(t.app, buyer);
  const bought = await post(buyer, '/api/gift-cards', {
    amountMinor,
    recipientEmail: buyer.email,
    recipientName: 'Me',
    paymentMethodId: card,
    market: 'nyc',
  });
  expect(bought.statusCode, bought.body).toBe(201);
  const messages = await t.database.db
    .selectFrom('messages')
    .select('body_text')
    .where('user_id', '=', buyer.id)
    .where('kind', 'in', ['money.gift_card', 'money.gift_card_bought'])
    .execute();
  const last4 = bought.json<{ last4: string }>().last4;
  const code = messages
    .map((m) => /KNOT-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(m.body_text)?.[0])
    .find((c) => c?.endsWith(last4));
  expect(code).toBeDefined();
  return { code: code!, id: bought.json<{ id: string }>().id, paymentMethodId: card };
}

const paymentsOf = (bookingId: string) =>
  t.database.db
    .selectFrom('payments')
    .select(['status', 'amount_authorized_minor', 'amount_captured_minor'])
    .where('booking_id', '=', bookingId)
    .where('purpose', '=', 'booking')
    .execute();

/** Each account's balance over the booking's journal entries (debit positive). */
async function balancesOf(bookingId: string) {
  const rows = await t.database.db
    .selectFrom('journal_entries as j')
    .innerJoin('postings as p', 'p.journal_id', 'j.id')
    .select(['j.kind', 'p.account', 'p.amount_minor'])
    .where('j.booking_id', '=', bookingId)
    .execute();
  const balances: Record<string, number> = {};
  for (const r of rows) balances[r.account] = (balances[r.account] ?? 0) + r.amount_minor;
  return { balances, kinds: [...new Set(rows.map((r) => r.kind))].sort() };
}

async function checkInAndOut(booking: { id: string; startsAt: string; endsAt: string }) {
  t.clock.set(Date.parse(booking.startsAt) - 5 * MINUTE);
  expect((await post(therapist.session, `/api/bookings/${booking.id}/check-in`)).statusCode).toBe(200);
  t.clock.set(Date.parse(booking.endsAt) + 2 * MINUTE);
  expect((await post(therapist.session, `/api/bookings/${booking.id}/check-out`)).statusCode).toBe(200);
  await background.runRound();
}

const feeAndTax = (charged: number) =>
  TERMS.service_fee_minor + applyRate(charged + TERMS.service_fee_minor, TERMS.tax_bp);

describe(`checkout with prepaid money on ${BACKEND}`, () => {
  it('pays the session price with a package credit (the card the fee and tax), and gives it back on a free cancellation', async () => {
    const { client, paymentMethodId, packageId } = await clientWithPackage(2, 20_000);
    const held = await hold(client, nyAt('2026-11-24', '09:00'));
    const preview = (await get(client, `/api/bookings/${held.id}/checkout`)).json();
    expect(preview.packageCredit).toEqual({
      label: expect.stringContaining('credit 1 of 2'),
      valueMinor: 10_000,
      creditsLeft: 1,
    });
    expect(preview.lines).toContainEqual(
      expect.objectContaining({ kind: 'package_credit', amountMinor: -held.priceCents }),
    );
    expect(preview.totalMinor).toBe(feeAndTax(10_000));

    const confirmed = await post(client, `/api/bookings/${held.id}/confirm`, { paymentMethodId });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(await paymentsOf(held.id)).toEqual([
      { status: 'authorized', amount_authorized_minor: feeAndTax(10_000), amount_captured_minor: 0 },
    ]);
    const packages = (await get(client, '/api/me/packages')).json().items;
    expect(packages.find((p: { id: string }) => p.id === packageId).creditsLeft).toBe(1);

    const cancelled = await post(client, `/api/bookings/${held.id}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await background.runRound();
    const after = (await get(client, '/api/me/packages')).json().items;
    expect(after.find((p: { id: string }) => p.id === packageId).creditsLeft).toBe(2);
    expect((await paymentsOf(held.id)).map((p) => p.status)).toEqual(['voided']);
    const { balances } = await balancesOf(held.id);
    expect(balances.client).toBe(0);
    expect(balances.package_liability).toBe(0);
  });

  it('leaves the client owing nothing after a credit-paid session is checked out; a late cancellation keeps the credit', async () => {
    const { client, paymentMethodId, packageId } = await clientWithPackage(2, 20_000);
    const first = await hold(client, nyAt('2026-11-25', '09:00'));
    expect((await post(client, `/api/bookings/${first.id}/confirm`, { paymentMethodId })).statusCode).toBe(200);
    await checkInAndOut(first);
    expect(await paymentsOf(first.id)).toEqual([
      { status: 'captured', amount_authorized_minor: feeAndTax(10_000), amount_captured_minor: feeAndTax(10_000) },
    ]);
    const session = await balancesOf(first.id);
    expect(session.balances.client).toBe(0);
    expect(session.balances.package_liability).toBe(10_000);
    expect(session.balances.therapist_payable).toBe(-(10_000 - applyRate(10_000, TERMS.commission_bp)));
    expect(Object.values(session.balances).reduce((a, b) => a + b, 0)).toBe(0);

    t.clock.set(TEST_NOW);
    const second = await hold(client, nyAt('2026-11-26', '09:00'));
    expect((await post(client, `/api/bookings/${second.id}/confirm`, { paymentMethodId })).statusCode).toBe(200);
    t.clock.set(Date.parse(second.startsAt) - 2 * 60 * MINUTE);
    expect((await post(client, `/api/bookings/${second.id}/cancel`)).statusCode).toBe(200);
    await background.runRound();
    const late = await balancesOf(second.id);
    expect(late.balances.client ?? 0).toBe(0);
    const left = (await get(client, '/api/me/packages')).json().items;
    expect(left.find((p: { id: string }) => p.id === packageId).creditsLeft).toBe(0);
  });

  it('moves a credit-paid session to another time with its credit, and refuses a move to another length at durationMin', async () => {
    const { client, paymentMethodId, packageId } = await clientWithPackage(2, 20_000);
    const held = await hold(client, nyAt('2026-11-26', '09:00'));
    expect((await post(client, `/api/bookings/${held.id}/confirm`, { paymentMethodId })).statusCode).toBe(200);

    const longer = await post(client, `/api/bookings/${held.id}/reschedule`, {
      start: nyAt('2026-11-26', '13:00'),
      durationMin: 90,
    });
    expect(longer.statusCode, longer.body).toBe(409);
    expect(longer.headers['content-type']).toContain('application/problem+json');
    expect(longer.json()).toMatchObject({ code: 'invalid_transition', errors: [{ field: 'durationMin' }] });
    expect((await get(client, `/api/bookings/${held.id}`)).json().status).toBe('confirmed');

    const moved = await post(client, `/api/bookings/${held.id}/reschedule`, { start: nyAt('2026-11-26', '13:00') });
    expect(moved.statusCode, moved.body).toBe(201);
    const packages = (await get(client, '/api/me/packages')).json().items;
    expect(packages.find((p: { id: string }) => p.id === packageId).creditsLeft).toBe(1);
    const redemptions = await t.database.db
      .selectFrom('package_redemptions')
      .select('booking_id')
      .where('returned_at', 'is', null)
      .where('booking_id', 'in', [held.id, moved.json().id])
      .execute();
    expect(redemptions).toEqual([{ booking_id: moved.json().id }]);
  });

  it('gives the last credit to exactly one of two confirms racing for it', async () => {
    const { client, paymentMethodId, packageId } = await clientWithPackage(2, 20_000);
    const used = await hold(client, nyAt('2026-11-27', '09:00'));
    expect((await post(client, `/api/bookings/${used.id}/confirm`, { paymentMethodId })).statusCode).toBe(200);
    const a = await hold(client, nyAt('2026-11-27', '11:00'));
    const b = await hold(client, nyAt('2026-11-27', '13:00'));
    const results = await Promise.all(
      [a, b].map((h) => post(client, `/api/bookings/${h.id}/confirm`, { paymentMethodId })),
    );
    const redemptions = await t.database.db
      .selectFrom('package_redemptions')
      .select('booking_id')
      .where('purchase_id', '=', packageId)
      .where('returned_at', 'is', null)
      .execute();
    expect(redemptions.map((r) => r.booking_id).filter((id) => id === a.id || id === b.id)).toHaveLength(1);
    const loser = results.find((r) => r.statusCode !== 200);
    if (loser) {
      // The loser saw the credit, was authorised for the fee and tax only, and is told to confirm again: voided.
      expect(loser.statusCode).toBe(409);
      expect(loser.json().code).toBe('no_package_credit');
      const loserId = results[0] === loser ? a.id : b.id;
      expect(await paymentsOf(loserId)).toEqual([expect.objectContaining({ status: 'voided' })]);
    }
    const left = (await get(client, '/api/me/packages')).json().items;
    expect(left.find((p: { id: string }) => p.id === packageId).creditsLeft).toBe(0);
  });

  it('pays part with a gift card (the card authorised for the rest), and all of it without a card', async () => {
    const client = await signUp(t.app, 'client');
    const paymentMethodId = await saveCard(t.app, client);
    const small = await giftCard(5_000, client);
    const held = await hold(client, nyAt('2026-11-30', '09:00'));
    const total = held.priceCents + feeAndTax(held.priceCents);
    const preview = await get(client, `/api/bookings/${held.id}/checkout?giftCardCode=${small.code.toLowerCase()}`);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({
      totalMinor: total - 5_000,
      giftCard: { last4: small.code.slice(-4), appliedMinor: 5_000, balanceMinor: 5_000 },
    });
    const confirmed = await post(client, `/api/bookings/${held.id}/confirm`, {
      paymentMethodId,
      giftCardCode: small.code,
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect((await paymentsOf(held.id))[0]).toMatchObject({
      status: 'authorized',
      amount_authorized_minor: total - 5_000,
    });
    await checkInAndOut(held);
    expect((await paymentsOf(held.id))[0]).toMatchObject({ status: 'captured', amount_captured_minor: total - 5_000 });
    expect((await balancesOf(held.id)).balances.client).toBe(0);

    t.clock.set(TEST_NOW);
    const big = await giftCard(50_000, client);
    const whole = await hold(client, nyAt('2026-12-01', '09:00'));
    const noCard = await post(client, `/api/bookings/${whole.id}/confirm`, { giftCardCode: big.code });
    expect(noCard.statusCode, noCard.body).toBe(200);
    expect(await paymentsOf(whole.id)).toEqual([]);
    const checkout = (await get(client, `/api/bookings/${whole.id}/checkout`)).json();
    expect(checkout).toMatchObject({ totalMinor: 0, paymentMethodRequired: false });
    expect((await get(client, `/api/gift-cards/${big.code}/balance`)).json().balanceMinor).toBe(50_000 - total);
    // A free cancellation puts it back on the card.
    expect((await post(client, `/api/bookings/${whole.id}/cancel`)).statusCode).toBe(200);
    expect((await get(client, `/api/gift-cards/${big.code}/balance`)).json().balanceMinor).toBe(50_000);
    expect((await balancesOf(whole.id)).balances.client).toBe(0);
  });

  it('refuses a confirm whose previewed credit another booking took meanwhile (409), voiding its authorisation', async () => {
    const { client, paymentMethodId, packageId } = await clientWithPackage(1, 9_000);
    const a = await hold(client, nyAt('2026-11-25', '11:00'));
    const b = await hold(client, nyAt('2026-11-25', '13:00'));
    // Between a's preview (the credit is there) and its transaction, b's confirm takes the last credit.
    beforeAuthorize = async () => {
      const other = await post(client, `/api/bookings/${b.id}/confirm`, { paymentMethodId });
      expect(other.statusCode, other.body).toBe(200);
    };
    const lost = await post(client, `/api/bookings/${a.id}/confirm`, { paymentMethodId });
    expect(lost.statusCode, lost.body).toBe(409);
    expect(lost.json().code).toBe('no_package_credit');
    expect((await get(client, `/api/bookings/${a.id}`)).json().status).toBe('held');
    // Recorded as voided, so the next confirm of this hold is a new authorisation.
    expect(await paymentsOf(a.id)).toEqual([expect.objectContaining({ status: 'voided' })]);
    const voided = await t.database.db
      .selectFrom('test_processor_payments as p')
      .innerJoin('payment_methods as m', 'm.provider_token', 'p.token')
      .select('p.status')
      .where('m.client_id', '=', client.id)
      .where('p.status', '=', 'voided')
      .execute();
    expect(voided).toHaveLength(1);
    const left = (await get(client, '/api/me/packages')).json().items;
    expect(left.find((p: { id: string }) => p.id === packageId).creditsLeft).toBe(0);
    // Confirmed again, it pays the whole session by card.
    const again = await post(client, `/api/bookings/${a.id}/confirm`, { paymentMethodId });
    expect(again.statusCode, again.body).toBe(200);
    const live = (await paymentsOf(a.id)).find((p) => p.status === 'authorized');
    expect(live!.amount_authorized_minor).toBe(a.priceCents + feeAndTax(a.priceCents));
  });

  it('refuses a bad gift card code with 422 naming giftCardCode, and authorises nothing', async () => {
    const client = await signUp(t.app, 'client');
    const paymentMethodId = await saveCard(t.app, client);
    const held = await hold(client, nyAt('2026-12-02', '09:00'));
    for (const giftCardCode of ['KNOT-0000-0000-0000', 'not a code']) {
      const refused = await post(client, `/api/bookings/${held.id}/confirm`, { paymentMethodId, giftCardCode });
      expect(refused.statusCode, refused.body).toBe(422);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.json()).toMatchObject({ code: 'gift_card_invalid', field: 'giftCardCode' });
    }
    const preview = await get(client, `/api/bookings/${held.id}/checkout?giftCardCode=nope`);
    expect(preview.json()).toMatchObject({ code: 'gift_card_invalid', field: 'giftCardCode' });
    expect(await paymentsOf(held.id)).toEqual([]);
    const processor = await t.database.db
      .selectFrom('test_processor_payments as p')
      .innerJoin('payment_methods as m', 'm.provider_token', 'p.token')
      .select('p.status')
      .where('m.client_id', '=', client.id)
      .execute();
    expect(processor).toEqual([]);
    expect((await get(client, `/api/bookings/${held.id}`)).json().status).toBe('held');
  });

  it('charges the member price of an active membership', async () => {
    const client = await signUp(t.app, 'client');
    const paymentMethodId = await saveCard(t.app, client);
    const plan = await post(therapist.session, '/api/membership-plans', {
      market: 'nyc',
      name: 'Members',
      priceMinor: 5_000,
      creditsPerMonth: 0,
      durationMin: 60,
      memberDiscountBp: 2_000,
    });
    expect(plan.statusCode, plan.body).toBe(201);
    const joined = await post(client, '/api/memberships', { planId: plan.json().id, paymentMethodId });
    expect(joined.statusCode, joined.body).toBe(201);
    const held = await hold(client, nyAt('2026-12-03', '09:00'));
    const member = held.priceCents - applyRate(held.priceCents, 2_000);
    const checkout = (await get(client, `/api/bookings/${held.id}/checkout`)).json();
    expect(checkout.memberPrice).toEqual({ priceMinor: member, planName: 'Members' });
    expect(checkout.totalMinor).toBe(member + feeAndTax(member));
    expect((await post(client, `/api/bookings/${held.id}/confirm`, { paymentMethodId })).statusCode).toBe(200);
    expect((await paymentsOf(held.id))[0]!.amount_authorized_minor).toBe(member + feeAndTax(member));
    expect((await balancesOf(held.id)).balances.client).toBe(member + feeAndTax(member));
  });

  it('refuses bad confirm input with problem+json naming the field', async () => {
    const client = await signUp(t.app, 'client');
    const held = await hold(client, nyAt('2026-12-04', '09:00'));
    const bad = await post(client, `/api/bookings/${held.id}/confirm`, { usePackageCredit: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'validation_failed', field: 'usePackageCredit' });
  });
});
