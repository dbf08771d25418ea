import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { ProblemError } from '../domain/problems.js';
import { defineJob } from '../jobs/job-runner.js';
import { scheduleJob } from '../jobs/job-scheduler.js';
import { type CheckoutQuote, quoteSession } from '../money/engine/checkout.js';
import { redeemGiftCard, restoreGiftCard } from '../money/gift-cards.js';
import { redeemCredit, returnCredit } from '../money/packages.js';
import {
  type CheckoutReads,
  type SessionCredit,
  checkoutReads,
  giftCardForCheckout,
  prepaidOfBooking,
} from '../money/prepaid-checkout.js';
import type { PaymentProvider, ProviderFailure } from '../money/engine/payment-provider.js';
import {
  type AuthorizationRecord,
  type BulkAuthorizingProvider,
  type SessionCard,
  authorizeSessionCard,
  authorizeSessionCards,
  chargeSavedMethod,
  callRelease,
  recordAuthorization,
  recordAuthorizations,
  recordReleasedAuthorization,
  scheduleCapture,
  scheduleRelease,
  scheduleVoid,
} from '../money/payment-service.js';
import {
  type SessionPayment,
  chargedSplitOf,
  feePaymentsOfBooking,
  sessionPaymentOf,
  withSessionPayment,
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
  duration_min: number;
  price_cents: number;
  currency: string;
  rescheduled_from: string | null;
  /** The session's place's zone: its receipts write times in it. */
  time_zone: string;
}

/** What the client asks to pay with besides a card at confirm (or previews at the checkout). */
export interface PrepaidChoice {
  /** Use a package or membership credit when one can pay (default: yes). */
  usePackageCredit?: boolean;
  giftCardCode?: string;
  /** Where a bad code is named in the problem: the confirm's body (default) or the checkout's query. */
  giftCardIn?: 'body' | 'query';
  /** The saved card the confirm pays with: read with the quote, for `authorizeSession`. */
  paymentMethodId?: string;
}

/** The quote with what prepaid money pays of it: the credit used (or to be used), the gift card applied. */
export interface PrepaidQuote extends CheckoutQuote {
  /** When it was worked out (the clock's now). */
  quotedAt: number;
  credit: SessionCredit | null;
  memberPrice: { priceMinor: number; planName: string } | null;
  giftCard: { code: string; appliedMinor: number; last4: string; balanceMinor: number } | null;
  /** The card asked for with the quote (`PrepaidChoice.paymentMethodId`), read with it for its authorisation. */
  savedCard?: { paymentMethodId: string; row: SessionCard | null };
}

/** What a quote for `preview` reads besides the market's terms: the credit it could use, the card it would pay with. */
export function checkoutAsked(preview?: PrepaidChoice): { withCredit: boolean; card?: { paymentMethodId: string } } {
  return {
    withCredit: preview !== undefined && preview.usePackageCredit !== false,
    ...(preview?.paymentMethodId !== undefined ? { card: { paymentMethodId: preview.paymentMethodId } } : {}),
  };
}

/**
 * The session's quote under its market's money terms now: the member price of an active membership,
 * the credit the booking used (or, previewing a confirm with `preview`, the credit it would use), and the gift card
 * amounts it holds (or, previewing, the code's card applied to what is left). The ledger's charge is this quote's
 * split: a credit-paid session is charged at the credit's value (engine/checkout.ts `creditValueMinor`).
 */
