import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { ProblemError } from '../domain/problems.js';
import { defineJob } from '../jobs/job-runner.js';
import { scheduleJob } from '../jobs/job-scheduler.js';
import { type CheckoutQuote, quoteSession } from '../money/engine/checkout.js';
import type { PaymentProvider, ProviderFailure } from '../money/engine/payment-provider.js';
import {
  authorizeCard,
  chargeSavedMethod,
  marketMoney,
  paymentMethodOf,
  recordAuthorization,
  scheduleCapture,
  scheduleVoid,
} from '../money/payment-service.js';
import {
  type SessionPayment,
  chargedSplitOf,
  feePaymentsOfBooking,
  sessionPaymentOf,
} from '../money/session-payments.js';
import type { DB } from '../schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Booking's checkout (issue 16): what a session costs the client (the market's terms over the booking's price),
 * the card authorised when the booking is confirmed, and what is captured from it when the session ends: the total
 * at check-out, a late fee on a late cancellation or a no-show, nothing (the authorisation voided) on a free
 * cancellation or a release. Money (below booking) moves the money; booking decides how much and when.
 */

interface PricedBooking {
  id: string;
  market: string;
  client_id: string;
  therapist_id: string;
  price_cents: number;
  currency: string;
  rescheduled_from: string | null;
}

/** The session's quote under its market's money terms now. */
export async function sessionQuote(
  db: Db,
  booking: Pick<PricedBooking, 'market' | 'price_cents' | 'currency'>,
): Promise<CheckoutQuote> {
  const market = await marketMoney(db, booking.market);
  return quoteSession({ priceMinor: booking.price_cents, currency: booking.currency, market });
}

/** An authorisation taken for a confirm, outside any transaction, to be recorded in the confirm's transaction. */
export interface SessionAuthorization {
  ok: true;
  reference: string;
  expiresAt: number;
  paymentMethodId: string;
  quote: CheckoutQuote;
}

/** The key of a booking's authorisation: the same confirm sent again authorises once. */
export const authorizationKey = (bookingId: string, paymentMethodId: string) =>
  `booking:${bookingId}:authorize:${paymentMethodId}`;

/**
 * Authorises the session's total on the client's card, OUTSIDE any transaction (the provider is another system).
 * Null when there is nothing to pay by card. Throws payment_method_required (no card given while the total is
 * above zero) or not_found for a card that is not the client's; returns the provider's refusal as it stands, for
 * the caller to let a safety refusal win over it.
 */
export async function authorizeSession(
  db: Kysely<DB>,
  provider: PaymentProvider,
  booking: PricedBooking,
  paymentMethodId: string | undefined,
): Promise<SessionAuthorization | ProviderFailure | null> {
  const quote = await sessionQuote(db, booking);
  if (quote.totalMinor <= 0) return null;
  if (!paymentMethodId) {
    const message = 'Choose a card to pay with: the session is paid by card';
    throw new ProblemError('payment_method_required', message, {
      errors: [{ field: 'paymentMethodId', in: 'body', code: 'required', message }],
    });
  }
  await paymentMethodOf(db, booking.client_id, paymentMethodId);
  const result = await authorizeCard(db, provider, {
    paymentMethodId,
    clientId: booking.client_id,
    amountMinor: quote.totalMinor,
    currency: booking.currency,
    idempotencyKey: authorizationKey(booking.id, paymentMethodId),
    description: 'Knotwork massage session',
  });
  if (!result.ok) return result;
  return { ok: true, reference: result.reference, expiresAt: result.expiresAt, paymentMethodId, quote };
}

/** Records the authorisation against the booking, in the confirm's transaction. */
export async function recordSessionAuthorization(
  trx: Transaction<DB>,
  provider: PaymentProvider,
  booking: PricedBooking,
  authorization: SessionAuthorization,
  now: number,
): Promise<void> {
  await recordAuthorization(trx, {
    purpose: 'booking',
    market: booking.market,
    currency: booking.currency,
    clientId: booking.client_id,
    therapistId: booking.therapist_id,
    bookingId: booking.id,
    paymentMethodId: authorization.paymentMethodId,
    provider: provider.name,
    reference: authorization.reference,
    amountMinor: authorization.quote.totalMinor,
    expiresAt: authorization.expiresAt,
    breakdown: { lines: authorization.quote.lines, split: authorization.quote.split },
    now,
  });
}

/** Lets an authorisation go that no booking recorded (the confirm's transaction failed): best effort. */
export async function releaseUnrecorded(
  provider: PaymentProvider,
  authorization: SessionAuthorization,
  log: (error: unknown) => void,
): Promise<void> {
  try {
    const result = await provider.void({
      reference: authorization.reference,
      idempotencyKey: `void:${authorization.reference}`,
    });
    if (!result.ok) log(new Error(`void of ${authorization.reference} refused: ${result.message}`));
  } catch (error) {
    log(error);
  }
}

/**
 * Late fees of the bookings this one was moved from: a move keeps the authorisation, so a fee for moving late is
 * taken from it with whatever this booking's end takes.
 */
async function carriedFeesMinor(db: Db, booking: PricedBooking): Promise<number> {
  let total = 0;
  let from = booking.rescheduled_from;
  while (from) {
    const previous = await db
      .selectFrom('bookings')
      .select(['cancellation_fee_cents', 'rescheduled_from'])
      .where('id', '=', from)
      .executeTakeFirstOrThrow();
    total += previous.cancellation_fee_cents ?? 0;
    from = previous.rescheduled_from;
  }
  return total;
}

