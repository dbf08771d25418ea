/**
 * What a durable commit costs on the embedded database: `npx tsx bench/pglite-durability.bench.ts` (no PostgreSQL).
 *
 * The real app (buildApp, in this process, requests through inject) on PGlite with a data directory on disk
 * (BENCH_DATA_DIR's file system, default the OS temp dir), books distinct free slots one after another (a hold,
 * POST /api/bookings, then a confirm) for 15 s: once with commits fsynced before they are acknowledged (what
 * Knotwork does, src/db/durable-nodefs.ts) and once without (PGlite's default, the old behaviour), and reports
 * bookings/s, the confirm's latency and the fsync calls per booking for each. PGlite is one session, so the
 * bookings are sequential: this is the embedded database's own ceiling, not the HTTP server's. Each run starts from
 * the realistic market (bench/lib/realistic-market.ts: 5,000 other therapists and 100,000 bookings of history,
 * written before the bench's own therapists), so the booking path pays for the table's real size.
 */
import fs, { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { record } from './lib/record.js';
import { SESSION_MIN, insertBookableTherapists, sessionCookies, slotOf } from './lib/booking-fixture.js';
import { round, summarise } from './lib/http-load.js';
import { loadAverage, waitForQuietMachine } from './lib/machine-load.js';
import { insertClients, insertIntakes } from './lib/market.js';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { buildApp } from '../src/http/app.js';
import { saveCards } from './lib/cards.js';
import { fillRealisticMarket } from './lib/realistic-market.js';

const THERAPISTS = 50;
const WARM_UP_MS = 2_000;
const DURATION_MS = 15_000;

let fsyncs = 0;
const fsyncSync = fs.fsyncSync;
fs.fsyncSync = (fd) => {
  fsyncs++;
  fsyncSync(fd);
};

async function bookingRun(durable: boolean, now: number, withMarket = true) {
  const parent = mkdtempSync(join(process.env.BENCH_DATA_DIR ?? tmpdir(), 'knotwork-durability-'));
  const database = await openDatabase({ dataDir: join(parent, 'data') }, { unsyncedForBench: !durable });
  try {
    await migrate(database);
    const market = withMarket
      ? await fillRealisticMarket(database.db, now)
      : { therapists: 0, bookings: 0, seedSeconds: 0 };
    const therapists = await insertBookableTherapists(database.db, THERAPISTS, now);
    const clientIds = await insertClients(database.db, THERAPISTS, 'booker');
    await insertIntakes(database.db, clientIds, now);
    const cookies = await sessionCookies(database.db, clientIds, now);
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    const app = await buildApp({ database, db: database.db, config, clock: systemClock }, { logger: false });
    const cards = await saveCards(async ({ method, path, cookie, body }) => {
      const answer = await app.inject({
        method,
        url: path,
        headers: cookie ? { cookie } : {},
        payload: body as object,
      });
      return { status: answer.statusCode, body: answer.body };
    }, cookies);
    let next = 0;
    const book = async () => {
      const { therapist, start } = slotOf(next++, THERAPISTS, now);
      const t = therapists[therapist]!;
      const held = await app.inject({
        method: 'POST',
        url: '/api/bookings',
        headers: { cookie: cookies[therapist]! },
        payload: {
          therapistId: t.id,
          durationMin: SESSION_MIN,
          start: new Date(start).toISOString(),
          place: { mode: 'studio', studioId: t.studioId },
        },
      });
      if (held.statusCode !== 201) throw new Error(`hold: ${held.statusCode} ${held.body}`);
      const { id } = held.json<{ id: string }>();
      const began = performance.now();
      const confirmed = await app.inject({
        method: 'POST',
        url: `/api/bookings/${id}/confirm`,
        headers: { cookie: cookies[therapist]! },
        payload: { paymentMethodId: cards[therapist]! },
      });
      if (confirmed.statusCode !== 200) throw new Error(`confirm: ${confirmed.statusCode} ${confirmed.body}`);
      return performance.now() - began;
    };
    const runFor = async (ms: number) => {
      const confirms: number[] = [];
      const began = performance.now();
      while (performance.now() - began < ms) confirms.push(await book());
      return { confirms, wallMs: performance.now() - began };
    };
    await runFor(WARM_UP_MS);
    const loadBefore = await waitForQuietMachine();
    const syncsBefore = fsyncs;
    const { confirms, wallMs } = await runFor(DURATION_MS);
    const latency = summarise(confirms);
    await app.close();
    return {
      bookingsPerSecond: round(confirms.length / (wallMs / 1000), 1),
      bookings: confirms.length,
      confirmP50Ms: latency.p50Ms,
      confirmP90Ms: latency.p90Ms,
      confirmP99Ms: latency.p99Ms,
      fsyncsPerBooking: round((fsyncs - syncsBefore) / confirms.length, 2),
      loadBefore,
      market,
    };
  } finally {
    await database.close();
    rmSync(parent, { recursive: true, force: true });
  }
}

/** The disk's own floor: an 8 kB WAL-page-sized write and fsync(2), 200 times, in the same directory. */
function fsyncLatency() {
  const parent = mkdtempSync(join(process.env.BENCH_DATA_DIR ?? tmpdir(), 'knotwork-fsync-'));
  const fd = fs.openSync(join(parent, 'wal'), 'w');
  const page = Buffer.alloc(8192, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < 200; i++) {
      fs.writeSync(fd, page, 0, page.length, (i % 16) * page.length);
      const began = performance.now();
      fsyncSync(fd);
      times.push(performance.now() - began);
    }
  } finally {
    fs.closeSync(fd);
    rmSync(parent, { recursive: true, force: true });
  }
  return summarise(times);
}

