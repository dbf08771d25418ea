import { type Kysely, type OperationNodeSource, type QueryCreator, type Transaction, sql } from 'kysely';
import type { DB } from '../schema.js';
import { type LedgerAccount, type MoneyEvent, type MoneyEventKind, postingsFor } from './engine/ledger-postings.js';

/**
 * Writes the ledger: one journal entry and its balanced postings per business event (engine/ledger-postings.ts), in
 * the caller's transaction. Nothing here updates or deletes; the database refuses both, and refuses at commit an
 * entry whose postings do not sum to zero (migration 0021). A payment provider (none is reachable from these
 * machines yet) would settle entries and store its reference in `provider_reference`.
 */

/** Where and when an event happened: the market whose currency it is in, and the booking it belongs to, if any. */
export interface JournalContext {
  market: string;
  currency: string;
  bookingId: string | null;
  occurredAt: number;
}

/** Records `event` as one journal entry with its postings, in one statement; returns its id. */
export async function postMoneyEvent(trx: Transaction<DB>, event: MoneyEvent, context: JournalContext) {
  const row = await withJournalEntry(trx, event, context).selectFrom('entry').select('id').executeTakeFirstOrThrow();
  return row.id;
}

/** A data-modifying statement for another statement to run as one of its CTEs, under `name`. */
export interface WriteAlong {
  name: string;
  query: OperationNodeSource;
}

/**
 * The journal entry of `event` and its postings as two data-modifying CTEs (`entry` returns the entry's id), for a
 * statement of money's that writes something with them (payment-service.ts records an authorisation with a charge).
 */
export function withJournalEntry(trx: Transaction<DB>, event: MoneyEvent, context: JournalContext) {
  const [entry, posted] = journalEntryWrites(trx, event, context);
  return trx
    .with(entry!.name, () => sql`(${entry!.query})`)
    .with(posted!.name, () => sql`(${posted!.query})`) as unknown as QueryCreator<DB & { entry: { id: string } }>;
}

/**
 * The journal entry of `event` (the CTE `entry`, returning its id) and its postings (`posted`), as writes another
 * statement runs with its own (booking's confirm writes them with the booking's change: one statement).
 */
export function journalEntryWrites(trx: Transaction<DB>, event: MoneyEvent, context: JournalContext): WriteAlong[] {
  const postings = postingsFor(event).map((p) => ({
    account: p.account,
    holder: p.holder,
    amount_minor: p.amountMinor,
  }));
  return [
    {
      name: 'entry',
      query: trx
        .insertInto('journal_entries')
        .values({
          market: context.market,
          currency: context.currency,
          kind: event.kind,
          booking_id: context.bookingId,
          occurred_at: new Date(context.occurredAt),
          provider_reference: null,
        })
        .returning('id'),
    },
    {
      name: 'posted',
      query: trx
        .insertInto('postings')
        .columns(['journal_id', 'account', 'holder', 'amount_minor'])
        .expression(
          sql`SELECT entry.id, p.account, p.holder, p.amount_minor FROM entry CROSS JOIN jsonb_to_recordset(${JSON.stringify(postings)}::jsonb) AS p(account text, holder uuid, amount_minor integer)`,
        )
        .returning('journal_id'),
    },
  ];
}

/** A booking's journal entries in the order written, each with the amount it moved (the sum of its debits). */
export async function bookingJournal(
  db: Kysely<DB>,
  bookingId: string,
): Promise<{ kind: MoneyEventKind; amountMinor: number }[]> {
  const rows = await db
    .selectFrom('journal_entries as j')
    .innerJoin('postings as p', 'p.journal_id', 'j.id')
    .select(['j.kind', sql<string>`sum(CASE WHEN p.amount_minor > 0 THEN p.amount_minor ELSE 0 END)`.as('amount')])
    .where('j.booking_id', '=', bookingId)
    .groupBy(['j.id', 'j.seq', 'j.kind'])
    .orderBy('j.seq')
    .execute();
  return rows.map((r) => ({ kind: r.kind, amountMinor: Number(r.amount) }));
}

/** The balance (debit positive) of one account of one holder (null: the platform's own) in one currency. */
export async function accountBalance(
  db: Kysely<DB>,
  account: LedgerAccount,
  holder: string | null,
  currency: string,
): Promise<number> {
  const row = await db
    .selectFrom('postings as p')
    .innerJoin('journal_entries as j', 'j.id', 'p.journal_id')
    .select(sql<string>`coalesce(sum(p.amount_minor), 0)`.as('balance'))
    .where('p.account', '=', account)
    .where((eb) => (holder === null ? eb('p.holder', 'is', null) : eb('p.holder', '=', holder)))
    .where('j.currency', '=', currency)
    .executeTakeFirstOrThrow();
  return Number(row.balance);
}
