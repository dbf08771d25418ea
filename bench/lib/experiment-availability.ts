/**
 * Diagnostic, not a benchmark: measures candidate rewrites of the availability search's SQL against the
 * queries availability-search.ts sends today, on a database built by bench/availability-search.bench.ts with
 * BENCH_KEEP_DB=1. Each variant runs the same sample of searches one at a time; we report wall time and this
 * process's CPU time per search (the Node side: receiving and parsing rows), plus rows returned.
 *
 *   npx tsx bench/lib/experiment-availability.ts postgres://postgres@127.0.0.1:5432/knotwork_bench_xxx [samples]
 */
import pg from 'pg';
import '../../src/db/connection.js'; // the app's type parsers
import { haversineKm } from '../../src/scheduling/travel.js';
import { round } from './http-load.js';
import { NEW_YORK, newYorkDate, pointWithin, seededRandom } from './market.js';
import { searchWindow } from '../../src/availability/availability-search.js';

const url = process.argv[2];
if (!url) throw new Error('usage: experiment-availability.ts <database url> [samples]');
const samples = Number(process.argv[3] ?? 60);
const pool = new pg.Pool({ connectionString: url, max: 2 });
const now = Date.now();
const random = seededRandom(11);
const window = searchWindow({ from: newYorkDate(now, 1), to: newYorkDate(now, 3), zone: NEW_YORK.timeZone });
const fromDate = newYorkDate(now, 1);
const points = Array.from({ length: samples }, () => pointWithin(random, NEW_YORK.center, 15));
const SLACK = 6 * 3_600_000;
const KM_PER_DEG = 111.32;

const CANDIDATE_COLUMNS = `t.user_id, u.display_name, t.gender, t.specialties, t.rating_average, t.rating_count, t.time_zone,
  t.weekly_hours, t.buffer_before_min, t.buffer_after_min, t.min_notice_min, t.booking_window_days, t.travel_speed_kmh,
  t.licence_expires_on, t.mobile_base_lat, t.mobile_base_lng, t.mobile_radius_km, svc.price_cents, svc.currency`;
const CANDIDATE_FROM = `FROM therapists t JOIN users u ON u.id = t.user_id
  JOIN therapist_services svc ON svc.therapist_id = t.user_id AND svc.duration_min = 60
  WHERE t.licence_status = 'approved' AND t.licence_expires_on >= $1`;

/** Home mode as today: every mobile therapist in a 100 km box, the per-therapist radius checked in JS. */
async function homeToday(point: { lat: number; lng: number }) {
  const dLat = 100 / KM_PER_DEG;
  const dLng = 100 / (KM_PER_DEG * Math.cos((point.lat * Math.PI) / 180));
  const { rows } = await pool.query(
    `SELECT ${CANDIDATE_COLUMNS} ${CANDIDATE_FROM} AND t.mobile_radius_km IS NOT NULL
       AND t.mobile_base_lat BETWEEN $2 AND $3 AND t.mobile_base_lng BETWEEN $4 AND $5`,
    [fromDate, point.lat - dLat, point.lat + dLat, point.lng - dLng, point.lng + dLng],
  );
  const kept = rows.filter((r) => haversineKm({ lat: r.mobile_base_lat, lng: r.mobile_base_lng }, point) <= r.mobile_radius_km);
  return { rows: rows.length, ids: kept.map((r) => r.user_id as string) };
}

/**
 * Home mode with each therapist's own radius as a bounding box in SQL. 111.0 km per degree (haversine's sphere
 * has 111.195) and a 2% margin keep the box a superset of the circle; the exact check stays in JS.
 */
