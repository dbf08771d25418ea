-- Issue 17 (courses of sessions): a course is booked in one go from a weekly RRULE; each of its sessions is an
-- ordinary booking, linked to the course, so it is confirmed, moved and cancelled on its own.
CREATE TABLE booking_courses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid NOT NULL REFERENCES users (id),
  therapist_id uuid NOT NULL REFERENCES therapists (user_id),
  rrule text NOT NULL CHECK (length(rrule) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL
);
ALTER TABLE bookings ADD COLUMN course_id uuid REFERENCES booking_courses (id);
CREATE INDEX bookings_course_idx ON bookings (course_id) WHERE course_id IS NOT NULL;
