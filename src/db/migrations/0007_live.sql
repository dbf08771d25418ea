-- Live sessions: the client's pressure feedback and the therapist's working pressure during a session, and the
-- incident queue (reports by either party, and the overdue check-out alert).
-- Signals are health data: src/intake/health-access.ts guards and audits every read, and
-- DELETE /api/me/health-data erases them. Incidents are safety records and stay.

-- Live signals ----------------------------------------------------------------------------------------------------

-- The last sequence number given to a booking's signals. Taking the next one locks this row, so a booking's
-- signals are numbered without gaps in commit order (and their notifications arrive in that order).
CREATE TABLE live_sequences (
  booking_id uuid PRIMARY KEY REFERENCES bookings (id),
  last_seq integer NOT NULL CHECK (last_seq > 0)
);

-- One row per signal, numbered per booking. A resend after a reconnect carries the same client message id and
-- finds the stored row instead of adding one.
CREATE TABLE live_signals (
  booking_id uuid NOT NULL REFERENCES bookings (id),
  seq integer NOT NULL CHECK (seq > 0),
  sender_id uuid NOT NULL REFERENCES users (id),
  sender_role text NOT NULL CHECK (sender_role IN ('client', 'therapist')),
  client_message_id text NOT NULL CHECK (length(client_message_id) BETWEEN 1 AND 64),
  -- less / good / more / discomfort come from the client; pressure (the region and level being worked) from the
  -- therapist.
  kind text NOT NULL CHECK (kind IN ('less', 'good', 'more', 'discomfort', 'pressure')),
  level smallint,
  region text CHECK (length(region) BETWEEN 1 AND 60),
  at timestamptz NOT NULL,
  PRIMARY KEY (booking_id, seq),
  UNIQUE (booking_id, sender_id, client_message_id),
  CHECK ((sender_role = 'therapist') = (kind = 'pressure')),
  CHECK (coalesce(
    CASE kind
      WHEN 'discomfort' THEN level BETWEEN 0 AND 10
      WHEN 'pressure' THEN level BETWEEN 1 AND 5 AND region IS NOT NULL
      ELSE level IS NULL
    END, false))
);

-- Incidents -------------------------------------------------------------------------------------------------------

-- The operators' safety queue. A party reports one (kind, description) during or after a session; the overdue
-- check-out job raises 'overdue_checkout' with no reporter, once per booking.
CREATE TABLE incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  booking_id uuid NOT NULL REFERENCES bookings (id),
  kind text NOT NULL CHECK (kind IN ('inappropriate_conduct', 'injury', 'safety', 'other', 'overdue_checkout')),
  reporter_id uuid REFERENCES users (id),
  reporter_role text NOT NULL CHECK (reporter_role IN ('client', 'therapist', 'system')),
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_review', 'resolved', 'dismissed')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((reporter_role = 'system') = (reporter_id IS NULL)),
  CHECK ((reporter_role = 'system') = (kind = 'overdue_checkout'))
);
CREATE INDEX incidents_queue_idx ON incidents (status, created_at);
CREATE INDEX incidents_booking_idx ON incidents (booking_id);
CREATE UNIQUE INDEX incidents_one_overdue_alert ON incidents (booking_id) WHERE kind = 'overdue_checkout';

-- Every change of an incident's state, with the operator's note: the incident's own audit trail. Never updated.
CREATE TABLE incident_events (
  id bigserial PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id),
  from_status text,
  to_status text NOT NULL,
  actor_id uuid REFERENCES users (id),
  note text CHECK (length(note) <= 2000),
  at timestamptz NOT NULL
);
CREATE INDEX incident_events_incident_idx ON incident_events (incident_id, id);

-- Signing out (or any other removal of a session) closes that sign-in's open live sockets on every instance.
CREATE FUNCTION knotwork_live_session_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('knotwork_live', json_build_object('type', 'signed_out', 'tokenHash', OLD.token_hash)::text);
  RETURN OLD;
END
$$;
CREATE TRIGGER sessions_live_signed_out AFTER DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION knotwork_live_session_ended();
