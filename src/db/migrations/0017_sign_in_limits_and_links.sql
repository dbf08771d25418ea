-- Sign-in limits per (e-mail, address) pair instead of per e-mail and per address (issue 15 #4). One row per pair;
-- an attempt is reserved by counting it on the row, locked, BEFORE the password is checked, so parallel attempts
-- cannot all pass the check. A success clears the row. The old attempt log goes: it was checked, not reserved.
DROP TABLE sign_in_attempts;

CREATE TABLE sign_in_limits (
  email text NOT NULL,
  ip text NOT NULL,
  -- Attempts counted since the pair last succeeded or went quiet; each one is counted before it is checked.
  failures integer NOT NULL CHECK (failures >= 0),
  last_attempt_at timestamptz NOT NULL,
  PRIMARY KEY (email, ip)
);
CREATE INDEX sign_in_limits_quiet_idx ON sign_in_limits (last_attempt_at);

-- One-time sign-in links sent by e-mail: the way out when sign-in is slowed (or the password forgotten). Only the
-- token's SHA-256 is stored; a link signs in once, before it expires.
CREATE TABLE sign_in_links (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  CHECK (expires_at > created_at)
);
CREATE INDEX sign_in_links_user_idx ON sign_in_links (user_id, created_at);
