-- Pressure past a screening cap: the therapist's live pressure signal carries the reason they gave for going above
-- the region's cap (or onto a region screening excludes). The server refuses such a signal without one, so every
-- stored over-cap pressure has its reason, kept with the session record and read back in its live summary.
ALTER TABLE live_signals
  ADD COLUMN reason text,
  ADD CONSTRAINT live_signals_reason_on_pressure CHECK (reason IS NULL OR (kind = 'pressure' AND length(reason) BETWEEN 10 AND 500));
