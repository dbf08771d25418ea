-- Issue 17 (waitlist): a client waits for a time with a therapist, or with any therapist matching a search, within
-- a window of dates and a daily time range (local at the session's place). When time frees, waiting entries are
-- offered what is free, in the order they joined; the first claim that places a hold wins.
CREATE TABLE waitlist_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The place in line: clients are told in the order they joined.
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  client_id uuid NOT NULL REFERENCES users (id),
  -- NULL: any therapist matching the search below.
  therapist_id uuid REFERENCES therapists (user_id),
  duration_min integer NOT NULL CHECK (duration_min IN (60, 90, 120)),
  mode text NOT NULL CHECK (mode IN ('studio', 'home')),
  -- Where the client searched from (studio mode) or lives (home mode), and how far they will go (studio mode).
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
  radius_km double precision NOT NULL CHECK (radius_km > 0 AND radius_km <= 100),
  address text CHECK (length(address) BETWEEN 1 AND 300),
  gender text CHECK (gender IN ('female', 'male', 'nonbinary')),
  specialty text CHECK (length(specialty) BETWEEN 1 AND 60),
  -- The client's zone (of the point): today and the window's end are judged there.
  time_zone text NOT NULL,
  from_date date NOT NULL,
  to_date date NOT NULL CHECK (to_date >= from_date),
  -- Minutes after local midnight at the session's place: the session starts at or after the first and ends by the second.
  from_minute integer NOT NULL CHECK (from_minute BETWEEN 0 AND 1439),
  to_minute integer NOT NULL CHECK (to_minute BETWEEN 1 AND 1440 AND to_minute > from_minute),
  status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'offered', 'claimed', 'expired', 'cancelled')),
  -- The free times last offered (therapist, place, zone, starts), and from when the client is told of them.
  offer jsonb,
  offered_at timestamptz,
  booking_id uuid REFERENCES bookings (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (mode = 'studio' OR address IS NOT NULL)
);
CREATE INDEX waitlist_entries_open_idx ON waitlist_entries (seq) WHERE status IN ('waiting', 'offered');
CREATE INDEX waitlist_entries_client_idx ON waitlist_entries (client_id, created_at);

-- The waitlist's own position in booking's event stream (cancellations and expired holds free time): it starts
-- with the events written after this migration.
INSERT INTO event_cursors (name, last_tx, last_id)
SELECT 'waitlist', coalesce(max(tx), '0'::xid8), coalesce(max(id), 0) FROM booking_events;
