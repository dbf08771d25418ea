import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import type { PaymentProvider } from '../../src/money/engine/payment-provider.js';
import { accountBalance, bookingJournal } from '../../src/money/ledger-store.js';
import { TEST_CARD, payWithCard, saveCard } from '../support/payment-fixture.js';
import { heldSession } from '../support/session-fixture.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  type Session,
  TEST_NOW,
  type TestApp,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let t: TestApp;
let background: BackgroundWork;
let therapist: TherapistFixture;
let client: Session;
let stranger: Session;

beforeAll(async () => {
  t = await startTestApp();
  // The app's own test processor (docs/PAYMENTS.md), as the background work of a running instance has it.
  background = createBackgroundWork(
    { db: t.database.db, clock: t.clock, config: t.config },
    { sender: null, payments: { provider: t.app.paymentProvider } },
  );
  const operator = await createOperator(t);
  therapist = await createTherapist(t, { displayName: 'Dana Deep' }, operator);
  client = await signUp(t.app, 'client', 'Jamie Fox');
  stranger = await signUp(t.app, 'client', 'Sam Other');
});
afterAll(() => t.close());

/** A local time in New York (UTC-5 in these weeks). */
const nyAt = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();
const url = (bookingId: string) => `/api/bookings/${bookingId}/tip`;
const get = (who: Session, bookingId: string) => call(t.app, who, { method: 'GET', url: url(bookingId) });
const put = (who: Session, bookingId: string, payload: unknown) =>
  call(t.app, who, { method: 'PUT', url: url(bookingId), payload });
const del = (who: Session, bookingId: string) => call(t.app, who, { method: 'DELETE', url: url(bookingId) });

/** Saves a card of `who` through the test processor's card form and the API; a Visa that pays unless told. */
const addCard = (who: Session, number: string = TEST_CARD.visa) => saveCard(t.app, who, number);

const TIP_DESCRIPTION = 'Tip for your massage therapist';

/** The tips the test processor captured (on one card, if named): its own books, not ours. */
async function tipCharges(paymentMethodId?: string) {
  return t.database.db
    .selectFrom('test_processor_payments as c')
    .innerJoin('payment_methods as m', 'm.provider_token', 'c.token')
    .select(['c.amount_captured_minor as amountMinor', 'c.currency'])
    .where('c.status', '=', 'captured')
    .where('c.description', '=', TIP_DESCRIPTION)
    .$if(paymentMethodId !== undefined, (q) => q.where('m.id', '=', paymentMethodId!))
    .orderBy('c.captured_at')
    .execute();
}

async function removeCard(who: Session, paymentMethodId: string) {
  const removed = await call(t.app, who, { method: 'DELETE', url: `/api/me/payment-methods/${paymentMethodId}` });
  expect(removed.statusCode, removed.body).toBeLessThan(300);
}

/** A 60-minute session (price 120.00 USD) that was checked out; the clock is left at its check-out. */
async function checkedOut(who: Session, date: string) {
  t.clock.set(TEST_NOW);
  return heldSession(t, who, therapist, nyAt(date, '10:00'), { note: null });
}

async function last4(paymentMethodId: string) {
  const row = await t.database.db
    .selectFrom('payment_methods')
    .select('last4')
    .where('id', '=', paymentMethodId)
    .executeTakeFirstOrThrow();
  return row.last4;
}

async function tipsPayable() {
  return accountBalance(t.database.db, 'tips_payable', therapist.id, 'USD');
}

