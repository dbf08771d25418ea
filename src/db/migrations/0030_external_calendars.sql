-- Issue 17: a therapist's other calendars (Google, Apple, Outlook), read from their secret ICS addresses. The busy
-- times of the last good read block slots in search and holds, as bookings do; a failed read is recorded and
-- leaves them in force.
CREATE TABLE external_calendars (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  therapist_id uuid NOT NULL REFERENCES therapists (user_id) ON DELETE CASCADE,
  -- The secret address; the API shows only its host and last characters.
  url text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2048),
  created_at timestamptz NOT NULL,
  last_attempt_at timestamptz,
  last_success_at timestamptz,
  -- The last read's failure (NULL after a good read): a stable code and words for the therapist.
  last_error_code text CHECK (last_error_code IN ('http_status', 'timeout', 'not_ics', 'too_large', 'unreachable',
    'private_address', 'too_many_redirects')),
  last_error text,
  -- The busy times of the last good read cover up to this instant.
  busy_until timestamptz,
  UNIQUE (therapist_id, url),
  CHECK ((last_error_code IS NULL) = (last_error IS NULL))
);

CREATE TABLE external_busy_times (
  calendar_id uuid NOT NULL REFERENCES external_calendars (id) ON DELETE CASCADE,
  therapist_id uuid NOT NULL REFERENCES therapists (user_id) ON DELETE CASCADE,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  CHECK (ends_at > starts_at)
);
CREATE INDEX external_busy_times_by_calendar ON external_busy_times (calendar_id);
CREATE INDEX external_busy_times_by_therapist ON external_busy_times (therapist_id, ends_at);

-- Search's calendar cache reloads a therapist whose busy times change (migration 0006); deleting a calendar
-- deletes its rows, which announces the therapist too.
CREATE TRIGGER external_busy_times_announce_calendar_change AFTER INSERT OR UPDATE OR DELETE ON external_busy_times
  FOR EACH ROW EXECUTE FUNCTION announce_calendar_change('therapist_id');
