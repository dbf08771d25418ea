-- Issue 16: the built-in test processor (src/money/test-processor/). These tables are the processor's own state, as
-- a real card processor keeps it on its side: Knotwork's payment code never reads them, it talks to the processor
-- through the PaymentProvider interface only. No card number or security code is stored, only what a real
-- processor's test mode would show and the test card's behaviour.

-- A tokenised card: the token handed to the browser, what a person recognises the card by, and how it behaves.
CREATE TABLE test_processor_cards (
  token text PRIMARY KEY CHECK (token ~ '^pm_[0-9a-f]{24}$'),
  brand text NOT NULL CHECK (length(brand) BETWEEN 1 AND 40),
  last4 text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
  exp_month integer NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
  exp_year integer NOT NULL CHECK (exp_year BETWEEN 2000 AND 2200),
  behaviour text NOT NULL CHECK (behaviour IN ('succeed', 'card_declined', 'insufficient_funds', 'expired_card',
    'authorization_expires', 'dispute', 'refund_fails')),
  created_at timestamptz NOT NULL
);

-- One authorisation (or charge) at the processor, captured in part or whole, voided, or found expired.
CREATE TABLE test_processor_payments (
  reference text PRIMARY KEY CHECK (reference ~ '^ch_[0-9a-f]{24}$'),
  token text NOT NULL REFERENCES test_processor_cards (token),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  description text NOT NULL,
  status text NOT NULL CHECK (status IN ('authorized', 'captured', 'voided', 'expired')),
  amount_authorized_minor integer NOT NULL CHECK (amount_authorized_minor > 0),
  amount_captured_minor integer NOT NULL DEFAULT 0 CHECK (amount_captured_minor BETWEEN 0 AND amount_authorized_minor),
  -- Refunds pending or succeeded (a failed refund gives its amount back).
  amount_refunded_minor integer NOT NULL DEFAULT 0 CHECK (amount_refunded_minor BETWEEN 0 AND amount_captured_minor),
  authorized_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  captured_at timestamptz
);

CREATE TABLE test_processor_refunds (
  reference text PRIMARY KEY CHECK (reference ~ '^re_[0-9a-f]{24}$'),
  payment_reference text NOT NULL REFERENCES test_processor_payments (reference),
  amount_minor integer NOT NULL CHECK (amount_minor > 0),
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  created_at timestamptz NOT NULL
);
CREATE INDEX test_processor_refunds_payment_idx ON test_processor_refunds (payment_reference);

-- Every money call's idempotency key: what was asked (a fingerprint of the operation and its request) and the answer.
CREATE TABLE test_processor_idempotency (
  idempotency_key text PRIMARY KEY CHECK (length(idempotency_key) BETWEEN 1 AND 255),
  fingerprint text NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL
);

-- The processor's webhook outbox: each asynchronous outcome as the signed JSON body it POSTs, retried with backoff.
CREATE TABLE test_processor_webhooks (
  event_id text PRIMARY KEY CHECK (event_id ~ '^evt_[0-9a-f]{24}$'),
  seq bigserial NOT NULL UNIQUE,
  type text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  delivered_at timestamptz,
  last_error text,
  CHECK (delivered_at IS NULL OR next_attempt_at IS NULL)
);
CREATE INDEX test_processor_webhooks_due_idx ON test_processor_webhooks (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
