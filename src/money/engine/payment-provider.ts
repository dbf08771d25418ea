/**
 * The contract a card processor meets, shaped like the real ones (Stripe, Adyen, Braintree): payment methods are the
 * provider's tokens, money is authorised, then captured (in part or whole) or voided, captured money is refunded in
 * part or whole, and asynchronous outcomes arrive as signed webhooks. Every call that moves money carries an
 * idempotency key: the same key sent again returns the first answer and moves nothing twice.
 *
 * Knotwork calls a provider OUTSIDE its own database transactions (a call to another system must never hold locks),
 * records the answer in a transaction afterwards, and relies on the idempotency key when a step is retried.
 *
 * Writing an adapter for a real provider is one new file implementing `PaymentProvider` (docs/PAYMENTS.md), chosen by
 * PAYMENT_PROVIDER in the configuration. The built-in test processor (money/test-processor/) is the reference.
 */

/** Why a provider refused; `message` is said to the client as it stands. */
export type ProviderFailureCode =
  | 'card_declined'
  | 'insufficient_funds'
  | 'expired_card'
  | 'authorization_expired'
  | 'invalid_payment_method'
  | 'amount_too_large'
  | 'already_captured'
  | 'processing_error';

export interface ProviderFailure {
  ok: false;
  code: ProviderFailureCode;
  message: string;
}

export type ProviderResult<T> = ({ ok: true } & T) | ProviderFailure;

/** What a person needs to recognise a card, never its number. */
export interface CardDetails {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export interface MoneyRequest {
  /** The provider's token of the payment method. */
  paymentMethod: string;
  amountMinor: number;
  currency: string;
  idempotencyKey: string;
  /** Shown on the client's card statement and in the provider's dashboard. */
  description: string;
}

/** An asynchronous outcome, as a verified webhook says it. `id` is the provider's event id (unique per event). */
export type ProviderEvent =
  | { id: string; type: 'payment.captured'; reference: string; amountMinor: number; occurredAt: number }
  | { id: string; type: 'authorization.expired'; reference: string; occurredAt: number }
  | {
      id: string;
      type: 'refund.succeeded' | 'refund.failed';
      reference: string;
      refundReference: string;
      amountMinor: number;
      failureMessage?: string;
      occurredAt: number;
    }
  | {
      id: string;
      type: 'dispute.opened' | 'dispute.won' | 'dispute.lost';
      reference: string;
      disputeReference: string;
      amountMinor: number;
      reason: string;
      occurredAt: number;
    };

/** Thrown by `parseWebhook` for a request that is not a genuine, fresh event of this provider. */
export class WebhookRejected extends Error {
  constructor(
    readonly reason: 'missing_signature' | 'invalid_signature' | 'stale' | 'malformed',
    message: string,
  ) {
    super(message);
    this.name = 'WebhookRejected';
  }
}

export interface PaymentProvider {
  /** Lower-case name, stored with every token and payment ("test", "stripe"). */
  readonly name: string;
  /** The card behind a token the client's browser got from the provider; invalid_payment_method when unknown. */
  describePaymentMethod(token: string): Promise<ProviderResult<CardDetails>>;
  /** Holds `amountMinor` on the card; `expiresAt` is when the provider lets the hold go uncaptured. */
  authorize(request: MoneyRequest): Promise<ProviderResult<{ reference: string; expiresAt: number }>>;
  /** Captures up to the authorised amount (the rest is released); authorization_expired after `expiresAt`. */
  capture(request: {
    reference: string;
    amountMinor: number;
    idempotencyKey: string;
  }): Promise<ProviderResult<{ capturedMinor: number }>>;
  /** Releases an authorisation not captured. */
  void(request: { reference: string; idempotencyKey: string }): Promise<ProviderResult<object>>;
  /** Authorises and captures at once on a saved method (a tip, a fee, a package, a renewal). */
  charge(request: MoneyRequest): Promise<ProviderResult<{ reference: string }>>;
  /**
   * Refunds part or all of what was captured. Card refunds settle later: 'pending' until a refund.succeeded or
   * refund.failed webhook says how it ended.
   */
  refund(request: {
    reference: string;
    amountMinor: number;
    idempotencyKey: string;
  }): Promise<ProviderResult<{ refundReference: string; status: 'pending' | 'succeeded' }>>;
  /** Verifies a webhook's signature and freshness against `now`, and reads its event; throws WebhookRejected. */
  parseWebhook(rawBody: string, headers: Record<string, string | string[] | undefined>, now: number): ProviderEvent;
}