describe('tips', () => {
  let okCard: string;

  beforeAll(async () => {
    // The card the client's sessions are booked and paid with (test/support/booking-fixture.ts).
    okCard = (await payWithCard(t.app, client)).paymentMethodId;
  });

  it('are not open before check-out', async () => {
    t.clock.set(TEST_NOW);
    const { bookSession } = await import('../support/booking-fixture.js');
    const booking = await bookSession(t, client, therapist, nyAt('2026-12-04', '10:00'));
    const view = await get(client, booking.id);
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json()).toMatchObject({ state: 'not_yet', closesAt: null, tip: null, currency: 'USD' });
    const given = await put(client, booking.id, { percent: 20 });
    expect(given.statusCode, given.body).toBe(409);
    expect(given.json().code).toBe('session_not_taken_place');
  });

  it('are given after check-out, changed within 15 minutes, then charged once, wholly to the therapist', async () => {
    const session = await checkedOut(client, '2026-11-24');
    const open = (await get(client, session.id)).json();
    expect(open).toEqual({
      state: 'open',
      closesAt: new Date(session.checkedOutAt + 72 * HOUR).toISOString(),
      presets: [
        { percent: 15, amountMinor: 1_800 },
        { percent: 20, amountMinor: 2_400 },
        { percent: 25, amountMinor: 3_000 },
      ],
      currency: 'USD',
      tip: null,
    });

    t.clock.advance(10 * MINUTE);
    const givenAt = t.clock.now();
    const given = await put(client, session.id, { percent: 20 });
    expect(given.statusCode, given.body).toBe(200);
    expect(given.json()).toMatchObject({
      state: 'given',
      tip: {
        amountMinor: 2_400,
        percent: 20,
        status: 'pending',
        editableUntil: new Date(givenAt + 15 * MINUTE).toISOString(),
        card: { brand: 'Visa' },
      },
    });

    // Changed within the 15 minutes; nothing is charged yet.
    t.clock.advance(10 * MINUTE);
    const changed = await put(client, session.id, { amountMinor: 2_000 });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().tip).toMatchObject({ amountMinor: 2_000, percent: null, status: 'pending' });
    const revenueBefore = await accountBalance(t.database.db, 'platform_revenue', null, 'USD');
    const payableBefore = await tipsPayable();
    await background.runRound();
    expect(await tipCharges()).toHaveLength(0);

    // At the end of the 15 minutes the job charges it, once.
    t.clock.set(givenAt + 15 * MINUTE);
    await background.runRound();
    await background.runRound();
    expect(await tipCharges()).toEqual([{ amountMinor: 2_000, currency: 'USD' }]);
    expect(await tipCharges(okCard)).toHaveLength(1);
    const charged = (await get(client, session.id)).json();
    expect(charged).toMatchObject({ state: 'given', tip: { amountMinor: 2_000, status: 'charged' } });

    // The ledger: the whole tip owed to the therapist (a credit), nothing to the platform.
    expect(await tipsPayable()).toBe(payableBefore - 2_000);
    expect(await accountBalance(t.database.db, 'platform_revenue', null, 'USD')).toBe(revenueBefore);
    const journal = await bookingJournal(t.database.db, session.id);
    expect(journal.slice(-2)).toEqual([
      { kind: 'payment', amountMinor: 2_000 },
      { kind: 'tip', amountMinor: 2_000 },
    ]);
    const payment = await t.database.db
      .selectFrom('payments')
      .selectAll()
      .where('booking_id', '=', session.id)
      .where('purpose', '=', 'tip')
      .executeTakeFirstOrThrow();
    expect(payment).toMatchObject({ status: 'captured', amount_captured_minor: 2_000, therapist_id: therapist.id });

    // Once: no change, no second tip, no withdrawal after the charge.
    for (const response of [await put(client, session.id, { percent: 25 }), await del(client, session.id)]) {
      expect(response.statusCode, response.body).toBe(409);
      expect(response.json().code).toBe('tip_not_editable');
    }
  });

  it('can be withdrawn while changeable, and then nothing is charged', async () => {
    const session = await checkedOut(client, '2026-11-25');
    const charges = (await tipCharges()).length;
    expect((await put(client, session.id, { percent: 15 })).statusCode).toBe(200);
    t.clock.advance(5 * MINUTE);
    const withdrawn = await del(client, session.id);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toMatchObject({ state: 'open', tip: null });
    t.clock.advance(HOUR);
    await background.runRound();
    expect(await tipCharges()).toHaveLength(charges);
    expect((await del(client, session.id)).statusCode).toBe(404);
  });

  it('close 72 hours after check-out', async () => {
    const session = await checkedOut(client, '2026-11-26');
    t.clock.set(session.checkedOutAt + 72 * HOUR - MINUTE);
    expect((await get(client, session.id)).json().state).toBe('open');
    t.clock.set(session.checkedOutAt + 72 * HOUR);
    expect((await get(client, session.id)).json().state).toBe('closed');
    const late = await put(client, session.id, { percent: 20 });
    expect(late.statusCode, late.body).toBe(409);
    expect(late.json()).toMatchObject({ code: 'tip_window_closed' });
  });

  it('of a session are the client’s only: anybody else is told there is no such booking', async () => {
    const session = await checkedOut(client, '2026-11-27');
    for (const who of [stranger, therapist.session]) {
      for (const response of [await get(who, session.id), await put(who, session.id, { percent: 20 })]) {
        expect(response.statusCode, response.body).toBe(404);
        expect(response.headers['content-type']).toContain('application/problem+json');
      }
    }
    expect((await get(client, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('refuse bad input with problem+json naming the field', async () => {
    const session = await checkedOut(client, '2026-11-30');
    const cases: [unknown, string][] = [
      [{}, 'amountMinor'],
      [{ percent: 20, amountMinor: 100 }, 'percent'],
      [{ percent: 18 }, 'percent'],
      [{ percent: 0 }, 'percent'],
      [{ amountMinor: 0 }, 'amountMinor'],
      [{ amountMinor: 12_001 }, 'amountMinor'],
      [{ amountMinor: 12.5 }, 'amountMinor'],
      [{ amountMinor: '10' }, 'amountMinor'],
      [{ percent: 20, paymentMethodId: 'card' }, 'paymentMethodId'],
      [{ percent: 20, extra: true }, ''],
    ];
    for (const [payload, field] of cases) {
      const response = await put(client, session.id, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().code).toBe('validation_failed');
      expect(response.headers['content-type']).toContain('application/problem+json');
      if (field) expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    // A card that is not the client's own, and a client with no card at all.
    const strangersCard = await addCard(stranger);
    const notMine = await put(client, session.id, { percent: 20, paymentMethodId: strangersCard });
    expect(notMine.statusCode, notMine.body).toBe(404);
    expect(notMine.json()).toMatchObject({ code: 'not_found', errors: [{ field: 'paymentMethodId' }] });
    // A client whose only card (the one their session was paid with) has been removed since.
    const cardless = await signUp(t.app, 'client', 'No Card');
    const theirs = await checkedOut(cardless, '2026-12-01');
    await removeCard(cardless, (await payWithCard(t.app, cardless)).paymentMethodId);
    const none = await put(cardless, theirs.id, { percent: 20 });
    expect(none.statusCode, none.body).toBe(422);
    expect(none.json()).toMatchObject({ code: 'payment_method_required', errors: [{ field: 'paymentMethodId' }] });
    expect((await get(client, session.id)).json().tip).toBeNull();
  });

  it('declined is marked failed, and can be given again on another card', async () => {
    const session = await checkedOut(client, '2026-12-02');
    const declining = await addCard(client, TEST_CARD.declined);
    const given = await put(client, session.id, { amountMinor: 1_000, paymentMethodId: declining });
    expect(given.statusCode, given.body).toBe(200);
    const payable = await tipsPayable();
    t.clock.advance(15 * MINUTE);
    await background.runRound();
    const failed = (await get(client, session.id)).json();
    expect(failed).toMatchObject({
      state: 'open',
      tip: { status: 'failed', failureMessage: 'The card was declined. Try another card.', amountMinor: 1_000 },
    });
    expect(await tipsPayable()).toBe(payable);
    // The client is told, once.
    await background.runRound();
    await background.runRound();
    const notices = await t.database.db
      .selectFrom('messages')
      .select(['subject', 'body_text'])
      .where('user_id', '=', client.id)
      .where('kind', '=', 'tip.failed')
      .execute();
    expect(notices).toEqual([
      {
        subject: 'Your tip for Dana Deep could not be charged',
        body_text: expect.stringContaining(
          'Your tip of $10 for Dana Deep could not be charged: The card was declined. Try another card.\n',
        ),
      },
    ]);

    const again = await put(client, session.id, { amountMinor: 1_000, paymentMethodId: okCard });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().tip).toMatchObject({ status: 'pending', failureMessage: null });
    t.clock.advance(15 * MINUTE);
    await background.runRound();
    expect((await get(client, session.id)).json().tip.status).toBe('charged');
    expect(await tipsPayable()).toBe(payable - 1_000);
  });

  it('go by default on the card the session was paid with, else the newest card', async () => {
    const payer = await signUp(t.app, 'client', 'Kai Card');
    const session = await checkedOut(payer, '2026-12-07');
    const paidWith = (await payWithCard(t.app, payer)).paymentMethodId;
    // Two cards saved after the session, a minute apart.
    await addCard(payer, '5555555555554444');
    t.clock.advance(MINUTE);
    const newest = await addCard(payer, '4000056655665556');
    const sessions = (await put(payer, session.id, { percent: 15 })).json();
    expect(sessions.tip.card.last4).toBe(await last4(paidWith));
    // The session's card removed since: the newest of the others.
    await removeCard(payer, paidWith);
    const newer = (await put(payer, session.id, { percent: 15 })).json();
    expect(newer.tip.card.last4).toBe(await last4(newest));
    expect(newer.tip.card.last4).not.toBe(await last4(paidWith));
  });

  it('given twice at once make one tip with one charge job', async () => {
    const session = await checkedOut(client, '2026-12-08');
    const both = await Promise.all([
      put(client, session.id, { percent: 20 }),
      put(client, session.id, { amountMinor: 700 }),
    ]);
    expect(both.map((r) => r.statusCode)).toEqual([200, 200]);
    const tips = await t.database.db.selectFrom('tips').select('id').where('booking_id', '=', session.id).execute();
    expect(tips).toHaveLength(1);
    const jobs = await t.database.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', 'money.tip_charge')
      .where(sql<boolean>`payload->>'tipId' = ${tips[0]!.id}`)
      .execute();
    expect(jobs).toHaveLength(1);
  });

  it('charges once when the processor’s answer is lost and the job retries', async () => {
    const session = await checkedOut(client, '2026-12-03');
    const card = await addCard(client);
    expect((await put(client, session.id, { amountMinor: 500, paymentMethodId: card })).statusCode).toBe(200);
    // The processor charges the card, but its first answer to this tip never arrives (a timeout): the job can only
    // retry. Every other call goes to the processor as it is.
    const processor = t.app.paymentProvider;
    const losing: PaymentProvider = Object.create(processor) as PaymentProvider;
    let answers = 0;
    losing.charge = async (request) => {
      const answer = await processor.charge(request);
      const thisTip = request.description === TIP_DESCRIPTION && request.amountMinor === 500;
      if (thisTip && answers++ === 0) throw new Error('The connection to the processor was reset');
      return answer;
    };
    const unreliable = createBackgroundWork(
      { db: t.database.db, clock: t.clock, config: t.config },
      { sender: null, payments: { provider: losing } },
    );
    t.clock.advance(15 * MINUTE);
    const first = await unreliable.runRound();
    expect(first.jobs.retrying).toBeGreaterThanOrEqual(1);
    expect((await get(client, session.id)).json().tip.status).toBe('pending');
    expect(await tipCharges(card)).toHaveLength(1);
    t.clock.advance(HOUR);
    await unreliable.runRound();
    expect((await get(client, session.id)).json().tip.status).toBe('charged');
    // The retry sent the same idempotency key: the processor answered its first charge again.
    expect(answers).toBe(2);
    expect(await tipCharges(card)).toEqual([{ amountMinor: 500, currency: 'USD' }]);
  });
});
