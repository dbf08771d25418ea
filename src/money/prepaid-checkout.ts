import { type AliasedExpression, type Expression, type Kysely, type Transaction, sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import { ProblemError } from '../domain/problems.js';
import type { DB } from '../schema.js';
import { creditLabel, nextCreditValue } from './engine/packages.js';
import { giftCardBalance } from './gift-cards.js';
import type { MarketMoney } from './engine/checkout.js';
import { marketMoneyRow, termsOfRow } from './market-money.js';
import { bestMemberPrice, memberPlansFor } from './memberships.js';
import { type SessionForCredit, holdingsInOrder, unusedPackagesOf } from './packages.js';
import { type SessionCard, sessionCardOf, sessionCardOfJson } from './payment-service.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Prepaid money at a session's checkout, as booking (above money) reads it without naming money's
 * tables: the credit a confirm would use (a preview of packages.ts redeemCredit), the credit and gift cards a booking
 * holds, a gift card code checked before anything is authorised, and the move of all of it to a rescheduled booking.
 */

/** A credit paying (or about to pay) a session: its value, its words, and how many credits its package has left. */
export interface SessionCredit {
  purchaseId: string;
  valueMinor: number;
  label: string;
  creditsLeft: number;
}

/** The credit redeemCredit would take first of `holdings` (holdingsInOrder), or null. */
function firstCredit(holdings: ReturnType<typeof holdingsInOrder>): SessionCredit | null {
  const [first] = holdings;
  if (!first) return null;
  return {
    purchaseId: first.row.id,
    valueMinor: nextCreditValue(first),
    label: creditLabel(first.row.label, first.creditsUsed + 1, first.creditsTotal),
    creditsLeft: first.creditsTotal - first.creditsUsed - 1,
  };
}

/** What pricing a session reads: the market's terms, the member price, what the booking holds, the credit it could use. */
export interface CheckoutReads {
  market: MarketMoney;
  memberPrice: { priceMinor: number; planName: string } | null;
  held: BookingPrepaid;
  /** The credit redeemCredit would take for the session now (asked with `withCredit`), else null. */
  creditToUse: SessionCredit | null;
  /** The saved card asked for with `card` (payment-service.ts sessionCardOf; null: not the client's), else undefined. */
  savedCard?: SessionCard | null;
}

/** Who and what a checkout reads for: the booking's therapist and market may be columns of an enclosing read. */
export interface CheckoutSession {
  bookingId: string;
  clientId: string;
  therapistId: string | Expression<string>;
  market: string | Expression<string>;
}

/**
 * What checkoutReads selects, as columns another statement may carry (booking's confirm reads them with the booking,
 * its therapist and market then naming the booking's columns): parse the row with `checkoutOfRow`.
 */
export function checkoutColumns(
  db: Db,
  session: CheckoutSession,
  now: number,
  withCredit: boolean,
  card?: { paymentMethodId: string },
) {
  return [
    jsonObjectFrom(marketMoneyRow(db, session.market)).as('terms'),
    jsonArrayFrom(memberPlansFor(db, session)).as('plans'),
    ...heldPrepaid(db, session.bookingId),
    withCredit
      ? jsonArrayFrom(unusedPackagesOf(db, session.clientId, now)).as('packages')
      : sql<null>`null`.as('packages'),
    card
      ? jsonObjectFrom(
          sessionCardOf(db, {
            clientId: session.clientId,
            paymentMethodId: card.paymentMethodId,
            bookingId: session.bookingId,
          }),
        ).as('card')
      : sql<null>`null`.as('card'),
  ] as const;
}

/** A row carrying checkoutColumns, as CheckoutReads (`withCredit` and `card` as they were asked). */
export type CheckoutRow = Selection<ReturnType<typeof checkoutColumns>>;

type Selection<T extends readonly AliasedExpression<unknown, string>[]> = {
  [E in T[number] as E extends AliasedExpression<unknown, infer A> ? A : never]: E extends AliasedExpression<
    infer V,
    string
  >
    ? V
    : never;
};

export function checkoutOfRow(
  row: CheckoutRow,
  session: Omit<SessionForCredit, 'bookingId'> & { priceMinor: number },
  now: number,
  withCredit: boolean,
  card?: { paymentMethodId: string },
): CheckoutReads {
  const packages = (row.packages ?? []).map((p) => ({
    ...p,
    starts_at: new Date(p.starts_at),
    expires_at: new Date(p.expires_at),
  }));
  return {
    market: termsOfRow(row.terms),
    memberPrice: bestMemberPrice(row.plans, session.priceMinor),
    held: prepaidOfRow(row),
    creditToUse: withCredit ? firstCredit(holdingsInOrder(packages, session, now)) : null,
    ...(card ? { savedCard: sessionCardOfJson(row.card) } : {}),
  };
}

/**
 * Everything a session's checkout quote reads, in one statement: the market's money terms (market-money.ts), the
 * client's memberships covering the therapist (memberships.ts), the credit and gift card amounts the booking holds,
 * and, `withCredit`, the client's unused packages (packages.ts), of which the credit redeemCredit would take.
 */
export async function checkoutReads(
  db: Db,
  session: Omit<SessionForCredit, 'bookingId'> & { bookingId: string; priceMinor: number },
  now: number,
  withCredit: boolean,
  /** The card the session would be paid with: read here with its attempt, for authorizeSessionCard. */
  card?: { paymentMethodId: string },
): Promise<CheckoutReads> {
  const row = await db.selectNoFrom(checkoutColumns(db, session, now, withCredit, card)).executeTakeFirstOrThrow();
  return checkoutOfRow(row, session, now, withCredit, card);
}

/** What a booking's prepaid money is: the credit it used (not returned) and the gift card amounts (not restored). */
export interface BookingPrepaid {
  credit: SessionCredit | null;
  giftCardMinor: number;
  giftCardLabel: string | null;
}

export async function prepaidOfBooking(db: Db, bookingId: string): Promise<BookingPrepaid> {
  // One statement: the credit the booking holds (at most one not returned) and its gift card amounts not restored.
  return prepaidOfRow(await db.selectNoFrom(heldPrepaid(db, bookingId)).executeTakeFirstOrThrow());
}

/** The credit (at most one not returned) and the gift card amounts (not restored) a booking holds, as two columns. */
function heldPrepaid(db: Db, bookingId: string) {
  return [
    jsonObjectFrom(
      db
        .selectFrom('package_redemptions as r')
        .innerJoin('package_purchases as p', 'p.id', 'r.purchase_id')
        .select(['r.purchase_id', 'r.value_minor', 'p.label', 'p.credits_total', 'p.credits_used'])
        .where('r.booking_id', '=', bookingId)
        .where('r.returned_at', 'is', null)
        .limit(1),
    ).as('credit'),
    jsonArrayFrom(
      db
        .selectFrom('gift_card_redemptions as r')
        .innerJoin('gift_cards as g', 'g.id', 'r.gift_card_id')
        .select(['r.amount_minor', 'g.code_last4'])
        .where('r.booking_id', '=', bookingId)
        .where('r.restored_at', 'is', null)
        .orderBy('r.id'),
    ).as('cards'),
  ] as const;
}

function prepaidOfRow(row: {
  credit: {
    purchase_id: string;
    value_minor: number;
    label: string;
    credits_total: number;
    credits_used: number;
  } | null;
  cards: { amount_minor: number; code_last4: string }[];
}): BookingPrepaid {
  const { credit, cards } = row;
  return {
    credit: credit
      ? {
          purchaseId: credit.purchase_id,
          valueMinor: credit.value_minor,
          label: `${credit.label} (package credit)`,
          creditsLeft: credit.credits_total - credit.credits_used,
        }
      : null,
    giftCardMinor: cards.reduce((sum, c) => sum + c.amount_minor, 0),
    giftCardLabel: cards.length ? `Gift card ending ${cards.map((c) => c.code_last4).join(', ')}` : null,
  };
}

/**
 * The gift card a code names, checked for a checkout in `currency` before anything is authorised: 422
 * gift_card_invalid naming `giftCardCode` (in the body, or the query for a preview) for a bad or unknown code or a
 * card of another currency, 409 gift_card_empty when nothing is left on it.
 */
export async function giftCardForCheckout(
  db: Db,
  code: string,
  currency: string,
  where: 'body' | 'query',
): Promise<{ balanceMinor: number; last4: string }> {
  const message = 'Check the code: it is not one of our gift cards';
  const invalid = () =>
    new ProblemError('gift_card_invalid', message, {
      errors: [{ field: 'giftCardCode', in: where, code: 'gift_card_invalid', message }],
    });
  let card: Awaited<ReturnType<typeof giftCardBalance>>;
  try {
    card = await giftCardBalance(db, code);
  } catch (error) {
    if (error instanceof ProblemError && error.code === 'gift_card_invalid') throw invalid();
    throw error;
  }
  if (card.currency !== currency) throw invalid();
  if (card.balanceMinor <= 0) {
    throw new ProblemError('gift_card_empty', undefined, {
      errors: [
        { field: 'giftCardCode', in: where, code: 'gift_card_empty', message: 'This gift card has no balance left' },
      ],
    });
  }
  return { balanceMinor: card.balanceMinor, last4: card.last4 };
}

/**
 * A move keeps what was prepaid: the credit and gift card amounts of `fromBookingId` now pay for `toBookingId`. A
 * package credit pays for a session of its own length only, so a move to another length is refused (409
 * invalid_transition naming `durationMin`), in the move's transaction, which leaves the original booking as it was:
 * the client cancels (a free cancellation gives the credit back) and books the other length.
 */
export async function movePrepaid(
  trx: Transaction<DB>,
  fromBookingId: string,
  toBookingId: string,
  durationMin: number,
): Promise<void> {
  const credit = await trx
    .selectFrom('package_redemptions as r')
    .innerJoin('package_purchases as p', 'p.id', 'r.purchase_id')
    .select('p.duration_min')
    .where('r.booking_id', '=', fromBookingId)
    .where('r.returned_at', 'is', null)
    .executeTakeFirst();
  if (credit && credit.duration_min !== durationMin) {
    const message = `This session is paid with a ${credit.duration_min}-minute package credit, which pays for ${credit.duration_min} minutes only. Keep the length, or cancel and book ${durationMin} minutes.`;
    throw new ProblemError('invalid_transition', message, {
      errors: [{ field: 'durationMin', in: 'body', code: 'credit_length', message }],
    });
  }
  await trx
    .updateTable('package_redemptions')
    .set({ booking_id: toBookingId })
    .where('booking_id', '=', fromBookingId)
    .where('returned_at', 'is', null)
    .execute();
  await trx
    .updateTable('gift_card_redemptions')
    .set({ booking_id: toBookingId })
    .where('booking_id', '=', fromBookingId)
    .where('restored_at', 'is', null)
    .execute();
}
