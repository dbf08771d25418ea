/**
 * Start-up and memory benchmark: `npx tsx bench/startup.bench.ts`.
 *
 * Runs the README's run command (`npm start`) on PGlite in a fresh data directory, as a user would, and times it
 * from spawn to the "Knotwork is ready" line: first on an empty directory (the embedded database is copied from the
 * built template, and the demo market written into it) and then again on the same directory (a restart). What
 * `npm start` builds (web app, server, empty database: scripts/build-server.ts) is built beforehand, as it is once
 * per change of the sources. In the same run, as the baseline: a bare PGlite open of that data directory and a bare
 * Fastify start, each spawned as a fresh Node process and timed the same way.
 *
 * Memory: the server's resident set (VmRSS of the `node dist/main.js` process, started as `npm start` starts it) idle and
 * sampled every half second under load: on the demo market under availability searches, and under the booking load
 * of bench/booking-throughput.bench.ts (hold + confirm with a saved card) on PGlite and on PostgreSQL.
 * Targets (issue 19): first start <= 3 s, restart <= 1.5 s, RSS <= 250 MiB on PGlite and <= 150 MiB on PostgreSQL.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { holdAndConfirm, insertBookableTherapists, sessionCookies } from './lib/booking-fixture.js';
import { fetchSend, saveCards } from './lib/cards.js';
import { HttpClient, round, runForDuration } from './lib/http-load.js';
import { loadAverage, waitForQuietMachine } from './lib/machine-load.js';
import { insertClients, insertIntakes } from './lib/market.js';
import { checkTarget, record } from './lib/record.js';
import { createScratchDatabase } from './lib/scratch-db.js';

const ROOT = join(import.meta.dirname, '..');
const TEMPLATE = join(ROOT, 'dist/pglite-template');
const LOAD_SECONDS = 15;
const BOOKERS = 32;
const BARE_RUNS = 3;

interface Started {
  child: ChildProcess;
  url: string;
  seconds: number;
}

/** Spawns `command` (in its own process group) and resolves when its output matches `ready`. */
function startUntil(command: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Started> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolve({ child, url: match[1] ?? '', seconds: (performance.now() - started) / 1000 });
    });
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code} before it was ready:\n${output}`)));
  });
}

// The embedded database, whatever the caller's environment says.
const { DATABASE_URL: _postgres, ...baseEnv } = process.env;
const READY = /Knotwork is ready at (http:\/\/\S+)/;

/** What `npm start` runs once its build is done: `node <flags> dist/main.js`. */
const SERVER_COMMAND = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split('&&')
  .at(-1)!
  .trim()
  .split(/\s+/);

function startKnotwork(how: 'npm' | 'node', env: Record<string, string>): Promise<Started> {
  const [command, args] =
    how === 'npm' ? ['npm', ['start', '--silent']] : [SERVER_COMMAND[0]!, SERVER_COMMAND.slice(1)];
  return startUntil(command, args, { ...baseEnv, PORT: '0', LOG_LEVEL: 'warn', ...env }, READY);
}

/** Stops the process group and waits until every process of it is gone (npm exits before the server has closed). */
async function stop(started: Started) {
  const group = -started.child.pid!;
  const alive = () => {
    try {
      process.kill(group, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(group, 'SIGTERM');
  while (alive()) await new Promise((resolve) => setTimeout(resolve, 50));
}

function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** Runs `load` while sampling the server's RSS every 500 ms; answers the idle and the peak RSS. */
async function memoryUnder(pid: number, load: () => Promise<void>) {
  const idle = rssMiB(pid);
  const samples = [idle];
  const sampler = setInterval(() => samples.push(rssMiB(pid)), 500);
  try {
    await load();
  } finally {
    clearInterval(sampler);
  }
  samples.push(rssMiB(pid));
  return { idleMiB: round(idle), peakMiB: round(Math.max(...samples)) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function bareStart(script: string): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < BARE_RUNS; i++) {
    const started = await startUntil('node', ['--input-type=module', '-e', script], baseEnv, /^ready()/m);
    runs.push(started.seconds);
    await new Promise((resolve) =>
      started.child.exitCode === null ? started.child.once('exit', resolve) : resolve(0),
    );
  }
  return round(median(runs), 2);
}

const barePglite = (dataDir: string) =>
  bareStart(`
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
const pg = await PGlite.create({ dataDir: ${JSON.stringify(dataDir)}, extensions: { btree_gist } });
await pg.query('SELECT 1');
console.log('ready');
await pg.close();`);

const bareFastify = () =>
  bareStart(`
