-- Clearance before confirmation. A session that needs a medical clearance not yet verified is not confirmed: it
-- waits as 'awaiting_clearance', keeping the therapist's slot (and the client's time) like a confirmed booking but
-- uncharged, until the clearance is verified (then confirmed and charged) or `clearance_due_at` passes (then
-- released free of charge).

ALTER TABLE bookings ADD COLUMN clearance_due_at timestamptz;

ALTER TABLE bookings DROP CONSTRAINT bookings_status_check;
ALTER TABLE bookings ADD CONSTRAINT bookings_status_check CHECK (status IN (
  'held', 'awaiting_clearance', 'confirmed', 'checked_in', 'completed', 'no_show', 'cancelled', 'expired', 'rescheduled'));
ALTER TABLE bookings ADD CONSTRAINT bookings_clearance_deadline
  CHECK (status <> 'awaiting_clearance' OR clearance_due_at IS NOT NULL);

ALTER TABLE bookings DROP CONSTRAINT bookings_therapist_no_overlap;
ALTER TABLE bookings ADD CONSTRAINT bookings_therapist_no_overlap EXCLUDE USING gist (therapist_id WITH =, blocked WITH &&)
  WHERE (status IN ('held', 'awaiting_clearance', 'confirmed', 'checked_in', 'completed', 'no_show'));
ALTER TABLE bookings DROP CONSTRAINT bookings_client_no_overlap;
ALTER TABLE bookings ADD CONSTRAINT bookings_client_no_overlap
  EXCLUDE USING gist (client_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
  WHERE (status IN ('awaiting_clearance', 'confirmed', 'checked_in'));