export async function sessionQuote(
  db: Db,
  booking: Pick<
    PricedBooking,
    'id' | 'market' | 'client_id' | 'therapist_id' | 'duration_min' | 'price_cents' | 'currency'
  >,
  now: number,
  preview?: PrepaidChoice,
  /** What checkoutReads would read for `preview` (checkoutAsked), read already with another statement. */
  read?: CheckoutReads,
): Promise<PrepaidQuote> {
  // One read (money's checkoutReads): the market's terms, the member price, what the booking holds, and, previewing
  // a confirm that may use a credit, the credit it would use (used only when the booking holds none).
  const asked = checkoutAsked(preview);
  const { market, memberPrice, held, creditToUse, savedCard } =
    read ??
    (await checkoutReads(
      db,
      { bookingId: booking.id, ...checkoutSubjectOf(booking) },
      now,
      asked.withCredit,
      asked.card,
    ));
  const card =
    savedCard !== undefined && preview?.paymentMethodId !== undefined
      ? { savedCard: { paymentMethodId: preview.paymentMethodId, row: savedCard } }
      : {};
  const credit = held.credit ?? creditToUse;
  const base = {
    priceMinor: booking.price_cents,
    currency: booking.currency,
    market,
    ...(memberPrice ? { memberPriceMinor: memberPrice.priceMinor } : {}),
    ...(credit ? { creditLabel: credit.label, creditValueMinor: credit.valueMinor } : {}),
  };
  if (held.giftCardMinor > 0 || !preview?.giftCardCode) {
    const quote = quoteSession({
      ...base,
      giftCardMinor: held.giftCardMinor,
      ...(held.giftCardLabel ? { giftCardLabel: held.giftCardLabel } : {}),
    });
    return { ...quote, quotedAt: now, credit, memberPrice, giftCard: null, ...card };
  }
  const giftCard = await giftCardForCheckout(db, preview.giftCardCode, booking.currency, preview.giftCardIn ?? 'body');
  const quote = quoteSession({
    ...base,
    giftCardMinor: giftCard.balanceMinor,
    giftCardLabel: `Gift card ending ${giftCard.last4}`,
  });
  const appliedMinor = -(quote.lines.find((line) => line.kind === 'gift_card')?.amountMinor ?? 0);
  return {
    ...quote,
    quotedAt: now,
    credit,
    memberPrice,
    giftCard: appliedMinor > 0 ? { code: preview.giftCardCode, appliedMinor, ...giftCard } : null,
    ...card,
  };
}

/**
 * In the confirm's transaction: takes the credit and the gift card amount the authorisation was worked out with, so
 * the card pays only the rest. 409 no_package_credit when another confirm took the credit meanwhile, 409
 * gift_card_empty when the card no longer holds what was applied (the confirm rolls back; its authorisation is voided).
 */
export async function redeemPrepaid(
  trx: Transaction<DB>,
  booking: PricedBooking,
  quote: PrepaidQuote,
  now: number,
): Promise<void> {
  if (quote.credit) {
    const used = await redeemCredit(
      trx,
      {
        clientId: booking.client_id,
        therapistId: booking.therapist_id,
        durationMin: booking.duration_min,
        bookingId: booking.id,
        market: booking.market,
      },
      now,
    );
    if (!used || used.valueMinor !== quote.credit.valueMinor) {
      throw new ProblemError(
        'no_package_credit',
        'The package credit was used by another booking meanwhile; check the total and confirm again',
      );
    }
  }
  if (quote.giftCard) {
    const applied = await redeemGiftCard(
      trx,
      {
        code: quote.giftCard.code,
        clientId: booking.client_id,
        amountMinor: quote.giftCard.appliedMinor,
        bookingId: booking.id,
        currency: booking.currency,
      },
      now,
    );
    if (applied.appliedMinor !== quote.giftCard.appliedMinor) {
      throw new ProblemError('gift_card_empty', 'The gift card was used meanwhile; check the total and confirm again', {
        errors: [
          { field: 'giftCardCode', in: 'body', code: 'gift_card_empty', message: 'The gift card was used meanwhile' },
        ],
      });
    }
  }
}

/**
 * Ending a booking without its session gives back what was prepaid, or keeps it for the fee: a free end returns the
 * credit and restores the gift cards; a late one keeps the credit (it stands for the late fee: the fee posted is at
 * least the credit's value) and restores the gift cards, the card paying the rest of the fee. Returns the fee the
 * ledger posts and what of it the card still owes.
 */
export async function settlePrepaid(
  trx: Transaction<DB>,
  bookingId: string,
  feeMinor: number,
  now: number,
): Promise<{ ledgerFeeMinor: number; cardOwesMinor: number }> {
  const held = await prepaidOfBooking(trx, bookingId);
  if (held.giftCardMinor > 0) await restoreGiftCard(trx, bookingId, now);
  if (!held.credit) return { ledgerFeeMinor: feeMinor, cardOwesMinor: feeMinor };
  if (feeMinor === 0) {
    await returnCredit(trx, bookingId, now);
    return { ledgerFeeMinor: 0, cardOwesMinor: 0 };
  }
  const ledgerFeeMinor = Math.max(feeMinor, held.credit.valueMinor);
  return { ledgerFeeMinor, cardOwesMinor: ledgerFeeMinor - held.credit.valueMinor };
}

