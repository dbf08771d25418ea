/**
 * Diagnostic, not a benchmark: where one availability search spends its time. Runs searchAvailability in-process,
 * one query at a time, on a database built by bench/availability-search.bench.ts (run it with BENCH_KEEP_DB=1),
 * logging every SQL statement with its duration through Kysely's `log` hook, and prints EXPLAIN ANALYZE for the
 * statements of one studio and one home query.
 *
 *   npx tsx bench/lib/profile-availability.ts postgres://postgres@127.0.0.1:5432/knotwork_bench_xxx [samples]
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { searchAvailability } from '../../src/availability/availability-search.js';
import '../../src/db/connection.js'; // installs the type parsers the app uses
import type { DB } from '../../src/db/schema.js';
import { round, summarise } from './http-load.js';
import { NEW_YORK, newYorkDate, pointWithin, seededRandom } from './market.js';

const url = process.argv[2];
if (!url) throw new Error('usage: profile-availability.ts <database url> [samples] [days] [studioRadiusKm]');
const samples = Number(process.argv[3] ?? 100);
const days = Number(process.argv[4] ?? 3);
const studioRadiusKm = Number(process.argv[5] ?? 5);

interface Logged {
  sql: string;
  parameters: readonly unknown[];
  ms: number;
}
let logged: Logged[] = [];
const pool = new pg.Pool({ connectionString: url, max: 4 });
const db = new Kysely<DB>({
  dialect: new PostgresDialect({ pool }),
  log(event) {
    if (event.level === 'query') logged.push({ sql: event.query.sql, parameters: event.query.parameters, ms: event.queryDurationMillis });
  },
});

const now = Date.now();
const random = seededRandom(1);
const kind = (text: string) => (text.includes('"studios"') ? 'candidates' : text.includes('"therapists"') ? 'candidates' : text.includes('schedule_overrides') ? 'overrides' : 'busy');
const phases = { studio: new Map<string, number[]>(), home: new Map<string, number[]>() };
const examples: Partial<Record<'studio' | 'home', Logged[]>> = {};

for (let i = 0; i < samples + 10; i++) {
  const mode = i % 2 === 0 ? ('studio' as const) : ('home' as const);
  const query = {
    durationMin: random() < 0.5 ? 60 : 90,
    from: newYorkDate(now, 1),
    to: newYorkDate(now, days),
    zone: NEW_YORK.timeZone,
    mode,
    point: pointWithin(random, NEW_YORK.center, 15),
    radiusKm: studioRadiusKm,
    sort: 'earliest' as const,
    page: 1,
    pageSize: 10,
    slotsPerTherapist: 40,
  };
  logged = [];
  const started = performance.now();
  const page = await searchAvailability(db, query, now, 15);
  const totalMs = performance.now() - started;
  if (i < 10) continue; // warm-up
  const sqlMs = logged[0]!.ms + Math.max(...logged.slice(1).map((l) => l.ms));
  const add = (name: string, ms: number) => {
    const list = phases[mode].get(name);
    if (list) list.push(ms);
    else phases[mode].set(name, [ms]);
  };
  for (const entry of logged) add(`sql ${kind(entry.sql)}`, entry.ms);
  add('sql on the critical path', sqlMs);
  add('everything else (engine, mapping)', totalMs - sqlMs);
  add('searchAvailability total', totalMs);
  add('total (therapists with slots)', page.total);
  examples[mode] ??= logged;
}

for (const mode of ['studio', 'home'] as const) {
  console.log(`\n== ${mode}: ${samples / 2} sequential searches, ${days} days, studio radius ${studioRadiusKm} km (ms)`);
  for (const [name, values] of phases[mode]) {
    const s = summarise(values);
    console.log(`  ${name.padEnd(36)} mean ${String(round(s.meanMs, 2)).padStart(7)}  p50 ${String(s.p50Ms).padStart(6)}  p90 ${String(s.p90Ms).padStart(6)}  max ${s.maxMs}`);
  }
}

if (process.env.EXPLAIN !== '0') {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const mode of ['studio', 'home'] as const) {
    for (const entry of examples[mode] ?? []) {
      const plan = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${entry.sql}`, entry.parameters as unknown[]);
      console.log(`\n== EXPLAIN ANALYZE (${mode}, ${kind(entry.sql)}):\n${entry.sql.slice(0, 300)}...`);
      console.log(plan.rows.map((r) => `  ${String(r["QUERY PLAN"]).slice(0, 220)}`).join("\n"));
    }
  }
  await client.end();
}
await db.destroy();