/** The durable job charging what an authorisation could not cover (a move to a dearer session). */
export const CHARGE_DIFFERENCE_JOB = 'booking.charge_difference';

/**
 * Takes `owedMinor` from the booking's authorisation through money's durable capture job; what is owed above the
 * authorised amount (a move to a dearer session) is captured in full from the authorisation and the difference
 * charged on the same card by a job of its own (chargeDifferenceJob).
 */
async function captureOwed(
  trx: Transaction<DB>,
  booking: PricedBooking,
  payment: SessionPayment,
  owedMinor: number,
  now: number,
  description?: string,
): Promise<void> {
  const fromAuthorization = Math.min(owedMinor, payment.amountAuthorizedMinor);
  await scheduleCapture(trx, payment.id, fromAuthorization, now, description);
  const difference = owedMinor - fromAuthorization;
  if (difference > 0 && payment.paymentMethodId) {
    await scheduleJob(
      trx,
      {
        kind: CHARGE_DIFFERENCE_JOB,
        payload: { bookingId: booking.id, paymentMethodId: payment.paymentMethodId, amountMinor: difference },
        runAt: now,
        dedupeKey: `${CHARGE_DIFFERENCE_JOB}:${booking.id}`,
      },
      now,
    );
  }
}

/**
 * The session is over (check-out): its total (as the ledger charged it) and any fee carried from a late move are
 * captured from the authorisation. Nothing to do for a session paid without a card.
 */
export async function captureAtCheckOut(trx: Transaction<DB>, booking: PricedBooking, now: number): Promise<void> {
  const payment = await sessionPaymentOf(trx, booking.id);
  if (!payment || payment.status !== 'authorized') return;
  const split = (await chargedSplitOf(trx, booking.id)) ?? (await sessionQuote(trx, booking)).split;
  const owed = split.amountMinor + split.taxMinor + (await carriedFeesMinor(trx, booking));
  await captureOwed(trx, booking, payment, owed, now);
}

/** What a fee captured when a booking ends without its session is called on its receipt. */
export type EndedFeeKind = 'late_cancellation' | 'no_show';

const FEE_WORDS: Record<EndedFeeKind, string> = {
  late_cancellation: 'Late cancellation fee',
  no_show: 'No-show fee',
};

/**
 * A booking ended without its session (cancelled, released, missed): the fee it costs (and any fee carried from a
 * late move) is captured from the authorisation and the rest released; without a fee the authorisation is voided.
 * `feeKind` names the fee on the payment and its receipt.
 */
export async function settleEndedBooking(
  trx: Transaction<DB>,
  booking: PricedBooking,
  feeMinor: number,
  now: number,
  feeKind: EndedFeeKind = 'late_cancellation',
): Promise<void> {
  const payment = await sessionPaymentOf(trx, booking.id);
  if (!payment || payment.status !== 'authorized') return;
  const owed = feeMinor + (await carriedFeesMinor(trx, booking));
  if (owed > 0) await captureOwed(trx, booking, payment, owed, now, FEE_WORDS[feeKind]);
  else await scheduleVoid(trx, payment.id, now);
}

const differencePayload = z.object({
  bookingId: z.uuid(),
  paymentMethodId: z.uuid(),
  amountMinor: z.number().int().positive(),
});

/**
 * Charges the difference a moved session's authorisation did not cover, on the same card, as a fee payment of the
 * booking (the ledger's charge already covers the whole session; this is the money arriving). The charge is made
 * in the job's call phase, outside any transaction, with a key of the booking, so a retry charges once.
 */
export function chargeDifferenceJob(db: Kysely<DB>, provider: PaymentProvider) {
  return defineJob<z.infer<typeof differencePayload>, void>({
    kind: CHARGE_DIFFERENCE_JOB,
    payload: differencePayload,
    async call(payload, job) {
      if ((await feePaymentsOfBooking(db, payload.bookingId)).length > 0) return;
      const booking = await db
        .selectFrom('bookings')
        .select(['market', 'currency', 'client_id', 'therapist_id'])
        .where('id', '=', payload.bookingId)
        .executeTakeFirstOrThrow();
      await chargeSavedMethod(
        db,
        provider,
        {
          purpose: 'fee',
          clientId: booking.client_id,
          therapistId: booking.therapist_id,
          market: booking.market,
          currency: booking.currency,
          paymentMethodId: payload.paymentMethodId,
          amountMinor: payload.amountMinor,
          idempotencyKey: `booking:${payload.bookingId}:difference`,
          description: 'Knotwork massage session (the difference after a move)',
          bookingId: payload.bookingId,
        },
        job.now,
        async () => {},
      );
    },
    async run() {},
  });
}

/**
 * Authorises a booking confirmed (or awaiting clearance) without a card payment on the client's card, as its confirm
 * would have: the provider first, outside any transaction, then the record (the demo seed's second phase, whose
 * bookings were confirmed in its one transaction). Returns whether an authorisation was recorded.
 */
export async function authorizeConfirmedBooking(
  db: Kysely<DB>,
  provider: PaymentProvider,
  bookingId: string,
  paymentMethodId: string,
  now: number,
): Promise<boolean> {
  const booking = await db.selectFrom('bookings').selectAll().where('id', '=', bookingId).executeTakeFirstOrThrow();
  if (booking.status !== 'confirmed' && booking.status !== 'awaiting_clearance') return false;
  if (await sessionPaymentOf(db, booking.id)) return false;
  const authorization = await authorizeSession(db, provider, booking, paymentMethodId);
  if (!authorization || !authorization.ok) return false;
  await db.transaction().execute((trx) => recordSessionAuthorization(trx, provider, booking, authorization, now));
  return true;
}
