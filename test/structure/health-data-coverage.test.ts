import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { healthData } from '../../src/http/health-data.js';
import { freshDatabase } from '../support/test-app.js';

/**
 * Every table that holds a client's rows is in the health-data registry (src/http/health-data.ts), or is listed here
 * as kept after erasure, with the reason. A table holds a client's rows when it has a client, booking or user column
 * (`client_id`, `booking_id`, `user_id`, `subject_user_id`; NO_CLIENT lists where it never is a client), or a foreign key to such a table (amendments of a note,
 * the history of an incident). The tables are read from the migrated database, so a new migration is checked too.
 */

/** Kept by erasure, and why (DELETE /api/me/health-data lists them to the client in words). */
const KEPT = new Map<string, string>([
  [
    'bookings',
    'the therapist’s calendar and the ledger need them; time, place, price and status are not health information',
  ],
  [
    'booking_events',
    'the booking’s history, attendance included (check-in, check-out, no-show), kept with the booking',
  ],
  [
    'waitlist_entries',
    'the dates and times a client waits for, where (a search point or a home address) and with whom; no health data',
  ],
  ['booking_courses', 'which kept bookings were booked together as a course (therapist, rule, time), no health data'],
  ['journal_entries', 'bookkeeping law requires charges, fees and refunds to be kept (the double-entry ledger)'],
  ['postings', 'the lines of the kept journal entries: accounts and amounts, no health information'],
  // Part G (issue 16): money paid ahead, kept with the ledger.
  ['package_purchases', 'packages and membership months paid for: bookkeeping records, no health information'],
  ['package_redemptions', 'which booking used which paid credit: bookkeeping records, no health information'],
  ['memberships', 'the membership the client pays for monthly: a contract and bookkeeping, no health information'],
  ['gift_cards', 'gift cards bought: prepaid money owed to whoever holds the code, no health information'],
  ['gift_card_redemptions', 'gift card amounts used for bookings: bookkeeping records, no health information'],
  [
    'receipts',
    'receipts for payments and refunds are bookkeeping records the law requires kept; names, amounts and a card’s last digits, no health information',
  ],
  ['messages', 'messages already sent; they never contain health details'],
  [
    'audit_log',
    'the access log (who read or changed health information, without its content) keeps access accountable; it is exported',
  ],
  ['session_ratings', 'ratings are not health information'],
  ['pair_preferences', 'prefer/never choices between a client and a therapist are not health information'],
  ['sessions', 'the account’s sign-in sessions: the account is kept so the client can still sign in'],
  ['sign_in_links', 'one-time sign-in links (a token’s hash and times), no health data: the account is kept'],
  ['password_resets', 'one-time password-reset links (a token’s hash and times), no health data: the account is kept'],
  [
    'email_changes',
    'a new e-mail address waiting for verification (a token’s hash), no health data: the account is kept',
  ],
  ['notification_preferences', 'which optional e-mails the account turned off, no health data: the account is kept'],
  ['calendar_feeds', 'private calendar feed addresses of the account, which is kept'],
  ['idempotency_keys', 'stored answers to retried booking requests of the account (bookings, no health information)'],
  [
    'incidents',
    'the operators’ safety queue (conduct, injury, safety reports and overdue check-outs), kept for safety follow-up as before issue 13',
  ],
  ['incident_events', 'the history of a kept incident'],
  [
    'payments',
    'payments at the card processor (amounts, status, the processor’s reference): bookkeeping records, no health information',
  ],
  ['payment_refunds', 'refunds of kept payments: bookkeeping records, no health information'],
  ['disputes', 'card disputes of kept payments, which the card network and bookkeeping need; no health information'],
  [
    'payment_methods',
    'saved cards as the processor’s tokens with brand and last four digits; the client removes them, no health information',
  ],
  ['payouts', 'money paid out to therapists: bookkeeping records, no health information'],
  ['tips', 'tips are money paid to the therapist, kept with the ledger; amount, card and times, no health information'],
]);

/** Tables whose user column never names a client, and why they hold no client's rows. */
const NO_CLIENT = new Map<string, string>([
  ['therapists', '`user_id` is the therapist’s account; the profile (and its studios, services, overrides) is theirs'],
]);

/** Erased but not in the export, and why. */
const NOT_EXPORTED = new Map<string, string>([
  [
    'live_signals',
    'the live channel’s signals: erasure deletes them; the export has not listed them (unchanged by issue 13)',
  ],
  ['live_sequences', 'a per-booking counter of live signals, no content of its own'],
]);

let database: Database;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ database, drop } = await freshDatabase());
}, 120_000);
afterAll(async () => drop());

/** Tables with a client, booking or user column, then those that refer to them, until nothing is added. */
async function clientTables(): Promise<string[]> {
  const columns = await sql<{ table_name: string }>`
    SELECT DISTINCT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      AND c.column_name IN ('client_id', 'booking_id', 'user_id', 'subject_user_id')`.execute(database.db);
  const references = await sql<{ from_table: string; to_table: string }>`
    SELECT cl.relname AS from_table, ref.relname AS to_table FROM pg_constraint con
    JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_class ref ON ref.oid = con.confrelid
    JOIN pg_namespace n ON n.oid = cl.relnamespace
    WHERE con.contype = 'f' AND n.nspname = current_schema()`.execute(database.db);
  const tables = new Set(columns.rows.map((r) => r.table_name).filter((t) => !NO_CLIENT.has(t)));
  for (let added = true; added;) {
    added = false;
    for (const { from_table, to_table } of references.rows) {
      if (tables.has(to_table) && !tables.has(from_table)) {
        tables.add(from_table);
        added = true;
      }
    }
  }
  return [...tables].sort();
}

describe('a client’s health data', () => {
  it('is in the registry: every table with a client’s rows is erased by a registered part, or kept with a reason', async () => {
    const tables = await clientTables();
    expect(tables).toContain('session_note_amendments');
    const erased = new Set<string>(healthData.parts.flatMap((p) => p.erases));
    expect(
      tables.filter((t) => !erased.has(t) && !KEPT.has(t)),
      'tables no part erases and none keeps with a reason',
    ).toEqual([]);
    expect(
      [...KEPT.keys()].filter((t) => erased.has(t) || !tables.includes(t)),
      'kept tables that are erased or hold no client rows',
    ).toEqual([]);
  });

  it('is exported: every erased table is in the export, or listed with the reason it is not', async () => {
    const exported = new Set<string>(healthData.parts.flatMap((p) => p.exports));
    const erased = [...new Set<string>(healthData.parts.flatMap((p) => p.erases))].sort();
    expect(
      erased.filter((t) => !exported.has(t) && !NOT_EXPORTED.has(t)),
      'erased tables the export leaves out without a reason',
    ).toEqual([]);
    expect(
      [...NOT_EXPORTED.keys()].filter((t) => exported.has(t) || !erased.includes(t)),
      'stale NOT_EXPORTED entries',
    ).toEqual([]);
  });

  it('has parts that name only tables of the database', async () => {
    const tables = new Set<string>(await clientTables());
    const named = healthData.parts.flatMap((p) => [...p.exports, ...p.erases]);
    expect(named.filter((t) => !tables.has(t))).toEqual([]);
  });
});
