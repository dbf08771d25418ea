-- Issue 16 (payment service): a refunded tip is taken back from what the therapist is owed in tips, so the ledger
-- learns the reverse of a tip.
ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_kind_check;
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_kind_check CHECK (kind IN ('charge', 'refund',
  'cancellation_fee', 'tip', 'tip_refund', 'gift_card_issue', 'gift_card_redemption', 'package_issue',
  'package_redemption', 'payment', 'repayment', 'payout', 'chargeback'));
