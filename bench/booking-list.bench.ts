/**
 * Issue 19.0: a therapist's booking list (GET /api/bookings, 20 and 100 rows) on the realistic market
 * (bench/lib/realistic-market.ts: 5,000 therapists, 100,000 bookings) plus 63,840 bookings of the bench's own
 * 532 therapists (120 each, so a 100-row list exists): 163,840 bookings in the table,
 * with migration 0037's index on bookings.rescheduled_from and again after dropping it (the booking view's
 * rescheduled_to subquery then scans every booking for every row shown). The same database, app and therapist in
 * the same run; the ratios are what count. Targets: with the index the list's cost grows with its answer (the
 * 100-row list at most 6x the 20-row one), not with the table.
 */
import { sql } from 'kysely';
import { openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { fillBookingHistory } from '../test/support/large-market.js';
import { startAppServer } from './lib/app-process.js';
import { insertBookableTherapists, sessionCookies } from './lib/booking-fixture.js';
import { round, summarise } from './lib/http-load.js';
import { loadAverage, waitForQuietMachine } from './lib/machine-load.js';
import { insertClients } from './lib/market.js';
import { checkTarget, record } from './lib/record.js';
import { createScratchDatabase } from './lib/scratch-db.js';
import { fillRealisticMarket } from './lib/realistic-market.js';

const THERAPISTS = 532;
const PER_THERAPIST = 120;
const CLIENTS = 2_000;
const WARMUP = 3;

const scratch = await createScratchDatabase('knotwork_bench_list');
const database = await openDatabase({ url: scratch.url }, { poolSize: 4 });
try {
  await migrate(database);
  const now = Date.now();
  const seedStarted = performance.now();
  const market = await fillRealisticMarket(database.db, now);
  const therapists = await insertBookableTherapists(database.db, THERAPISTS, now);
  const clientIds = await insertClients(database.db, CLIENTS, 'list-client');
  const bookings =
    market.bookings +
    (await fillBookingHistory(database.db, { therapists, clientIds, perTherapist: PER_THERAPIST, now }));
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const [cookie] = await sessionCookies(database.db, [therapists[7]!.id], now);

  const app = await startAppServer(scratch.url, 4);
  const measure = async (pageSize: number, requests: number) => {
    const latencies: number[] = [];
    for (let i = 0; i < WARMUP + requests; i++) {
      const started = performance.now();
      const response = await fetch(`${app.url}/api/bookings?pageSize=${pageSize}`, { headers: { cookie: cookie! } });
      const text = await response.text();
      const items = response.status === 200 ? (JSON.parse(text) as { items: unknown[] }).items.length : 0;
      if (items !== pageSize) throw new Error(`GET /api/bookings?pageSize=${pageSize}: ${response.status} ${text}`);
      if (i >= WARMUP) latencies.push(performance.now() - started);
    }
    return summarise(latencies);
  };

  try {
    const busyBefore = await waitForQuietMachine();
    const with20 = await measure(20, 40);
    const with100 = await measure(100, 40);
    await sql`DROP INDEX bookings_rescheduled_from_idx`.execute(database.db);
    await sql`ANALYZE bookings`.execute(database.db);
    const without20 = await measure(20, 10);
    const without100 = await measure(100, 10);
    await sql`CREATE INDEX bookings_rescheduled_from_idx ON bookings (rescheduled_from) WHERE rescheduled_from IS NOT NULL`.execute(
      database.db,
    );

    const ratio100over20 = round(with100.p50Ms / with20.p50Ms, 2);
    record({
      name: 'booking-list',
      metrics: {
        bookingsInTable: bookings,
        therapists: THERAPISTS + market.therapists,
        seedSeconds: round(seedSeconds),
        list20WithIndexP50Ms: with20.p50Ms,
        list20WithIndexP90Ms: with20.p90Ms,
        list100WithIndexP50Ms: with100.p50Ms,
        list100WithIndexP90Ms: with100.p90Ms,
        list20WithoutIndexP50Ms: without20.p50Ms,
        list100WithoutIndexP50Ms: without100.p50Ms,
        list20SpeedupFromIndex: round(without20.p50Ms / with20.p50Ms, 1),
        list100SpeedupFromIndex: round(without100.p50Ms / with100.p50Ms, 1),
        list100OverList20WithIndex: ratio100over20,
        list100OverList20WithoutIndex: round(without100.p50Ms / without20.p50Ms, 2),
        machineBusyShareBefore: busyBefore,
        loadAverageAfter: loadAverage(),
      },
      targets: [checkTarget({ metric: 'list100OverList20WithIndex', max: 6, unit: 'x' }, ratio100over20)],
      notes: [
        `The realistic market (bench/lib/realistic-market.ts: ${market.therapists} therapists x 20 bookings and the work tables' history), then the bench's own ${THERAPISTS} therapists x ${PER_THERAPIST} bookings each (one a day, mostly history; one day in ten moved, so rescheduled_from is set), ${CLIENTS} clients; written with generate_series (test/support/large-market.ts), then ANALYZE.`,
        "Other work (four other engineers' tests and benches) ran on the same 2-core machine at the same time.",
        'One therapist signed in; GET /api/bookings?pageSize=20|100 sequentially over HTTP against the real app (bench/lib/app-server.ts) on PostgreSQL; 3 warm-up requests each; 40 measured with the index, 10 without.',
        'Without: the same database after DROP INDEX bookings_rescheduled_from_idx and ANALYZE (recreated afterwards).',
      ],
    });
  } finally {
    await app.stop();
  }
} finally {
  await database.close();
  await scratch.drop();
}
