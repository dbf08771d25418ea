/**
 * Contended booking benchmark: `npx tsx bench/contended-booking.bench.ts` (needs PostgreSQL; see bench/README.md).
 *
 * 500 clients, each with its own session, all at once try to hold and then confirm one of 50 slots
 * (10 therapists x 5 back-to-back times), over HTTP against the real app on PostgreSQL (pg pool of 50).
 * Exactly one attempt per slot may win; the other 450 must get 409 slot_unavailable, nothing may fail with
 * 5xx, and no two blocking bookings of a therapist may overlap. Three rounds, each on a fresh day. The database
 * starts from the realistic market (bench/lib/realistic-market.ts: 5,000 other therapists, 100,000 bookings of
 * history), not an empty table.
 */
import { sql } from 'kysely';
import { type BenchTarget, checkTarget, record } from './lib/record.js';
import { startAppServer } from './lib/app-process.js';
import {
  DAILY_START_MIN,
  SLOT_SPACING_MIN,
  SESSION_MIN,
  insertBookableTherapists,
  newYorkInstant,
  sessionCookies,
} from './lib/booking-fixture.js';
import { HttpClient, summarise } from './lib/http-load.js';
import { loadAverage, waitForQuietMachine } from './lib/machine-load.js';
import { insertClients, insertIntakes } from './lib/market.js';
import { createScratchDatabase } from './lib/scratch-db.js';
import { openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { fetchSend, saveCards } from './lib/cards.js';
import { fillRealisticMarket } from './lib/realistic-market.js';

const THERAPISTS = 10;
const STARTS_PER_THERAPIST = 5;
const SLOTS = THERAPISTS * STARTS_PER_THERAPIST;
const ATTEMPTS = 500;
const POOL_SIZE = 50;
const ROUNDS = 3;

interface Attempt {
  hold: number;
  code?: string;
  confirm?: number;
  confirmCode?: string;
  holdMs: number;
  totalMs: number;
  error?: string;
}

const codeOf = (body: string) => {
  try {
    return (JSON.parse(body) as { code?: string }).code;
  } catch {
    return undefined;
  }
};

async function main() {
  const now = Date.now();
  const scratch = await createScratchDatabase();
  console.log(`scratch database ${scratch.name}`);
  let server: Awaited<ReturnType<typeof startAppServer>> | undefined;
  const database = await openDatabase({ url: scratch.url }, { poolSize: 10 });
  try {
    await migrate(database);
    const market = await fillRealisticMarket(database.db, now);
    console.log(`realistic market: ${JSON.stringify(market)}`);
    const therapists = await insertBookableTherapists(database.db, THERAPISTS, now);
    const clientIds = await insertClients(database.db, ATTEMPTS, 'racer');
    await insertIntakes(database.db, clientIds, now);
    const cookies = await sessionCookies(database.db, clientIds, now);
    server = await startAppServer(scratch.url, POOL_SIZE);
    const cards = await saveCards(fetchSend(server.url), cookies);
    const loadBefore = await waitForQuietMachine();

    const rounds: {
      confirmed: number;
      conflicts: number;
      otherClientErrors: string[];
      serverErrors: number;
      networkErrors: number;
      wallMs: number;
      holdLatency: ReturnType<typeof summarise>;
      attemptLatency: ReturnType<typeof summarise>;
    }[] = [];
    for (let round_ = 0; round_ < ROUNDS; round_++) {
      const daysAhead = 2 + round_;
      const slots = therapists.flatMap((therapist) =>
        Array.from({ length: STARTS_PER_THERAPIST }, (_, k) => ({
          therapist,
          start: new Date(newYorkInstant(now, daysAhead, DAILY_START_MIN + k * SLOT_SPACING_MIN)).toISOString(),
        })),
      );
      // One socket per attempt: all 500 really are in flight together.
      const client = new HttpClient(server.url, ATTEMPTS);
      const attempt = async (i: number): Promise<Attempt> => {
        const slot = slots[i % SLOTS]!;
        const started = performance.now();
        const held = await client.send({
          method: 'POST',
          path: '/api/bookings',
          headers: { cookie: cookies[i]! },
          body: {
            therapistId: slot.therapist.id,
            durationMin: SESSION_MIN,
            start: slot.start,
            place: { mode: 'studio', studioId: slot.therapist.studioId },
          },
        });
        const holdMs = performance.now() - started;
        if (held.status !== 201) {
          return {
            hold: held.status,
            code: codeOf(held.body),
            holdMs,
            totalMs: holdMs,
            ...(held.error ? { error: held.error } : {}),
          };
        }
        const { id } = JSON.parse(held.body) as { id: string };
        const confirmed = await client.send({
          method: 'POST',
          path: `/api/bookings/${id}/confirm`,
          headers: { cookie: cookies[i]! },
          body: { paymentMethodId: cards[i]! },
        });
        return {
          hold: 201,
          confirm: confirmed.status,
          confirmCode: confirmed.status === 200 ? undefined : codeOf(confirmed.body),
          holdMs,
          totalMs: performance.now() - started,
          ...(confirmed.error ? { error: confirmed.error } : {}),
        };
      };
      const started = performance.now();
      const outcomes = await Promise.all(Array.from({ length: ATTEMPTS }, (_, i) => attempt(i)));
      const wallMs = performance.now() - started;
      client.close();

      const confirmed = outcomes.filter((o) => o.confirm === 200).length;
      const conflicts = outcomes.filter((o) => o.hold === 409 && o.code === 'slot_unavailable').length;
      const serverErrors = outcomes.filter((o) => o.hold >= 500 || (o.confirm ?? 0) >= 500).length;
      const networkErrors = outcomes.filter((o) => o.hold === 0 || o.confirm === 0).length;
      const otherClientErrors = outcomes
        .filter(
          (o) =>
            (o.hold >= 400 && o.hold < 500 && !(o.hold === 409 && o.code === 'slot_unavailable')) ||
            (o.confirm !== undefined && o.confirm >= 400 && o.confirm < 500),
        )
        .map((o) => (o.confirm ? `confirm ${o.confirm} ${o.confirmCode}` : `hold ${o.hold} ${o.code}`));
      const r = {
        confirmed,
        conflicts,
        otherClientErrors,
        serverErrors,
        networkErrors,
        wallMs,
        holdLatency: summarise(outcomes.map((o) => o.holdMs)),
        attemptLatency: summarise(outcomes.map((o) => o.totalMs)),
      };
      rounds.push(r);
      console.log(
        `round ${round_ + 1}: ${confirmed} confirmed, ${conflicts} x 409 slot_unavailable, ${serverErrors} x 5xx, ${networkErrors} network errors, ` +
          `${otherClientErrors.length} other 4xx ${JSON.stringify([...new Set(otherClientErrors)])}, wall ${Math.round(wallMs)} ms`,
      );
    }
    const loadAfter = loadAverage();

    const overlaps = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM bookings a JOIN bookings b
        ON a.therapist_id = b.therapist_id AND a.id < b.id AND a.blocked && b.blocked
      WHERE a.status IN ('held', 'confirmed', 'checked_in', 'completed', 'no_show')
        AND b.status IN ('held', 'confirmed', 'checked_in', 'completed', 'no_show')`.execute(database.db);
    // The bench's own therapists' bookings (the realistic market's history is not the bench's).
    const own = sql`therapist_id = ANY(${sql.val(therapists.map((t) => t.id))}::uuid[])`;
    const perSlot = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM bookings WHERE status = 'confirmed' AND ${own} GROUP BY therapist_id, starts_at`.execute(
      database.db,
    );
    const rows = await sql<{
      status: string;
      n: number;
    }>`SELECT status, count(*)::int AS n FROM bookings WHERE ${own} GROUP BY status`.execute(database.db);
    const overlapCount = overlaps.rows[0]!.n;
    const slotsWithOneWinner = perSlot.rows.filter((r) => r.n === 1).length;

    const first = rounds[0]!;
    const sum = (get: (r: (typeof rounds)[number]) => number) => rounds.reduce((s, r) => s + get(r), 0);
    const confirmedOff = sum((r) => Math.abs(r.confirmed - SLOTS));
    const conflictsOff = sum((r) => Math.abs(r.conflicts - (ATTEMPTS - SLOTS)));
    const errors = sum((r) => r.serverErrors + r.networkErrors + r.otherClientErrors.length);
    const targets = [
      checkTarget({ metric: 'confirmedOffBy', max: 0, unit: 'bookings' } satisfies BenchTarget, confirmedOff),
      checkTarget({ metric: 'conflict409OffBy', max: 0, unit: 'responses' }, conflictsOff),
      checkTarget({ metric: 'errors', max: 0, unit: 'responses' }, errors),
      checkTarget({ metric: 'overlaps', max: 0, unit: 'pairs' }, overlapCount),
    ];
    record({
      name: 'contended-booking',
      metrics: {
        attempts: ATTEMPTS,
        slots: SLOTS,
        rounds: ROUNDS,
        confirmed: first.confirmed,
        conflicts409: first.conflicts,
        serverErrors5xx: first.serverErrors,
        networkErrors: first.networkErrors,
        otherClientErrors: first.otherClientErrors.length,
        wallMs: Math.round(first.wallMs),
        confirmedExactly50: first.confirmed === SLOTS ? 'yes' : 'no',
        confirmedPerRound: rounds.map((r) => r.confirmed).join(', '),
        conflicts409PerRound: rounds.map((r) => r.conflicts).join(', '),
        wallMsPerRound: rounds.map((r) => Math.round(r.wallMs)).join(', '),
        errorsAllRounds: errors,
        overlaps: overlapCount,
        slotsWithExactlyOneConfirmed: `${slotsWithOneWinner} of ${perSlot.rows.length} (${SLOTS * ROUNDS} expected)`,
        bookingRowsByStatus: rows.rows.map((r) => `${r.status} ${r.n}`).join(', '),
        holdP50Ms: first.holdLatency.p50Ms,
        holdP99Ms: first.holdLatency.p99Ms,
        attemptP50Ms: first.attemptLatency.p50Ms,
        attemptP99Ms: first.attemptLatency.p99Ms,
        attemptMaxMs: first.attemptLatency.maxMs,
        poolSize: POOL_SIZE,
        bookingsInTableAtStart: market.bookings,
        marketTherapists: market.therapists,
        machineBusyShareBefore: loadBefore,
        loadAverageAfter: loadAfter,
        met: targets.every((t) => t.met) && rounds.every((r) => r.confirmed === SLOTS) ? 'yes' : 'no',
      },
      targets,
      notes: [
        `${THERAPISTS} therapists (one studio, 07:00-22:00 daily, buffers 0/15) x ${STARTS_PER_THERAPIST} back-to-back 60-minute ` +
          `starts from 07:00 every ${SLOT_SPACING_MIN} min = ${SLOTS} slots; ${ATTEMPTS} clients with their own sessions and a ` +
          `healthy consultation (intake), attempt i ` +
          `takes slot i mod ${SLOTS}, all ${ATTEMPTS} started together, each over its own keep-alive connection: POST /api/bookings ` +
          'then, on 201, POST /api/bookings/:id/confirm.',
        `${ROUNDS} rounds, each on a new day (2, 3, 4 days ahead); confirmed/conflicts/wall/latencies are round 1, the targets ` +
          'sum the deviations of every round. confirmedOffBy = |confirmed - 50|, conflict409OffBy = |409 slot_unavailable - 450|; ' +
          'errors = 5xx + network errors + any other 4xx. overlaps: SQL self-join on blocked && over blocking statuses.',
        `The database starts from the realistic market (bench/lib/realistic-market.ts): ${market.therapists} other therapists and clients, ${market.bookings} bookings of history and the work tables' history, written with generate_series in ${Math.round(market.seedSeconds)} s before the bench's own ${THERAPISTS} therapists and ${ATTEMPTS} clients.`,
        'The app (its own process, pg pool of 50), PostgreSQL and the load generator share the same 2-core machine (machineBusyShareBefore: share of both cores busy just before measuring, i.e. other users; loadAverage*: 1-minute load average).',
      ],
    });
  } finally {
    await server?.stop();
    await database.close();
    await scratch.drop();
  }
}

await main();
