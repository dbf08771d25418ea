import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData, seedDemoPayments } from '../../src/demo/seed.js';
import { TestProcessor } from '../../src/money/test-processor/test-processor.js';
import { bookingJournal } from '../../src/money/ledger-store.js';
import { BACKEND, type TestApp, TEST_NOW, startTestApp } from '../support/test-app.js';

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
      .execute();
    const payments = await db
      .selectFrom('payments')
      .select(['booking_id', 'status', 'purpose', 'amount_authorized_minor'])
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
    await seedDemoPayments(db, processor, t.clock.now());
    expect(await db.selectFrom('payment_methods').select('id').execute()).toHaveLength(clients.length);
    expect(await db.selectFrom('payments').select('id').execute()).toHaveLength(upcoming.length);
  });
});
