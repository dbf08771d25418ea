import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { giftCardCode, normalizeGiftCardCode } from '../../src/money/engine/gift-card-codes.js';
import { redeemGiftCard, restoreGiftCard } from '../../src/money/gift-cards.js';
import { accountBalance } from '../../src/money/ledger-store.js';
import { bookSession } from '../support/booking-fixture.js';
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

/**
 * Gift cards (issue 16, deliverable 6): bought for someone on a saved card, the code e-mailed, redeemed at checkout in
 * part or whole, restored on a free cancellation, the balance checked (rate limited) and never negative.
 */

let t: TestApp;
let therapist: TherapistFixture;

beforeAll(async () => {
  t = await startTestApp();
  therapist = await createTherapist(t, {}, await createOperator(t));
});
afterAll(() => t.close());

async function buyCard(buyer: Session, payload: Record<string, unknown> = {}) {
  const card = await saveCard(t.app, buyer);
  const response = await call(t.app, buyer, {
    method: 'POST',
    url: '/api/gift-cards',
    payload: {
      amountMinor: 10_000,
      recipientEmail: 'sam@example.com',
      recipientName: 'Sam',
      message: 'For your shoulders',
      paymentMethodId: card,
      market: 'nyc',
      ...payload,
    },
  });
  return { response, card };
}

/** The code as e-mailed: read from the message the recipient (or the buyer, to pass on) was sent. */
async function mailedCode(userId: string): Promise<string> {
  const messages = await t.database.db
    .selectFrom('messages')
    .select('body_text')
    .where('user_id', '=', userId)
    .where('kind', 'in', ['money.gift_card', 'money.gift_card_bought'])
    .execute();
  const code = messages.map((m) => /KNOT-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(m.body_text)?.[0]).find(Boolean);
  expect(code).toBeDefined();
  return code!;
}

const balance = (code: string) =>
  call(t.app, null, { method: 'GET', url: `/api/gift-cards/${encodeURIComponent(code)}/balance` });

