-- Session records: structured notes (a draft until signed, then only amended), outcome measurements, treatment
-- plans, and the ratings and prefer/never choices a client and a therapist make after a session.
-- Notes, measurements and plans are health data: src/intake/health-access.ts guards and audits every read, and
-- DELETE /api/me/health-data erases them. Ratings and preferences are not health data and stay.

-- Erasure is the one way a signed note or an amendment may be deleted: the erasing transaction says so with
-- set_config('knotwork.erasing_health_data', 'on', true), which lasts until its end.
CREATE FUNCTION knotwork_erasing_health_data() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('knotwork.erasing_health_data', true), '') = 'on'
$$;

-- Session notes -------------------------------------------------------------------------------------------------

-- One note per booking, written by the booked therapist. A draft is edited in place; signing freezes it.
CREATE TABLE session_notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  booking_id uuid NOT NULL UNIQUE REFERENCES bookings (id),
  client_id uuid NOT NULL REFERENCES users (id),
  therapist_id uuid NOT NULL REFERENCES users (id),
  template_id text CHECK (length(template_id) BETWEEN 1 AND 60),
  -- care/session-note.ts: SessionNote, validated by sessionNoteSchema before it is written.
  content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
  -- [{ region, reason }]: why a region was worked beyond its screening limit.
  exceedance_reasons jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(exceedance_reasons) = 'array'),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'signed')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  signed_at timestamptz,
  signed_by uuid REFERENCES users (id),
  CHECK ((status = 'signed') = (signed_at IS NOT NULL AND signed_by IS NOT NULL))
);
CREATE INDEX session_notes_client_idx ON session_notes (client_id);

-- Corrections to a signed note: who, when, why, and the whole note as amended (the signed original stays in
-- session_notes, so every version can be read). Never updated.
CREATE TABLE session_note_amendments (
  id bigserial PRIMARY KEY,
  note_id uuid NOT NULL REFERENCES session_notes (id),
  author_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 10 AND 1000),
  content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
  exceedance_reasons jsonb NOT NULL CHECK (jsonb_typeof(exceedance_reasons) = 'array'),
  -- The parts of the note this amendment changed, e.g. ["painAfter", "assessment"].
  changed_fields jsonb NOT NULL CHECK (jsonb_typeof(changed_fields) = 'array' AND jsonb_array_length(changed_fields) > 0)
);
CREATE INDEX session_note_amendments_note_idx ON session_note_amendments (note_id, id);

-- The database itself keeps signed notes and amendments as they were written, whatever the application does.
CREATE FUNCTION refuse_signed_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND knotwork_erasing_health_data() THEN
    RETURN OLD;
  END IF;
  -- Nested, not AND: PL/pgSQL does not promise to short-circuit, and amendments have no status.
  IF TG_TABLE_NAME = 'session_notes' THEN
    IF OLD.status = 'draft' THEN
      RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
  END IF;
  RAISE EXCEPTION 'A signed session note and its amendments cannot be changed or deleted; add an amendment instead'
    USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'session_notes_signed_immutable';
END
$$;
CREATE TRIGGER session_notes_signed_immutable BEFORE UPDATE OR DELETE ON session_notes
  FOR EACH ROW EXECUTE FUNCTION refuse_signed_note_change();
CREATE TRIGGER session_note_amendments_immutable BEFORE UPDATE OR DELETE ON session_note_amendments
  FOR EACH ROW EXECUTE FUNCTION refuse_signed_note_change();

-- Outcome measurements ------------------------------------------------------------------------------------------

