-- Issue 19 (no cost that grows with the whole table), the waitlist: when a therapist's time frees, the match reads
-- only the open entries that time could serve, and a new "any therapist" entry looks only at the therapists who could
-- serve it. test/api/query-plans.test.ts EXPLAINs both on a large market with many open entries.
-- The open entries waiting for one therapist, in the order they joined: the match read walked every open entry of
-- the market (waitlist_entries_open_idx, in seq order) and threw away those of other therapists.
CREATE INDEX waitlist_entries_open_therapist_idx ON waitlist_entries (therapist_id, seq)
  WHERE status IN ('waiting', 'offered') AND therapist_id IS NOT NULL;
-- The open "any therapist matching" entries by place mode, length and position: the match asks for those of the
-- lengths the therapist offers within reach of their studios (a client goes at most 100 km) or inside their travel
-- area (home visits), a latitude band bounded by the index, longitudes checked in it.
CREATE INDEX waitlist_entries_open_any_idx ON waitlist_entries (mode, duration_min, lat, lng)
  WHERE status IN ('waiting', 'offered') AND therapist_id IS NULL;
-- Only the match read used it, and it made the planner walk the whole open waitlist in seq order.
DROP INDEX waitlist_entries_open_idx;
-- Approved therapists whose travel area may reach a client's home, by the area's base (studios have
-- studios_position_idx): a new home-visit entry looks only at those.
CREATE INDEX therapists_mobile_base_idx ON therapists (mobile_base_lat, mobile_base_lng)
  WHERE mobile_radius_km IS NOT NULL AND licence_status = 'approved';
