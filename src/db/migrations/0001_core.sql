-- Knotwork core: accounts, therapists, schedules, bookings, ledger, audit.
-- Identical on PGlite (Postgres 18) and PostgreSQL (15+). Every table that grows with a market carries `market`
-- so the schema can later be distributed by market (see docs/ARCHITECTURE.md, scale-out).

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE markets (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9-]{2,40}$'),
  name text NOT NULL,
  time_zone text NOT NULL,
  center_lat double precision NOT NULL CHECK (center_lat BETWEEN -90 AND 90),
  center_lng double precision NOT NULL CHECK (center_lng BETWEEN -180 AND 180)
);

-- Accounts ---------------------------------------------------------------------------------------------------

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('client', 'therapist', 'operator')),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);

-- The cookie carries a random token; only its SHA-256 is stored, so a database leak does not leak sessions.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  CHECK (expires_at > created_at)
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);

CREATE TABLE sign_in_attempts (
  id bigserial PRIMARY KEY,
  email text NOT NULL,
  ip text NOT NULL,
  succeeded boolean NOT NULL,
  attempted_at timestamptz NOT NULL
);
CREATE INDEX sign_in_attempts_email_idx ON sign_in_attempts (email, attempted_at);
CREATE INDEX sign_in_attempts_ip_idx ON sign_in_attempts (ip, attempted_at);

-- Who did what to which record. Health-data reads (later capabilities) are written here too.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
  actor_role text,
  action text NOT NULL,
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  subject_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_subject_user_idx ON audit_log (subject_user_id, at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at);

-- Therapists -------------------------------------------------------------------------------------------------

CREATE TABLE therapists (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  market text NOT NULL REFERENCES markets (id),
  gender text NOT NULL CHECK (gender IN ('female', 'male', 'nonbinary')),
  bio text NOT NULL DEFAULT '' CHECK (length(bio) <= 2000),
  licence_number text CHECK (length(licence_number) BETWEEN 2 AND 40),
  licence_region text CHECK (length(licence_region) BETWEEN 2 AND 80),
  licence_expires_on date,
  licence_status text NOT NULL DEFAULT 'pending' CHECK (licence_status IN ('pending', 'approved', 'rejected')),
  licence_reviewed_by uuid REFERENCES users (id),
  licence_reviewed_at timestamptz,
  licence_review_note text,
  specialties text[] NOT NULL DEFAULT '{}' CHECK (
    specialties <@ ARRAY['hamstrings', 'low_back', 'neck_shoulders', 'sports', 'trigger_point', 'myofascial', 'prenatal']::text[]
  ),
  time_zone text NOT NULL,
  weekly_hours jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(weekly_hours) = 'array'),
  buffer_before_min integer NOT NULL DEFAULT 0 CHECK (buffer_before_min BETWEEN 0 AND 120),
  buffer_after_min integer NOT NULL DEFAULT 15 CHECK (buffer_after_min BETWEEN 0 AND 120),
  min_notice_min integer NOT NULL DEFAULT 120 CHECK (min_notice_min BETWEEN 0 AND 20160),
  booking_window_days integer NOT NULL DEFAULT 60 CHECK (booking_window_days BETWEEN 1 AND 365),
  travel_speed_kmh double precision NOT NULL DEFAULT 25 CHECK (travel_speed_kmh BETWEEN 5 AND 120),
  mobile_base_label text,
  mobile_base_lat double precision CHECK (mobile_base_lat BETWEEN -90 AND 90),
  mobile_base_lng double precision CHECK (mobile_base_lng BETWEEN -180 AND 180),
  mobile_radius_km double precision CHECK (mobile_radius_km > 0 AND mobile_radius_km <= 100),
  cancellation_cutoff_hours integer NOT NULL DEFAULT 24 CHECK (cancellation_cutoff_hours BETWEEN 0 AND 168),
  late_cancellation_fee_percent integer NOT NULL DEFAULT 50 CHECK (late_cancellation_fee_percent BETWEEN 0 AND 100),
  rating_average double precision,
  rating_count integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((mobile_radius_km IS NULL) = (mobile_base_lat IS NULL) AND (mobile_base_lat IS NULL) = (mobile_base_lng IS NULL)),
  CHECK (licence_status <> 'approved' OR (licence_number IS NOT NULL AND licence_region IS NOT NULL AND licence_expires_on IS NOT NULL))
);
CREATE INDEX therapists_searchable_idx ON therapists (market, licence_expires_on) WHERE licence_status = 'approved';

CREATE TABLE therapist_services (
  therapist_id uuid NOT NULL REFERENCES therapists (user_id) ON DELETE CASCADE,
  duration_min integer NOT NULL CHECK (duration_min IN (60, 90, 120)),
  price_cents integer NOT NULL CHECK (price_cents BETWEEN 100 AND 10000000),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  PRIMARY KEY (therapist_id, duration_min)
);

