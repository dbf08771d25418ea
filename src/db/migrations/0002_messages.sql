-- Messages to users: every e-mail (and in-app notice) is first a row here, written in the same transaction as the
-- change it reports (a transactional outbox). A delivery worker sends pending rows and records the outcome.

CREATE TABLE messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{1,60}$'),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  body_text text NOT NULL,
  body_html text,
  booking_id uuid REFERENCES bookings (id) ON DELETE SET NULL,
  -- [{ "filename": "...", "contentType": "...", "content": "<text>" }]
  attachments jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(attachments) = 'array'),
  -- The same logical message is never written twice (e.g. one reminder per booking and recipient).
  dedupe_key text UNIQUE,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  last_error text,
  sent_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX messages_user_idx ON messages (user_id, created_at DESC);
CREATE INDEX messages_due_idx ON messages (next_attempt_at) WHERE status = 'pending';
