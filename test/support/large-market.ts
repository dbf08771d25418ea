import { type Kysely, sql } from 'kysely';
import type { DB } from '../../src/schema.js';

const DAY = 86_400_000;

/**
 * Fills the bookings table in one statement (generate_series), as a market with history looks: `perTherapist`
 * bookings per therapist, one a day at 15:00 UTC, ending `futureDays` days after `now`. Booking g is therapist
 * g mod T's and client g mod C's (C >= T, so no client is in two places at once); past ones completed, future ones
 * confirmed, one in seven cancelled and the bookings of one day in ten moved (status rescheduled, the next day's booking of the same
 * therapist has rescheduled_from pointing at it). Every CHECK and exclusion constraint holds. Ids are valid version-4
 * UUIDs (the API's schemas check them). Then ANALYZE, so the planner knows the table's size.
 */
export async function fillBookingHistory(
  db: Kysely<DB>,
  options: {
    therapists: readonly { id: string; studioId: string }[];
    clientIds: readonly string[];
    perTherapist: number;
    now: number;
    futureDays?: number;
    /** Seeds the bookings' ids: a second fill into the same table needs its own. */
    idSeed?: string;
  },
): Promise<number> {
  const seed = options.idSeed ?? 'kw-history-';
  const t = options.therapists.length;
  if (options.clientIds.length < t) throw new Error('fillBookingHistory needs at least as many clients as therapists');
  const n = t * options.perTherapist;
  const firstDay = Math.floor(options.now / DAY) * DAY + (options.futureDays ?? 10) * DAY - options.perTherapist * DAY;
  await sql`
    INSERT INTO bookings (id, market, therapist_id, client_id, status, mode, studio_id, address, lat, lng, time_zone,
      duration_min, starts_at, ends_at, buffer_before_min, buffer_after_min, travel_before_min, blocked, price_cents,
      currency, cancellation_policy, confirmed_at, cancelled_at, rescheduled_from, created_at, updated_at)
    SELECT overlay(overlay(md5(${seed}::text || g) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid, th.market, tt.id, cc.id,
      CASE WHEN (g / ${t}) % 10 = 3 AND g + ${t} < ${n} THEN 'rescheduled'
           WHEN g % 7 = 0 THEN 'cancelled'
           WHEN s < ${new Date(options.now)}::timestamptz THEN 'completed'
           ELSE 'confirmed' END,
      'studio', tt.studio_id, '1 History Street, New York, NY', 40.7549, -73.984, 'America/New_York',
      60, s, s + interval '60 minutes', 0, 15, 0, tstzrange(s, s + interval '75 minutes', '[)'), 12000, 'USD',
      '{"freeUntilHoursBefore":24,"lateFeePercent":50,"graceMinutes":10}'::jsonb,
      s - interval '7 days', CASE WHEN g % 7 = 0 AND NOT ((g / ${t}) % 10 = 3 AND g + ${t} < ${n}) THEN s - interval '2 days' END,
      CASE WHEN g >= ${t} AND ((g - ${t}) / ${t}) % 10 = 3 THEN overlay(overlay(md5(${seed}::text || (g - ${t})) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid END,
      s - interval '8 days', s - interval '7 days'
    FROM generate_series(0, ${n - 1}::int) AS g
    CROSS JOIN LATERAL (SELECT ${new Date(firstDay)}::timestamptz + (g / ${t}) * interval '1 day' + interval '15 hours' AS s) AS at
    JOIN unnest(${sql.val(options.therapists.map((x) => x.id))}::uuid[], ${sql.val(options.therapists.map((x) => x.studioId))}::uuid[])
      WITH ORDINALITY AS tt (id, studio_id, k) ON tt.k = g % ${t} + 1
    JOIN therapists th ON th.user_id = tt.id
    JOIN unnest(${sql.val(options.clientIds)}::uuid[]) WITH ORDINALITY AS cc (id, k) ON cc.k = g % ${options.clientIds.length} + 1
  `.execute(db);
  await sql`ANALYZE`.execute(db);
  return n;
}

