/**
 * The real Knotwork app (buildApp on PostgreSQL, system clock, no demo data, logs silent) in its own process, as
 * in production, so the load generator in the parent does not share the server's event loop. Started by
 * startAppServer(); talks to the parent over IPC: sends { url } once listening, answers 'stats' with its CPU time,
 * memory and the number of SQL statements sent so far, and closes on 'stop'.
 */
import pg from 'pg';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connection.js';
import { buildApp } from '../../src/http/app.js';

// Counts the statements the app sends (each pg query is one round trip), for per-request figures.
let queries = 0;
// eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with `apply(this, …)` below
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  queries++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const loaded = loadConfig({ ...process.env, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' });
// Every bench client saves a card from the one load-generating address (bench/lib/cards.ts): the test processor's
// per-address card limit (60 a minute) is lifted, as test/support/test-app.ts lifts it for the tests.
const config = { ...loaded, payments: { ...loaded.payments, cardTokensPerMinute: 1_000_000 } };
if (!('url' in config.database)) throw new Error('app-server needs DATABASE_URL');
const database = await openDatabase(config.database, { poolSize: config.dbPoolSize, poolWaitMs: config.dbPoolWaitMs });
const app = await buildApp({ database, db: database.db, config, clock: systemClock }, { logger: false });
const url = await app.listen({ port: 0, host: '127.0.0.1' });

process.on('message', (message: unknown) => {
  if (message === 'stats') {
    const cpu = process.cpuUsage();
    process.send!({
      stats: {
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        rssMiB: process.memoryUsage().rss / 2 ** 20,
        queries,
      },
    });
  } else if (message === 'stop') {
    void (async () => {
      await app.close();
      await database.close();
      process.exit(0);
    })();
  }
});
process.on('disconnect', () => process.exit(0));
process.send!({ url, poolSize: config.dbPoolSize });
