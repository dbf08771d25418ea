-- Issue 16, deliverable 1: a double-entry ledger (src/money/). Every movement of money is a journal entry of postings
-- over named accounts that sum to zero, in integer minor units of the market's currency. Both tables are append-only
-- (a correction is a new entry), and the database itself refuses an entry that does not balance, at commit.

CREATE TABLE journal_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  market text NOT NULL REFERENCES markets (id),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  kind text NOT NULL CHECK (kind IN ('charge', 'refund', 'cancellation_fee', 'tip', 'gift_card_issue',
    'gift_card_redemption', 'package_issue', 'package_redemption', 'payment', 'repayment')),
  booking_id uuid REFERENCES bookings (id),
  occurred_at timestamptz NOT NULL,
  provider_reference text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX journal_entries_booking_idx ON journal_entries (booking_id);

CREATE TABLE postings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  journal_id uuid NOT NULL REFERENCES journal_entries (id),
  account text NOT NULL CHECK (account IN ('client', 'therapist_payable', 'platform_revenue', 'tips_payable',
    'gift_card_liability', 'package_liability', 'provider_clearing')),
  holder uuid,
  amount_minor integer NOT NULL CHECK (amount_minor <> 0)
);
CREATE INDEX postings_journal_idx ON postings (journal_id);
CREATE INDEX postings_account_idx ON postings (account, holder);

CREATE FUNCTION knotwork_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % on % refused; correct it with a new entry', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'check_violation';
END
$$;
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION knotwork_ledger_append_only();
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
  FOR EACH STATEMENT EXECUTE FUNCTION knotwork_ledger_append_only();
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
  FOR EACH ROW EXECUTE FUNCTION knotwork_ledger_append_only();
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
  FOR EACH STATEMENT EXECUTE FUNCTION knotwork_ledger_append_only();

-- Checked at commit (deferred), once every posting of the entry is in: at least two postings, summing to zero.
CREATE FUNCTION knotwork_journal_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  entry uuid;
  total bigint;
  lines integer;
BEGIN
  IF TG_TABLE_NAME = 'journal_entries' THEN
    entry := NEW.id;
  ELSE
    entry := NEW.journal_id;
  END IF;
  SELECT coalesce(sum(amount_minor), 0), count(*) INTO total, lines FROM postings WHERE journal_id = entry;
  IF lines < 2 OR total <> 0 THEN
    RAISE EXCEPTION 'journal entry % does not balance: % postings summing to %', entry, lines, total
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER journal_entries_balance AFTER INSERT ON journal_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION knotwork_journal_balances();
CREATE CONSTRAINT TRIGGER postings_balance AFTER INSERT ON postings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION knotwork_journal_balances();

-- Today's rows, one journal entry each (same id, time and provider reference): a charge or a fee debits the client
-- and credits the therapist's payable; a refund does the reverse. There was no platform share then. A row of zero
-- moved no money and has no postings to balance, so it is not carried over.
INSERT INTO journal_entries (id, market, currency, kind, booking_id, occurred_at, provider_reference, created_at)
SELECT id, market, currency, kind, booking_id, created_at, provider_reference, created_at
FROM ledger_entries
WHERE amount_cents > 0
ORDER BY created_at, CASE kind WHEN 'charge' THEN 0 WHEN 'refund' THEN 1 ELSE 2 END, id;

INSERT INTO postings (journal_id, account, holder, amount_minor)
SELECT l.id, p.account, CASE p.account WHEN 'client' THEN b.client_id ELSE b.therapist_id END,
  CASE WHEN (l.kind = 'refund') = (p.account = 'client') THEN -l.amount_cents ELSE l.amount_cents END
FROM ledger_entries l
JOIN bookings b ON b.id = l.booking_id
CROSS JOIN (VALUES ('client'), ('therapist_payable')) AS p (account)
WHERE l.amount_cents > 0
ORDER BY l.created_at, l.id, p.account;

DROP TABLE ledger_entries;
