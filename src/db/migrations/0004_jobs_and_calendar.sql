-- Durable jobs, e-mail delivery state, the booking-event cursor behind booking notices, and calendar feeds.

-- Jobs ---------------------------------------------------------------------------------------------------------

-- Work to do at a time (a reminder 24 h before a session, later the soreness check-ins). A runner claims due rows
-- with FOR UPDATE SKIP LOCKED and a lease, then runs the handler and marks the job done in one transaction
-- with the handler's own writes, so a job's effect happens exactly once across restarts and instances.
CREATE TABLE jobs (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{1,60}$'),
  payload jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(payload) = 'object'),
  run_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- Who holds the job and until when; an expired lease (a crashed instance) lets another runner take it.
  claim uuid,
  locked_until timestamptz,
  last_error text,
  -- One logical job is never scheduled twice (e.g. one reminder per booking).
  dedupe_key text UNIQUE,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  finished_at timestamptz,
  CHECK ((status = 'pending') = (finished_at IS NULL))
);
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE status = 'pending';

-- E-mail delivery --------------------------------------------------------------------------------------------

-- 'in_app': due while no SMTP server was configured, so the message lives only in the user's Knotwork inbox.
ALTER TABLE messages DROP CONSTRAINT messages_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN ('pending', 'sent', 'failed', 'in_app'));
-- A sender's lease on the row while it talks to the SMTP server, so two instances never send the same message.
ALTER TABLE messages ADD COLUMN claim uuid;
ALTER TABLE messages ADD COLUMN locked_until timestamptz;

-- Booking notices ----------------------------------------------------------------------------------------------

-- booking_events is a transactional outbox: consumers read it in order and keep their position in event_cursors,
-- advanced in the same transaction as what they write. Ids come from a sequence and commit out of order, so a
-- plain "id > cursor" would skip an event whose transaction commits after a later id was read. Each event
-- therefore records its transaction id, and consumers read only events of transactions older than every one that
-- may still write (jobs/booking-event-stream.ts), in (tx, id) order: nothing can appear behind the cursor.
ALTER TABLE booking_events ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX booking_events_tx_idx ON booking_events (tx, id);

CREATE TABLE event_cursors (
  name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{1,60}$'),
  last_tx xid8 NOT NULL,
  last_id bigint NOT NULL
);
-- Notices start with the events written after this migration: history is not announced again.
INSERT INTO event_cursors (name, last_tx, last_id)
SELECT 'booking_notices', coalesce(max(tx), '0'::xid8), coalesce(max(id), 0) FROM booking_events;

-- Calendar feeds -----------------------------------------------------------------------------------------------

-- A private iCalendar URL carries a random token; only its SHA-256 is stored. Revoking keeps the row (so the
-- owner sees what existed) and makes the URL answer 404 like any unknown one.
CREATE TABLE calendar_feeds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 60),
  created_at timestamptz NOT NULL,
  last_fetched_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX calendar_feeds_user_idx ON calendar_feeds (user_id, created_at);