/**
 * `count` waitlist entries by the clients in turn (one therapist's or any therapist's), all but one in fifty closed
 * (claimed, expired or cancelled), as a waitlist looks after months. Then ANALYZE.
 */
export async function fillWaitlistHistory(
  db: Kysely<DB>,
  options: { therapistIds: readonly string[]; clientIds: readonly string[]; count: number; now: number },
): Promise<void> {
  await sql`
    INSERT INTO waitlist_entries (client_id, therapist_id, duration_min, mode, lat, lng, radius_km, time_zone,
      from_date, to_date, from_minute, to_minute, status, created_at, updated_at)
    SELECT cc.id, CASE WHEN g % 3 = 0 THEN NULL ELSE tt.id END, 60, 'studio', 40.7549, -73.984, 10, 'America/New_York',
      d, d + 7, 540, 1020,
      CASE WHEN g % 50 = 0 THEN 'waiting' WHEN g % 3 = 1 THEN 'claimed' WHEN g % 3 = 2 THEN 'cancelled' ELSE 'expired' END,
      ${new Date(options.now)}::timestamptz - (${options.count} - g) * interval '10 minutes',
      ${new Date(options.now)}::timestamptz - (${options.count} - g) * interval '10 minutes'
    FROM generate_series(0, ${options.count - 1}::int) AS g
    CROSS JOIN LATERAL (SELECT (${new Date(options.now)}::timestamptz - (${options.count} - g) * interval '10 minutes')::date AS d) AS at
    JOIN unnest(${sql.val(options.therapistIds)}::uuid[]) WITH ORDINALITY AS tt (id, k) ON tt.k = g % ${options.therapistIds.length} + 1
    JOIN unnest(${sql.val(options.clientIds)}::uuid[]) WITH ORDINALITY AS cc (id, k) ON cc.k = g % ${options.clientIds.length} + 1
  `.execute(db);
  await sql`ANALYZE`.execute(db);
}

/**
 * What months of running leave behind in the work tables, so a poll whose cost grows with history shows: one
 * booking event per booking (its confirmation, in one long-committed transaction), `jobs` finished jobs (one in a
 * hundred failed) due before `now`, `messages` sent messages, `audit` audit rows and `sessions` expired sessions
 * of the users in turn, and `idempotency` idempotency keys. Then ANALYZE.
 */
