import { type Kysely, type Transaction, sql } from 'kysely';
import { ProblemError } from '../domain/problems.js';
import type { DB } from '../schema.js';
import { type JournalRecord, type TherapistEarnings, marketTotals, therapistEarnings } from './engine/earnings.js';
import type { LedgerAccount } from './engine/ledger-postings.js';
import { postMoneyEvent } from './ledger-store.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Earnings, the market's money and payouts, read from the ledger (engine/earnings.ts does the arithmetic). Periods are
 * instants [fromMs, toMs): the caller above, who knows the market's zone, turns calendar dates into them.
 */

export interface Period {
  fromMs: number;
  toMs: number;
}

const OWED: LedgerAccount[] = ['therapist_payable', 'tips_payable'];

/** The market's journal entries in the period, in the order they happened (as written, for one instant), optionally only those touching a therapist's accounts. */
async function journalIn(
  db: Db,
  market: string,
  period: Period,
  therapistId?: string,
  currency?: string,
): Promise<JournalRecord[]> {
  let query = db
    .selectFrom('journal_entries as j')
    .innerJoin('postings as p', 'p.journal_id', 'j.id')
    .select([
      'j.id',
      'j.kind',
      'j.booking_id',
      'j.occurred_at',
      'j.currency',
      'j.seq',
      'p.account',
      'p.holder',
      'p.amount_minor',
    ])
    .where('j.market', '=', market)
    .where('j.occurred_at', '>=', new Date(period.fromMs))
    .where('j.occurred_at', '<', new Date(period.toMs));
  if (currency) query = query.where('j.currency', '=', currency);
  if (therapistId) {
    query = query.where('j.id', 'in', (eb) =>
      eb
        .selectFrom('postings as mine')
        .select('mine.journal_id')
        .where('mine.account', 'in', OWED)
        .where('mine.holder', '=', therapistId),
    );
  }
  const rows = await query.orderBy('j.occurred_at').orderBy('j.seq').orderBy('p.id').execute();
  const entries = new Map<string, JournalRecord>();
  for (const r of rows) {
    let entry = entries.get(r.id);
    if (!entry) {
      entry = {
        id: r.id,
        kind: r.kind,
        bookingId: r.booking_id,
        occurredAt: r.occurred_at.getTime(),
        currency: r.currency,
        postings: [],
      };
      entries.set(r.id, entry);
    }
    entry.postings.push({ account: r.account, holder: r.holder, amountMinor: Number(r.amount_minor) });
  }
  return [...entries.values()];
}

/** What the therapist is owed in the market (session earnings and tips, each), before `beforeMs` if given. */
export async function owedTo(
  db: Db,
  therapistId: string,
  market: string,
  currency: string,
  beforeMs?: number,
): Promise<Record<'therapist_payable' | 'tips_payable', number>> {
  let query = db
    .selectFrom('postings as p')
    .innerJoin('journal_entries as j', 'j.id', 'p.journal_id')
    .select(['p.account', sql<string>`coalesce(sum(p.amount_minor), 0)`.as('balance')])
    .where('p.account', 'in', OWED)
    .where('p.holder', '=', therapistId)
    .where('j.market', '=', market)
    .where('j.currency', '=', currency)
    .groupBy('p.account');
  if (beforeMs !== undefined) query = query.where('j.occurred_at', '<', new Date(beforeMs));
  const rows = await query.execute();
  const owed = { therapist_payable: 0, tips_payable: 0 };
  for (const r of rows) owed[r.account as keyof typeof owed] = -Number(r.balance);
  return owed;
}

