-- Dead letters: a job whose last attempt failed stays `failed` (the dead-letter state) until an operator replays it
-- (GET /api/operator/dead-letters, POST /api/operator/dead-letters/{id}/replay), which makes it pending again with
-- its attempts counted afresh. `replays` counts how often that happened, so a letter that keeps coming back shows.
-- Booking notices give each event that fails its own job (`booking_notices.retry`), so a poison event waits here
-- instead of holding back every later notice.
ALTER TABLE jobs ADD COLUMN replays integer NOT NULL DEFAULT 0 CHECK (replays >= 0);
CREATE INDEX jobs_dead_letters_idx ON jobs (finished_at DESC, id DESC) WHERE status = 'failed';
