import { type Kysely, type Transaction, sql } from 'kysely';
import { displayNameMap } from '../accounts/accounts-reads.js';
import type { DB } from '../schema.js';
import { isTimeZone } from '../domain/session-time.js';
import { scheduleJob } from '../jobs/job-scheduler.js';
import { PURPOSE_WORDS, type ReceiptFacts } from './engine/receipt-document.js';
import type { ReceiptLine, ReceiptsTable } from './money-tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Receipts (issue 16): one for every payment captured (a session at check-out, a fee, a tip, a package, a membership
 * renewal, a gift card) and one for every refund that succeeded, issued in the transaction that records the money and
 * never changed afterwards (migration 0025). Issuing also schedules the receipt's e-mail as a durable job; its
 * handler lives in notify (notify/receipt-mail-job.ts), which is above money.
 */

/** The job kind of a receipt's e-mail; payload `{ receiptId }`. Handled by notify/receipt-mail-job.ts. */
export const RECEIPT_MAIL_JOB = 'money.receipt_mail';

export type ReceiptSource =
  /** Money taken on this payment: after its capture, or an immediate charge. */
  | { paymentId: string; refundId?: undefined }
  /** Money given back: after the refund succeeded. */
  | { refundId: string; paymentId?: undefined };

export interface IssueOptions {
  /** Words for what was paid for, when the payment's breakdown has none ("Late cancellation fee"). */
  description?: string;
  /**
   * The zone the receipt's times are written in. Default: the payment's own (`breakdown.timeZone`, the session's
   * place or the buyer's market, given where the payment was made), else that of another payment of its session (a
   * tip), else UTC.
   */
  timeZone?: string;
}

/**
 * The zone of a market, for the receipts of purchases made without a session (packages, memberships, gift cards):
 * markets belong to therapists, above money, so http/app.ts hands the answer in (therapists/therapists-reads.ts).
 */
export type MarketZone = (db: Db, market: string) => Promise<string>;

export interface IssuedReceipt {
  receiptId: string;
  number: string;
  /** False when this payment or refund already had its receipt: issuing again changes nothing. */
  issued: boolean;
}

/** "KW-2026-000042": the year it was issued (UTC) and the platform-wide sequence. */
export function receiptNumber(issuedAt: number, seq: number): string {
  return `KW-${new Date(issuedAt).getUTCFullYear()}-${String(seq).padStart(6, '0')}`;
}

/**
 * Issues the receipt for a captured payment (`{ paymentId }`) or a succeeded refund (`{ refundId }`) in the caller's
 * transaction, and schedules its e-mail there too. Idempotent: one receipt per payment's capture, one per refund.
 * Throws when the payment is not captured or the refund has not succeeded (a receipt is for money that moved).
 */
export async function issueReceipt(
  trx: Transaction<DB>,
  source: ReceiptSource,
  now: number,
  options: IssueOptions = {},
): Promise<IssuedReceipt> {
  const existing = await existingReceipt(trx, source);
  if (existing) return { receiptId: existing.id, number: existing.number, issued: false };

  const refund = source.refundId
    ? await trx.selectFrom('payment_refunds').selectAll().where('id', '=', source.refundId).executeTakeFirstOrThrow()
    : undefined;
  const paymentId = refund ? refund.payment_id : source.paymentId!;
  const payment = await trx
    .selectFrom('payments as p')
    .leftJoin('payment_methods as m', 'm.id', 'p.payment_method_id')
    .selectAll('p')
    .select(['m.brand', 'm.last4'])
    .where('p.id', '=', paymentId)
    .executeTakeFirstOrThrow();
  if (refund && refund.status !== 'succeeded') {
    throw new Error(`refund ${refund.id} is ${refund.status}: a receipt is issued once it has succeeded`);
  }
  if (!refund && (payment.status !== 'captured' || payment.amount_captured_minor <= 0)) {
    throw new Error(`payment ${payment.id} is ${payment.status}: a receipt is issued once it is captured`);
  }

  const names = await displayNameMap(
    trx,
    payment.therapist_id ? [payment.client_id, payment.therapist_id] : [payment.client_id],
  );
  const breakdown = payment.breakdown as { description?: unknown; lines?: unknown };
  const paidFor =
    options.description ??
    (typeof breakdown.description === 'string' && breakdown.description.length > 0
      ? breakdown.description
      : PURPOSE_WORDS[payment.purpose]);
  const amount = refund ? refund.amount_minor : payment.amount_captured_minor;
  const description = refund ? `Refund: ${paidFor}` : paidFor;
  const lines = refund
    ? [{ label: refund.reason ? `Refund (${refund.reason})` : 'Refund', amountMinor: amount }]
    : chargeLines(breakdown.lines, amount, paidFor);

  const seq = await sql<{ seq: string }>`SELECT nextval('receipt_number_seq') AS seq`.execute(trx);
  const number = receiptNumber(now, Number(seq.rows[0]!.seq));
  const inserted = await trx
    .insertInto('receipts')
    .values({
      number,
      client_id: payment.client_id,
      payment_id: payment.id,
      refund_id: refund?.id ?? null,
      kind: refund ? 'refund' : 'charge',
      purpose: payment.purpose,
      amount_minor: amount,
      currency: payment.currency,
      market: payment.market,
      booking_id: payment.booking_id,
      lines: JSON.stringify(lines) as never,
      description: description.slice(0, 300),
      client_name: names.get(payment.client_id) ?? 'Client',
      therapist_id: payment.therapist_id,
      therapist_name: payment.therapist_id ? (names.get(payment.therapist_id) ?? null) : null,
      payment_method: payment.brand && payment.last4 ? `${payment.brand} ending ${payment.last4}` : null,
      issued_at: new Date(now),
      time_zone: options.timeZone ?? (await paymentZone(trx, payment)),
    })
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'number'])
    .executeTakeFirst();
  if (!inserted) {
    // Another transaction issued it between our look and our insert.
    const raced = await existingReceipt(trx, source);
    if (!raced) throw new Error('the receipt could not be issued');
    return { receiptId: raced.id, number: raced.number, issued: false };
  }
  await scheduleJob(
    trx,
    {
      kind: RECEIPT_MAIL_JOB,
      payload: { receiptId: inserted.id },
      runAt: now,
      dedupeKey: `${RECEIPT_MAIL_JOB}:${inserted.id}`,
    },
    now,
  );
  return { receiptId: inserted.id, number: inserted.number, issued: true };
}

