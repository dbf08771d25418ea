-- Consultation intake, screening decisions on bookings, therapist overrides and clearance documents.
-- Health data lives only in these tables; src/intake/health-access.ts guards and audits every read, and
-- DELETE /api/me/health-data erases them for a client (bookings, their events and the ledger stay).

-- A saved intake is never edited: every change is a new version. Bookings point at the version they were screened on.
CREATE TABLE intake_versions (
  client_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version >= 1),
  data jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (client_id, version)
);

-- Every screening of a booking (at hold, at confirm, after a reschedule, an intake change or an override). The
-- latest row per booking is the booking's current decision.
CREATE TABLE booking_screenings (
  id bigserial PRIMARY KEY,
  booking_id uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
  client_id uuid NOT NULL,
  intake_version integer NOT NULL,
  stage text NOT NULL CHECK (stage IN ('hold', 'confirm', 'reschedule', 'intake_changed', 'override')),
  outcome text NOT NULL CHECK (outcome IN ('proceed', 'adapt', 'clearance_required', 'not_today')),
  -- The focus the client asked for (null: the regions marked on the intake).
  focus_regions jsonb CHECK (focus_regions IS NULL OR jsonb_typeof(focus_regions) = 'array'),
  -- Ids of the rules whose clearance a verified document must cover before check-in.
  clearance_rule_ids jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(clearance_rule_ids) = 'array'),
  decision jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  FOREIGN KEY (client_id, intake_version) REFERENCES intake_versions (client_id, version) ON DELETE CASCADE
);
CREATE INDEX booking_screenings_booking_idx ON booking_screenings (booking_id, id DESC);
CREATE INDEX booking_screenings_client_idx ON booking_screenings (client_id);

-- A therapist lifting a caution (class L or R, never A) for one booking, with the reason.
CREATE TABLE screening_overrides (
  booking_id uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
  rule_id text NOT NULL CHECK (length(rule_id) BETWEEN 1 AND 80),
  therapist_id uuid NOT NULL REFERENCES users (id),
  reason text NOT NULL CHECK (length(reason) BETWEEN 10 AND 500),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (booking_id, rule_id)
);

-- Medical clearance documents: sniffed type, size-checked, kept in the database, served only as attachments to
-- the client, the booked therapist and operators.
CREATE TABLE clearance_documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  booking_id uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
  client_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
  content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
  size_bytes integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 5242880),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content bytea NOT NULL,
  uploaded_by uuid NOT NULL REFERENCES users (id),
  uploaded_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'verified', 'rejected')),
  -- Rule ids the verification covered (the booking's clearance requirements at that moment).
  covers jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(covers) = 'array'),
  reviewed_by uuid REFERENCES users (id),
  reviewed_at timestamptz,
  review_note text CHECK (length(review_note) <= 500),
  CHECK (octet_length(content) = size_bytes),
  CHECK ((status = 'submitted') = (reviewed_at IS NULL))
);
CREATE INDEX clearance_documents_booking_idx ON clearance_documents (booking_id);
CREATE INDEX clearance_documents_client_idx ON clearance_documents (client_id);
