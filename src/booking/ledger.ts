import type { Transaction } from 'kysely';
import { type SessionSplit, proportionOf } from '../money/engine/checkout.js';
import { type WriteAlong, postMoneyEvent } from '../money/ledger-store.js';
import {
  type AuthorizationRecord,
  chargeWrites,
  postWithAuthorization,
  recordAuthorization,
} from '../money/payment-service.js';
import { chargedSplitOf } from '../money/session-payments.js';
import type { DB } from '../schema.js';
import { sessionQuote } from './booking-payments.js';

/**
 * Booking's money, recorded in the double-entry ledger (src/money/): a charge on confirmation, and on ending a
 * confirmed booking a full refund and any late fee on its own. Amounts are integer minor units of the booking's
 * currency (its market's, copied onto the booking with its price). The charge splits as the checkout quote does
 * (money/engine/checkout.ts, the market's terms): the platform's commission and booking fee, the therapist's rest,
 * and tax on top. A refund takes back what the charge posted (read from the ledger), and a fee is the part of that
 * split it stands for (`proportionOf`), so the market changing its terms later never unbalances a booking.
 */
export interface LedgerBooking {
  id: string;
  market: string;
  client_id: string;
  therapist_id: string;
  duration_min: number;
  price_cents: number;
  currency: string;
}

function chargeEvent(booking: LedgerBooking, kind: 'charge' | 'cancellation_fee' | 'refund', split: SessionSplit) {
  return {
    kind,
    clientId: booking.client_id,
    therapistId: booking.therapist_id,
    amountMinor: split.amountMinor,
    platformShareMinor: split.platformShareMinor,
    taxMinor: split.taxMinor,
  };
}

const journalContext = (booking: LedgerBooking, now: number) => ({
  market: booking.market,
  currency: booking.currency,
  bookingId: booking.id,
  occurredAt: now,
});

function post(
  trx: Transaction<DB>,
  booking: LedgerBooking,
  kind: 'charge' | 'cancellation_fee' | 'refund',
  split: SessionSplit,
  now: number,
  paidBy?: AuthorizationRecord,
) {
  const event = chargeEvent(booking, kind, split);
  const context = journalContext(booking, now);
  return paidBy ? postWithAuthorization(trx, event, context, paidBy) : postMoneyEvent(trx, event, context);
}

/**
 * On confirmation the session is charged as its quote splits it (at the member price, or at the value of the credit
 * paying it: what the booking holds when this runs). A session worth nothing posts nothing. A confirm that priced the
 * session moments before (the quote its card was authorised for, whose credit and gift card its transaction has just
 * redeemed, checked against that quote) passes that quote's split, which is what pricing it again would give: the
 * split does not depend on the gift card, and the credit redeemed is the one quoted. `paidBy`, the card's
 * authorisation paying the session, is recorded with the charge, in the same statement.
 */
export async function recordCharge(
  trx: Transaction<DB>,
  booking: LedgerBooking,
  now: number,
  quoted?: SessionSplit,
  paidBy?: AuthorizationRecord,
) {
  const split = quoted ?? (await sessionQuote(trx, booking, now)).split;
  if (split.amountMinor > 0) await post(trx, booking, 'charge', split, now, paidBy);
  else if (paidBy) await recordAuthorization(trx, paidBy);
}

/**
 * recordCharge as writes for the statement confirming the booking to run with its own (the journal entry, its
 * postings and the authorisation's payment): nothing is written until that statement runs.
 */
export async function chargeWritesOf(
  trx: Transaction<DB>,
  booking: LedgerBooking,
  now: number,
  quoted?: SessionSplit,
  paidBy?: AuthorizationRecord,
): Promise<WriteAlong[]> {
  const split = quoted ?? (await sessionQuote(trx, booking, now)).split;
  const event = split.amountMinor > 0 ? chargeEvent(booking, 'charge', split) : null;
  return chargeWrites(trx, event, journalContext(booking, now), paidBy);
}

/** A confirmed booking that is cancelled or moved is refunded in full, and any late fee is charged on its own. */
export async function recordCancellation(trx: Transaction<DB>, booking: LedgerBooking, feeCents: number, now: number) {
  const split = await chargedSplitOf(trx, booking.id);
  if (!split || split.amountMinor === 0) return;
  await post(trx, booking, 'refund', split, now);
  const fee = Math.min(feeCents, split.amountMinor + split.taxMinor);
  if (fee > 0) await post(trx, booking, 'cancellation_fee', proportionOf(split, fee), now);
}