describe(`gift cards on ${BACKEND}`, () => {
  it('makes codes with a check character that catches a mistyped one', () => {
    const code = giftCardCode(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
    expect(code).toMatch(/^KNOT-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(normalizeGiftCardCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
    const typo = code.slice(0, 6) + (code[6] === '2' ? '3' : '2') + code.slice(7);
    expect(normalizeGiftCardCode(typo)).toBeNull();
  });

  it('e-mails the code to a recipient with an account, stores only its hash, and shows the balance', async () => {
    const buyer = await signUp(t.app, 'client');
    const recipient = await signUp(t.app, 'client');
    const { response, card } = await buyCard(buyer, { recipientEmail: recipient.email.toUpperCase() });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ amountMinor: 10_000, currency: 'USD' });
    // The buyer's card was charged the card's value, once, at the processor.
    expect(await capturedOn(t.database.db, card)).toEqual([
      expect.objectContaining({ amountMinor: 10_000, currency: 'USD' }),
    ]);
    const code = await mailedCode(recipient.id);
    expect(code.slice(-4)).toBe(response.json().last4);
    const stored = await t.database.db
      .selectFrom('gift_cards')
      .selectAll()
      .where('id', '=', response.json().id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(code.slice(5));
    const checked = await balance(code);
    expect(checked.statusCode).toBe(200);
    expect(checked.json()).toMatchObject({ balanceMinor: 10_000, initialMinor: 10_000, currency: 'USD' });
    expect(await accountBalance(t.database.db, 'gift_card_liability', response.json().id, 'USD')).toBe(-10_000);
  });

  it('sends the code to the buyer to pass on when the recipient has no account', async () => {
    const buyer = await signUp(t.app, 'client');
    const { response } = await buyCard(buyer, { recipientEmail: 'nobody-yet@example.com' });
    expect(response.statusCode).toBe(201);
    expect((await mailedCode(buyer.id)).slice(-4)).toBe(response.json().last4);
  });

  it('is used in part, then in whole, never below zero, and restored on a free cancellation', async () => {
    const buyer = await signUp(t.app, 'client');
    const { response } = await buyCard(buyer, { amountMinor: 15_000 });
    const code = await mailedCode(buyer.id);
    const cardId = response.json().id as string;
    const first = await bookSession(t, buyer, therapist, '2026-11-24T15:00:00Z');
    const second = await bookSession(t, buyer, therapist, '2026-11-24T17:00:00Z');
    const redeem = (bookingId: string, amountMinor: number, c = code) =>
      t.database.db
        .transaction()
        .execute((trx) =>
          redeemGiftCard(trx, { code: c, clientId: buyer.id, amountMinor, bookingId, currency: 'USD' }, t.clock.now()),
        );

    expect(await redeem(first.id, 12_000)).toMatchObject({ appliedMinor: 12_000, balanceMinor: 3_000 });
    expect(await redeem(second.id, 12_000)).toMatchObject({ appliedMinor: 3_000, balanceMinor: 0 });
    await expect(redeem(second.id, 100)).rejects.toMatchObject({ code: 'gift_card_empty' });
    await expect(redeem(second.id, 100, 'KNOT-0000-0000-0000')).rejects.toMatchObject({ code: 'gift_card_invalid' });
    await expect(
      t.database.db.updateTable('gift_cards').set({ balance_minor: -1 }).where('id', '=', cardId).execute(),
    ).rejects.toThrow();
    expect((await balance(code)).json().balanceMinor).toBe(0);
    expect(await accountBalance(t.database.db, 'gift_card_liability', cardId, 'USD')).toBe(0);

    expect(await t.database.db.transaction().execute((trx) => restoreGiftCard(trx, first.id, t.clock.now()))).toBe(
      12_000,
    );
    expect(await t.database.db.transaction().execute((trx) => restoreGiftCard(trx, first.id, t.clock.now()))).toBe(0);
    expect((await balance(code)).json().balanceMinor).toBe(12_000);
    expect(await accountBalance(t.database.db, 'gift_card_liability', cardId, 'USD')).toBe(-12_000);
  });

  it('refuses bad input and unknown codes with problem+json naming the field; a declined card buys nothing', async () => {
    const buyer = await signUp(t.app, 'client');
    const badEmail = await buyCard(buyer, { recipientEmail: 'not-an-address' });
    expect(badEmail.response.statusCode).toBe(400);
    expect(badEmail.response.headers['content-type']).toContain('application/problem+json');
    expect(badEmail.response.json().field).toBe('recipientEmail');
    const tooSmall = await buyCard(buyer, { amountMinor: 100 });
    expect(tooSmall.response.json().field).toBe('amountMinor');
    const card = await saveCard(t.app, buyer, TEST_CARD.declined);
    const declined = await call(t.app, buyer, {
      method: 'POST',
      url: '/api/gift-cards',
      payload: {
        amountMinor: 5_000,
        recipientEmail: 'a@example.com',
        recipientName: 'A',
        paymentMethodId: card,
        market: 'nyc',
      },
    });
    expect(declined.statusCode).toBe(402);
    expect(declined.json()).toMatchObject({ code: 'payment_declined', field: 'paymentMethodId' });
    expect(
      await t.database.db.selectFrom('gift_cards').select('id').where('buyer_id', '=', buyer.id).execute(),
    ).toEqual([]);
    expect(await capturedOn(t.database.db, card)).toEqual([]);
    const unknown = await balance('KNOT-0000-0000-0000');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'gift_card_invalid', field: 'code' });
  });
});

describe('the balance check', () => {
  it('is rate limited per address', async () => {
    const limited = await startTestApp();
    try {
      const statuses = [];
      for (let i = 0; i < 21; i++) {
        statuses.push(
          (await limited.app.inject({ method: 'GET', url: '/api/gift-cards/KNOT-0000-0000-0000/balance' })).statusCode,
        );
      }
      expect(statuses.slice(0, 20).every((s) => s === 422)).toBe(true);
      expect(statuses[20]).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