async function homePerRowBox(point: { lat: number; lng: number }) {
  const cosLat = Math.cos((point.lat * Math.PI) / 180);
  const { rows } = await pool.query(
    `SELECT ${CANDIDATE_COLUMNS} ${CANDIDATE_FROM} AND t.mobile_radius_km IS NOT NULL
       AND abs(t.mobile_base_lat - $2) * 111.0 <= t.mobile_radius_km * 1.02
       AND abs(t.mobile_base_lng - $3) * 111.0 * $4 <= t.mobile_radius_km * 1.02`,
    [fromDate, point.lat, point.lng, cosLat],
  );
  const kept = rows.filter((r) => haversineKm({ lat: r.mobile_base_lat, lng: r.mobile_base_lng }, point) <= r.mobile_radius_km);
  return { rows: rows.length, ids: kept.map((r) => r.user_id as string) };
}

const BUSY_WHERE = `therapist_id = ANY($1::uuid[]) AND status IN ('held', 'confirmed', 'checked_in', 'completed', 'no_show')
  AND (status <> 'held' OR hold_expires_at > $4)`;

/** loadBusy as today: one row per booking, timestamps parsed into Dates. */
async function busyToday(ids: string[]) {
  const { rows } = await pool.query(
    `SELECT therapist_id, starts_at, ends_at, buffer_before_min, buffer_after_min, lat, lng FROM bookings
     WHERE ${BUSY_WHERE} AND blocked && tstzrange($2, $3, '[)')`,
    [ids, new Date(window.from - SLACK), new Date(window.to + SLACK), new Date(now)],
  );
  for (const r of rows) void (r.starts_at.getTime() - r.buffer_before_min * 60_000 + r.ends_at.getTime());
  return rows.length;
}

/** The same rows, with the busy interval computed in SQL as epoch milliseconds (no Date parsing). */
async function busyEpoch(ids: string[]) {
  const { rows } = await pool.query(
    `SELECT therapist_id,
            (extract(epoch FROM starts_at) * 1000)::float8 - buffer_before_min * 60000 AS start_ms,
            (extract(epoch FROM ends_at) * 1000)::float8 + buffer_after_min * 60000 AS end_ms, lat, lng
     FROM bookings WHERE ${BUSY_WHERE} AND blocked && tstzrange($2, $3, '[)')`,
    [ids, new Date(window.from - SLACK), new Date(window.to + SLACK), new Date(now)],
  );
  return rows.length;
}

/** One row per therapist: the busy intervals as a JSON array of [start_ms, end_ms, lat, lng]. */
async function busyJsonPerTherapist(ids: string[]) {
  const { rows } = await pool.query(
    `SELECT therapist_id, json_agg(json_build_array(
              (extract(epoch FROM starts_at) * 1000)::float8 - buffer_before_min * 60000,
              (extract(epoch FROM ends_at) * 1000)::float8 + buffer_after_min * 60000, lat, lng)) AS busy
     FROM bookings WHERE ${BUSY_WHERE} AND blocked && tstzrange($2, $3, '[)') GROUP BY therapist_id`,
    [ids, new Date(window.from - SLACK), new Date(window.to + SLACK), new Date(now)],
  );
  return rows.reduce((n, r) => n + (r.busy as unknown[]).length, 0);
}

/**
 * As busyEpoch, but bounded by starts_at (from - slack - 4 h, the longest session plus buffer, to to + slack) instead of `blocked &&`, so the planner
 * uses the btree (therapist_id, starts_at) rather than a bitmap scan of the GiST exclusion index. The extra
 * rows are harmless: the engine treats every interval it is given as busy.
 */
async function busyBtree(ids: string[]) {
  const { rows } = await pool.query(
    `SELECT therapist_id,
            (extract(epoch FROM starts_at) * 1000)::float8 - buffer_before_min * 60000 AS start_ms,
            (extract(epoch FROM ends_at) * 1000)::float8 + buffer_after_min * 60000 AS end_ms, lat, lng
     FROM bookings WHERE ${BUSY_WHERE}
       AND starts_at > $2::timestamptz - interval '4 hours' AND starts_at < $3::timestamptz`,
    [ids, new Date(window.from - SLACK), new Date(window.to + SLACK), new Date(now)],
  );
  return rows.length;
}

