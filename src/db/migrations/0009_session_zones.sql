-- A session happens at a place, and its time is the wall-clock time there. Every place gets its IANA zone (a
-- studio from its coordinates, set by the application; a home visit from the address's coordinates), and every
-- booking keeps the zone of its place, so every screen, message and calendar file shows the same local time.
-- Rows written before this migration take their market's zone: every market so far lies in one zone.

ALTER TABLE studios ADD COLUMN time_zone text;
UPDATE studios s SET time_zone = m.time_zone
  FROM therapists t JOIN markets m ON m.id = t.market
  WHERE t.user_id = s.therapist_id;
ALTER TABLE studios ALTER COLUMN time_zone SET NOT NULL;

ALTER TABLE bookings ADD COLUMN time_zone text;
UPDATE bookings b SET time_zone = coalesce(
  (SELECT s.time_zone FROM studios s WHERE s.id = b.studio_id),
  (SELECT m.time_zone FROM markets m WHERE m.id = b.market));
ALTER TABLE bookings ALTER COLUMN time_zone SET NOT NULL;

-- How distances are written for the market's people: miles in the United States, kilometres elsewhere.
ALTER TABLE markets ADD COLUMN distance_unit text NOT NULL DEFAULT 'km' CHECK (distance_unit IN ('km', 'mi'));
UPDATE markets SET distance_unit = 'mi' WHERE id = 'nyc';
