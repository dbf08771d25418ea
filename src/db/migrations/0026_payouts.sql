-- Issue 16: money paid out to a therapist from what the ledger says they are owed (src/money/). The ledger's `payout`
-- entry moves the money; this row says who recorded it, when, and the bank transfer's reference, so the operator can
-- find it again and the same transfer is not recorded twice.
CREATE TABLE payouts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  therapist_id uuid NOT NULL REFERENCES users (id),
  market text NOT NULL REFERENCES markets (id),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- Which of the therapist's accounts it is paid from: session earnings or tips.
  from_account text NOT NULL CHECK (from_account IN ('therapist_payable', 'tips_payable')),
  amount_minor integer NOT NULL CHECK (amount_minor > 0),
  -- The transfer's reference at the bank or payout provider, as the operator typed it.
  reference text NOT NULL CHECK (length(reference) BETWEEN 1 AND 200),
  journal_id uuid NOT NULL UNIQUE REFERENCES journal_entries (id),
  recorded_by uuid NOT NULL REFERENCES users (id),
  recorded_at timestamptz NOT NULL,
  UNIQUE (therapist_id, reference)
);
CREATE INDEX payouts_therapist_idx ON payouts (therapist_id, recorded_at);
