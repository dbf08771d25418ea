/**
 * App CPU per booking (hold + confirm), two server trees paired in one run, for diagnosis (not a bench of its own):
 *
 *   npx tsx bench/lib/paired-booking-cpu.ts <treeA> <treeB> [rounds] [seconds]
 *
 * Each tree is a checkout (with node_modules) whose bench/lib/app-server.ts is started as in booking-throughput's
 * one-process run (PostgreSQL, pool 50, logs silent). Both servers run side by side on one scratch database with
 * booking-throughput's 400 therapists and clients (no surrounding market: the app's CPU, not the plans, is measured);
 * 32 closed-loop clients book against A, then B, then B, then A (ABBA per round), `seconds` each after one warm-up
 * stretch per server, so drift of the machine falls on both. Prints each stretch's CPU per booking (user + system
 * of the server process, from process.cpuUsage over IPC) and the ratios B/A per round. `PAIRED_A_ENV` /
 * `PAIRED_B_ENV` (JSON objects) add environment variables to one side's server, `{db}` in a value standing for the
 * scratch database's name (e.g. a DATABASE_URL through another socket). `BENCH_CPU_PROF_DIR=dir` writes each
 * server's V8 CPU profiles into dir/A and dir/B when it stops, one a thread (the largest is the app's;
 * bench/lib/cpu-profile-summary.ts summarises one).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { holdAndConfirm, insertBookableTherapists, sessionCookies } from './booking-fixture.js';
import { fetchSend, saveCards } from './cards.js';
import { HttpClient, round, runForDuration } from './http-load.js';
import { insertClients, insertIntakes } from './market.js';
import { createScratchDatabase } from './scratch-db.js';
import type { ServerStats } from './app-process.js';
import { openDatabase } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrate.js';

const THERAPISTS = 400;
const CONCURRENCY = 32;
const POOL_SIZE = 50;

interface Server {
  url: string;
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

async function startServer(tree: string, databaseUrl: string, label: 'A' | 'B'): Promise<Server> {
  const database = new URL(databaseUrl).pathname.slice(1);
  const overrides = Object.fromEntries(
    Object.entries(JSON.parse(process.env[`PAIRED_${label}_ENV`] ?? '{}') as Record<string, string>).map(
      ([name, value]) => [name, value.replaceAll('{db}', database)],
    ),
  );
  const child: ChildProcess = fork(resolve(tree, 'bench/lib/app-server.ts'), [], {
    cwd: tree,
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_CPU_PROF_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF_DIR, label)}`]
        : []),
    ],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DB_POOL_SIZE: String(POOL_SIZE),
      LOG_LEVEL: 'silent',
      ...overrides,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  process.on('exit', () => child.kill('SIGKILL'));
  const url = await new Promise<string>((done, fail) => {
    child.on('message', (message: { url?: string }) => message.url && done(message.url));
    child.once('exit', (code) => fail(new Error(`${label} exited with ${code}`)));
  });
  return {
    url,
    stats: () =>
      new Promise((done) => {
        const onMessage = (message: { stats?: ServerStats }) => {
          if (!message.stats) return;
          child.off('message', onMessage);
          done(message.stats);
        };
        child.on('message', onMessage);
        child.send('stats');
      }),
    stop: () =>
      new Promise((done) => {
        child.once('exit', () => done());
        child.send('stop');
      }),
  };
}

const [treeA, treeB, roundsArg, secondsArg] = process.argv.slice(2);
if (!treeA || !treeB) throw new Error('usage: paired-booking-cpu.ts <treeA> <treeB> [rounds] [seconds]');
const rounds = Number(roundsArg ?? 3);
const stretchMs = Number(secondsArg ?? 8) * 1000;
const now = Date.now();

const scratch = await createScratchDatabase();
const database = await openDatabase({ url: scratch.url }, { poolSize: 10 });
try {
  await migrate(database);
  const therapists = await insertBookableTherapists(database.db, THERAPISTS, now);
  const clientIds = await insertClients(database.db, THERAPISTS, 'booker');
  await insertIntakes(database.db, clientIds, now);
  const cookies = await sessionCookies(database.db, clientIds, now);
  const servers = { A: await startServer(treeA, scratch.url, 'A'), B: await startServer(treeB, scratch.url, 'B') };
  const cards = await saveCards(fetchSend(servers.A.url), cookies);
  const clients = { A: new HttpClient(servers.A.url, CONCURRENCY), B: new HttpClient(servers.B.url, CONCURRENCY) };
  let next = 0;
  const stretch = async (which: 'A' | 'B', ms: number) => {
    const book = () => holdAndConfirm(clients[which], { therapists, cookies, cards }, next++, now);
    const before = await servers[which].stats();
    const { results } = await runForDuration(ms, CONCURRENCY, book);
    const after = await servers[which].stats();
    const failed = results.filter((r) => r.confirm !== 200).length;
    const n = Math.max(1, results.length);
    const userMs = after.cpuUserMs - before.cpuUserMs;
    const systemMs = after.cpuSystemMs - before.cpuSystemMs;
    return {
      bookings: results.length,
      failed,
      cpuMsPerBooking: (userMs + systemMs) / n,
      userMsPerBooking: userMs / n,
      systemMsPerBooking: systemMs / n,
    };
  };
  await stretch('A', 3_000);
  await stretch('B', 3_000);
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const a1 = await stretch('A', stretchMs);
    const b1 = await stretch('B', stretchMs);
    const b2 = await stretch('B', stretchMs);
    const a2 = await stretch('A', stretchMs);
    const a = (a1.cpuMsPerBooking + a2.cpuMsPerBooking) / 2;
    const b = (b1.cpuMsPerBooking + b2.cpuMsPerBooking) / 2;
    ratios.push(b / a);
    console.log(
      `round ${r + 1}: A ${round(a1.cpuMsPerBooking, 3)} ${round(a2.cpuMsPerBooking, 3)} ms, ` +
        `B ${round(b1.cpuMsPerBooking, 3)} ${round(b2.cpuMsPerBooking, 3)} ms per booking; B/A ${round(b / a, 3)} ` +
        `(bookings ${a1.bookings + a2.bookings} / ${b1.bookings + b2.bookings}, failed ${a1.failed + a2.failed + b1.failed + b2.failed}; ` +
        `user/system A ${round((a1.userMsPerBooking + a2.userMsPerBooking) / 2, 2)}/${round((a1.systemMsPerBooking + a2.systemMsPerBooking) / 2, 2)}, ` +
        `B ${round((b1.userMsPerBooking + b2.userMsPerBooking) / 2, 2)}/${round((b1.systemMsPerBooking + b2.systemMsPerBooking) / 2, 2)})`,
    );
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  console.log(
    `B/A per round: ${ratios.map((x) => round(x, 3)).join(', ')}; median ${round(sorted[sorted.length >> 1]!, 3)}`,
  );
  clients.A.close();
  clients.B.close();
  await servers.A.stop();
  await servers.B.stop();
} finally {
  await database.close();
  await scratch.drop();
}
