/**
 * Live feedback latency: `npx tsx bench/live-latency.bench.ts` (needs PostgreSQL).
 *
 * 200 sessions in progress (checked in), each with its client's and its therapist's WebSocket open: 400 sockets.
 * Every client sends a signal about once a second (jittered), and the bench measures, per signal, the time from
 * the client's send to the therapist's socket receiving it (both sockets live in this process, so one clock).
 * The path is the production one: the frame is validated, stored (sequence + insert + NOTIFY in one transaction)
 * and fanned out through LISTEN/NOTIFY to the instance holding the therapist's socket. Run 1: one app instance
 * holds both sides. Run 2: two app instances on the same scratch database, clients on one, therapists on the
 * other. The app instances run as child processes (bench/lib/app-process.ts), as in production. The database
 * starts from the realistic market (bench/lib/realistic-market.ts: 5,000 other therapists, 100,000 bookings of
 * history), not an empty table.
 */
import { sql } from 'kysely';
import { WebSocket } from 'ws';
import { openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import type { ServerFrame } from '../src/live/engine/live-messages.js';
import { type AppProcess, startAppServer } from './lib/app-process.js';
import { insertBookableTherapists, sessionCookies } from './lib/booking-fixture.js';
import { round, summarise } from './lib/http-load.js';
import { waitForQuietMachine } from './lib/machine-load.js';
import { insertClients } from './lib/market.js';
import { checkTarget, record } from './lib/record.js';
import { createScratchDatabase } from './lib/scratch-db.js';
import { fillRealisticMarket } from './lib/realistic-market.js';

const SESSIONS = 200;
const POOL_SIZE = 20;
const SEND_EVERY_MS = 1_000;
const WARM_UP_MS = 3_000;
const MEASURE_MS = 15_000;
const TARGET_P99_MS = 100;

interface Party {
  bookingId: string;
  clientCookie: string;
  therapistCookie: string;
}

let marketBookings = 0;
let marketTherapists = 0;

async function prepare(url: string, now: number): Promise<Party[]> {
  const database = await openDatabase({ url }, { poolSize: 10 });
  try {
    await migrate(database);
    const market = await fillRealisticMarket(database.db, now);
    marketBookings = market.bookings;
    marketTherapists = market.therapists;
    const therapists = await insertBookableTherapists(database.db, SESSIONS, now);
    const clientIds = await insertClients(database.db, SESSIONS, 'live');
    // Sessions that started ten minutes ago and are checked in: written directly, as the bench measures the
    // channel, not check-in.
    const startsAt = new Date(Math.floor(now / 60_000) * 60_000 - 10 * 60_000);
    const endsAt = new Date(startsAt.getTime() + 60 * 60_000);
    const bookings = await database.db
      .insertInto('bookings')
      .values(
        therapists.map((t, i) => ({
          market: 'nyc',
          therapist_id: t.id,
          client_id: clientIds[i]!,
          status: 'checked_in',
          mode: 'studio',
          studio_id: t.studioId,
          address: 'Bench Studio, New York',
          lat: 40.7549,
          lng: -73.984,
          time_zone: 'America/New_York',
          duration_min: 60,
          starts_at: startsAt,
          ends_at: endsAt,
          buffer_before_min: 0,
          buffer_after_min: 0,
          travel_before_min: 0,
          blocked: sql`tstzrange(${startsAt}, ${endsAt}, '[)')`,
          price_cents: 12_000,
          currency: 'USD',
          cancellation_policy: JSON.stringify({ freeUntilHoursBefore: 24, lateFeePercent: 50 }),
          confirmed_at: startsAt,
          created_at: new Date(now),
          updated_at: new Date(now),
        })),
      )
      .returning(['id', 'therapist_id'])
      .execute();
    const clientCookies = await sessionCookies(database.db, clientIds, now);
    const therapistCookies = await sessionCookies(
      database.db,
      therapists.map((t) => t.id),
      now,
    );
    return bookings.map((b, i) => ({
      bookingId: b.id,
      clientCookie: clientCookies[i]!,
      therapistCookie: therapistCookies[i]!,
    }));
  } finally {
    await database.close();
  }
}

function connect(
  baseUrl: string,
  bookingId: string,
  cookie: string,
  onFrame: (frame: ServerFrame) => void,
): Promise<WebSocket> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/bookings/${bookingId}/live`, {
    headers: { cookie },
  });
  return new Promise((resolve, reject) => {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- ws gives a text frame as a Buffer, whose String() is its UTF-8 text
    socket.on('message', (data) => onFrame(JSON.parse(String(data)) as ServerFrame));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`live channel refused: ${res.statusCode}`)));
    socket.once('error', reject);
    socket.on('message', function ready(data) {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- as above: a text frame is a Buffer
      if ((JSON.parse(String(data)) as ServerFrame).type === 'ready') {
        socket.off('message', ready);
        resolve(socket);
      }
    });
  });
}

/** Opens all 400 sockets (clients on `clientUrl`, therapists on `therapistUrl`), sends for a while, measures. */
async function measure(
  parties: Party[],
  clientUrl: string,
  therapistUrl: string,
  servers: AppProcess[],
  label: string,
) {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let measuring = false;
  let startedAt = 0;
  const sockets: WebSocket[] = [];
  const clients: WebSocket[] = [];
  for (let i = 0; i < parties.length; i += 25) {
    const batch = parties.slice(i, i + 25);
    const opened = await Promise.all(
      batch.flatMap((p) => [
        connect(clientUrl, p.bookingId, p.clientCookie, () => {}),
        connect(therapistUrl, p.bookingId, p.therapistCookie, (frame) => {
          if (frame.type !== 'signal' || frame.signal.by !== 'client') return;
          const start = sentAt.get(frame.signal.clientMessageId);
          if (start === undefined) return;
          sentAt.delete(frame.signal.clientMessageId);
          if (measuring) {
            latencies.push(performance.now() - start);
            if (process.env.BENCH_LIVE_DEBUG && performance.now() - start > 100)
              console.log(
                `${label} slow ${Math.round(performance.now() - start)} ms at +${Math.round(start - startedAt)} ms`,
              );
          }
        }),
      ]),
    );
    sockets.push(...opened);
    for (let j = 0; j < opened.length; j += 2) clients.push(opened[j]!);
  }
  console.log(`${label}: ${sockets.length} sockets open`);

  let counter = 0;
  const kinds = ['less', 'good', 'more'] as const;
  const timers = clients.map((socket, i) => {
    const send = () => {
      const id = `${label}-${i}-${++counter}`;
      sentAt.set(id, performance.now());
      socket.send(JSON.stringify({ type: 'signal', clientMessageId: id, kind: kinds[counter % 3] }));
    };
    // Spread the first sends over one period, then jitter each client's period by +-20%.
    let timer: ReturnType<typeof setTimeout>;
    const loop = () => {
      send();
      timer = setTimeout(loop, SEND_EVERY_MS * (0.8 + Math.random() * 0.4));
    };
    timer = setTimeout(loop, Math.random() * SEND_EVERY_MS);
    return () => clearTimeout(timer);
  });
  await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
  const before = await Promise.all(servers.map((s) => s.stats()));
  measuring = true;
  const started = performance.now();
  startedAt = started;
  await new Promise((resolve) => setTimeout(resolve, MEASURE_MS));
  measuring = false;
  const wallMs = performance.now() - started;
  const after = await Promise.all(servers.map((s) => s.stats()));
  for (const stop of timers) stop();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const lost = [...sentAt.values()].filter((t) => t >= started && t <= started + wallMs - 1_000).length;
  for (const socket of sockets) socket.close();
  const cpuMs = after.reduce(
    (sum, s, i) => sum + s.cpuUserMs + s.cpuSystemMs - before[i]!.cpuUserMs - before[i]!.cpuSystemMs,
    0,
  );
  return {
    ...summarise(latencies),
    signals: latencies.length,
    signalsPerSecond: round(latencies.length / (wallMs / 1000), 1),
    lost,
    serverCpuMsPerSignal: round(cpuMs / Math.max(1, latencies.length), 2),
  };
}

const now = Date.now();
const scratch = await createScratchDatabase('knotwork_bench_live');
console.log(`scratch database ${scratch.name}`);
const started: AppProcess[] = [];
try {
  const parties = await prepare(scratch.url, now);
  const a = await startAppServer(scratch.url, POOL_SIZE);
  started.push(a);
  const loadBefore = await waitForQuietMachine();
  const one = await measure(parties, a.url, a.url, [a], 'one');
  console.log(`one instance: ${JSON.stringify(one)}`);
  const b = await startAppServer(scratch.url, POOL_SIZE);
  started.push(b);
  const two = await measure(parties, a.url, b.url, [a, b], 'two');
  console.log(`two instances: ${JSON.stringify(two)}`);

  record({
    name: 'live-latency',
    metrics: {
      sessions: SESSIONS,
      sockets: SESSIONS * 2,
      sendEveryMs: SEND_EVERY_MS,
      measuredSeconds: MEASURE_MS / 1000,
      oneInstanceSignals: one.signals,
      oneInstanceSignalsPerSecond: one.signalsPerSecond,
      oneInstanceP50Ms: one.p50Ms,
      oneInstanceP99Ms: one.p99Ms,
      oneInstanceMaxMs: one.maxMs,
      oneInstanceLost: one.lost,
      oneInstanceServerCpuMsPerSignal: one.serverCpuMsPerSignal,
      twoInstancesSignals: two.signals,
      twoInstancesSignalsPerSecond: two.signalsPerSecond,
      twoInstancesP50Ms: two.p50Ms,
      twoInstancesP99Ms: two.p99Ms,
      twoInstancesMaxMs: two.maxMs,
      twoInstancesLost: two.lost,
      twoInstancesServerCpuMsPerSignal: two.serverCpuMsPerSignal,
      poolSize: POOL_SIZE,
      bookingsInTableAtStart: marketBookings,
      marketTherapists,
      machineBusyShareBefore: loadBefore,
    },
    targets: [
      checkTarget({ metric: 'oneInstanceP99Ms', max: TARGET_P99_MS, unit: 'ms' }, one.p99Ms),
      checkTarget({ metric: 'twoInstancesP99Ms', max: TARGET_P99_MS, unit: 'ms' }, two.p99Ms),
    ],
    notes: [
      `${SESSIONS} checked-in sessions, each with its client's and therapist's WebSocket open (${SESSIONS * 2} sockets); every client sends a less/good/more signal about every ${SEND_EVERY_MS} ms (jittered +-20%).`,
      'Latency = client send -> therapist receive, both sockets in the bench process (one clock): validation, the store transaction (sequence, insert, pg_notify), commit, NOTIFY delivery to the LISTENing instance, fan-out to the socket.',
      `Run 1: one app instance holds both sides. Run 2: a second instance on the same database holds the therapists, so every signal crosses instances through LISTEN/NOTIFY. ${WARM_UP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s measured per run; app instances are child processes with a pg pool of ${POOL_SIZE}.`,
      '"lost" counts signals sent in the measured window (up to 1 s before its end) that never reached the therapist.',
      'The bench process (400 sockets), the app instances and PostgreSQL share this 2-core machine.',
      `The database starts from the realistic market (bench/lib/realistic-market.ts): ${marketTherapists} other therapists, ${marketBookings} bookings of history and the work tables' history, before the bench's own ${SESSIONS} sessions.`,
    ],
  });
} finally {
  for (const server of started) await server.stop();
  await scratch.drop();
}
