-- An account-wide layer on the per-pair sign-in limits (issue 15 #4, the gap it left): guessing spread over many
-- addresses gets each one five attempts, so the account as a whole has a budget of attempts from addresses that
-- never signed in to it, per 24-hour window. Beyond it, a password sign-in from a new address is refused with
-- `sign_in_link_required` (the e-mailed link is the way in); a known address keeps the pair limits only.
-- Rows are per e-mail, whether or not an account has it, as sign_in_limits are, so nothing tells which exist.
CREATE TABLE sign_in_budgets (
  email text PRIMARY KEY,
  -- Attempts counted from unknown addresses since window_started_at; each one is counted before it is checked.
  failures integer NOT NULL CHECK (failures >= 0),
  window_started_at timestamptz NOT NULL
);
CREATE INDEX sign_in_budgets_window_idx ON sign_in_budgets (window_started_at);

-- Addresses that signed in to an e-mail's account (password, link or sign-up): the owner's known places.
CREATE TABLE sign_in_known_addresses (
  email text NOT NULL,
  ip text NOT NULL,
  last_success_at timestamptz NOT NULL,
  PRIMARY KEY (email, ip)
);
CREATE INDEX sign_in_known_addresses_quiet_idx ON sign_in_known_addresses (last_success_at);
