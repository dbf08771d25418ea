-- Issue 19: an open waitlist entry whose window has ended stayed open (it only read as expired) until a nearby
-- therapist freed time, so the partial indexes of open entries grew with every entry ever made. Entries now schedule
-- a 'waitlist.window_end' job when they join (waitlist/waitlist.ts); this gives the entries already open theirs, due
-- at midnight after their last day in their own zone (at once for a window already past).
INSERT INTO jobs (kind, payload, run_at, dedupe_key, created_at, updated_at)
SELECT 'waitlist.window_end', jsonb_build_object('entryId', id), ((to_date + 1)::timestamp AT TIME ZONE time_zone),
  'waitlist.window_end:' || id, now(), now()
FROM waitlist_entries
WHERE status IN ('waiting', 'offered')
ON CONFLICT (dedupe_key) DO NOTHING;
