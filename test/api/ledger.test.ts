import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import { ensureMarket } from '../../src/demo/seed.js';
import { NEW_YORK } from '../../src/demo/demo-market.js';
import { type MoneyEvent, balancesOf, postingsFor } from '../../src/money/engine/ledger-postings.js';
import { accountBalance, bookingJournal, postMoneyEvent } from '../../src/money/ledger-store.js';
import type { DB } from '../../src/schema.js';
import { BACKEND, TEST_NOW, freshDatabase } from '../support/test-app.js';

/**
 * The double-entry ledger in the database (issue 16, deliverable 1): append-only, every journal entry balances
 * (the database refuses one that does not, at commit), balances are the sums of postings, and migration 0021 turns
 * the old single-row ledger into balanced entries.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

let db: Kysely<DB>;
let market: string;
beforeAll(async () => {
  const fresh = await freshDatabase();
  cleanups.push(fresh.drop);
  db = fresh.database.db;
  await ensureMarket(db);
  market = (await db.selectFrom('markets').select('id').executeTakeFirstOrThrow()).id;
});

const context = (at = TEST_NOW) => ({ market, currency: 'USD', bookingId: null, occurredAt: at });

describe(`the ledger on ${BACKEND}`, () => {
  it('keeps what it wrote: updating or deleting an entry or a posting is refused', async () => {
    const client = randomUUID();
    const id = await db
      .transaction()
      .execute((trx) => postMoneyEvent(trx, { kind: 'payment', clientId: client, amountMinor: 500 }, context()));
    await expect(
      db.updateTable('postings').set({ amount_minor: 1 }).where('journal_id', '=', id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('postings').where('journal_id', '=', id).execute()).rejects.toThrow(/append-only/);
    await expect(
      db.updateTable('journal_entries').set({ provider_reference: 'x' }).where('id', '=', id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('journal_entries').where('id', '=', id).execute()).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE postings`.execute(db)).rejects.toThrow(/append-only/);
    expect(await accountBalance(db, 'client', client, 'USD')).toBe(-500);
  });

  it('refuses, at commit, a journal entry whose postings do not sum to zero or that has a single posting', async () => {
    const write = (amounts: number[]) =>
      db.transaction().execute(async (trx) => {
        const entry = await trx
          .insertInto('journal_entries')
          .values({ market, currency: 'USD', kind: 'tip', booking_id: null, occurred_at: new Date(TEST_NOW) })
          .returning('id')
          .executeTakeFirstOrThrow();
        for (const amount of amounts) {
          await trx
            .insertInto('postings')
            .values({ journal_id: entry.id, account: 'client', holder: null, amount_minor: amount })
            .execute();
        }
        return entry.id;
      });
    await expect(write([100, -99])).rejects.toThrow(/does not balance/);
    await expect(write([100])).rejects.toThrow(/does not balance/);
    await expect(write([])).rejects.toThrow(/does not balance/);
    const balanced = await write([100, -60, -40]);
    expect(await db.selectFrom('journal_entries').select('id').where('kind', '=', 'tip').execute()).toEqual([
      { id: balanced },
    ]);
  });

  it('balances every entry, and each account’s balance is the sum of its postings, under random events', async () => {
    const uuid = fc.constantFrom('h0', 'h1', 'h2');
    const amount = fc.integer({ min: 1, max: 100_000 });
    const session = fc
      .record({ clientId: uuid, therapistId: uuid, amountMinor: amount, sharePct: fc.nat(50) })
      .map(({ sharePct, ...s }) => ({ ...s, platformShareMinor: Math.floor((s.amountMinor * sharePct) / 100) }));
    const event: fc.Arbitrary<MoneyEvent> = fc.oneof(
      session.map((s) => ({ kind: 'charge' as const, ...s })),
      session.map((s) => ({ kind: 'refund' as const, ...s })),
      session.map((s) => ({ kind: 'cancellation_fee' as const, ...s })),
      fc.record({ kind: fc.constant('tip' as const), clientId: uuid, therapistId: uuid, amountMinor: amount }),
      fc.record({
        kind: fc.constant('gift_card_issue' as const),
        clientId: uuid,
        giftCardId: uuid,
        amountMinor: amount,
      }),
      fc.record({
        kind: fc.constant('gift_card_redemption' as const),
        clientId: uuid,
        giftCardId: uuid,
        amountMinor: amount,
      }),
      fc.record({ kind: fc.constant('package_issue' as const), clientId: uuid, packageId: uuid, amountMinor: amount }),
      fc.record({
        kind: fc.constant('package_redemption' as const),
        clientId: uuid,
        packageId: uuid,
        amountMinor: amount,
      }),
      fc.record({ kind: fc.constant('payment' as const), clientId: uuid, amountMinor: amount }),
      fc.record({ kind: fc.constant('repayment' as const), clientId: uuid, amountMinor: amount }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 12 }), async (story) => {
        // Fresh holders each run, so the clients', therapists', cards' and packages' balances are this run's alone.
        const holders = new Map(['h0', 'h1', 'h2'].map((h) => [h, randomUUID()]));
        const rename = (v: unknown) => (typeof v === 'string' && holders.has(v) ? holders.get(v) : v);
        const events = story.map(
          (e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, rename(v)])) as MoneyEvent,
        );
        const expected = balancesOf(events.flatMap(postingsFor));
        const balanceOf = (key: string) => {
          const [account, holder] = key.split(':') as [Parameters<typeof accountBalance>[1], string];
          return accountBalance(db, account, holder || null, 'USD');
        };
        // The platform's own accounts (no holder) carry earlier runs' postings too: compare what this run added.
        const before = new Map<string, number>();
        for (const key of expected.keys()) before.set(key, await balanceOf(key));
        await db.transaction().execute(async (trx) => {
          for (const e of events) await postMoneyEvent(trx, e, context());
        });
        for (const [key, balance] of expected) {
          expect((await balanceOf(key)) - before.get(key)!).toBe(balance);
          if (!key.endsWith(':')) expect(before.get(key)).toBe(0);
        }
        const unbalanced = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM (
            SELECT j.id FROM journal_entries j JOIN postings p ON p.journal_id = j.id
            GROUP BY j.id HAVING sum(p.amount_minor) <> 0) u`.execute(db);
        expect(unbalanced.rows[0]!.n).toBe(0);
      }),
      { numRuns: 15 },
    );
  });
});

describe(`migration 0021 (a double-entry ledger) on ${BACKEND}`, () => {
  it('turns each old ledger row into a balanced entry between the client and the therapist, and drops the old table', async () => {
    const all = loadMigrations();
    const { database, drop } = await freshDatabase({ migrations: all.filter((m) => m.version < '0021') });
    cleanups.push(drop);
    const old = database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    // The market as its table was before 0021 (later migrations added columns the seed now writes).
    await old
      .insertInto('markets')
      .values({
        id: NEW_YORK.id,
        name: NEW_YORK.name,
        time_zone: NEW_YORK.timeZone,
        center_lat: NEW_YORK.center.lat,
        center_lng: NEW_YORK.center.lng,
        distance_unit: NEW_YORK.distanceUnit,
      })
      .execute();
    const marketId = (await database.db.selectFrom('markets').select('id').executeTakeFirstOrThrow()).id;
    const user = async (email: string, role: string) =>
      (
        await old
          .insertInto('users')
          .values({ email, password_hash: 'x', role, display_name: email })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id as string;
    const clientId = await user('old-client@example.test', 'client');
    const therapistId = await user('old-therapist@example.test', 'therapist');
    await old
      .insertInto('therapists')
      .values({ user_id: therapistId, market: marketId, gender: 'female', time_zone: 'America/New_York' })
      .execute();
    const startsAt = new Date(TEST_NOW + 48 * 3_600_000);
    const endsAt = new Date(startsAt.getTime() + 3_600_000);
    const booking = (await old
      .insertInto('bookings')
      .values({
        market: marketId,
        therapist_id: therapistId,
        client_id: clientId,
        status: 'cancelled',
        mode: 'home',
        address: '1 Old Street',
        lat: 40.7,
        lng: -74,
        duration_min: 60,
        starts_at: startsAt,
        ends_at: endsAt,
        buffer_before_min: 0,
        buffer_after_min: 0,
        blocked: sql`tstzrange(${startsAt}::timestamptz, ${endsAt}::timestamptz, '[)')`,
        price_cents: 12_000,
        currency: 'USD',
        cancellation_policy: JSON.stringify({}),
        time_zone: 'America/New_York',
        created_at: new Date(TEST_NOW),
        updated_at: new Date(TEST_NOW),
      })
      .returning('id')
      .executeTakeFirstOrThrow()) as { id: string };
    const row = (kind: string, amount: number, at: number) => ({
      market: marketId,
      booking_id: booking.id,
      kind,
      amount_cents: amount,
      currency: 'USD',
      created_at: new Date(at),
      provider_reference: kind === 'charge' ? 'old-ref' : null,
    });
    await old
      .insertInto('ledger_entries')
      .values([
        row('cancellation_fee', 6_000, TEST_NOW + 60_000),
        row('refund', 12_000, TEST_NOW + 60_000),
        row('charge', 12_000, TEST_NOW),
        row('cancellation_fee', 0, TEST_NOW + 60_000),
      ])
      .execute();

    await migrate(database, all);

    expect(await bookingJournal(database.db, booking.id)).toEqual([
      { kind: 'charge', amountMinor: 12_000 },
      { kind: 'refund', amountMinor: 12_000 },
      { kind: 'cancellation_fee', amountMinor: 6_000 },
    ]);
    expect(await accountBalance(database.db, 'client', clientId, 'USD')).toBe(6_000);
    expect(await accountBalance(database.db, 'therapist_payable', therapistId, 'USD')).toBe(-6_000);
    const charge = await database.db
      .selectFrom('journal_entries')
      .select(['provider_reference', 'occurred_at', 'market'])
      .where('kind', '=', 'charge')
      .executeTakeFirstOrThrow();
    expect(charge).toEqual({ provider_reference: 'old-ref', occurred_at: new Date(TEST_NOW), market: marketId });
    const left = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'ledger_entries'`.execute(
      database.db,
    );
    expect(left.rows[0]!.n).toBe(0);
  });
});
