-- Issue 16: tips (src/money/tip-service.ts). A client tips once per session, within 72 hours of check-out. A tip is
-- recorded pending and charged on the client's saved card by a durable job at editable_until (15 minutes after it
-- is given); until then the client may change or withdraw it (a withdrawn tip is deleted). The whole tip is owed to
-- the therapist (ledger: tips_payable).
CREATE TABLE tips (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  booking_id uuid NOT NULL UNIQUE REFERENCES bookings (id),
  client_id uuid NOT NULL REFERENCES users (id),
  therapist_id uuid NOT NULL REFERENCES users (id),
  market text NOT NULL REFERENCES markets (id),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount_minor integer NOT NULL CHECK (amount_minor > 0),
  -- The preset chosen (15, 20 or 25 % of the session price); null for an amount the client typed.
  percent integer CHECK (percent BETWEEN 1 AND 100),
  payment_method_id uuid NOT NULL REFERENCES payment_methods (id),
  status text NOT NULL CHECK (status IN ('pending', 'charged', 'failed')),
  -- Until when the client may change or withdraw it; the charge job runs then.
  editable_until timestamptz NOT NULL,
  payment_id uuid REFERENCES payments (id),
  failure_message text CHECK (length(failure_message) <= 500),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((status = 'charged') = (payment_id IS NOT NULL))
);
CREATE INDEX tips_therapist_idx ON tips (therapist_id, created_at);
CREATE INDEX tips_client_idx ON tips (client_id, created_at);
