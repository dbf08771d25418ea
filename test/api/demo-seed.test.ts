import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DEMO_PASSWORD, seedDemoData, seedDemoPayments } from '../../src/demo/seed.js';
import { NEW_YORK } from '../../src/demo/demo-market.js';
import { todayIn } from '../../src/therapists/today.js';
import { TestProcessor } from '../../src/money/test-processor/test-processor.js';
import { bookingJournal } from '../../src/money/ledger-store.js';
import { createTherapist } from '../support/therapist-fixture.js';
import { bookSession } from '../support/booking-fixture.js';
import {
  BACKEND,
  type Session,
  type TestApp,
  TEST_NOW,
  call,
  sessionCookie,
  signUp,
  startTestApp,
} from '../support/test-app.js';

/**
 * The demo's upcoming sessions go through the real confirm: a client whose screening asks for a medical clearance
 * (client4@, a recent heart attack) waits for it, uncharged, with its deadline and release job, like a real booking.
 */
let t: TestApp;
let processor: TestProcessor;
beforeAll(async () => {
  t = await startTestApp({ now: TEST_NOW });
  processor = new TestProcessor({ db: t.database.db, clock: t.clock, webhookSecret: 'demo-seed-test-webhook-secret' });
  await seedDemoData(t.database.db, t.clock.now(), {
    stepMin: t.config.slotStepMin,
    graceMinutes: t.config.graceMinutes,
    paymentProvider: processor,
  });
});
afterAll(() => t?.close());

const DAY = 86_400_000;