/** An authorisation taken for a confirm, outside any transaction, to be recorded in the confirm's transaction. */
export interface SessionAuthorization {
  ok: true;
  reference: string;
  expiresAt: number;
  paymentMethodId: string;
  quote: PrepaidQuote;
  /** The booking it was taken for, and the database where it is recorded (or, released unrecorded, its void). */
  booking: PricedBooking;
  db: Kysely<DB>;
}

/**
 * The key of a booking's authorisation: the same confirm sent again authorises once. The amount is part of it: a
 * confirm for another amount (a credit taken meanwhile, a gift card added or dropped) is another request. So is the
 * attempt: how many authorisations the booking had before (voided ones included, `authorizeSessionCard`), so a
 * confirm after a void (a confirm whose transaction failed, then sent again for the same amount) gets a new
 * authorisation instead of the voided one answered again.
 */
export const authorizationKey = (bookingId: string, attempt: number, paymentMethodId: string, amountMinor: number) =>
  `booking:${bookingId}:authorize:${attempt}:${paymentMethodId}:${amountMinor}`;

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
  quote: PrepaidQuote,
): Promise<SessionAuthorization | ProviderFailure | null> {
  if (quote.totalMinor <= 0) return null;
  if (!paymentMethodId) {
    const message = 'Choose a card to pay with: the session is paid by card';
    throw new ProblemError('payment_method_required', message, {
      errors: [{ field: 'paymentMethodId', in: 'body', code: 'required', message }],
    });
  }
  // authorizeSessionCard reads the card (not_found for a card that is not the client's) with the attempt, unless the
  // quote read this card with its own statement.
  const read = quote.savedCard?.paymentMethodId === paymentMethodId ? quote.savedCard.row : undefined;
  const result = await authorizeSessionCard(db, provider, sessionCardRequest(booking, paymentMethodId, quote), read);
  if (!result.ok) return result;
  return { ok: true, reference: result.reference, expiresAt: result.expiresAt, paymentMethodId, quote, booking, db };
}

/** What a session's authorisation asks of the card: its total, under the booking's key. */
function sessionCardRequest(booking: PricedBooking, paymentMethodId: string, quote: PrepaidQuote) {
  return {
    paymentMethodId,
    clientId: booking.client_id,
    amountMinor: quote.totalMinor,
    currency: booking.currency,
    bookingId: booking.id,
    keyOf: (attempt: number) => authorizationKey(booking.id, attempt, paymentMethodId, quote.totalMinor),
    description: 'Knotwork massage session',
  };
}

/** The payment row an authorisation is recorded as, for the booking it was taken for. */
export function authorizationRecord(
  provider: PaymentProvider,
  booking: PricedBooking,
  authorization: SessionAuthorization,
  now: number,
): AuthorizationRecord {
  return {
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
    breakdown: { lines: authorization.quote.lines, split: authorization.quote.split, timeZone: booking.time_zone },
    now,
  };
}

/** Records the authorisation against the booking, in the confirm's transaction. */
export async function recordSessionAuthorization(
  trx: Transaction<DB>,
  provider: PaymentProvider,
  booking: PricedBooking,
  authorization: SessionAuthorization,
  now: number,
): Promise<void> {
  await recordAuthorization(trx, authorizationRecord(provider, booking, authorization, now));
}

/** What checkout prices for a booking: whose session, with whom, how long, in which market, at what price. */
export function checkoutSubjectOf(booking: {
  client_id: string;
  therapist_id: string;
  duration_min: number;
  market: string;
  price_cents: number;
}) {
  return {
    clientId: booking.client_id,
    therapistId: booking.therapist_id,
    durationMin: booking.duration_min,
    market: booking.market,
    priceMinor: booking.price_cents,
  };
}

