-- Issue 19 (no cost that grows with the whole table), after 0037: the statements test/api/query-plans.test.ts
-- records from a booking day through the app (hold, confirm, cancel, the lists each role reads, the background
-- work) on a large market, where each one is EXPLAINed, also with sequential scans made unaffordable so that a
-- table no index can serve shows even while it is small.
-- The confirm's look for the booking's earlier payments: payments_one_per_booking covers only live booking
-- payments, so every other question about a booking's payments read every payment.
CREATE INDEX payments_booking_idx ON payments (booking_id);
-- A booking's (or a client's payments') receipts by payment: the unique indexes cover one kind each.
CREATE INDEX receipts_payment_idx ON receipts (payment_id);
-- The operator's licence queue (pending, rejected): approved therapists are almost all of them.
CREATE INDEX therapists_licence_queue_idx ON therapists (licence_status) WHERE licence_status <> 'approved';
-- The visit before a time (travel after a cancellation frees a slot): by the therapist's index it read the
-- therapist's whole history; this finds it directly. Same statuses as the exclusion constraint.
CREATE INDEX bookings_therapist_blocking_ends_idx ON bookings (therapist_id, ends_at)
  WHERE status IN ('held', 'awaiting_clearance', 'confirmed', 'checked_in', 'completed', 'no_show');
-- The operator's bookings by date, soonest first: no other index starts with starts_at.
CREATE INDEX bookings_starts_idx ON bookings (starts_at, id);