-- One value of an outcome measure (outcomes/measure-catalogue.ts). `key` is what it is about: a body region for
-- pain, 'left'/'right' for AKE and SLR, the activity key for one PSFS activity, null otherwise. `detail` keeps
-- what the value was computed from (questionnaire answers, PSFS ratings, test trials).
CREATE TABLE outcome_measurements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid NOT NULL REFERENCES users (id),
  booking_id uuid REFERENCES bookings (id),
  measure text NOT NULL CHECK (measure IN ('nprs', 'psfs', 'psfs_activity', 'odi', 'ndi', 'ake', 'slr', 'sit_and_reach')),
  key text CHECK (length(key) BETWEEN 1 AND 200),
  value double precision NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(detail) = 'object'),
  -- The session's local date (or the day of recording without a session): the x of a progress chart.
  session_date date NOT NULL,
  source text NOT NULL CHECK (source IN ('note', 'therapist', 'client')),
  recorded_by uuid NOT NULL REFERENCES users (id),
  recorded_at timestamptz NOT NULL
);
-- One value per measure and key per session (a newer one replaces it), or per day without a session.
CREATE UNIQUE INDEX outcome_measurements_one_per_session ON outcome_measurements (booking_id, measure, coalesce(key, ''))
  WHERE booking_id IS NOT NULL;
CREATE UNIQUE INDEX outcome_measurements_one_per_day ON outcome_measurements (client_id, measure, coalesce(key, ''), session_date)
  WHERE booking_id IS NULL;
CREATE INDEX outcome_measurements_client_idx ON outcome_measurements (client_id, measure, session_date);

-- Treatment plans -----------------------------------------------------------------------------------------------

-- The plan a therapist keeps with a client: measurable goals, how often and how many sessions, when to review.
-- One per client and therapist; saving it again replaces it and counts a new version.
CREATE TABLE treatment_plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid NOT NULL REFERENCES users (id),
  therapist_id uuid NOT NULL REFERENCES users (id),
  version integer NOT NULL CHECK (version >= 1),
  -- [{ measure, key, comparator, target, label }] (outcomes/treatment-goals.ts)
  goals jsonb NOT NULL CHECK (jsonb_typeof(goals) = 'array' AND jsonb_array_length(goals) BETWEEN 1 AND 6),
  sessions_per_period integer NOT NULL CHECK (sessions_per_period BETWEEN 1 AND 7),
  period text NOT NULL CHECK (period IN ('week', 'fortnight', 'month')),
  planned_sessions integer NOT NULL CHECK (planned_sessions BETWEEN 1 AND 52),
  starts_on date NOT NULL,
  review_on date NOT NULL CHECK (review_on >= starts_on),
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (client_id, therapist_id)
);

-- Ratings and preferences ---------------------------------------------------------------------------------------

-- After a session each side may rate the other once: the client rates the therapist (feeds the therapist's
-- rating in search), the therapist rates the client.
CREATE TABLE session_ratings (
  booking_id uuid NOT NULL REFERENCES bookings (id),
  rater text NOT NULL CHECK (rater IN ('client', 'therapist')),
  client_id uuid NOT NULL REFERENCES users (id),
  therapist_id uuid NOT NULL REFERENCES users (id),
  stars integer NOT NULL CHECK (stars BETWEEN 1 AND 5),
  comment text CHECK (length(comment) <= 1000),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (booking_id, rater)
);
CREATE INDEX session_ratings_of_therapist_idx ON session_ratings (therapist_id) WHERE rater = 'client';

-- What each side of a pair wants next time. 'never' by either side hides the therapist from the client's search
-- and refuses new holds between them; a therapist cannot 'prefer' a client.
CREATE TABLE pair_preferences (
  client_id uuid NOT NULL REFERENCES users (id),
  therapist_id uuid NOT NULL REFERENCES users (id),
  set_by text NOT NULL CHECK (set_by IN ('client', 'therapist')),
  preference text NOT NULL CHECK (preference IN ('prefer', 'neutral', 'never')),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (client_id, therapist_id, set_by),
  CHECK (set_by = 'client' OR preference <> 'prefer')
);
CREATE INDEX pair_preferences_never_idx ON pair_preferences (client_id, therapist_id) WHERE preference = 'never';