CREATE TABLE studios (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  therapist_id uuid NOT NULL REFERENCES therapists (user_id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  address text NOT NULL CHECK (length(address) BETWEEN 3 AND 300),
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
  archived_at timestamptz
);
CREATE INDEX studios_therapist_idx ON studios (therapist_id);
CREATE INDEX studios_position_idx ON studios (lat, lng) WHERE archived_at IS NULL;

CREATE TABLE schedule_overrides (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  therapist_id uuid NOT NULL REFERENCES therapists (user_id) ON DELETE CASCADE,
  on_date date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('off', 'extra')),
  intervals jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(intervals) = 'array'),
  note text CHECK (length(note) <= 300),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schedule_overrides_therapist_date_idx ON schedule_overrides (therapist_id, on_date);

-- Bookings ---------------------------------------------------------------------------------------------------

-- `blocked` is the time the therapist cannot give to anybody else: the session, its buffers, and the travel
-- from the previous visit. The exclusion constraint on it is what makes double-booking impossible; holds past
-- their expiry are moved to 'expired' before any insert that overlaps them.
CREATE TABLE bookings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  market text NOT NULL REFERENCES markets (id),
  therapist_id uuid NOT NULL REFERENCES therapists (user_id),
  client_id uuid NOT NULL REFERENCES users (id),
  status text NOT NULL CHECK (status IN ('held', 'confirmed', 'checked_in', 'completed', 'no_show', 'cancelled', 'expired', 'rescheduled')),
  mode text NOT NULL CHECK (mode IN ('studio', 'home')),
  studio_id uuid REFERENCES studios (id),
  address text NOT NULL CHECK (length(address) BETWEEN 3 AND 300),
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
  duration_min integer NOT NULL CHECK (duration_min IN (60, 90, 120)),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  buffer_before_min integer NOT NULL CHECK (buffer_before_min >= 0),
  buffer_after_min integer NOT NULL CHECK (buffer_after_min >= 0),
  travel_before_min integer NOT NULL DEFAULT 0 CHECK (travel_before_min >= 0),
  blocked tstzrange NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  cancellation_policy jsonb NOT NULL,
  hold_expires_at timestamptz,
  confirmed_at timestamptz,
  cancelled_at timestamptz,
  cancelled_by uuid REFERENCES users (id),
  cancellation_reason text CHECK (length(cancellation_reason) <= 500),
  cancellation_fee_cents integer CHECK (cancellation_fee_cents >= 0),
  rescheduled_from uuid REFERENCES bookings (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT bookings_time_order CHECK (ends_at = starts_at + make_interval(mins => duration_min)),
  CONSTRAINT bookings_blocked_matches CHECK (
    blocked = tstzrange(
      starts_at - make_interval(mins => buffer_before_min + travel_before_min),
      ends_at + make_interval(mins => buffer_after_min),
      '[)'
    )
  ),
  CONSTRAINT bookings_mode_place CHECK ((mode = 'studio') = (studio_id IS NOT NULL)),
  CONSTRAINT bookings_hold_expiry CHECK (status <> 'held' OR hold_expires_at IS NOT NULL),
  CONSTRAINT bookings_therapist_no_overlap EXCLUDE USING gist (therapist_id WITH =, blocked WITH &&)
    WHERE (status IN ('held', 'confirmed', 'checked_in', 'completed', 'no_show')),
  CONSTRAINT bookings_client_no_overlap EXCLUDE USING gist (client_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (status IN ('confirmed', 'checked_in'))
);
CREATE INDEX bookings_client_idx ON bookings (client_id, starts_at);
CREATE INDEX bookings_therapist_start_idx ON bookings (therapist_id, starts_at);
CREATE INDEX bookings_held_expiry_idx ON bookings (hold_expires_at) WHERE status = 'held';

-- Every state change, with who made it: the explicit history behind `bookings.status`.
CREATE TABLE booking_events (
  id bigserial PRIMARY KEY,
  booking_id uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  actor_id uuid REFERENCES users (id),
  from_status text,
  to_status text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX booking_events_booking_idx ON booking_events (booking_id, at);

CREATE TABLE idempotency_keys (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  request_hash text NOT NULL,
  status_code integer NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

-- Money stays in the app's own ledger; a payment provider would settle these entries (see src/booking/ledger.ts).
CREATE TABLE ledger_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  market text NOT NULL REFERENCES markets (id),
  booking_id uuid NOT NULL REFERENCES bookings (id),
  kind text NOT NULL CHECK (kind IN ('charge', 'cancellation_fee', 'refund')),
  amount_cents integer NOT NULL CHECK (amount_cents >= 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  created_at timestamptz NOT NULL,
  provider_reference text
);
CREATE INDEX ledger_entries_booking_idx ON ledger_entries (booking_id);
