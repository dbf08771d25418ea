-- Issue 17 (My data): erasure keeps signed session notes restricted for the market's retention period, then a durable
-- job (records.restricted_notes_purge) deletes them; drafts and everything else go at once.

-- How many years a market keeps a signed clinical note after its client asked for erasure. Markets that existed
-- before take 7 years (a common floor for clinical records); each new market states its own (src/demo/demo-market.ts).
ALTER TABLE markets ADD COLUMN note_retention_years smallint NOT NULL DEFAULT 7
  CHECK (note_retention_years BETWEEN 1 AND 30);
ALTER TABLE markets ALTER COLUMN note_retention_years DROP DEFAULT;

-- Set by erasure on a signed note: from then on no ordinary read sees the note (nor its amendments), and the purge
-- job deletes both once this instant has passed. Only a signed note is ever restricted; drafts are deleted at once.
ALTER TABLE session_notes ADD COLUMN restricted_until timestamptz;
ALTER TABLE session_notes ADD CONSTRAINT session_notes_restricted_signed
  CHECK (restricted_until IS NULL OR status = 'signed');
-- The purge job's question ("which restricted notes are due?") reads only the restricted rows.
CREATE INDEX session_notes_restricted_idx ON session_notes (restricted_until, client_id)
  WHERE restricted_until IS NOT NULL;

-- Signed notes stay unchangeable, with one exception: inside an erasure (knotwork.erasing_health_data, see 0005) a
-- signed note that is not restricted yet may be given its restricted_until, and nothing else. Deleting still needs
-- the erasure's declaration (the erasure itself for drafts, the purge job for restricted notes).
CREATE OR REPLACE FUNCTION refuse_signed_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND knotwork_erasing_health_data() THEN
    RETURN OLD;
  END IF;
  -- Nested, not AND: PL/pgSQL does not promise to short-circuit, and amendments have no status.
  IF TG_TABLE_NAME = 'session_notes' THEN
    IF OLD.status = 'draft' THEN
      RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'UPDATE' AND knotwork_erasing_health_data() THEN
      IF OLD.restricted_until IS NULL AND NEW.restricted_until IS NOT NULL
        AND (to_jsonb(NEW) - 'restricted_until') = (to_jsonb(OLD) - 'restricted_until') THEN
        RETURN NEW;
      END IF;
    END IF;
  END IF;
  RAISE EXCEPTION 'A signed session note and its amendments cannot be changed or deleted; add an amendment instead'
    USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'session_notes_signed_immutable';
END
$$;
