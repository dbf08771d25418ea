-- Account management: forgotten passwords, changing the e-mail address, a phone number, and which optional e-mails a
-- person wants. Every token handed out by e-mail is stored only as its SHA-256 and works once, before it expires.

-- A phone number in E.164 (validated with libphonenumber-js before it is written); shown to the booked therapist and
-- operators on a care alert, so they can call.
ALTER TABLE users ADD COLUMN phone text CHECK (phone IS NULL OR phone ~ '^\+[1-9][0-9]{6,14}$');

-- A closed account: the row stays (bookings, the ledger, receipts and audit rows point at it), its name, e-mail
-- address, phone and password are scrubbed, and nothing is e-mailed to it any more.
ALTER TABLE users ADD COLUMN closed_at timestamptz;

-- "Forgot password": a one-time link that sets a new password and signs out every other session.
CREATE TABLE password_resets (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  CHECK (expires_at > created_at)
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id, created_at);

-- A change of e-mail address waiting for the new address to be verified: the account keeps its old address until the
-- link sent to the new one is opened.
CREATE TABLE email_changes (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  new_email text NOT NULL CHECK (length(new_email) BETWEEN 3 AND 254),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  CHECK (expires_at > created_at)
);
CREATE INDEX email_changes_user_idx ON email_changes (user_id, created_at);

-- The optional e-mails a person turned off (or back on), by topic (domain/notification-topics.ts). No row: on.
CREATE TABLE notification_preferences (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  topic text NOT NULL CHECK (topic ~ '^[a-z][a-z_]{1,40}$'),
  email boolean NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, topic)
);

-- A message for another mailbox than the account's address at sending time: the verification of a new address (never
-- shown in the in-app inbox, where reading it would verify an address without owning it), or a security notice to
-- the address the account had when the change was made.
ALTER TABLE messages ADD COLUMN to_address text CHECK (to_address IS NULL OR length(to_address) BETWEEN 3 AND 254);
