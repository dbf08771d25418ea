-- Issue 16: payments through a provider (src/money/). Card numbers never reach these tables: a payment method is the
-- provider's token with what a person needs to recognise the card. A payment is one authorisation (or an immediate
-- charge) at the provider, captured, voided or refunded later; every state it reaches is also posted to the ledger.

-- The money terms of a market, set by an operator. A market without a row has the defaults (money/engine/checkout.ts).
CREATE TABLE market_money (
  market text PRIMARY KEY REFERENCES markets (id),
  -- The platform's share of every session price, in basis points (2000 = 20 %).
  commission_bp integer NOT NULL CHECK (commission_bp BETWEEN 0 AND 10000),
  -- A booking fee the client pays on top of the session price, kept by the platform.
  service_fee_minor integer NOT NULL CHECK (service_fee_minor BETWEEN 0 AND 100000),
  -- Sales tax on price and fee, in basis points, where the market has one; tax_label names it on receipts.
  tax_bp integer NOT NULL CHECK (tax_bp BETWEEN 0 AND 5000),
  tax_label text CHECK (length(tax_label) BETWEEN 1 AND 40),
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES users (id)
);

CREATE TABLE payment_methods (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid NOT NULL REFERENCES users (id),
  provider text NOT NULL CHECK (provider ~ '^[a-z][a-z0-9_]{1,30}$'),
  provider_token text NOT NULL CHECK (length(provider_token) BETWEEN 1 AND 200),
  brand text NOT NULL CHECK (length(brand) BETWEEN 1 AND 40),
  last4 text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
  exp_month integer NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
  exp_year integer NOT NULL CHECK (exp_year BETWEEN 2000 AND 2200),
  created_at timestamptz NOT NULL,
  removed_at timestamptz,
  UNIQUE (provider, provider_token)
);
CREATE INDEX payment_methods_client_idx ON payment_methods (client_id) WHERE removed_at IS NULL;

-- One payment at the provider: authorised (money held on the card), then captured in part or whole, or voided; an
-- immediate charge is authorised and captured at once. Refunds are rows of payment_refunds.
CREATE TABLE payments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  market text NOT NULL REFERENCES markets (id),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  client_id uuid NOT NULL REFERENCES users (id),
  -- The therapist the money is for (a session, a fee, a tip, a therapist's package), if any.
  therapist_id uuid REFERENCES users (id),
  purpose text NOT NULL CHECK (purpose IN ('booking', 'fee', 'tip', 'package', 'membership', 'gift_card')),
  booking_id uuid REFERENCES bookings (id),
  payment_method_id uuid REFERENCES payment_methods (id),
  provider text NOT NULL,
  provider_reference text NOT NULL,
  status text NOT NULL CHECK (status IN ('authorized', 'captured', 'voided', 'failed')),
  amount_authorized_minor integer NOT NULL CHECK (amount_authorized_minor > 0),
  amount_captured_minor integer NOT NULL DEFAULT 0 CHECK (amount_captured_minor BETWEEN 0 AND amount_authorized_minor),
  amount_refunded_minor integer NOT NULL DEFAULT 0 CHECK (amount_refunded_minor BETWEEN 0 AND amount_captured_minor),
  -- What the amount is made of (money/engine/checkout.ts: price, fee, tax, credits), as the client was shown it.
  breakdown jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(breakdown) = 'object'),
  failure_code text,
  failure_message text CHECK (length(failure_message) <= 500),
  authorized_at timestamptz NOT NULL,
  -- When the provider lets the authorisation go; capturing later takes a new charge on the saved method.
  authorization_expires_at timestamptz,
  captured_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (provider, provider_reference),
  CHECK ((status = 'captured') = (captured_at IS NOT NULL))
);
CREATE INDEX payments_client_idx ON payments (client_id, created_at);
CREATE INDEX payments_therapist_idx ON payments (therapist_id, created_at);
-- A booking has at most one live session payment; a move carries it to the new booking.
CREATE UNIQUE INDEX payments_one_per_booking ON payments (booking_id)
  WHERE purpose = 'booking' AND status IN ('authorized', 'captured');

CREATE TABLE payment_refunds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  payment_id uuid NOT NULL REFERENCES payments (id),
  amount_minor integer NOT NULL CHECK (amount_minor > 0),
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  provider_reference text NOT NULL,
  reason text CHECK (length(reason) <= 500),
  requested_by uuid REFERENCES users (id),
  failure_message text CHECK (length(failure_message) <= 500),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (payment_id, provider_reference)
);
CREATE INDEX payment_refunds_payment_idx ON payment_refunds (payment_id);

-- Every webhook event applied, by the provider's event id: the same event delivered twice is applied once.
CREATE TABLE provider_events (
  provider text NOT NULL,
  event_id text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 200),
  type text NOT NULL,
  payload jsonb NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (provider, event_id)
);

CREATE TABLE disputes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  payment_id uuid NOT NULL REFERENCES payments (id),
  provider_reference text NOT NULL UNIQUE,
  amount_minor integer NOT NULL CHECK (amount_minor > 0),
  reason text CHECK (length(reason) <= 500),
  status text NOT NULL CHECK (status IN ('open', 'won', 'lost')),
  opened_at timestamptz NOT NULL,
  closed_at timestamptz,
  CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX disputes_open_idx ON disputes (opened_at) WHERE status = 'open';

-- The ledger learns a payout to a therapist, a lost dispute, and sales tax owed to the tax authority.
ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_kind_check;
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_kind_check CHECK (kind IN ('charge', 'refund',
  'cancellation_fee', 'tip', 'gift_card_issue', 'gift_card_redemption', 'package_issue', 'package_redemption',
  'payment', 'repayment', 'payout', 'chargeback'));
ALTER TABLE postings DROP CONSTRAINT postings_account_check;
ALTER TABLE postings ADD CONSTRAINT postings_account_check CHECK (account IN ('client', 'therapist_payable',
  'platform_revenue', 'tips_payable', 'gift_card_liability', 'package_liability', 'provider_clearing', 'tax_payable'));
