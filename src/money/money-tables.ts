import type { Generated } from 'kysely';
import type { LedgerAccount, MoneyEventKind } from './engine/ledger-postings.js';

/** One journal entry: one business event that moved money, in one currency. Append-only (migration 0021). */
export interface JournalEntriesTable {
  id: Generated<string>;
  /** Insertion order, for reading a journal back in the order it was written. */
  seq: Generated<string>;
  market: string;
  currency: string;
  kind: MoneyEventKind;
  booking_id: string | null;
  occurred_at: Date;
  /** Set by a payment provider that settles the entry (none is reachable yet). */
  provider_reference: string | null;
  created_at: Generated<Date>;
}

/** One line of a journal entry: debit (positive) or credit (negative) one account of one holder. Append-only. */
export interface PostingsTable {
  id: Generated<string>;
  journal_id: string;
  account: LedgerAccount;
  holder: string | null;
  amount_minor: number;
}

export interface MoneyTables {
  journal_entries: JournalEntriesTable;
  postings: PostingsTable;
}
