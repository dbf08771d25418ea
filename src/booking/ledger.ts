import type { Transaction } from 'kysely';
import type { DB } from '../schema.js';

/**
 * Money is recorded in Knotwork's own ledger. No payment provider is reachable from these machines; a real one
 * plugs in here by settling each entry (authorise on 'charge', refund, capture a fee) and storing its reference
 * in `provider_reference`. Amounts are integer minor units.
 */
export interface LedgerBooking {
  id: string;
  market: string;
  price_cents: number;
  currency: string;
}

async function record(
  trx: Transaction<DB>,
  booking: LedgerBooking,
  kind: 'charge' | 'cancellation_fee' | 'refund',
  amountCents: number,
  now: number,
) {
  await trx
    .insertInto('ledger_entries')
    .values({
      market: booking.market,
      booking_id: booking.id,
      kind,
      amount_cents: amountCents,
      currency: booking.currency,
      created_at: new Date(now),
      provider_reference: null,
    })
    .execute();
}

/** On confirmation the session price is charged. */
export function recordCharge(trx: Transaction<DB>, booking: LedgerBooking, now: number) {
  return record(trx, booking, 'charge', booking.price_cents, now);
}

/** A confirmed booking that is cancelled or moved is refunded in full, and any late fee is charged on its own. */
export async function recordCancellation(trx: Transaction<DB>, booking: LedgerBooking, feeCents: number, now: number) {
  await record(trx, booking, 'refund', booking.price_cents, now);
  if (feeCents > 0) await record(trx, booking, 'cancellation_fee', feeCents, now);
}
