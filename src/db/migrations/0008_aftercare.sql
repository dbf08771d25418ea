-- Aftercare and check-ins: the aftercare a therapist reviews and sends after a signed note (kept as sent), the
-- check-ins a client answers about 24 h and 48 h after check-out, and the care alerts a worrying answer raises.
-- All three are health data: src/intake/health-access.ts guards and audits every read, and
-- DELETE /api/me/health-data erases them.

-- One aftercare per booking. Generated as a draft when the note is signed; the therapist edits the draft in
-- place; sending freezes it, so what the client received stays exactly as it was.
CREATE TABLE aftercare_plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  booking_id uuid NOT NULL UNIQUE REFERENCES bookings (id),
  client_id uuid NOT NULL REFERENCES users (id),
  therapist_id uuid NOT NULL REFERENCES users (id),
  -- care/aftercare-plan.ts: AftercarePlan, validated by aftercarePlanSchema before it is written.
  content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
  -- care/home-programme.ts: OmittedExercise[], the exercises the client's conditions ruled out, for the therapist.
  omitted jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(omitted) = 'array'),
  -- The conditions the plan was generated for (care/client-conditions.ts), for the therapist's review.
  conditions jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(conditions) = 'array'),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent')),
  edited boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  sent_at timestamptz,
  sent_by uuid REFERENCES users (id),
  CHECK ((status = 'sent') = (sent_at IS NOT NULL AND sent_by IS NOT NULL))
);
CREATE INDEX aftercare_plans_client_idx ON aftercare_plans (client_id);

-- The database keeps sent aftercare as it was sent, whatever the application does (erasure excepted).
CREATE FUNCTION refuse_sent_aftercare_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND knotwork_erasing_health_data() THEN
    RETURN OLD;
  END IF;
  IF OLD.status = 'draft' THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  RAISE EXCEPTION 'Sent aftercare cannot be changed or deleted'
    USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'aftercare_plans_sent_immutable';
END
$$;
CREATE TRIGGER aftercare_plans_sent_immutable BEFORE UPDATE OR DELETE ON aftercare_plans
  FOR EACH ROW EXECUTE FUNCTION refuse_sent_aftercare_change();

-- A check-in: scheduled at check-out for `due_at`, opened by its job (the client is asked), reminded once at
-- `remind_at` if unanswered, answered by the client or expired at `expires_at`. Jobs move it on; each move is an
-- UPDATE guarded by the status it expects, so a job run twice changes nothing the second time.
CREATE TABLE check_ins (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  booking_id uuid NOT NULL REFERENCES bookings (id),
  client_id uuid NOT NULL REFERENCES users (id),
  therapist_id uuid NOT NULL REFERENCES users (id),
  seq smallint NOT NULL CHECK (seq BETWEEN 1 AND 10),
  hours_after integer NOT NULL CHECK (hours_after BETWEEN 1 AND 336),
  -- When the session ended (check-out): hours are counted from here.
  session_ended_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  remind_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'open', 'answered', 'expired')),
  opened_at timestamptz,
  reminded_at timestamptz,
  answered_at timestamptz,
  expired_at timestamptz,
  -- { soreness, trend, redFlags } as the client answered (aftercare/check-in-routes.ts).
  answers jsonb CHECK (answers IS NULL OR jsonb_typeof(answers) = 'object'),
  level text CHECK (level IN ('ok', 'seek_care', 'emergency')),
  -- care/check-in-evaluation.ts: the outcome's message and reasons, as shown to the client.
  outcome jsonb CHECK (outcome IS NULL OR jsonb_typeof(outcome) = 'object'),
  created_at timestamptz NOT NULL,
  UNIQUE (booking_id, seq),
  CHECK (due_at < remind_at AND remind_at < expires_at),
  CHECK ((status = 'answered') = (answered_at IS NOT NULL AND answers IS NOT NULL AND level IS NOT NULL AND outcome IS NOT NULL)),
  CHECK ((status = 'expired') = (expired_at IS NOT NULL)),
  CHECK (status <> 'answered' OR opened_at IS NOT NULL)
);
CREATE INDEX check_ins_client_idx ON check_ins (client_id, due_at);

-- What a worrying check-in answer raises: the therapist and operators see it in their queue until someone
-- acknowledges it, with a note of what they did.
CREATE TABLE care_alerts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  check_in_id uuid NOT NULL UNIQUE REFERENCES check_ins (id),
  booking_id uuid NOT NULL REFERENCES bookings (id),
  client_id uuid NOT NULL REFERENCES users (id),
  therapist_id uuid NOT NULL REFERENCES users (id),
  level text NOT NULL CHECK (level IN ('seek_care', 'emergency')),
  -- [{ id, level, sign }]: what the client reported.
  reasons jsonb NOT NULL CHECK (jsonb_typeof(reasons) = 'array' AND jsonb_array_length(reasons) > 0),
  created_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by uuid REFERENCES users (id),
  acknowledgement_note text CHECK (length(acknowledgement_note) BETWEEN 1 AND 1000),
  CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL) AND (acknowledged_at IS NULL) = (acknowledgement_note IS NULL))
);
CREATE INDEX care_alerts_open_idx ON care_alerts (therapist_id, created_at) WHERE acknowledged_at IS NULL;
CREATE INDEX care_alerts_client_idx ON care_alerts (client_id);

-- Messages that mean nothing after a moment (a booking confirmation or reminder once the session has started) carry
-- that moment; delivery gives them up instead of sending them late (notify/mail-delivery.ts).
ALTER TABLE messages ADD COLUMN IF NOT EXISTS send_before timestamptz;