/**
 * Lets an authorisation go that no booking recorded (the confirm's transaction failed) and records it as a voided
 * payment of the booking, so the booking's next authorisation is a new attempt (`authorizationKey`). When the
 * processor cannot void it now, a durable job (money.release_unrecorded) asks again until it can.
 * One that a payment records after all is left standing: the same confirm sent twice at once got the same
 * authorisation (same key), and the request that recorded it keeps it.
 */
export async function releaseUnrecorded(
  provider: PaymentProvider,
  authorization: SessionAuthorization,
  log: (error: unknown) => void,
): Promise<void> {
  const record = authorizationRecord(provider, authorization.booking, authorization, authorization.quote.quotedAt);
  try {
    // 'recorded': another request recorded this authorisation and keeps it.
    if ((await callRelease(authorization.db, provider, record)) === 'released')
      await recordReleasedAuthorization(authorization.db, record);
  } catch (error) {
    // The processor could not let it go now: a durable job asks again until it does (or an operator sees why not).
    log(error);
    await scheduleRelease(authorization.db, record, authorization.quote.quotedAt).catch(log);
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
  const split = (await chargedSplitOf(trx, booking.id)) ?? (await sessionQuote(trx, booking, now)).split;
  // What a credit or a gift card paid is not the card's to pay.
  const prepaid = await prepaidOfBooking(trx, booking.id);
  const prepaidMinor = (prepaid.credit?.valueMinor ?? 0) + prepaid.giftCardMinor;
  const owed = Math.max(0, split.amountMinor + split.taxMinor - prepaidMinor) + (await carriedFeesMinor(trx, booking));
  if (owed > 0) await captureOwed(trx, booking, payment, owed, now);
  else await scheduleVoid(trx, payment.id, now);
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
        .select(['market', 'currency', 'client_id', 'therapist_id', 'time_zone'])
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
          timeZone: booking.time_zone,
        },
        job.now,
        async () => {},
      );
    },
    async run() {},
  });
}

/**
 * Authorises bookings confirmed (or awaiting clearance) without a card payment on the card given with each, as their
 * confirm would have: the same quote, key, provider call and payment row (the demo seed's second phase, whose
 * bookings were confirmed in its one transaction). The provider is called first, outside any transaction, for all at
 * once where it can (`authorizeMany`), then all are recorded in one statement. Returns how many were recorded.
 */
export async function authorizeConfirmedBookings(
  db: Kysely<DB>,
  provider: BulkAuthorizingProvider,
  items: { bookingId: string; paymentMethodId: string }[],
  now: number,
): Promise<number> {
  if (items.length === 0) return 0;
  const cardOf = new Map(items.map((item) => [item.bookingId, item.paymentMethodId]));
  const confirmed = await db
    .selectFrom('bookings')
    .selectAll()
    .where('id', 'in', [...cardOf.keys()])
    .where('status', 'in', ['confirmed', 'awaiting_clearance'])
    .execute();
  const paid = await withSessionPayment(
    db,
    confirmed.map((b) => b.id),
  );
  // In the order given (the seed's: by start), as one by one.
  const order = [...cardOf.keys()];
  const bookings = confirmed.filter((b) => !paid.has(b.id)).sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const toPay: { booking: (typeof bookings)[number]; quote: PrepaidQuote; paymentMethodId: string }[] = [];
  for (const booking of bookings) {
    const quote = await sessionQuote(db, booking, now);
    if (quote.totalMinor > 0) toPay.push({ booking, quote, paymentMethodId: cardOf.get(booking.id)! });
  }
  const results = await authorizeSessionCards(
    db,
    provider,
    toPay.map(({ booking, quote, paymentMethodId }) => sessionCardRequest(booking, paymentMethodId, quote)),
  );
  const records = toPay.flatMap(({ booking, quote, paymentMethodId }, i) => {
    const result = results[i]!;
    if (!result.ok) return [];
    const authorization: SessionAuthorization = { ...result, ok: true, paymentMethodId, quote, booking, db };
    return [authorizationRecord(provider, booking, authorization, now)];
  });
  await db.transaction().execute((trx) => recordAuthorizations(trx, records));
  return records.length;
}
