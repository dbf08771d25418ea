import type { ColumnType, Generated } from 'kysely';
import type { LedgerAccount, MoneyEventKind } from './engine/ledger-postings.js';

/** One journal entry: one business event that moved money, in one currency. Append-only (migration 0021). */
export interface JournalEntriesTable {
  id: Generated<string>;
  /** Insertion order, for reading a journal back in the order it was written. */
  seq: Generated<string>;
  market: string;
  currency: string;
  kind: MoneyEventKind;
  booking_id: string | null;
  occurred_at: Date;
  /** Set by a payment provider that settles the entry (none is reachable yet). */
  provider_reference: string | null;
  created_at: Generated<Date>;
}

/** One line of a journal entry: debit (positive) or credit (negative) one account of one holder. Append-only. */
export interface PostingsTable {
  id: Generated<string>;
  journal_id: string;
  account: LedgerAccount;
  holder: string | null;
  amount_minor: number;
}

/** A market's money terms set by an operator (migration 0022); absent: MARKET_MONEY_DEFAULTS. */
export interface MarketMoneyTable {
  market: string;
  commission_bp: number;
  service_fee_minor: number;
  tax_bp: number;
  tax_label: string | null;
  updated_at: Date;
  updated_by: string | null;
}

/** A client's card, as the provider's token and what a person recognises it by. Never a card number. */
export interface PaymentMethodsTable {
  id: Generated<string>;
  client_id: string;
  provider: string;
  provider_token: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  created_at: Date;
  removed_at: Date | null;
}

export type PaymentPurpose = 'booking' | 'fee' | 'tip' | 'package' | 'membership' | 'gift_card';
export type PaymentStatus = 'authorized' | 'captured' | 'voided' | 'failed';

