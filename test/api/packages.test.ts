import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBalance } from '../../src/money/ledger-store.js';
import { redeemCredit, returnCredit } from '../../src/money/packages.js';
import { bookSession } from '../support/booking-fixture.js';

/**
 * These tests redeem and return credits through the package service itself, so their bookings are confirmed without
 * one (test/api/checkout-prepaid.test.ts covers a credit used by the confirm).
 */
const SERVICE_LEVEL = { usePackageCredit: false };
import { TEST_CARD, capturedOn, saveCard } from '../support/payment-fixture.js';
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

/** Packages (issue 16, deliverable 5): offers, purchase on a saved card, redemption by a booking, return, expiry. */

let t: TestApp;
let operator: Session;
let therapist: TherapistFixture;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
  therapist = await createTherapist(t, {}, operator);
});
afterAll(() => t.close());

async function offer(payload: Record<string, unknown>, who: Session = therapist.session) {
  const response = await call(t.app, who, {
    method: 'POST',
    url: '/api/package-offers',
    payload: {
      market: 'nyc',
      name: '3 × 60 minutes',
      durationMin: 60,
      sessions: 3,
      priceMinor: 30_001,
      validDays: 30,
      ...payload,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string; therapistId: string | null }>();
}

async function buy(client: Session, offerId: string, paymentMethodId: string, key?: string) {
  return call(t.app, client, {
    method: 'POST',
    url: '/api/packages',
    payload: { offerId, paymentMethodId },
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
}

const session = (clientId: string, bookingId: string, durationMin = 60) => ({
  clientId,
  therapistId: therapist.id,
  durationMin,
  bookingId,
  market: 'nyc',
});

const redeem = (s: ReturnType<typeof session>) =>
  t.database.db.transaction().execute((trx) => redeemCredit(trx, s, t.clock.now()));

describe(`packages on ${BACKEND}`, () => {
  it('lets a therapist and an operator offer packages, and anyone list them', async () => {
    const own = await offer({});
    expect(own.therapistId).toBe(therapist.id);
    const marketWide = await offer(
      { name: 'Any therapist, 5 × 90', durationMin: 90, sessions: 5, priceMinor: 80_000 },
      operator,
    );
    expect(marketWide.therapistId).toBeNull();
    const listed = await call(t.app, null, {
      method: 'GET',
      url: `/api/package-offers?therapistId=${therapist.id}&market=nyc`,
    });
    expect(listed.statusCode).toBe(200);
    const ids = listed.json().items.map((o: { id: string }) => o.id);
    expect(ids).toContain(own.id);
    expect(ids).toContain(marketWide.id);
  });

  it('refuses bad offers and purchases with problem+json naming the field', async () => {
    const client = await signUp(t.app, 'client');
    const bad = await call(t.app, therapist.session, {
      method: 'POST',
      url: '/api/package-offers',
      payload: { market: 'nyc', name: 'x', durationMin: 60, sessions: 0, priceMinor: 100, validDays: 30 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().field).toBe('sessions');
    const unknownMarket = await call(t.app, therapist.session, {
      method: 'POST',
      url: '/api/package-offers',
      payload: { market: 'atlantis', name: 'x', durationMin: 60, sessions: 2, priceMinor: 100, validDays: 30 },
    });
    expect(unknownMarket.statusCode).toBe(400);
    expect(unknownMarket.json().field).toBe('market');
    const byClient = await call(t.app, client, {
      method: 'POST',
      url: '/api/package-offers',
      payload: { market: 'nyc', name: 'x', durationMin: 60, sessions: 2, priceMinor: 100, validDays: 30 },
    });
    expect(byClient.statusCode).toBe(403);
    const noOffer = await buy(client, '00000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000000');
    expect(noOffer.statusCode).toBe(404);
    expect(noOffer.json().field).toBe('offerId');
    const someoneElsesCard = await saveCard(t.app, await signUp(t.app, 'client'));
    const notMine = await buy(client, (await offer({})).id, someoneElsesCard);
    expect(notMine.statusCode).toBe(404);
    expect(notMine.json().field).toBe('paymentMethodId');
  });

  it('buys on a saved card: a declined card buys nothing; the same Idempotency-Key charges once; its payment is not refundable', async () => {
    const client = await signUp(t.app, 'client');
    const { id: offerId } = await offer({});
    const declining = await saveCard(t.app, client, TEST_CARD.declined);
    const declined = await buy(client, offerId, declining);
    expect(declined.statusCode).toBe(402);
    expect(declined.json()).toMatchObject({ code: 'payment_declined', field: 'paymentMethodId' });
    expect((await call(t.app, client, { method: 'GET', url: '/api/me/packages' })).json().items).toEqual([]);

    const card = await saveCard(t.app, client);
    const bought = await buy(client, offerId, card, 'buy-once');
    expect(bought.statusCode, bought.body).toBe(201);
    expect(bought.json()).toMatchObject({
      kind: 'package',
      creditsTotal: 3,
      creditsLeft: 3,
      priceMinor: 30_001,
      expired: false,
    });
    const again = await buy(client, offerId, card, 'buy-once');
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(bought.json().id);
    expect(await capturedOn(t.database.db, card)).toHaveLength(1);
    expect((await call(t.app, client, { method: 'GET', url: '/api/me/packages' })).json().items).toHaveLength(1);
    // The package is owed to the client as sessions: a liability of its price.
    expect(await accountBalance(t.database.db, 'package_liability', bought.json().id, 'USD')).toBe(-30_001);

    // Its money cannot be sent back while its credits stay spendable: refused, and nothing is written.
    const payment = await t.database.db
      .selectFrom('payments')
      .select(['id', 'amount_refunded_minor'])
      .where('payment_method_id', '=', card)
      .executeTakeFirstOrThrow();
    const refund = await call(t.app, operator, {
      method: 'POST',
      url: `/api/operator/payments/${payment.id}/refunds`,
      payload: { amountMinor: 1_000, reason: 'Changed their mind' },
    });
    expect(refund.statusCode, refund.body).toBe(409);
    expect(refund.headers['content-type']).toContain('application/problem+json');
    expect(refund.json().code).toBe('refund_not_supported');
    const after = await t.database.db
      .selectFrom('payments')
      .select('amount_refunded_minor')
      .where('id', '=', payment.id)
      .executeTakeFirstOrThrow();
    expect(after.amount_refunded_minor).toBe(0);
    expect(
      await t.database.db.selectFrom('payment_refunds').select('id').where('payment_id', '=', payment.id).execute(),
    ).toEqual([]);
  });

  it('redeems credits at booking (the last takes the remainder), returns one on a free cancellation, and never pays another therapist or length', async () => {
    const client = await signUp(t.app, 'client');
    const { id: offerId } = await offer({});
    const card = await saveCard(t.app, client);
    const purchaseId = (await buy(client, offerId, card)).json().id as string;
    const starts = ['2026-11-24T15:00:00Z', '2026-11-24T17:00:00Z', '2026-11-25T15:00:00Z', '2026-11-25T17:00:00Z'];
    const bookings: { id: string }[] = [];
    for (const start of starts) bookings.push(await bookSession(t, client, therapist, start, 60, SERVICE_LEVEL));

    expect(await redeem(session(client.id, bookings[0]!.id, 90))).toBeNull();
    expect(await redeem({ ...session(client.id, bookings[0]!.id), therapistId: operator.id })).toBeNull();

    const first = await redeem(session(client.id, bookings[0]!.id));
    expect(first).toMatchObject({
      purchaseId,
      valueMinor: 10_000,
      currency: 'USD',
      label: '3 × 60 minutes (credit 1 of 3)',
    });
    const second = await redeem(session(client.id, bookings[1]!.id));
    expect(second?.valueMinor).toBe(10_000);
    // The booking already paid by a credit cannot take a second one.
    await expect(redeem(session(client.id, bookings[1]!.id))).rejects.toThrow();

    const returned = await t.database.db
      .transaction()
      .execute((trx) => returnCredit(trx, bookings[1]!.id, t.clock.now()));
    expect(returned).toBe(10_000);
    expect(
      await t.database.db.transaction().execute((trx) => returnCredit(trx, bookings[1]!.id, t.clock.now())),
    ).toBeNull();

    const third = await redeem(session(client.id, bookings[2]!.id));
    expect(third?.valueMinor).toBe(10_000);
    const last = await redeem(session(client.id, bookings[3]!.id));
    expect(last).toMatchObject({ valueMinor: 10_001, label: '3 × 60 minutes (credit 3 of 3)' });
    expect(await redeem(session(client.id, bookings[1]!.id))).toBeNull();

    // Every credit used: the liability is paid out in full, to the cent.
    expect(await accountBalance(t.database.db, 'package_liability', purchaseId, 'USD')).toBe(0);
    const mine = (await call(t.app, client, { method: 'GET', url: '/api/me/packages' })).json().items[0];
    expect(mine).toMatchObject({ creditsUsed: 3, creditsLeft: 0 });
  });

  it('does not redeem expired credits', async () => {
    const client = await signUp(t.app, 'client');
    const { id: offerId } = await offer({ validDays: 1 });
    const card = await saveCard(t.app, client);
    await buy(client, offerId, card);
    const booking = await bookSession(t, client, therapist, '2026-11-26T15:00:00Z', 60, SERVICE_LEVEL);
    const now = t.clock.now();
    try {
      t.clock.advance(DAY + 1);
      expect(await redeem(session(client.id, booking.id))).toBeNull();
      const mine = (await call(t.app, client, { method: 'GET', url: '/api/me/packages' })).json().items[0];
      expect(mine).toMatchObject({ expired: true, creditsLeft: 3 });
    } finally {
      t.clock.set(now);
    }
  });

  it('gives the last credit to exactly one of two bookings redeeming it at once', async () => {
    const client = await signUp(t.app, 'client');
    const { id: offerId } = await offer({ sessions: 1, priceMinor: 9_000 });
    const card = await saveCard(t.app, client);
    const purchaseId = (await buy(client, offerId, card)).json().id as string;
    const a = await bookSession(t, client, therapist, '2026-11-30T15:00:00Z', 60, SERVICE_LEVEL);
    const b = await bookSession(t, client, therapist, '2026-11-30T17:00:00Z', 60, SERVICE_LEVEL);
    // Each transaction holds its credit a moment before committing, so on PostgreSQL the two really overlap.
    const race = (bookingId: string) =>
      t.database.db.transaction().execute(async (trx) => {
        const got = await redeemCredit(trx, session(client.id, bookingId), t.clock.now());
        await new Promise((resolve) => setTimeout(resolve, 50));
        return got;
      });
    const results = await Promise.all([race(a.id), race(b.id)]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(results.find((r) => r !== null)?.valueMinor).toBe(9_000);
    expect(await accountBalance(t.database.db, 'package_liability', purchaseId, 'USD')).toBe(0);
  });
});
