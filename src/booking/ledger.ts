import type { Transaction } from 'kysely';
import { postMoneyEvent } from '../money/ledger-store.js';
import type { DB } from '../schema.js';

/**
 * Booking's money, recorded in the double-entry ledger (src/money/): a charge on confirmation, and on ending a
 * confirmed booking a full refund and any late fee on its own. Amounts are integer minor units of the booking's
 * currency (its market's, copied onto the booking with its price). There is no platform share yet: the whole session
 * price is owed to the therapist until a commission policy exists.
 */
export interface LedgerBooking {
  id: string;
  market: string;
  client_id: string;
  therapist_id: string;
  price_cents: number;
  currency: string;
}

const PLATFORM_SHARE_MINOR = 0;

function post(
  trx: Transaction<DB>,
  booking: LedgerBooking,
  kind: 'charge' | 'cancellation_fee' | 'refund',
  amountMinor: number,
  now: number,
) {
  return postMoneyEvent(
    trx,
    {
      kind,
      clientId: booking.client_id,
      therapistId: booking.therapist_id,
      amountMinor,
      platformShareMinor: PLATFORM_SHARE_MINOR,
    },
    { market: booking.market, currency: booking.currency, bookingId: booking.id, occurredAt: now },
  );
}

/** On confirmation the session price is charged. */
export async function recordCharge(trx: Transaction<DB>, booking: LedgerBooking, now: number) {
  await post(trx, booking, 'charge', booking.price_cents, now);
}

/** A confirmed booking that is cancelled or moved is refunded in full, and any late fee is charged on its own. */
export async function recordCancellation(trx: Transaction<DB>, booking: LedgerBooking, feeCents: number, now: number) {
  await post(trx, booking, 'refund', booking.price_cents, now);
  if (feeCents > 0) await post(trx, booking, 'cancellation_fee', feeCents, now);
}
