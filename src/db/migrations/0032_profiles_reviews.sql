-- Issue 17 (therapist profiles and reviews).
-- The public profile: languages spoken and years in practice beside the bio and specialties.
ALTER TABLE therapists ADD COLUMN languages text[] NOT NULL DEFAULT '{}'
  CHECK (cardinality(languages) <= 10);
ALTER TABLE therapists ADD COLUMN years_in_practice integer CHECK (years_in_practice BETWEEN 0 AND 70);

-- The profile photo, as the server re-encoded it (WebP, EXIF stripped, at most 800 px a side). Kept in the
-- database, so the embedded default needs no other store and a backup holds it.
CREATE TABLE therapist_photos (
  therapist_id uuid PRIMARY KEY REFERENCES therapists (user_id),
  webp bytea NOT NULL CHECK (octet_length(webp) <= 1048576),
  width integer NOT NULL,
  height integer NOT NULL,
  version integer NOT NULL,
  updated_at timestamptz NOT NULL
);

-- A client's rating may carry a public review; the therapist may reply once; an operator may hide it with a reason.
-- `comment` stays what it was: a private note that only its writer and operators read.
ALTER TABLE session_ratings ADD COLUMN review text CHECK (length(review) BETWEEN 1 AND 2000);
ALTER TABLE session_ratings ADD COLUMN reply text CHECK (length(reply) BETWEEN 1 AND 1000);
ALTER TABLE session_ratings ADD COLUMN replied_at timestamptz;
ALTER TABLE session_ratings ADD COLUMN hidden_at timestamptz;
ALTER TABLE session_ratings ADD COLUMN hidden_by uuid REFERENCES users (id);
ALTER TABLE session_ratings ADD COLUMN hidden_reason text CHECK (length(hidden_reason) BETWEEN 1 AND 500);
ALTER TABLE session_ratings ADD CONSTRAINT session_ratings_review_by_client CHECK (rater = 'client' OR review IS NULL);
ALTER TABLE session_ratings ADD CONSTRAINT session_ratings_reply_to_review
  CHECK ((reply IS NULL) = (replied_at IS NULL) AND (reply IS NULL OR review IS NOT NULL));
ALTER TABLE session_ratings ADD CONSTRAINT session_ratings_hidden_with_reason
  CHECK ((hidden_at IS NULL) = (hidden_reason IS NULL) AND (hidden_at IS NULL) = (hidden_by IS NULL));
CREATE INDEX session_ratings_reviews_idx ON session_ratings (therapist_id, created_at DESC)
  WHERE rater = 'client' AND review IS NOT NULL;
