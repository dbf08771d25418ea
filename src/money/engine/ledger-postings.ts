/**
 * The double-entry core: every business event that moves money becomes one journal entry of balanced postings over
 * named accounts, in integer minor units of one currency (the market's). Pure: plain data in, plain data out; the
 * store (money/ledger-store.ts) writes what this returns, and the database refuses anything unbalanced.
 *
 * Sign convention: a posting's amount is positive for a debit and negative for a credit, so a journal entry balances
 * when its postings sum to zero. The client account is what the client owes (a debit balance) or is owed (a credit
 * balance); liabilities (therapist payable, tips payable, gift cards, packages) carry credit balances; platform
 * revenue is credited; provider clearing is money held at the payment provider, debited when a client pays.
 */

/** The named accounts. Each is kept per holder where it has one (the client, the therapist, the card, the package). */
export const LEDGER_ACCOUNTS = [
  'client',
  'therapist_payable',
  'platform_revenue',
  'tips_payable',
  'gift_card_liability',
  'package_liability',
  'provider_clearing',
  'tax_payable',
] as const;
export type LedgerAccount = (typeof LEDGER_ACCOUNTS)[number];

/** One line of a journal entry: debit (positive) or credit (negative) `account` of `holder` (null: the platform's own). */
export interface Posting {
  account: LedgerAccount;
  holder: string | null;
  amountMinor: number;
}

interface SessionMoney {
  clientId: string;
  therapistId: string;
  amountMinor: number;
  /** The part of `amountMinor` that is the platform's (its commission and any service fee); the rest is the therapist's. */
  platformShareMinor: number;
  /** Sales tax on top of `amountMinor`, owed to the tax authority (absent or 0 where the market has none). */
  taxMinor?: number;
}

/** Business events that move money. Only the booking ones are wired to routes so far; the rest wait for issue 16. */
export type MoneyEvent =
  /** A session is charged to its client on confirmation. */
  | ({ kind: 'charge' } & SessionMoney)
  /** A charge taken back (in full or in part): the reverse of a charge. */
  | ({ kind: 'refund' } & SessionMoney)
  /** A late-cancellation or no-show fee, charged on its own after the session's price was refunded. */
  | ({ kind: 'cancellation_fee' } & SessionMoney)
  /** A tip, owed in full to the therapist, kept apart from session earnings. */
  | { kind: 'tip'; clientId: string; therapistId: string; amountMinor: number }
  /** A tip (in full or in part) given back to the client: the reverse of a tip. */
  | { kind: 'tip_refund'; clientId: string; therapistId: string; amountMinor: number }
  /** A gift card bought by a client: owed to whoever redeems it. */
  | { kind: 'gift_card_issue'; clientId: string; giftCardId: string; amountMinor: number }
  /** Part of a gift card's value pays what a client owes. */
  | { kind: 'gift_card_redemption'; clientId: string; giftCardId: string; amountMinor: number }
  /** A package of sessions bought by a client, owed as sessions until redeemed. */
  | { kind: 'package_issue'; clientId: string; packageId: string; amountMinor: number }
  /** One session's value of a package pays what a client owes for it. */
  | { kind: 'package_redemption'; clientId: string; packageId: string; amountMinor: number }
  /** The client paid through the payment provider. */
  | { kind: 'payment'; clientId: string; amountMinor: number }
  /** Money sent back to the client through the payment provider. */
  | { kind: 'repayment'; clientId: string; amountMinor: number }
  /** Money paid out to a therapist from what they are owed: session earnings or tips. */
  | { kind: 'payout'; therapistId: string; from: 'therapist_payable' | 'tips_payable'; amountMinor: number }
  /** A dispute lost: the card network took the money back, so the client owes it again. */
  | { kind: 'chargeback'; clientId: string; amountMinor: number };

export type MoneyEventKind = MoneyEvent['kind'];

function positiveAmount(amount: number, what: string): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new RangeError(`${what} must be a positive whole number of minor units, not ${amount}`);
  }
}

/** The session's amount split between therapist and platform, both as credits (negative); zero parts are left out. */
function sessionCredits(money: SessionMoney, sign: 1 | -1): Posting[] {
  const share = money.platformShareMinor;
  if (!Number.isSafeInteger(share) || share < 0 || share > money.amountMinor) {
    throw new RangeError(`the platform share must be a whole number between 0 and ${money.amountMinor}, not ${share}`);
  }
  const tax = money.taxMinor ?? 0;
  if (!Number.isSafeInteger(tax) || tax < 0) throw new RangeError(`the tax must be a whole number >= 0, not ${tax}`);
  const parts: Posting[] = [
    { account: 'therapist_payable', holder: money.therapistId, amountMinor: -sign * (money.amountMinor - share) },
    { account: 'platform_revenue', holder: null, amountMinor: -sign * share },
    { account: 'tax_payable', holder: null, amountMinor: -sign * tax },
  ];
  return parts.filter((p) => p.amountMinor !== 0);
}

const debit = (account: LedgerAccount, holder: string | null, amount: number): Posting => ({
  account,
  holder,
  amountMinor: amount,
});
const credit = (account: LedgerAccount, holder: string | null, amount: number): Posting => ({
  account,
  holder,
  amountMinor: -amount,
});

/** The balanced postings of one event. Throws RangeError for an amount that is not a positive whole number. */
export function postingsFor(event: MoneyEvent): Posting[] {
  positiveAmount(event.amountMinor, `the ${event.kind} amount`);
  const a = event.amountMinor;
  switch (event.kind) {
    case 'charge':
    case 'cancellation_fee':
      return [debit('client', event.clientId, a + (event.taxMinor ?? 0)), ...sessionCredits(event, 1)];
    case 'refund':
      return [credit('client', event.clientId, a + (event.taxMinor ?? 0)), ...sessionCredits(event, -1)];
    case 'tip':
      return [debit('client', event.clientId, a), credit('tips_payable', event.therapistId, a)];
    case 'tip_refund':
      return [debit('tips_payable', event.therapistId, a), credit('client', event.clientId, a)];
    case 'gift_card_issue':
      return [debit('client', event.clientId, a), credit('gift_card_liability', event.giftCardId, a)];
    case 'gift_card_redemption':
      return [debit('gift_card_liability', event.giftCardId, a), credit('client', event.clientId, a)];
    case 'package_issue':
      return [debit('client', event.clientId, a), credit('package_liability', event.packageId, a)];
    case 'package_redemption':
      return [debit('package_liability', event.packageId, a), credit('client', event.clientId, a)];
    case 'payment':
      return [debit('provider_clearing', null, a), credit('client', event.clientId, a)];
    case 'repayment':
      return [debit('client', event.clientId, a), credit('provider_clearing', null, a)];
    case 'payout':
      return [debit(event.from, event.therapistId, a), credit('provider_clearing', null, a)];
    case 'chargeback':
      return [debit('client', event.clientId, a), credit('provider_clearing', null, a)];
  }
}

/** The key of one account of one holder, as balances are kept. */
export const accountKey = (account: LedgerAccount, holder: string | null): string => `${account}:${holder ?? ''}`;

/** Each account's balance (debit positive): the sum of its postings. */
export function balancesOf(postings: Iterable<Posting>): Map<string, number> {
  const balances = new Map<string, number>();
  for (const p of postings) {
    const key = accountKey(p.account, p.holder);
    balances.set(key, (balances.get(key) ?? 0) + p.amountMinor);
  }
  return balances;
}