import Fastify from 'fastify';
const app = Fastify();
app.get('/', async () => 'ok');
await app.listen({ port: 0, host: '127.0.0.1' });
console.log('ready');
await app.close();`);

/** Bookable therapists and clients with sessions, written straight to the database before the server starts. */
async function prepareBookings(location: { dataDir: string } | { url: string }, now: number) {
  const database = await openDatabase(location, { template: TEMPLATE });
  try {
    await migrate(database);
    const therapists = await insertBookableTherapists(database.db, BOOKERS, now);
    const clientIds = await insertClients(database.db, BOOKERS, 'booker');
    await insertIntakes(database.db, clientIds, now);
    return { therapists, cookies: await sessionCookies(database.db, clientIds, now) };
  } finally {
    await database.close();
  }
}

/** The booking bench's load (hold + confirm, one client per therapist) against a server started on `env`. */
async function bookingMemory(location: { dataDir: string } | { url: string }, env: Record<string, string>) {
  const now = Date.now();
  const { therapists, cookies } = await prepareBookings(location, now);
  const server = await startKnotwork('node', { DEMO_DATA: '0', ...env });
  try {
    const cards = await saveCards(fetchSend(server.url), cookies);
    const client = new HttpClient(server.url, BOOKERS);
    let next = 0;
    let confirmed = 0;
    const memory = await memoryUnder(server.child.pid!, async () => {
      await runForDuration(LOAD_SECONDS * 1000, BOOKERS, async () => {
        const attempt = await holdAndConfirm(client, { therapists, cookies, cards }, next++, now);
        if (attempt.confirm === 200) confirmed++;
      });
    });
    client.close();
    return { ...memory, confirmed };
  } finally {
    await stop(server);
  }
}

execFileSync('node', ['--import', 'tsx', 'scripts/build-server.ts'], { cwd: ROOT, stdio: 'inherit' });
const dataDir = mkdtempSync(join(tmpdir(), 'knotwork-startup-'));
const bookingDir = mkdtempSync(join(tmpdir(), 'knotwork-startup-bookings-'));
const scratch = await createScratchDatabase('knotwork_startup');
try {
  const busyBefore = await waitForQuietMachine();
  const first = await startKnotwork('npm', { KNOTWORK_DATA_DIR: dataDir });
  await stop(first);
  const restart = await startKnotwork('npm', { KNOTWORK_DATA_DIR: dataDir });
  await stop(restart);
  const barePgliteSeconds = await barePglite(dataDir);
  const bareFastifySeconds = await bareFastify();

  // The demo market under availability searches, served as `npm start` serves it.
  const demo = await startKnotwork('node', { KNOTWORK_DATA_DIR: dataDir });
  const http = new HttpClient(demo.url, 20);
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  let searches = 0;
  let searchFailures = 0;
  const demoMemory = await memoryUnder(demo.child.pid!, async () => {
    await runForDuration(LOAD_SECONDS * 1000, 20, async (i) => {
      const mode = i % 2 === 0 ? 'studio' : 'home';
      const answer = await http.send({
        method: 'GET',
        path: `/api/availability?durationMin=60&from=${day(1)}&to=${day(3)}&zone=America/New_York&mode=${mode}&lat=${40.7 + (i % 10) * 0.01}&lng=${-73.98 + (i % 7) * 0.01}&radiusKm=5`,
      });
      searches++;
      if (answer.status !== 200) searchFailures++;
    });
  });
  http.close();
  await stop(demo);

  const pgliteBookings = await bookingMemory({ dataDir: bookingDir }, { KNOTWORK_DATA_DIR: bookingDir });
  const postgresBookings = await bookingMemory({ url: scratch.url }, { DATABASE_URL: scratch.url });

  const pglitePeak = Math.max(demoMemory.peakMiB, pgliteBookings.peakMiB);
  const firstStartSeconds = round(first.seconds, 2);
  const restartSeconds = round(restart.seconds, 2);
  record({
    name: 'startup',
    metrics: {
      firstStartSeconds,
      restartSeconds,
      barePgliteOpenSeconds: barePgliteSeconds,
      bareFastifyStartSeconds: bareFastifySeconds,
      firstStartOverBarePglite: round(firstStartSeconds / barePgliteSeconds, 2),
      restartOverBarePgliteAndFastify: round(restartSeconds / (barePgliteSeconds + bareFastifySeconds), 2),
      rssIdleMiB: demoMemory.idleMiB,
      rssPeakUnderSearchMiB: demoMemory.peakMiB,
      searchRequests: searches,
      searchFailures,
      pgliteRssIdleMiB: pgliteBookings.idleMiB,
      pgliteRssPeakUnderBookingMiB: pgliteBookings.peakMiB,
      pgliteBookingsConfirmed: pgliteBookings.confirmed,
      postgresRssIdleMiB: postgresBookings.idleMiB,
      postgresRssPeakUnderBookingMiB: postgresBookings.peakMiB,
      postgresBookingsConfirmed: postgresBookings.confirmed,
      machineBusyShareBefore: busyBefore,
      loadAverageAfter: loadAverage(),
    },
    targets: [
      checkTarget({ metric: 'firstStartSeconds', max: 3, unit: 's' }, firstStartSeconds),
      checkTarget({ metric: 'restartSeconds', max: 1.5, unit: 's' }, restartSeconds),
      checkTarget({ metric: 'rssIdleMiB', max: 250, unit: 'MiB' }, demoMemory.idleMiB),
      checkTarget({ metric: 'pglitePeakUnderLoadMiB', max: 250, unit: 'MiB' }, pglitePeak),
      checkTarget({ metric: 'postgresRssIdleMiB', max: 150, unit: 'MiB' }, postgresBookings.idleMiB),
      checkTarget({ metric: 'postgresRssPeakUnderBookingMiB', max: 150, unit: 'MiB' }, postgresBookings.peakMiB),
    ],
    notes: [
      '`npm start` on PGlite in a fresh data directory: the first start copies the built empty database, seeds the demo market (64 approved therapists, bookings, intakes, money); the restart reuses it. Timed from spawn to the "ready" line.',
      'Built beforehand (scripts/build-server.ts: web app, server JavaScript, empty database); a build happens only when its inputs change.',
      `Baselines in the same run: a bare PGlite open of the same data directory and a bare Fastify start (median of ${BARE_RUNS} fresh Node processes each).`,
      `RSS is VmRSS of the server process (node dist/main.js), sampled every 500 ms: ${LOAD_SECONDS} s of availability searches (20 connections) on the demo market, and ${LOAD_SECONDS} s of hold + confirm (${BOOKERS} clients, ${BOOKERS} therapists) on PGlite and on PostgreSQL.`,
      "The machine has 2 cores and other work (other engineers' builds, tests and benches) ran at the same time: absolute times are noisy, see machineBusyShareBefore and loadAverageAfter.",
    ],
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(bookingDir, { recursive: true, force: true });
  await scratch.drop();
}
