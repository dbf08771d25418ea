/**
 * What a therapist earned, and what a market took in, read from the ledger alone: pure, over journal entries and
 * their postings (ledger-postings.ts), so every figure reconciles with the account balances. A therapist's part of a
 * session is what was credited to their `therapist_payable`, the platform's what was credited to `platform_revenue`,
 * tips what was credited to their `tips_payable`; tax is never the therapist's nor the platform's.
 *
 * Signs: the amounts here are what people read, positive; the `net` of a line is what it adds to (or, a refund or a
 * payout, takes from) what the therapist is owed, so the lines' nets sum to the change in that balance.
 */
import type { MoneyEventKind, Posting } from './ledger-postings.js';

/** One journal entry as the ledger store reads it back. */
export interface JournalRecord {
  id: string;
  kind: MoneyEventKind;
  bookingId: string | null;
  occurredAt: number;
  currency: string;
  postings: Posting[];
}

/** One line of a therapist's earnings: one journal entry that touched what they are owed. */
export interface EarningsLine {
  journalId: string;
  occurredAt: number;
  bookingId: string | null;
  kind: MoneyEventKind;
  /** The session amount before tax (negative for a refund); 0 for a tip or a payout. */
  grossMinor: number;
  /** The platform's part of `grossMinor`. */
  platformFeeMinor: number;
  tipMinor: number;
  /** What the line adds to what the therapist is owed (negative: a refund's therapist part, or a payout). */
  netMinor: number;
}

export interface EarningsTotals {
  /** Sessions charged in the period, less those wholly refunded in it. */
  sessions: number;
  grossMinor: number;
  platformFeeMinor: number;
  tipsMinor: number;
  /** Cancellation and no-show fees charged, and the therapist's part of them. */
  feesMinor: number;
  feesTherapistMinor: number;
  /** Refunds of session amounts (before tax), and the therapist's part of them. */
  refundsMinor: number;
  refundsTherapistMinor: number;
  /** gross - platform fee + fees' therapist part - refunds' therapist part + tips. */
  netPayableMinor: number;
  payoutsMinor: number;
  /** Owed before the period, and at its end: opening + net payable - payouts. */
  openingOwedMinor: number;
  closingOwedMinor: number;
}

export interface TherapistEarnings {
  totals: EarningsTotals;
  lines: EarningsLine[];
}

const OWED_ACCOUNTS = new Set(['therapist_payable', 'tips_payable']);

function sumOf(postings: readonly Posting[], keep: (p: Posting) => boolean): number {
  let total = 0;
  for (const p of postings) if (keep(p)) total += p.amountMinor;
  return total;
}

/** The parts of one entry for `therapistId`, or null when the entry does not touch what they are owed. */
export function earningsLineOf(entry: JournalRecord, therapistId: string): EarningsLine | null {
  const mine = (account: string) => (p: Posting) => p.account === account && p.holder === therapistId;
  if (!entry.postings.some((p) => OWED_ACCOUNTS.has(p.account) && p.holder === therapistId)) return null;
  const payable = -sumOf(entry.postings, mine('therapist_payable'));
  const tips = -sumOf(entry.postings, mine('tips_payable'));
  const platform = -sumOf(entry.postings, (p) => p.account === 'platform_revenue');
  const sessionKind = entry.kind === 'charge' || entry.kind === 'refund' || entry.kind === 'cancellation_fee';
  return {
    journalId: entry.id,
    occurredAt: entry.occurredAt,
    bookingId: entry.bookingId,
    kind: entry.kind,
    grossMinor: sessionKind ? payable + platform : 0,
    platformFeeMinor: sessionKind ? platform : 0,
    tipMinor: entry.kind === 'payout' ? 0 : tips,
    netMinor: payable + tips,
  };
}

/**
 * A therapist's earnings over `entries` (the period's, in the order written), given what they were owed before it.
 * Entries that do not touch the therapist's accounts are left out.
 */
