-- A photo's address names its version (`?v=`) and is cached for a year, so a version must never be given twice.
-- Counted per therapist it restarted at 1 when a photo was removed and another uploaded, and browsers (and every
-- client who had seen the profile) kept showing the removed photo under the reused address. Versions now come from
-- one sequence. It starts above any per-therapist count reached before (the removed photos' versions are unknown;
-- a million uploads by one therapist is not).
CREATE SEQUENCE therapist_photo_versions START 1000000;