export async function fillWorkHistory(
  db: Kysely<DB>,
  options: {
    userIds: readonly string[];
    now: number;
    jobs: number;
    messages: number;
    audit: number;
    sessions: number;
    idempotency: number;
  },
): Promise<void> {
  const now = new Date(options.now);
  const users = sql.val(options.userIds);
  const u = options.userIds.length;
  await sql`
    INSERT INTO booking_events (booking_id, at, actor_id, from_status, to_status, detail)
    SELECT id, confirmed_at, client_id, 'held', 'confirmed', '{}'::jsonb FROM bookings WHERE confirmed_at IS NOT NULL
  `.execute(db);
  // Every consumer has long handled them.
  await sql`
    UPDATE event_cursors SET last_tx = e.tx, last_id = e.id
    FROM (SELECT tx, id FROM booking_events ORDER BY tx DESC, id DESC LIMIT 1) AS e
  `.execute(db);
  await sql`
    INSERT INTO jobs (kind, payload, run_at, status, attempts, last_error, dedupe_key, created_at, updated_at, finished_at)
    SELECT 'history.job', jsonb_build_object('n', g), ${now}::timestamptz - g * interval '1 minute',
      CASE WHEN g % 100 = 0 THEN 'failed' ELSE 'done' END, 1, CASE WHEN g % 100 = 0 THEN 'gave up' END,
      'history.job:' || g, ${now}::timestamptz - g * interval '1 minute' - interval '1 hour',
      ${now}::timestamptz - g * interval '1 minute', ${now}::timestamptz - g * interval '1 minute'
    FROM generate_series(1, ${options.jobs}::int) AS g
  `.execute(db);
  await sql`
    INSERT INTO messages (user_id, kind, subject, body_text, status, attempts, next_attempt_at, sent_at, created_at)
    SELECT uu.id, 'history.notice', 'An old notice', 'Sent long ago.', 'sent', 1,
      ${now}::timestamptz - g * interval '1 minute', ${now}::timestamptz - g * interval '1 minute',
      ${now}::timestamptz - g * interval '1 minute'
    FROM generate_series(1, ${options.messages}::int) AS g
    JOIN unnest(${users}::uuid[]) WITH ORDINALITY AS uu (id, k) ON uu.k = g % ${u} + 1
  `.execute(db);
  await sql`
    INSERT INTO audit_log (at, actor_id, actor_role, action, subject_type, subject_id, subject_user_id, detail)
    SELECT ${now}::timestamptz - g * interval '1 minute', uu.id, 'client', 'history.read', 'user', uu.id::text, uu.id, '{}'::jsonb
    FROM generate_series(1, ${options.audit}::int) AS g
    JOIN unnest(${users}::uuid[]) WITH ORDINALITY AS uu (id, k) ON uu.k = g % ${u} + 1
  `.execute(db);
  await sql`
    INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
    SELECT md5('kw-session-' || g) || md5('kw-session-x' || g), uu.id,
      ${now}::timestamptz - g * interval '1 minute' - interval '30 days', ${now}::timestamptz - g * interval '1 minute'
    FROM generate_series(1, ${options.sessions}::int) AS g
    JOIN unnest(${users}::uuid[]) WITH ORDINALITY AS uu (id, k) ON uu.k = g % ${u} + 1
  `.execute(db);
  await sql`
    INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response, created_at)
    SELECT uu.id, 'history-' || g, md5('kw-request-' || g), 201, '{}'::jsonb, ${now}::timestamptz - g * interval '1 minute'
    FROM generate_series(1, ${options.idempotency}::int) AS g
    JOIN unnest(${users}::uuid[]) WITH ORDINALITY AS uu (id, k) ON uu.k = g % ${u} + 1
  `.execute(db);
  await sql`ANALYZE`.execute(db);
}

/**
 * `count` open waitlist entries (waiting, for the two weeks from `now`, 09:00–17:00), as a busy waitlist looks: four
 * in five wait for one therapist (g mod T's), one in five for any therapist matching, spread over the continental
 * United States (latitudes 26–48, longitudes −122 to −70), studio and home visits and all three lengths in turn,
 * so few of them are within reach of any one therapist. Then ANALYZE.
 */
export async function fillOpenWaitlist(
  db: Kysely<DB>,
  options: { therapistIds: readonly string[]; clientIds: readonly string[]; count: number; now: number },
): Promise<void> {
  const today = new Date(Math.floor(options.now / DAY) * DAY).toISOString().slice(0, 10);
  await sql`
    INSERT INTO waitlist_entries (client_id, therapist_id, duration_min, mode, lat, lng, radius_km, address, time_zone,
      from_date, to_date, from_minute, to_minute, status, created_at, updated_at)
    SELECT cc.id, CASE WHEN g % 5 = 0 THEN NULL ELSE tt.id END, (ARRAY[60, 90, 120])[g % 3 + 1],
      CASE WHEN g % 10 = 5 THEN 'home' ELSE 'studio' END,
      26 + (g * 7919 % 2200) / 100.0, -122 + (g * 104729 % 5200) / 100.0, 10,
      CASE WHEN g % 10 = 5 THEN '1 Waiting Street' END, 'America/New_York',
      ${today}::date, ${today}::date + 14, 540, 1020, 'waiting',
      ${new Date(options.now)}::timestamptz - (${options.count} - g) * interval '1 minute',
      ${new Date(options.now)}::timestamptz - (${options.count} - g) * interval '1 minute'
    FROM generate_series(0, ${options.count - 1}::int) AS g
    JOIN unnest(${sql.val(options.therapistIds)}::uuid[]) WITH ORDINALITY AS tt (id, k) ON tt.k = g % ${options.therapistIds.length} + 1
    JOIN unnest(${sql.val(options.clientIds)}::uuid[]) WITH ORDINALITY AS cc (id, k) ON cc.k = g % ${options.clientIds.length} + 1
  `.execute(db);
  await sql`ANALYZE`.execute(db);
}