/** The zone a payment was made in: see IssueOptions.timeZone. */
async function paymentZone(
  trx: Transaction<DB>,
  payment: { id: string; booking_id: string | null; breakdown: unknown },
): Promise<string> {
  const own = zoneOfBreakdown(payment.breakdown);
  if (own) return own;
  if (!payment.booking_id) return 'UTC';
  const siblings = await trx
    .selectFrom('payments')
    .select('breakdown')
    .where('booking_id', '=', payment.booking_id)
    .where('id', '<>', payment.id)
    .orderBy('created_at')
    .execute();
  return siblings.map((s) => zoneOfBreakdown(s.breakdown)).find((zone) => zone !== null) ?? 'UTC';
}

/** `breakdown.timeZone` when it names a zone this runtime knows. */
function zoneOfBreakdown(breakdown: unknown): string | null {
  const zone = (breakdown as { timeZone?: unknown } | null)?.timeZone;
  return typeof zone === 'string' && zone.length > 0 && isTimeZone(zone) ? zone : null;
}

function existingReceipt(trx: Transaction<DB>, source: ReceiptSource) {
  let query = trx.selectFrom('receipts').select(['id', 'number']);
  query = source.refundId
    ? query.where('refund_id', '=', source.refundId)
    : query.where('payment_id', '=', source.paymentId!).where('kind', '=', 'charge');
  return query.executeTakeFirst();
}

/**
 * The lines of a charge: the breakdown's lines as the client was shown them (money/engine/checkout.ts CheckoutLine)
 * when they add up to what was captured; otherwise (a fee captured from a session's authorisation, a partial capture)
 * one line for the amount.
 */
export function chargeLines(lines: unknown, amountMinor: number, label: string): ReceiptLine[] {
  if (Array.isArray(lines) && lines.length > 0) {
    const valid = lines.every(
      (l) =>
        typeof l === 'object' &&
        l !== null &&
        typeof (l as ReceiptLine).label === 'string' &&
        Number.isSafeInteger((l as ReceiptLine).amountMinor),
    );
    const typed = lines as ReceiptLine[];
    if (valid && typed.reduce((sum, l) => sum + l.amountMinor, 0) === amountMinor) {
      return typed.map((l) => ({ label: l.label, amountMinor: l.amountMinor }));
    }
  }
  return [{ label, amountMinor }];
}

type ReceiptRow = Pick<
  ReceiptsTable,
  | 'number'
  | 'client_id'
  | 'payment_id'
  | 'refund_id'
  | 'kind'
  | 'purpose'
  | 'amount_minor'
  | 'currency'
  | 'market'
  | 'booking_id'
  | 'description'
  | 'client_name'
  | 'therapist_name'
  | 'payment_method'
  | 'issued_at'
> & { id: string; lines: ReceiptLine[]; time_zone: string };

export interface StoredReceipt extends ReceiptFacts {
  id: string;
  clientId: string;
  paymentId: string;
  refundId: string | null;
  bookingId: string | null;
  market: string;
}

const toStored = (r: ReceiptRow): StoredReceipt => ({
  id: r.id,
  number: r.number,
  clientId: r.client_id,
  paymentId: r.payment_id,
  refundId: r.refund_id,
  bookingId: r.booking_id,
  market: r.market,
  kind: r.kind,
  purpose: r.purpose,
  amountMinor: r.amount_minor,
  currency: r.currency,
  description: r.description,
  lines: r.lines,
  clientName: r.client_name,
  therapistName: r.therapist_name,
  paymentMethod: r.payment_method,
  issuedAt: r.issued_at.getTime(),
  timeZone: r.time_zone,
});