describe(`the demo's upcoming sessions (${BACKEND})`, () => {
  it('await clearance, uncharged and due 24 hours ahead, where the screening asks for one; the rest are confirmed and charged', async () => {
    const db = t.database.db;
    const upcoming = await db
      .selectFrom('bookings as b')
      .innerJoin('users as u', 'u.id', 'b.client_id')
      .select(['b.id', 'b.status', 'b.starts_at', 'b.confirmed_at', 'b.clearance_due_at', 'b.price_cents', 'u.email'])
      .where('b.starts_at', '>', new Date(TEST_NOW))
      // Sessions the seed confirmed now (those paid by a package credit or a gift card were booked before it).
      .where((w) => w.or([w('b.confirmed_at', 'is', null), w('b.confirmed_at', '=', new Date(TEST_NOW))]))
      .execute();
    const journalOf = async (bookingId: string) => bookingJournal(db, bookingId);
    const screenings = await db
      .selectFrom('booking_screenings')
      .select(['booking_id', 'outcome'])
      .orderBy('created_at')
      .execute();
    const outcomeOf = new Map(screenings.map((s) => [s.booking_id, s.outcome]));
    const jobs = await db.selectFrom('jobs').select(['kind', 'run_at', 'dedupe_key']).execute();

    const waiting = upcoming.filter((b) => outcomeOf.get(b.id) === 'clearance_required');
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.some((b) => b.email === 'client4@knotwork.test')).toBe(true);
    for (const b of waiting) {
      expect(b).toMatchObject({ status: 'awaiting_clearance', confirmed_at: null });
      expect(b.clearance_due_at?.getTime()).toBe(b.starts_at.getTime() - DAY);
      expect(await journalOf(b.id)).toEqual([]);
      expect(jobs).toContainEqual({
        kind: 'booking.clearance_deadline',
        run_at: b.clearance_due_at,
        dedupe_key: `booking.clearance_deadline:${b.id}`,
      });
    }

    const others = upcoming.filter((b) => outcomeOf.get(b.id) !== 'clearance_required');
    expect(others.length).toBeGreaterThan(waiting.length);
    for (const b of others) {
      expect(b.status).toBe('confirmed');
      expect(b.clearance_due_at).toBeNull();
      expect(await journalOf(b.id)).toEqual([{ kind: 'charge', amountMinor: b.price_cents }]);
    }
  });

  it('have their money: each demo client a saved test card, each upcoming session its total authorised on it', async () => {
    const db = t.database.db;
    const cards = await db.selectFrom('payment_methods').select(['client_id', 'brand', 'last4']).execute();
    const clients = await db.selectFrom('users').select('id').where('role', '=', 'client').execute();
    expect(cards).toHaveLength(clients.length);
    expect(new Set(cards.map((c) => c.client_id)).size).toBe(clients.length);
    expect(cards.every((c) => c.last4 === '4242')).toBe(true);
    const upcoming = await db
      .selectFrom('bookings')
      .select(['id', 'price_cents'])
      .where('status', 'in', ['confirmed', 'awaiting_clearance'])
      .where((w) => w.or([w('confirmed_at', 'is', null), w('confirmed_at', '=', new Date(TEST_NOW))]))
      .execute();
    const payments = await db
      .selectFrom('payments')
      .select(['booking_id', 'status', 'purpose', 'amount_authorized_minor'])
      .where(
        'booking_id',
        'in',
        upcoming.map((b) => b.id),
      )
      .execute();
    expect(payments).toHaveLength(upcoming.length);
    for (const b of upcoming) {
      // The demo market has no booking fee or tax of its own: the total is the price.
      expect(payments).toContainEqual({
        booking_id: b.id,
        status: 'authorized',
        purpose: 'booking',
        amount_authorized_minor: b.price_cents,
      });
    }
    // Run again (a restart after a crash between the phases): nothing is added.
    const paymentsBefore = await db.selectFrom('payments').select('id').execute();
    const receiptsBefore = await db.selectFrom('receipts').select('id').execute();
    await seedDemoPayments(db, processor, t.clock.now());
    expect(await db.selectFrom('payment_methods').select('id').execute()).toHaveLength(clients.length);
    expect(await db.selectFrom('payments').select('id').execute()).toHaveLength(paymentsBefore.length);
    expect(await db.selectFrom('receipts').select('id').execute()).toHaveLength(receiptsBefore.length);
    expect(await db.selectFrom('payouts').select('id').execute()).toHaveLength(1);
  });
  it('are authorised in bulk with the very rows a confirm through the API writes, field by field', async () => {
    const db = t.database.db;
    // Each session's rows: its payment, the payment the processor holds, and the processor's answer under its key,
    // with what differs between any two sessions (ids, people, card, times, amounts) named instead of given.
    const rowsOf = async (bookingId: string) => {
      const booking = await db
        .selectFrom('bookings')
        .select(['client_id', 'therapist_id', 'price_cents'])
        .where('id', '=', bookingId)
        .executeTakeFirstOrThrow();
      const payment = await db
        .selectFrom('payments')
        .selectAll()
        .where('booking_id', '=', bookingId)
        .executeTakeFirstOrThrow();
      const held = await db
        .selectFrom('test_processor_payments')
        .selectAll()
        .where('reference', '=', payment.provider_reference)
        .executeTakeFirstOrThrow();
      const answers = await db
        .selectFrom('test_processor_idempotency')
        .selectAll()
        .where('idempotency_key', 'like', `booking:${bookingId}:%`)
        .execute();
      const named: [string | number, string][] = [
        [bookingId, 'BOOKING'],
        [payment.id, 'PAYMENT'],
        [payment.provider_reference, 'REFERENCE'],
        [held.token, 'TOKEN'],
        [payment.payment_method_id!, 'CARD'],
        [booking.client_id, 'CLIENT'],
        [booking.therapist_id, 'THERAPIST'],
        [payment.authorized_at.toISOString(), 'AUTHORIZED_AT'],
        [payment.authorized_at.getTime(), 'AUTHORIZED_AT'],
        [payment.authorization_expires_at!.toISOString(), 'EXPIRES_AT'],
        [payment.authorization_expires_at!.getTime(), 'EXPIRES_AT'],
        [booking.price_cents, 'PRICE'],
        // The market's share of the price, worked out by the same quote on both paths.
        [(payment.breakdown as { split: { platformShareMinor: number } }).split.platformShareMinor, 'SHARE'],
      ];
      const nameIn = (value: unknown): unknown => {
        if (value instanceof Date) return nameIn(value.toISOString());
        if (typeof value === 'number') return named.find(([known]) => known === value)?.[1] ?? value;
        if (typeof value === 'string')
          return named.reduce((text, [known, name]) => text.replaceAll(String(known), name), value);
        if (Array.isArray(value)) return value.map(nameIn);
        if (value && typeof value === 'object')
          return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, nameIn(field)]));
        return value;
      };
      return nameIn({ payment, held, answers });
    };
    const seeded = await db
      .selectFrom('bookings')
      .select('id')
      .where('status', '=', 'confirmed')
      .where('confirmed_at', '=', new Date(TEST_NOW))
      .orderBy('starts_at')
      .executeTakeFirstOrThrow();
    const therapist = await createTherapist(t);
    const client = await signUp(t.app, 'client');
    const booked = await bookSession(t, client, therapist, '2026-11-24T14:00:00.000Z');
    const fromApi = await rowsOf(booked.id);
    expect(fromApi).toMatchObject({ payment: { status: 'authorized', amount_authorized_minor: 'PRICE' } });
    expect(await rowsOf(seeded.id)).toEqual(fromApi);
  });
});

