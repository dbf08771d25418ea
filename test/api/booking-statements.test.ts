import type { CompiledQuery, DatabaseConnection } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTherapist } from '../support/therapist-fixture.js';
import { type TestApp, call, signUp, startTestApp } from '../support/test-app.js';
import { payWithCard } from '../support/payment-fixture.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/**
 * Records every statement the app sends, BEGIN and COMMIT included, on either backend: each connection's
 * executeQuery is wrapped (a backend's connections share their class, so wrapping its prototype sees them all).
 */
async function recordStatements() {
  const statements: string[] = [];
  let proto: Pick<DatabaseConnection, 'executeQuery'> | undefined;
  await t.database.db.getExecutor().provideConnection((connection) => {
    proto = Object.getPrototypeOf(connection) as Pick<DatabaseConnection, 'executeQuery'>;
    return Promise.resolve();
  });
  const target = proto!;
  const original = target.executeQuery;
  target.executeQuery = function (this: DatabaseConnection, compiled: CompiledQuery) {
    statements.push(compiled.sql);
    return original.call(this, compiled);
  } as DatabaseConnection['executeQuery'];
  return {
    statements,
    stop: () => {
      target.executeQuery = original;
    },
  };
}

/**
 * The statements of one hold + confirm (a healthy client paying with a saved card), counted so the path cannot
 * grow back silently. Where each goes is in bench/README.md (booking-throughput); a change that adds one must
 * say why there and raise the figure here. The in-process test processor's own transaction is counted too.
 */
const HOLD_STATEMENTS = 5;
const CONFIRM_STATEMENTS = 7;

describe('the booking path', () => {
  it('holds and confirms a session in a pinned number of SQL statements', async () => {
    const therapist = await createTherapist(t);
    const client = await signUp(t.app, 'client');
    const card = await payWithCard(t.app, client);
    const start = new Date(Date.parse('2026-11-24T14:00:00-05:00')).toISOString();
    const recorder = await recordStatements();
    let holdStatements: string[];
    try {
      const held = await call(t.app, client, {
        method: 'POST',
        url: '/api/bookings',
        payload: {
          therapistId: therapist.id,
          durationMin: 60,
          start,
          place: { mode: 'studio', studioId: therapist.studioId },
        },
      });
      expect(held.statusCode, held.body).toBe(201);
      holdStatements = recorder.statements.splice(0);
      const confirmed = await call(t.app, client, {
        method: 'POST',
        url: `/api/bookings/${held.json<{ id: string }>().id}/confirm`,
        payload: card,
      });
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(confirmed.json()).toMatchObject({ status: 'confirmed', holdExpiresAt: null });
    } finally {
      recorder.stop();
    }
    const listing = (list: string[]) => list.map((s, i) => `${i + 1}: ${s.replace(/\s+/g, ' ').slice(0, 160)}`);
    if (process.env.PRINT_SQL)
      console.log([...listing(holdStatements), '--', ...listing(recorder.statements)].join('\n'));
    expect(listing(holdStatements)).toHaveLength(HOLD_STATEMENTS);
    // The session comes from the instance's session cache (accounts/session-cache.ts), not from a statement.
    for (const statement of [...holdStatements, ...recorder.statements]) expect(statement).not.toContain('"sessions"');
    // Folded, not dropped: the statement placing the hold also writes its event and its screening row.
    const placing = holdStatements.filter((s) => s.includes('insert into "bookings"'));
    expect(placing).toHaveLength(1);
    expect(placing[0]).toContain('insert into "booking_events"');
    expect(placing[0]).toContain('insert into "booking_screenings"');
    expect(holdStatements.some((s) => /UPDATE bookings SET status/.test(s))).toBe(true);
    // The client's intake and the calendar lock ride on the placement read, a statement before the neighbours' read.
    const facts = holdStatements.findIndex((s) => s.includes('pg_advisory_xact_lock'));
    expect(holdStatements[facts]).toContain('"intake_versions"');
    expect(holdStatements[facts]).toContain('"schedule_overrides"');
    expect(facts).toBeLessThan(holdStatements.findIndex((s) => /UPDATE bookings SET status/.test(s)));
    expect(listing(recorder.statements)).toHaveLength(CONFIRM_STATEMENTS);
    // Folded, not dropped: the statement confirming the hold also writes its event, its screening row, the charge's
    // journal entry and postings, and the card's authorisation.
    const confirming = recorder.statements.filter((s) => s.includes('update "bookings"'));
    expect(confirming).toHaveLength(1);
    for (const table of ['booking_events', 'booking_screenings', 'journal_entries', 'postings', 'payments'])
      expect(confirming[0]).toContain(`insert into "${table}"`);
    // The booking is read with its checkout (terms, saved card and attempt) in one statement before the transaction.
    const reading = recorder.statements.filter((s) => s.includes('from "bookings" as "b"'));
    expect(reading).toHaveLength(1);
    for (const table of ['market_money', 'payment_methods', 'payments'])
      expect(reading[0]).toContain(`from "${table}"`);
    // The processor authorises in one statement: the key's answer and, if that write won, the held payment.
    const authorizing = recorder.statements.filter((s) => s.includes('test_processor_idempotency'));
    expect(authorizing).toHaveLength(1);
    expect(authorizing[0]).toContain('INSERT INTO test_processor_payments');
    // The calendar lock is taken by the statement locking the booking's row, before the intake read and the write.
    const locking = recorder.statements.findIndex((s) => s.includes('pg_advisory_xact_lock'));
    expect(recorder.statements.filter((s) => s.includes('pg_advisory_xact_lock'))).toHaveLength(1);
    expect(recorder.statements[locking]).toMatch(/from "bookings" where "id" = \$\d+ for update$/);
    expect(locking).toBeLessThan(recorder.statements.findIndex((s) => s.includes('"intake_versions"')));
    expect(locking).toBeLessThan(recorder.statements.findIndex((s) => s.includes('update "bookings"')));
  });
});