const now = Date.now();
const disk = fsyncLatency();
console.log(`fsync(2) of an 8 kB write: ${JSON.stringify(disk)}`);
const unsynced = await bookingRun(false, now);
console.log(`without fsync: ${JSON.stringify(unsynced)}`);
const durable = await bookingRun(true, now);
console.log(`with fsync: ${JSON.stringify(durable)}`);
const empty = await bookingRun(false, now, false);
console.log(`without fsync, empty tables: ${JSON.stringify(empty)}`);

record({
  name: 'pglite-durability',
  metrics: {
    durableBookingsPerSecond: durable.bookingsPerSecond,
    unsyncedBookingsPerSecond: unsynced.bookingsPerSecond,
    throughputCostPercent: round(100 * (1 - durable.bookingsPerSecond / unsynced.bookingsPerSecond), 1),
    durableConfirmP50Ms: durable.confirmP50Ms,
    durableConfirmP90Ms: durable.confirmP90Ms,
    durableConfirmP99Ms: durable.confirmP99Ms,
    unsyncedConfirmP50Ms: unsynced.confirmP50Ms,
    unsyncedConfirmP90Ms: unsynced.confirmP90Ms,
    unsyncedConfirmP99Ms: unsynced.confirmP99Ms,
    durableFsyncsPerBooking: durable.fsyncsPerBooking,
    diskFsyncP50Ms: disk.p50Ms,
    diskFsyncP99Ms: disk.p99Ms,
    unsyncedFsyncsPerBooking: unsynced.fsyncsPerBooking,
    durableBookings: durable.bookings,
    unsyncedBookings: unsynced.bookings,
    emptyTablesUnsyncedBookingsPerSecond: empty.bookingsPerSecond,
    emptyTablesUnsyncedConfirmP50Ms: empty.confirmP50Ms,
    unsyncedOverEmptyTables: round(unsynced.bookingsPerSecond / empty.bookingsPerSecond, 2),
    bookingsInTableAtStart: durable.market.bookings,
    marketTherapists: durable.market.therapists,
    marketSeedSeconds: round(durable.market.seedSeconds, 1),
    machineBusyShareBefore: Math.max(durable.loadBefore, unsynced.loadBefore, empty.loadBefore),
    loadAverage1m: loadAverage(),
  },
  targets: [],
  notes: [
    `Sequential hold + confirm over app.inject on PGlite with a data directory under ${process.env.BENCH_DATA_DIR ?? tmpdir()}, ${DURATION_MS / 1000} s each after ${WARM_UP_MS / 1000} s of warm-up; unsynced first, then durable.`,
    'The cost of durability per booking is about durableFsyncsPerBooking x diskFsyncP50Ms of waiting on the disk; on a busy 2-core machine it is smaller than the run-to-run noise of the CPU-bound booking path, so the two throughputs can come out in either order.',
    'Each booking is two commits (hold, confirm); fsyncs counted at fs.fsyncSync, the only way a PGlite sync reaches the disk.',
    `Both runs start from the realistic market (bench/lib/realistic-market.ts): ${durable.market.therapists} other therapists and ${durable.market.bookings} bookings of history written with generate_series before the ${THERAPISTS} bench therapists (written in about ${round(durable.market.seedSeconds, 0)} s on PGlite); the bench books only its own therapists. A third run (unsynced) starts from empty tables: unsyncedOverEmptyTables is what the market's size costs the booking path in the same run.`,
    "Other work (four other engineers' tests and benches) ran on the same 2-core machine at the same time.",
  ],
});
