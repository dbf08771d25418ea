/**
 * What a client pays for a session, and how it splits: pure, so the checkout screen, the authorisation, the capture,
 * the ledger and the receipt all read the same numbers. Amounts are integer minor units of the market's currency;
 * rates are basis points (1/100 of a percent) so no floating point reaches money.
 */

/** A market's money terms (table market_money); a market without a row has MARKET_MONEY_DEFAULTS. */
export interface MarketMoney {
  /** The platform's share of each session price (and of each fee), in basis points. */
  commissionBp: number;
  /** A booking fee the client pays on top of the price, kept by the platform. */
  serviceFeeMinor: number;
  /** Sales tax on price plus fee, in basis points; 0 where the market has none. */
  taxBp: number;
  /** The tax's name on receipts ("Sales tax", "VAT"); null without one. */
  taxLabel: string | null;
}

export const MARKET_MONEY_DEFAULTS: MarketMoney = {
  commissionBp: 2000,
  serviceFeeMinor: 0,
  taxBp: 0,
  taxLabel: null,
};

/** `amount` × `bp` / 10,000, rounded half up: the one rounding rule for every rate. */
export function applyRate(amount: number, bp: number): number {
  return Math.floor((amount * bp + 5_000) / 10_000);
}

export type CheckoutLineKind = 'session' | 'service_fee' | 'tax' | 'package_credit' | 'member_price' | 'gift_card';

/** One line of the total the client is shown: positive adds to what they pay, negative takes off. */
export interface CheckoutLine {
  kind: CheckoutLineKind;
  label: string;
  amountMinor: number;
}

/**
 * The split of a session amount as the ledger posts it (ledger-postings.ts SessionMoney): `amountMinor` before tax,
 * of which `platformShareMinor` is the platform's (commission and service fee) and the rest the therapist's, and the
 * tax on top.
 */
export interface SessionSplit {
  amountMinor: number;
  platformShareMinor: number;
  taxMinor: number;
}

export interface CheckoutQuote {
  currency: string;
  lines: CheckoutLine[];
  /** What the session is worth before tax and what each party gets of it; the ledger's charge. */
  split: SessionSplit;
  /** Price plus fee plus tax, less credits: what the card is authorised for (0: nothing to pay by card). */
  totalMinor: number;
}

export interface QuoteInput {
  priceMinor: number;
  currency: string;
  market: MarketMoney;
  /** Set when a package or membership credit pays the session price (the fee and tax are still paid by card). */
  creditLabel?: string;
  /** A member price replacing the list price, with its words. */
  memberPriceMinor?: number;
  /**
   * With `creditLabel`: what the credit paying the session is worth (its package's price over its credits). The
   * session is charged at that value (the package was paid for at it), so the client owes nothing for the price.
   */
  creditValueMinor?: number;
  /** Gift cards applied to the total: as much of `giftCardMinor` as the total leaves, as a line. */
  giftCardMinor?: number;
  giftCardLabel?: string;
}

/** The quote for one session: list (or member) price, the market's service fee, its tax, and a credit if one pays. */
export function quoteSession(input: QuoteInput): CheckoutQuote {
  const { market } = input;
  const price = input.memberPriceMinor ?? input.priceMinor;
  const charged = input.creditLabel && input.creditValueMinor !== undefined ? input.creditValueMinor : price;
  const fee = market.serviceFeeMinor;
  const tax = applyRate(charged + fee, market.taxBp);
  const lines: CheckoutLine[] = [{ kind: 'session', label: 'Session', amountMinor: input.priceMinor }];
  if (input.memberPriceMinor !== undefined && input.memberPriceMinor !== input.priceMinor) {
    lines.push({ kind: 'member_price', label: 'Member price', amountMinor: input.memberPriceMinor - input.priceMinor });
  }
  if (fee > 0) lines.push({ kind: 'service_fee', label: 'Booking fee', amountMinor: fee });
  if (tax > 0) lines.push({ kind: 'tax', label: market.taxLabel ?? 'Tax', amountMinor: tax });
  if (input.creditLabel) lines.push({ kind: 'package_credit', label: input.creditLabel, amountMinor: -price });
  const split = {
    amountMinor: charged + fee,
    platformShareMinor: applyRate(charged, market.commissionBp) + fee,
    taxMinor: tax,
  };
  let totalMinor = lines.reduce((sum, line) => sum + line.amountMinor, 0);
  const giftCard = Math.max(0, Math.min(input.giftCardMinor ?? 0, totalMinor));
  if (giftCard > 0) {
    lines.push({ kind: 'gift_card', label: input.giftCardLabel ?? 'Gift card', amountMinor: -giftCard });
    totalMinor -= giftCard;
  }
  return { currency: input.currency, lines, split, totalMinor };
}

/**
 * The part of `split` that `amountMinor` (a fee, or a partial refund, tax included) stands for, in proportion:
 * tax first in its share, then the platform's share, the rest the therapist's. Splitting the whole gives the whole.
 */
export function proportionOf(split: SessionSplit, amountMinor: number): SessionSplit {
  const whole = split.amountMinor + split.taxMinor;
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0 || amountMinor > whole) {
    throw new RangeError(`the part must be a whole number between 0 and ${whole}, not ${amountMinor}`);
  }
  if (amountMinor === whole) return split;
  const taxMinor = Math.floor((amountMinor * split.taxMinor) / whole);
  const beforeTax = amountMinor - taxMinor;
  const platformShareMinor = Math.floor((beforeTax * split.platformShareMinor) / split.amountMinor);
  return { amountMinor: beforeTax, platformShareMinor, taxMinor };
}
