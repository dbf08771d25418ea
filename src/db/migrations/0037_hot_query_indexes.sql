-- Issue 19 (no cost that grows with the whole table): every hot query is answered from an index, so its cost grows
-- with its answer, not with the table. test/api/query-plans.test.ts EXPLAINs them on a large market.
-- The booking view's `rescheduled_to` (the booking that replaced this one) looks bookings up by rescheduled_from:
-- without an index every booking row shown scanned every booking. Few bookings are moves, so the index is partial.
CREATE INDEX bookings_rescheduled_from_idx ON bookings (rescheduled_from) WHERE rescheduled_from IS NOT NULL;
-- Search's calendar loader reads, for all therapists at once, the bookings that hold time and have not ended a day
-- ago: with history piling up that was a scan of every booking ever made. Same statuses as the exclusion constraint.
CREATE INDEX bookings_blocking_ends_idx ON bookings (ends_at)
  WHERE status IN ('held', 'awaiting_clearance', 'confirmed', 'checked_in', 'completed', 'no_show');