/** One payment at the provider: an authorisation captured, voided or refunded later, or a charge taken at once. */
export interface PaymentsTable {
  id: Generated<string>;
  market: string;
  currency: string;
  client_id: string;
  therapist_id: string | null;
  purpose: PaymentPurpose;
  booking_id: string | null;
  payment_method_id: string | null;
  provider: string;
  provider_reference: string;
  status: PaymentStatus;
  amount_authorized_minor: number;
  amount_captured_minor: Generated<number>;
  amount_refunded_minor: Generated<number>;
  breakdown: Generated<Record<string, unknown>>;
  failure_code: string | null;
  failure_message: string | null;
  authorized_at: Date;
  authorization_expires_at: Date | null;
  captured_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface PaymentRefundsTable {
  id: Generated<string>;
  payment_id: string;
  amount_minor: number;
  status: 'pending' | 'succeeded' | 'failed';
  provider_reference: string;
  reason: string | null;
  requested_by: string | null;
  failure_message: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Webhook events applied, by the provider's event id, so a redelivery is applied once. */
export interface ProviderEventsTable {
  provider: string;
  event_id: string;
  type: string;
  payload: unknown;
  received_at: Date;
}

export interface DisputesTable {
  id: Generated<string>;
  payment_id: string;
  provider_reference: string;
  amount_minor: number;
  reason: string | null;
  status: 'open' | 'won' | 'lost';
  opened_at: Date;
  closed_at: Date | null;
}

// Tips (src/money/tip-service.ts, migration 0024).
export type TipStatus = 'pending' | 'charged' | 'failed';

/** A client's tip for one session: pending (changeable) until editable_until, then charged or failed. */
export interface TipsTable {
  id: Generated<string>;
  booking_id: string;
  client_id: string;
  therapist_id: string;
  market: string;
  currency: string;
  amount_minor: number;
  /** The preset percentage chosen; null for a custom amount. */
  percent: number | null;
  payment_method_id: string;
  status: TipStatus;
  editable_until: Date;
  payment_id: string | null;
  failure_message: string | null;
  created_at: Date;
  updated_at: Date;
}

// --- Part G (packages, memberships, gift cards; migration 0027) ---

export interface PackageOffersTable {
  id: Generated<string>;
  market: string;
  therapist_id: string | null;
  name: string;
  duration_min: number;
  sessions: number;
  price_minor: number;
  currency: string;
  valid_days: number;
  active: Generated<boolean>;
  created_by: string;
  created_at: Date;
}

export interface MembershipPlansTable {
  id: Generated<string>;
  market: string;
  therapist_id: string | null;
  name: string;
  price_minor: number;
  currency: string;
  credits_per_month: number;
  duration_min: number;
  member_discount_bp: number;
  active: Generated<boolean>;
  created_by: string;
  created_at: Date;
}

export type MembershipStatus = 'active' | 'paused' | 'cancelled';

export interface MembershipsTable {
  id: Generated<string>;
  client_id: string;
  plan_id: string;
  status: MembershipStatus;
  payment_method_id: string;
  current_period_start: Date;
  current_period_end: Date;
  failed_attempts: Generated<number>;
  cancel_at_period_end: Generated<boolean>;
  created_at: Date;
  updated_at: Date;
}

/** Credits a client holds: a package bought (offer_id) or a membership's month (membership_id). */
export interface PackagePurchasesTable {
  id: Generated<string>;
  client_id: string;
  offer_id: string | null;
  membership_id: string | null;
  therapist_id: string | null;
  market: string;
  currency: string;
  label: string;
  duration_min: number;
  credits_total: number;
  credits_used: Generated<number>;
  price_minor: number;
  value_redeemed_minor: Generated<number>;
  starts_at: Date;
  expires_at: Date;
  payment_id: string | null;
  created_at: Date;
}

export interface PackageRedemptionsTable {
  id: Generated<string>;
  purchase_id: string;
  booking_id: string;
  value_minor: number;
  redeemed_at: Date;
  returned_at: Date | null;
}

export interface GiftCardsTable {
  id: Generated<string>;
  code_hash: string;
  code_last4: string;
  market: string;
  currency: string;
  initial_minor: number;
  balance_minor: number;
  buyer_id: string;
  recipient_email: string;
  recipient_name: string;
  message: string | null;
  payment_id: string | null;
  created_at: Date;
}

export interface GiftCardRedemptionsTable {
  id: Generated<string>;
  gift_card_id: string;
  client_id: string;
  booking_id: string | null;
  amount_minor: number;
  redeemed_at: Date;
  restored_at: Date | null;
}
// --- Receipts (src/money/receipts.ts, migration 0025) ---

/** One line of what a receipt was for, as the client was shown it; negative takes off (a credit). */
export interface ReceiptLine {
  label: string;
  amountMinor: number;
}

export type ReceiptKind = 'charge' | 'refund';

/** A receipt: money taken or given back, with the names and card copied in as plain text when it was issued. */
export interface ReceiptsTable {
  id: Generated<string>;
  number: string;
  client_id: string;
  payment_id: string;
  refund_id: string | null;
  kind: ReceiptKind;
  purpose: PaymentPurpose;
  amount_minor: number;
  currency: string;
  market: string;
  booking_id: string | null;
  lines: ColumnType<ReceiptLine[], string, never>;
  description: string;
  client_name: string;
  therapist_id: string | null;
  therapist_name: string | null;
  payment_method: string | null;
  issued_at: Date;
  time_zone: Generated<string>;
}
// --- end of receipts ---
// --- The built-in test processor's own state (migration 0023, money/test-processor/). Only the processor
// reads and writes these; Knotwork's payment code talks to it through PaymentProvider.
export type TestCardBehaviour =
  | 'succeed'
  | 'card_declined'
  | 'insufficient_funds'
  | 'expired_card'
  | 'authorization_expires'
  | 'dispute'
  | 'refund_fails';

export interface TestProcessorCardsTable {
  token: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  behaviour: TestCardBehaviour;
  created_at: Date;
}

export interface TestProcessorPaymentsTable {
  reference: string;
  token: string;
  currency: string;
  description: string;
  status: 'authorized' | 'captured' | 'voided' | 'expired';
  amount_authorized_minor: number;
  amount_captured_minor: Generated<number>;
  amount_refunded_minor: Generated<number>;
  authorized_at: Date;
  expires_at: Date;
  captured_at: Date | null;
}

export interface TestProcessorRefundsTable {
  reference: string;
  payment_reference: string;
  amount_minor: number;
  status: 'pending' | 'succeeded' | 'failed';
  created_at: Date;
}

export interface TestProcessorIdempotencyTable {
  idempotency_key: string;
  fingerprint: string;
  response: unknown;
  created_at: Date;
}

export interface TestProcessorWebhooksTable {
  event_id: string;
  seq: Generated<string>;
  type: string;
  body: string;
  created_at: Date;
  attempts: Generated<number>;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  last_error: string | null;
}

export interface MoneyTables {
  journal_entries: JournalEntriesTable;
  postings: PostingsTable;
  market_money: MarketMoneyTable;
  payment_methods: PaymentMethodsTable;
  payments: PaymentsTable;
  payment_refunds: PaymentRefundsTable;
  provider_events: ProviderEventsTable;
  disputes: DisputesTable;
  tips: TipsTable;
  package_offers: PackageOffersTable;
  membership_plans: MembershipPlansTable;
  memberships: MembershipsTable;
  package_purchases: PackagePurchasesTable;
  package_redemptions: PackageRedemptionsTable;
  gift_cards: GiftCardsTable;
  gift_card_redemptions: GiftCardRedemptionsTable;
  receipts: ReceiptsTable;
  // The test processor's own state.
  test_processor_cards: TestProcessorCardsTable;
  test_processor_payments: TestProcessorPaymentsTable;
  test_processor_refunds: TestProcessorRefundsTable;
  test_processor_idempotency: TestProcessorIdempotencyTable;
  test_processor_webhooks: TestProcessorWebhooksTable;
  payouts: PayoutsTable;
}

// Earnings and payouts (src/money/earnings-store.ts, migration 0026).
/** A payout recorded by an operator: the ledger's `payout` entry, with who recorded it and the transfer's reference. */
export interface PayoutsTable {
  id: Generated<string>;
  therapist_id: string;
  market: string;
  currency: string;
  from_account: 'therapist_payable' | 'tips_payable';
  amount_minor: number;
  reference: string;
  journal_id: string;
  recorded_by: string;
  recorded_at: Date;
}