/** The currency of the therapist's newest journal entry in the market; null when there is none. */
export async function ledgerCurrencyOf(db: Db, therapistId: string, market: string): Promise<string | null> {
  const row = await db
    .selectFrom('journal_entries as j')
    .innerJoin('postings as p', 'p.journal_id', 'j.id')
    .select('j.currency')
    .where('j.market', '=', market)
    .where('p.account', 'in', OWED)
    .where('p.holder', '=', therapistId)
    .orderBy('j.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.currency ?? null;
}

export interface PayoutView {
  id: string;
  therapistId: string;
  from: 'therapist_payable' | 'tips_payable';
  amountMinor: number;
  currency: string;
  reference: string;
  recordedAt: number;
  recordedBy: string;
}

function payoutView(r: {
  id: string;
  therapist_id: string;
  from_account: 'therapist_payable' | 'tips_payable';
  amount_minor: number;
  currency: string;
  reference: string;
  recorded_at: Date;
  recorded_by: string;
}): PayoutView {
  return {
    id: r.id,
    therapistId: r.therapist_id,
    from: r.from_account,
    amountMinor: r.amount_minor,
    currency: r.currency,
    reference: r.reference,
    recordedAt: r.recorded_at.getTime(),
    recordedBy: r.recorded_by,
  };
}

/** Payouts recorded in the market in the period (of one therapist, if given), newest first. */
export async function payoutsIn(db: Db, market: string, period: Period, therapistId?: string): Promise<PayoutView[]> {
  let query = db
    .selectFrom('payouts')
    .selectAll()
    .where('market', '=', market)
    .where('recorded_at', '>=', new Date(period.fromMs))
    .where('recorded_at', '<', new Date(period.toMs));
  if (therapistId) query = query.where('therapist_id', '=', therapistId);
  return (await query.orderBy('recorded_at', 'desc').orderBy('id').execute()).map(payoutView);
}

/** A therapist's earnings in the market over the period, in `currency`, with what they were owed before it. */
export async function earningsOf(
  db: Db,
  therapistId: string,
  market: string,
  currency: string,
  period: Period,
): Promise<TherapistEarnings> {
  const before = await owedTo(db, therapistId, market, currency, period.fromMs);
  const entries = await journalIn(db, market, period, therapistId, currency);
  return therapistEarnings(entries, therapistId, before.therapist_payable + before.tips_payable);
}

export interface TherapistMoneyRow {
  therapistId: string;
  currency: string;
  grossMinor: number;
  platformFeeMinor: number;
  tipsMinor: number;
  netPayableMinor: number;
  payoutsMinor: number;
  /** Owed now, all periods together: session earnings and tips. */
  owedEarningsMinor: number;
  owedTipsMinor: number;
}

export interface OpenDispute {
  id: string;
  paymentId: string;
  clientId: string;
  therapistId: string | null;
  bookingId: string | null;
  amountMinor: number;
  currency: string;
  reason: string | null;
  openedAt: number;
}

/** The market's money over a period, per currency the ledger holds, its therapists' figures and open disputes. */
export async function marketMoneyView(db: Db, market: string, period: Period) {
  const entries = await journalIn(db, market, period);
  const currencies = [...new Set(entries.map((e) => e.currency))].sort();
  const totals = currencies.map((currency) => ({
    currency,
    ...marketTotals(entries.filter((e) => e.currency === currency)),
  }));

  // What each therapist is owed now, whatever the period: one grouped query.
  const owedRows = await db
    .selectFrom('postings as p')
    .innerJoin('journal_entries as j', 'j.id', 'p.journal_id')
    .select(['p.holder', 'p.account', 'j.currency', sql<string>`coalesce(sum(p.amount_minor), 0)`.as('balance')])
    .where('p.account', 'in', OWED)
    .where('j.market', '=', market)
    .groupBy(['p.holder', 'p.account', 'j.currency'])
    .execute();
  const rows = new Map<string, TherapistMoneyRow>();
  const rowOf = (therapistId: string, currency: string) => {
    const key = `${therapistId}:${currency}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        therapistId,
        currency,
        grossMinor: 0,
        platformFeeMinor: 0,
        tipsMinor: 0,
        netPayableMinor: 0,
        payoutsMinor: 0,
        owedEarningsMinor: 0,
        owedTipsMinor: 0,
      };
      rows.set(key, row);
    }
    return row;
  };
  for (const r of owedRows) {
    if (r.holder === null) continue;
    const row = rowOf(r.holder, r.currency);
    if (r.account === 'therapist_payable') row.owedEarningsMinor = -Number(r.balance);
    else row.owedTipsMinor = -Number(r.balance);
  }
  const therapistIds = new Set(
    entries.flatMap((e) => e.postings.filter((p) => OWED.includes(p.account) && p.holder).map((p) => p.holder!)),
  );
  for (const currency of currencies) {
    const inCurrency = entries.filter((e) => e.currency === currency);
    for (const therapistId of therapistIds) {
      const { totals: t, lines } = therapistEarnings(inCurrency, therapistId);
      if (lines.length === 0) continue;
      Object.assign(rowOf(therapistId, currency), {
        grossMinor: t.grossMinor,
        platformFeeMinor: t.platformFeeMinor,
        tipsMinor: t.tipsMinor,
        netPayableMinor: t.netPayableMinor,
        payoutsMinor: t.payoutsMinor,
      });
    }
  }

  const disputes = await db
    .selectFrom('disputes as d')
    .innerJoin('payments as pay', 'pay.id', 'd.payment_id')
    .select([
      'd.id',
      'd.payment_id',
      'd.amount_minor',
      'd.reason',
      'd.opened_at',
      'pay.client_id',
      'pay.therapist_id',
      'pay.booking_id',
      'pay.currency',
    ])
    .where('pay.market', '=', market)
    .where('d.status', '=', 'open')
    .orderBy('d.opened_at')
    .orderBy('d.id')
    .execute();
  const openDisputes: OpenDispute[] = disputes.map((d) => ({
    id: d.id,
    paymentId: d.payment_id,
    clientId: d.client_id,
    therapistId: d.therapist_id,
    bookingId: d.booking_id,
    amountMinor: d.amount_minor,
    currency: d.currency,
    reason: d.reason,
    openedAt: d.opened_at.getTime(),
  }));
  return { totals, therapists: [...rows.values()], openDisputes };
}

export interface PayoutRequest {
  therapistId: string;
  market: string;
  amountMinor: number;
  from: 'therapist_payable' | 'tips_payable';
  reference: string;
  recordedBy: string;
}

/**
 * Records a payout in the caller's transaction, which must hold the therapist's lock (so two payouts cannot both fit
 * in one balance): payout_too_large when it is more than the account owes, payout_reference_used when this transfer
 * was recorded already.
 */
export async function recordPayout(trx: Transaction<DB>, req: PayoutRequest, now: number): Promise<PayoutView> {
  const currency = await ledgerCurrencyOf(trx, req.therapistId, req.market);
  const owed = currency ? (await owedTo(trx, req.therapistId, req.market, currency))[req.from] : 0;
  if (currency === null || req.amountMinor > owed) {
    const message = `The therapist is owed ${Math.max(owed, 0)} (minor units) from ${req.from === 'tips_payable' ? 'tips' : 'session earnings'}.`;
    throw new ProblemError('payout_too_large', message, {
      errors: [{ field: 'amountMinor', in: 'body', code: 'too_large', message }],
      extra: { owedMinor: Math.max(owed, 0) },
    });
  }
  const used = await trx
    .selectFrom('payouts')
    .select('id')
    .where('therapist_id', '=', req.therapistId)
    .where('reference', '=', req.reference)
    .executeTakeFirst();
  if (used) {
    const message = 'A payout with this reference is recorded already.';
    throw new ProblemError('payout_reference_used', message, {
      errors: [{ field: 'reference', in: 'body', code: 'duplicate', message }],
    });
  }
  const journalId = await postMoneyEvent(
    trx,
    { kind: 'payout', therapistId: req.therapistId, from: req.from, amountMinor: req.amountMinor },
    { market: req.market, currency, bookingId: null, occurredAt: now },
  );
  const row = await trx
    .insertInto('payouts')
    .values({
      therapist_id: req.therapistId,
      market: req.market,
      currency,
      from_account: req.from,
      amount_minor: req.amountMinor,
      reference: req.reference,
      journal_id: journalId,
      recorded_by: req.recordedBy,
      recorded_at: new Date(now),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return payoutView(row);
}
