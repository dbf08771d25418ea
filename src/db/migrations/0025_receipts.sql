-- Issue 16: receipts (src/money/receipts.ts). One receipt per captured payment (a session captured at check-out, a
-- fee, a tip, a package, a membership renewal, a gift card) and one per refund that succeeded. A receipt is what the
-- client was told at the time: the names, the card and the lines are copied in as plain text when it is issued, so a
-- later rename or a removed card never rewrites it. Receipts are never updated or deleted.

-- Numbers receipts across the whole platform ("KW-2026-000042"). A rolled-back issue leaves a gap; numbers stay unique.
CREATE SEQUENCE receipt_number_seq;

CREATE TABLE receipts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number text NOT NULL UNIQUE CHECK (number ~ '^KW-[0-9]{4}-[0-9]{6,}$'),
  client_id uuid NOT NULL REFERENCES users (id),
  payment_id uuid NOT NULL REFERENCES payments (id),
  refund_id uuid REFERENCES payment_refunds (id),
  -- 'charge': money taken (captured or charged at once); 'refund': money given back.
  kind text NOT NULL CHECK (kind IN ('charge', 'refund')),
  purpose text NOT NULL CHECK (purpose IN ('booking', 'fee', 'tip', 'package', 'membership', 'gift_card')),
  amount_minor integer NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  market text NOT NULL REFERENCES markets (id),
  booking_id uuid REFERENCES bookings (id),
  -- What was paid for, as the client was shown it: [{ "label": text, "amountMinor": integer }].
  lines jsonb NOT NULL CHECK (jsonb_typeof(lines) = 'array'),
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 300),
  client_name text NOT NULL CHECK (length(client_name) BETWEEN 1 AND 200),
  therapist_id uuid REFERENCES users (id),
  therapist_name text CHECK (length(therapist_name) BETWEEN 1 AND 200),
  -- "Visa ending 4242", or null for a payment without a saved card.
  payment_method text CHECK (length(payment_method) BETWEEN 1 AND 100),
  issued_at timestamptz NOT NULL,
  -- The IANA zone the receipt's times are written in (the session's place when the issuer knows it).
  time_zone text NOT NULL DEFAULT 'UTC' CHECK (length(time_zone) BETWEEN 1 AND 64),
  CHECK ((kind = 'refund') = (refund_id IS NOT NULL))
);
-- Issuing is idempotent: one charge receipt per payment, one receipt per refund.
CREATE UNIQUE INDEX receipts_one_charge_per_payment ON receipts (payment_id) WHERE kind = 'charge';
CREATE UNIQUE INDEX receipts_one_per_refund ON receipts (refund_id) WHERE refund_id IS NOT NULL;
CREATE INDEX receipts_client_idx ON receipts (client_id, issued_at);

CREATE FUNCTION receipts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'receipts are never changed or deleted';
END;
$$;
CREATE TRIGGER receipts_append_only BEFORE UPDATE OR DELETE ON receipts
  FOR EACH ROW EXECUTE FUNCTION receipts_append_only();