describe(`the demo's money (${BACKEND})`, () => {
  const signIn = async (email: string): Promise<Session> => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: { email, password: DEMO_PASSWORD },
    });
    expect(response.statusCode, response.body).toBe(200);
    return { id: response.json().id, email, cookie: sessionCookie(response) };
  };
  const get = async (who: Session, url: string) => {
    const response = await call(t.app, who, { method: 'GET', url });
    expect(response.statusCode, response.body).toBe(200);
    return response;
  };
  // The last five weeks of dates in New York, where the demo market is.
  const period = `from=${todayIn(NEW_YORK.timeZone, TEST_NOW - 35 * DAY)}&to=${todayIn(NEW_YORK.timeZone, TEST_NOW + DAY)}`;

  it('gives the demo clients phone numbers set aside for fiction, which care alerts show their therapist', async () => {
    const client = await signIn('client@knotwork.test');
    const settings = (await get(client, '/api/me/settings')).json<{ phone: string | null }>();
    expect(settings.phone).toMatch(/^\+121255501\d\d$/);
  });

  it('shows the demo client a marketplace’s payments: sessions captured at check-out, a tip, a late fee, a refund, a package and a gift card, each with its receipts', async () => {
    const client = await signIn('client@knotwork.test');
    const { items } = (await get(client, '/api/me/payments?limit=100')).json<{
      items: {
        id: string;
        purpose: string;
        status: string;
        description: string;
        bookingId: string | null;
        amountCapturedMinor: number;
        amountRefundedMinor: number;
        refunds: { status: string; amountMinor: number }[];
        receipts: { id: string; kind: string; amountMinor: number; timeZone: string }[];
      }[];
    }>();
    const captured = items.filter((p) => p.status === 'captured');
    const sessions = captured.filter((p) => p.purpose === 'booking' && p.description !== 'Late cancellation fee');
    expect(sessions.length).toBeGreaterThanOrEqual(3);
    expect(captured.filter((p) => p.description === 'Late cancellation fee')).toHaveLength(1);
    expect(captured.filter((p) => p.purpose === 'tip')).toHaveLength(1);
    expect(captured.filter((p) => p.purpose === 'package')).toHaveLength(1);
    expect(captured.filter((p) => p.purpose === 'gift_card')).toHaveLength(1);
    const refunded = captured.filter((p) => p.amountRefundedMinor > 0);
    expect(refunded).toHaveLength(1);
    expect(refunded[0]!.amountRefundedMinor).toBeLessThan(refunded[0]!.amountCapturedMinor);
    // Every capture has its receipt for what was taken, every refund one for what was given back.
    for (const p of captured) {
      const charges = p.receipts.filter((r) => r.kind === 'charge');
      expect(charges.map((r) => r.amountMinor)).toEqual([p.amountCapturedMinor]);
      const refunds = p.receipts.filter((r) => r.kind === 'refund');
      expect(refunds.map((r) => r.amountMinor)).toEqual(
        p.refunds.filter((r) => r.status === 'succeeded').map((r) => r.amountMinor),
      );
    }
    // Upcoming sessions are held on the card, not taken yet.
    expect(items.some((p) => p.status === 'authorized')).toBe(true);
    const pdf = await get(client, `/api/me/receipts/${sessions[0]!.receipts[0]!.id}.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');

    // The package paid one session to come; the gift card bought for Morgan Lee paid part of one, the rest is left.
    const packages = (await get(client, '/api/me/packages')).json().items as { creditsUsed: number; kind: string }[];
    expect(packages.filter((c) => c.kind === 'package').map((c) => c.creditsUsed)).toEqual([1]);
    const card = await t.database.db
      .selectFrom('gift_cards')
      .select(['initial_minor', 'balance_minor'])
      .executeTakeFirstOrThrow();
    expect(card.balance_minor).toBeGreaterThan(0);
    expect(card.balance_minor).toBeLessThan(card.initial_minor);
    const morgan = await signIn('client2@knotwork.test');
    const memberships = (await get(morgan, '/api/me/memberships')).json().items as { status: string }[];
    expect(memberships.map((m) => m.status)).toEqual(['active']);
  });

  it('shows the demo therapist earnings with a tip, a fee, a refund and a payout, and the operator the market’s totals, all from a balanced ledger', async () => {
    const therapist = await signIn('therapist@knotwork.test');
    const earnings = (await get(therapist, `/api/therapists/me/earnings?${period}`)).json();
    expect(earnings.totals.sessions).toBeGreaterThanOrEqual(3);
    for (const total of ['grossMinor', 'tipsMinor', 'feesMinor', 'refundsMinor', 'payoutsMinor']) {
      expect(earnings.totals[total], total).toBeGreaterThan(0);
    }
    expect(earnings.payouts).toHaveLength(1);
    // The lines read as a statement: in the order things happened, though the seed wrote them out of order.
    const when = earnings.lines.map((line: { occurredAt: string }) => line.occurredAt);
    expect(when).toEqual([...when].sort());
    expect(earnings.totals.closingOwedMinor).toBe(
      earnings.totals.openingOwedMinor + earnings.totals.netPayableMinor - earnings.totals.payoutsMinor,
    );

    const operator = await signIn('operator@knotwork.test');
    const money = (await get(operator, `/api/operator/money?market=nyc&${period}`)).json();
    const [usd] = money.totals;
    expect(money.totals).toHaveLength(1);
    for (const total of [
      'grossMinor',
      'platformRevenueMinor',
      'tipsMinor',
      'feesMinor',
      'refundsMinor',
      'payoutsMinor',
    ]) {
      expect(usd[total], total).toBeGreaterThan(0);
    }
    expect(usd.payoutsMinor).toBe(earnings.totals.payoutsMinor);

    // Every entry balances, and what the provider holds for us is what was captured, less refunds and payouts.
    const db = t.database.db;
    const unbalanced = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (
        SELECT j.id FROM journal_entries j JOIN postings p ON p.journal_id = j.id
        GROUP BY j.id HAVING sum(p.amount_minor) <> 0) u`.execute(db);
    expect(unbalanced.rows[0]!.n).toBe(0);
    const clearing = await sql<{ balance: string }>`
      SELECT coalesce(sum(amount_minor), 0) AS balance FROM postings WHERE account = 'provider_clearing'`.execute(db);
    const moved = await sql<{ captured: string; refunded: string }>`
      SELECT coalesce(sum(amount_captured_minor), 0) AS captured, coalesce(sum(amount_refunded_minor), 0) AS refunded
      FROM payments WHERE status = 'captured'`.execute(db);
    const paidOut = await sql<{ total: string }>`SELECT coalesce(sum(amount_minor), 0) AS total FROM payouts`.execute(
      db,
    );
    expect(Math.abs(Number(clearing.rows[0]!.balance))).toBe(
      Number(moved.rows[0]!.captured) - Number(moved.rows[0]!.refunded) - Number(paidOut.rows[0]!.total),
    );
  });
});
