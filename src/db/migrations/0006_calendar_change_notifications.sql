-- Every change that can alter a therapist's availability announces the therapist on the 'knotwork_calendar'
-- channel, from the database itself, so no write path (present or future) can forget to. App instances keep
-- an in-memory copy of calendars for search and reload a therapist when told. PostgreSQL delivers
-- notifications only on commit, in commit order, and collapses identical ones within a transaction.

CREATE FUNCTION announce_calendar_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
BEGIN
  PERFORM pg_notify('knotwork_calendar', changed ->> TG_ARGV[0]);
  IF TG_OP = 'UPDATE' AND (to_jsonb(OLD) ->> TG_ARGV[0]) IS DISTINCT FROM (changed ->> TG_ARGV[0]) THEN
    PERFORM pg_notify('knotwork_calendar', to_jsonb(OLD) ->> TG_ARGV[0]);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER therapists_announce_calendar_change AFTER INSERT OR UPDATE OR DELETE ON therapists
  FOR EACH ROW EXECUTE FUNCTION announce_calendar_change('user_id');
CREATE TRIGGER therapist_services_announce_calendar_change AFTER INSERT OR UPDATE OR DELETE ON therapist_services
  FOR EACH ROW EXECUTE FUNCTION announce_calendar_change('therapist_id');
CREATE TRIGGER studios_announce_calendar_change AFTER INSERT OR UPDATE OR DELETE ON studios
  FOR EACH ROW EXECUTE FUNCTION announce_calendar_change('therapist_id');
CREATE TRIGGER schedule_overrides_announce_calendar_change AFTER INSERT OR UPDATE OR DELETE ON schedule_overrides
  FOR EACH ROW EXECUTE FUNCTION announce_calendar_change('therapist_id');
CREATE TRIGGER bookings_announce_calendar_change AFTER INSERT OR UPDATE OR DELETE ON bookings
  FOR EACH ROW EXECUTE FUNCTION announce_calendar_change('therapist_id');
