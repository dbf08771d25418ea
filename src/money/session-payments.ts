import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { SessionSplit } from './engine/checkout.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * A session's payment as booking (above money) reads and moves it, without naming money's tables: the live
 * authorisation (or capture) of a booking, the split its ledger charge was posted with, and the move of the payment
 * to the booking a reschedule placed.
 */

export interface SessionPayment {
  id: string;
  status: 'authorized' | 'captured' | 'voided' | 'failed';
  paymentMethodId: string | null;
  brand: string | null;
  last4: string | null;
  amountAuthorizedMinor: number;
  amountCapturedMinor: number;
  amountRefundedMinor: number;
}

/** Which of the bookings have a session payment (authorised or captured), as `sessionPaymentOf` finds one. */
export async function withSessionPayment(db: Db, bookingIds: string[]): Promise<Set<string>> {
  if (bookingIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('payments')
    .select('booking_id')
    .where('booking_id', 'in', bookingIds)
    .where('purpose', '=', 'booking')
    .where('status', 'in', ['authorized', 'captured'])
    .execute();
  return new Set(rows.map((row) => row.booking_id!));
}

/** The booking's session payment (purpose booking) still alive (authorised or captured), or null. */
export async function sessionPaymentOf(db: Db, bookingId: string): Promise<SessionPayment | null> {
  const row = await db
    .selectFrom('payments as p')
    .leftJoin('payment_methods as m', 'm.id', 'p.payment_method_id')
    .select([
      'p.id',
      'p.status',
      'p.payment_method_id',
      'm.brand',
      'm.last4',
      'p.amount_authorized_minor',
      'p.amount_captured_minor',
      'p.amount_refunded_minor',
    ])
    .where('p.booking_id', '=', bookingId)
    .where('p.purpose', '=', 'booking')
    .where('p.status', 'in', ['authorized', 'captured'])
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    status: row.status,
    paymentMethodId: row.payment_method_id,
    brand: row.brand,
    last4: row.last4,
    amountAuthorizedMinor: row.amount_authorized_minor,
    amountCapturedMinor: row.amount_captured_minor,
    amountRefundedMinor: row.amount_refunded_minor,
  };
}

/**
 * A move keeps the authorisation: the session payment of `fromBookingId` now belongs to `toBookingId` (one live
 * session payment per booking, migration 0022). Returns whether there was one to move.
 */
export async function moveSessionPayment(
  trx: Transaction<DB>,
  fromBookingId: string,
  toBookingId: string,
  now: number,
): Promise<boolean> {
  const moved = await trx
    .updateTable('payments')
    .set({ booking_id: toBookingId, updated_at: new Date(now) })
    .where('booking_id', '=', fromBookingId)
    .where('purpose', '=', 'booking')
    .where('status', 'in', ['authorized', 'captured'])
    .executeTakeFirst();
  return moved.numUpdatedRows > 0n;
}

/**
 * The split the booking's last `charge` entry was posted with (read back from its postings), so a refund or a fee
 * splits as the charge did even when the market's terms changed since; null when the booking was never charged.
 */
export async function chargedSplitOf(db: Db, bookingId: string): Promise<SessionSplit | null> {
  const entry = await db
    .selectFrom('journal_entries')
    .select('id')
    .where('booking_id', '=', bookingId)
    .where('kind', '=', 'charge')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!entry) return null;
  const postings = await db
    .selectFrom('postings')
    .select(['account', 'amount_minor'])
    .where('journal_id', '=', entry.id)
    .execute();
  const credit = (account: string) =>
    -postings.filter((p) => p.account === account).reduce((sum, p) => sum + p.amount_minor, 0);
  const platformShareMinor = credit('platform_revenue');
  const taxMinor = credit('tax_payable');
  return { amountMinor: credit('therapist_payable') + platformShareMinor, platformShareMinor, taxMinor };
}

/** The booking's fee payments (charged on their own: the difference after a move to a dearer session), by id. */
export async function feePaymentsOfBooking(db: Db, bookingId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('payments')
    .select('id')
    .where('booking_id', '=', bookingId)
    .where('purpose', '=', 'fee')
    .execute();
  return rows.map((r) => r.id);
}
