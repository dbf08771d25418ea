-- Issue 16, deliverables 5 and 6 (src/money/): packages of sessions, monthly memberships and gift cards. Money paid
-- for any of them is a liability until a session uses it; the ledger keeps it per purchase and per gift card.

-- A package a therapist (or the market, therapist_id null) offers: `sessions` sessions of `duration_min` minutes for
-- one price, to be used within `valid_days` of buying.
CREATE TABLE package_offers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  market text NOT NULL REFERENCES markets (id),
  therapist_id uuid REFERENCES users (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  duration_min integer NOT NULL CHECK (duration_min BETWEEN 15 AND 240),
  sessions integer NOT NULL CHECK (sessions BETWEEN 1 AND 50),
  price_minor integer NOT NULL CHECK (price_minor BETWEEN 1 AND 10000000),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  valid_days integer NOT NULL CHECK (valid_days BETWEEN 1 AND 1095),
  active boolean NOT NULL DEFAULT true,
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX package_offers_therapist_idx ON package_offers (therapist_id) WHERE active;

-- A monthly membership plan of a market or a therapist: a price a month, credits a month, and a member price (a
-- discount in basis points off the list price of sessions it covers).
CREATE TABLE membership_plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  market text NOT NULL REFERENCES markets (id),
  therapist_id uuid REFERENCES users (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  price_minor integer NOT NULL CHECK (price_minor BETWEEN 1 AND 10000000),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  credits_per_month integer NOT NULL CHECK (credits_per_month BETWEEN 0 AND 8),
  duration_min integer NOT NULL CHECK (duration_min BETWEEN 15 AND 240),
  member_discount_bp integer NOT NULL CHECK (member_discount_bp BETWEEN 0 AND 10000),
  active boolean NOT NULL DEFAULT true,
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL
);

CREATE TABLE memberships (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid NOT NULL REFERENCES users (id),
  plan_id uuid NOT NULL REFERENCES membership_plans (id),
  status text NOT NULL CHECK (status IN ('active', 'paused', 'cancelled')),
  payment_method_id uuid NOT NULL REFERENCES payment_methods (id),
  current_period_start timestamptz NOT NULL,
  current_period_end timestamptz NOT NULL CHECK (current_period_end > current_period_start),
  -- Renewal attempts of the coming period that failed; reset when one succeeds.
  failed_attempts integer NOT NULL DEFAULT 0 CHECK (failed_attempts BETWEEN 0 AND 10),
  -- Cancelled memberships run to the end of the period they paid for, and do not renew.
  cancel_at_period_end boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
-- One live membership per client and plan.
CREATE UNIQUE INDEX memberships_one_live ON memberships (client_id, plan_id) WHERE status <> 'cancelled';

-- Credits a client holds: a package bought, or a membership's month. Each credit is worth price / credits_total; the
-- last one takes the remainder (value_redeemed_minor keeps the sum of credits in use, so returns stay exact).
CREATE TABLE package_purchases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid NOT NULL REFERENCES users (id),
  offer_id uuid REFERENCES package_offers (id),
  membership_id uuid REFERENCES memberships (id),
  -- The therapist whose sessions the credits pay for; null: any therapist of the market.
  therapist_id uuid REFERENCES users (id),
  market text NOT NULL REFERENCES markets (id),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 120),
  duration_min integer NOT NULL CHECK (duration_min BETWEEN 15 AND 240),
  credits_total integer NOT NULL CHECK (credits_total BETWEEN 1 AND 50),
  credits_used integer NOT NULL DEFAULT 0 CHECK (credits_used BETWEEN 0 AND credits_total),
  price_minor integer NOT NULL CHECK (price_minor >= 1),
  value_redeemed_minor integer NOT NULL DEFAULT 0 CHECK (value_redeemed_minor BETWEEN 0 AND price_minor),
  starts_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL CHECK (expires_at > starts_at),
  payment_id uuid REFERENCES payments (id),
  created_at timestamptz NOT NULL,
  CHECK ((offer_id IS NULL) <> (membership_id IS NULL))
);
CREATE INDEX package_purchases_client_idx ON package_purchases (client_id, expires_at);
-- A membership issues one month's credits once per period.
CREATE UNIQUE INDEX package_purchases_membership_period ON package_purchases (membership_id, starts_at)
  WHERE membership_id IS NOT NULL;

-- One credit paying one booking; returned on a free cancellation. A booking holds at most one credit in use.
CREATE TABLE package_redemptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  purchase_id uuid NOT NULL REFERENCES package_purchases (id),
  booking_id uuid NOT NULL REFERENCES bookings (id),
  value_minor integer NOT NULL CHECK (value_minor >= 0),
  redeemed_at timestamptz NOT NULL,
  returned_at timestamptz
);
CREATE UNIQUE INDEX package_redemptions_one_per_booking ON package_redemptions (booking_id) WHERE returned_at IS NULL;
CREATE INDEX package_redemptions_purchase_idx ON package_redemptions (purchase_id);

-- A gift card: the code is never stored, only its SHA-256 and the last four characters to show.
CREATE TABLE gift_cards (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code_hash text NOT NULL UNIQUE CHECK (code_hash ~ '^[0-9a-f]{64}$'),
  code_last4 text NOT NULL CHECK (code_last4 ~ '^[0-9A-Z]{4}$'),
  market text NOT NULL REFERENCES markets (id),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  initial_minor integer NOT NULL CHECK (initial_minor BETWEEN 1 AND 10000000),
  -- Never negative, never more than it was bought for.
  balance_minor integer NOT NULL CHECK (balance_minor BETWEEN 0 AND initial_minor),
  buyer_id uuid NOT NULL REFERENCES users (id),
  recipient_email text NOT NULL CHECK (length(recipient_email) BETWEEN 3 AND 254),
  recipient_name text NOT NULL CHECK (length(recipient_name) BETWEEN 1 AND 100),
  message text CHECK (length(message) <= 500),
  payment_id uuid REFERENCES payments (id),
  created_at timestamptz NOT NULL
);

CREATE TABLE gift_card_redemptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  gift_card_id uuid NOT NULL REFERENCES gift_cards (id),
  client_id uuid NOT NULL REFERENCES users (id),
  booking_id uuid REFERENCES bookings (id),
  amount_minor integer NOT NULL CHECK (amount_minor >= 1),
  redeemed_at timestamptz NOT NULL,
  restored_at timestamptz
);
CREATE INDEX gift_card_redemptions_card_idx ON gift_card_redemptions (gift_card_id);
CREATE INDEX gift_card_redemptions_booking_idx ON gift_card_redemptions (booking_id) WHERE restored_at IS NULL;