export function therapistEarnings(
  entries: readonly JournalRecord[],
  therapistId: string,
  openingOwedMinor = 0,
): TherapistEarnings {
  const lines: EarningsLine[] = [];
  const totals: EarningsTotals = {
    sessions: 0,
    grossMinor: 0,
    platformFeeMinor: 0,
    tipsMinor: 0,
    feesMinor: 0,
    feesTherapistMinor: 0,
    refundsMinor: 0,
    refundsTherapistMinor: 0,
    netPayableMinor: 0,
    payoutsMinor: 0,
    openingOwedMinor,
    closingOwedMinor: openingOwedMinor,
  };
  // Per booking: session amount charged less refunded; a session counts while some of it stays charged.
  const charged = new Map<string, number>();
  let unbookedCharges = 0;
  for (const entry of entries) {
    const line = earningsLineOf(entry, therapistId);
    if (!line) continue;
    lines.push(line);
    switch (line.kind) {
      case 'charge':
        totals.grossMinor += line.grossMinor;
        totals.platformFeeMinor += line.platformFeeMinor;
        if (line.bookingId === null) unbookedCharges += 1;
        else charged.set(line.bookingId, (charged.get(line.bookingId) ?? 0) + line.grossMinor);
        break;
      case 'refund':
        totals.refundsMinor -= line.grossMinor;
        totals.refundsTherapistMinor -= line.netMinor;
        if (line.bookingId !== null && charged.has(line.bookingId)) {
          charged.set(line.bookingId, charged.get(line.bookingId)! + line.grossMinor);
        }
        break;
      case 'cancellation_fee':
        totals.feesMinor += line.grossMinor;
        totals.feesTherapistMinor += line.netMinor;
        break;
      case 'payout':
        totals.payoutsMinor -= line.netMinor;
        break;
      default:
        break;
    }
    totals.tipsMinor += line.tipMinor;
  }
  totals.sessions = unbookedCharges + [...charged.values()].filter((amount) => amount > 0).length;
  totals.netPayableMinor =
    totals.grossMinor -
    totals.platformFeeMinor +
    totals.feesTherapistMinor -
    totals.refundsTherapistMinor +
    totals.tipsMinor;
  totals.closingOwedMinor = openingOwedMinor + totals.netPayableMinor - totals.payoutsMinor;
  return { totals, lines };
}

/** A market's money over a period, from its journal entries. */
export interface MarketTotals {
  /** Session amounts charged, before tax. */
  grossMinor: number;
  /** What the platform kept: commission and fees' share, less refunds' share. */
  platformRevenueMinor: number;
  tipsMinor: number;
  /** Cancellation and no-show fees charged, before tax. */
  feesMinor: number;
  /** Session amounts refunded, before tax. */
  refundsMinor: number;
  /** Tax charged less tax refunded. */
  taxCollectedMinor: number;
  payoutsMinor: number;
}

export function marketTotals(entries: readonly JournalRecord[]): MarketTotals {
  const totals: MarketTotals = {
    grossMinor: 0,
    platformRevenueMinor: 0,
    tipsMinor: 0,
    feesMinor: 0,
    refundsMinor: 0,
    taxCollectedMinor: 0,
    payoutsMinor: 0,
  };
  for (const entry of entries) {
    const credited = (account: string) => -sumOf(entry.postings, (p) => p.account === account);
    const session = credited('therapist_payable') + credited('platform_revenue');
    totals.platformRevenueMinor += credited('platform_revenue');
    totals.taxCollectedMinor += credited('tax_payable');
    if (entry.kind === 'charge') totals.grossMinor += session;
    if (entry.kind === 'cancellation_fee') totals.feesMinor += session;
    if (entry.kind === 'refund') totals.refundsMinor -= session;
    if (entry.kind === 'tip') totals.tipsMinor += credited('tips_payable');
    if (entry.kind === 'payout') {
      totals.payoutsMinor += sumOf(
        entry.postings,
        (p) => p.account === 'therapist_payable' || p.account === 'tips_payable',
      );
    }
  }
  return totals;
}
