-- Issue 17 (booking for two): a couples session at one home address is two bookings, one per person, each with its
-- own therapist and its own client (the booker and their guest), at the same start, length and address. They are
-- held together in one transaction or not at all; each is then confirmed (and paid) by its own client.
CREATE TABLE booking_pairs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  booker_id uuid NOT NULL REFERENCES users (id),
  guest_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  CHECK (booker_id <> guest_id)
);
ALTER TABLE bookings ADD COLUMN pair_id uuid REFERENCES booking_pairs (id);
CREATE INDEX bookings_pair_idx ON bookings (pair_id) WHERE pair_id IS NOT NULL;
CREATE INDEX booking_pairs_booker_idx ON booking_pairs (booker_id);
CREATE INDEX booking_pairs_guest_idx ON booking_pairs (guest_id);