/** One receipt, or undefined. */
export async function receiptById(db: Db, receiptId: string): Promise<StoredReceipt | undefined> {
  const row = await db.selectFrom('receipts').selectAll().where('id', '=', receiptId).executeTakeFirst();
  return row && toStored(row);
}

/** A client's receipts of these payments, oldest first. */
async function receiptsOfPayments(db: Db, paymentIds: readonly string[]): Promise<StoredReceipt[]> {
  if (paymentIds.length === 0) return [];
  const rows = await db
    .selectFrom('receipts')
    .selectAll()
    .where('payment_id', 'in', [...paymentIds])
    .orderBy('issued_at')
    .orderBy('number')
    .execute();
  return rows.map(toStored);
}

export interface PaymentsPageItem {
  id: string;
  purpose: StoredReceipt['purpose'];
  status: 'authorized' | 'captured' | 'voided' | 'failed';
  description: string;
  therapistName: string | null;
  currency: string;
  amountAuthorizedMinor: number;
  amountCapturedMinor: number;
  amountRefundedMinor: number;
  paymentMethod: string | null;
  createdAt: number;
  capturedAt: number | null;
  bookingId: string | null;
  refunds: { id: string; amountMinor: number; status: 'pending' | 'succeeded' | 'failed'; createdAt: number }[];
  receipts: StoredReceipt[];
}

/**
 * The client's payments page: their payments newest first (`limit` of them after skipping `offset`), each with its
 * refunds and receipts, in three queries whatever the page's size. `hasMore` says whether a next page exists.
 */
export async function paymentsOfClient(
  db: Db,
  clientId: string,
  page: { limit: number; offset: number },
): Promise<{ items: PaymentsPageItem[]; hasMore: boolean }> {
  const rows = await db
    .selectFrom('payments as p')
    .leftJoin('payment_methods as m', 'm.id', 'p.payment_method_id')
    .selectAll('p')
    .select(['m.brand', 'm.last4'])
    .where('p.client_id', '=', clientId)
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(page.limit + 1)
    .offset(page.offset)
    .execute();
  const hasMore = rows.length > page.limit;
  const shown = rows.slice(0, page.limit);
  const ids = shown.map((p) => p.id);
  const [refunds, receipts, names] = await Promise.all([
    ids.length === 0
      ? Promise.resolve([])
      : db.selectFrom('payment_refunds').selectAll().where('payment_id', 'in', ids).orderBy('created_at').execute(),
    receiptsOfPayments(db, ids),
    displayNameMap(
      db,
      shown.flatMap((p) => (p.therapist_id ? [p.therapist_id] : [])),
    ),
  ]);
  const items = shown.map((p): PaymentsPageItem => {
    const breakdown = p.breakdown as { description?: unknown };
    return {
      id: p.id,
      purpose: p.purpose,
      status: p.status,
      description:
        typeof breakdown.description === 'string' && breakdown.description.length > 0
          ? breakdown.description
          : PURPOSE_WORDS[p.purpose],
      therapistName: p.therapist_id ? (names.get(p.therapist_id) ?? null) : null,
      currency: p.currency,
      amountAuthorizedMinor: p.amount_authorized_minor,
      amountCapturedMinor: p.amount_captured_minor,
      amountRefundedMinor: p.amount_refunded_minor,
      paymentMethod: p.brand && p.last4 ? `${p.brand} ending ${p.last4}` : null,
      createdAt: p.created_at.getTime(),
      capturedAt: p.captured_at?.getTime() ?? null,
      bookingId: p.booking_id,
      refunds: refunds
        .filter((r) => r.payment_id === p.id)
        .map((r) => ({ id: r.id, amountMinor: r.amount_minor, status: r.status, createdAt: r.created_at.getTime() })),
      receipts: receipts.filter((r) => r.paymentId === p.id),
    };
  });
  return { items, hasMore };
}

/**
 * What was paid by card for each session (purpose 'booking'): captured minus refunded, per booking, for the
 * superbill. Bookings without a captured payment are absent.
 */
export async function paidForBookings(
  db: Db,
  bookingIds: readonly string[],
): Promise<Map<string, { paidMinor: number; currency: string }>> {
  if (bookingIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('payments')
    .select(['booking_id', 'currency', sql<string>`sum(amount_captured_minor - amount_refunded_minor)`.as('paid')])
    .where('booking_id', 'in', [...bookingIds])
    .where('purpose', '=', 'booking')
    .where('status', '=', 'captured')
    .groupBy(['booking_id', 'currency'])
    .execute();
  return new Map(rows.map((r) => [r.booking_id!, { paidMinor: Number(r.paid), currency: r.currency }]));
}
