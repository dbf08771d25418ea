-- The regions the session worked (the signed note's body-map refs), kept with its aftercare so that the guides the
-- aftercare links follow the session, not the exercises the therapist kept in the plan. Aftercare written before
-- this has none ('[]'): its guides are read from the home programme, as they were.
ALTER TABLE aftercare_plans
  ADD COLUMN regions_worked jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(regions_worked) = 'array');