/** Both: JSON per therapist, bounded by starts_at. */
async function busyJsonBtree(ids: string[]) {
  const { rows } = await pool.query(
    `SELECT therapist_id, json_agg(json_build_array(
              (extract(epoch FROM starts_at) * 1000)::float8 - buffer_before_min * 60000,
              (extract(epoch FROM ends_at) * 1000)::float8 + buffer_after_min * 60000, lat, lng)) AS busy
     FROM bookings WHERE ${BUSY_WHERE}
       AND starts_at > $2::timestamptz - interval '4 hours' AND starts_at < $3::timestamptz
     GROUP BY therapist_id`,
    [ids, new Date(window.from - SLACK), new Date(window.to + SLACK), new Date(now)],
  );
  return rows.reduce((n, r) => n + (r.busy as unknown[]).length, 0);
}

/** PostgreSQL's own execution time for a statement (EXPLAIN ANALYZE), without the transfer to Node. */
async function serverMs(text: string, values: unknown[]) {
  const { rows } = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values);
  const plan = (rows[0] as { 'QUERY PLAN': [{ 'Execution Time': number; 'Planning Time': number }] })['QUERY PLAN'][0];
  return plan['Execution Time'] + plan['Planning Time'];
}

async function measure(name: string, run: (i: number) => Promise<number>) {
  for (let i = 0; i < 5; i++) await run(i); // warm-up
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let rows = 0;
  for (let i = 0; i < samples; i++) rows += await run(i);
  const wall = (performance.now() - t0) / samples;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `  ${name.padEnd(58)} wall ${String(round(wall, 2)).padStart(6)} ms  node cpu ${String(round((cpu.user + cpu.system) / 1000 / samples, 2)).padStart(6)} ms  rows ${round(rows / samples)}`,
  );
}

const homeIds: string[][] = [];
for (const p of points) homeIds.push((await homeToday(p)).ids);
console.log(`\nhome-mode candidates, ${samples} points within 15 km of the centre, 60 min`);
await measure('today: 100 km box, radius checked in JS', async (i) => (await homeToday(points[i]!)).rows);
await measure('per-therapist radius box in SQL', async (i) => (await homePerRowBox(points[i]!)).rows);
const same = await Promise.all(points.map(async (p, i) => (await homePerRowBox(p)).ids.sort().join() === [...homeIds[i]!].sort().join()));
console.log(`  (same candidates after the JS distance check: ${same.every(Boolean)})`);

console.log(`\nbusy intervals for those candidates, 3-day window`);
await measure('today: one row per booking, Date columns', (i) => busyToday(homeIds[i]!));
await measure('epoch-ms columns computed in SQL', (i) => busyEpoch(homeIds[i]!));
await measure('one JSON array per therapist (json_agg)', (i) => busyJsonPerTherapist(homeIds[i]!));
await measure('epoch-ms, starts_at bounds instead of blocked && (btree)', (i) => busyBtree(homeIds[i]!));
await measure('json_agg + starts_at bounds (btree)', (i) => busyJsonBtree(homeIds[i]!));

console.log('\nPostgreSQL execution + planning time of the busy query (EXPLAIN ANALYZE), mean over the sample');
const busyArgs = (i: number) => [homeIds[i]!, new Date(window.from - SLACK), new Date(window.to + SLACK), new Date(now)];
for (const [name, where] of [
  ['blocked && (GiST bitmap scan, today)', `blocked && tstzrange($2, $3, '[)')`],
  ['starts_at bounds (btree index scan)', `starts_at > $2::timestamptz - interval '4 hours' AND starts_at < $3::timestamptz`],
] as const) {
  const text = `SELECT therapist_id, starts_at, ends_at, buffer_before_min, buffer_after_min, lat, lng FROM bookings WHERE ${BUSY_WHERE} AND ${where}`;
  for (let i = 0; i < 5; i++) await serverMs(text, busyArgs(i));
  let total = 0;
  for (let i = 0; i < samples; i++) total += await serverMs(text, busyArgs(i));
  console.log(`  ${name.padEnd(58)} ${round(total / samples, 2)} ms`);
}
await pool.end();
