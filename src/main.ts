import { join } from 'node:path';
import { sql } from 'kysely';
import { buildApp } from './http/app.js';
import { systemClock } from './clock.js';
import { loadConfig, PROJECT_ROOT } from './config.js';
import { openDatabase } from './db/connection.js';
import { DataDirInUseError } from './db/data-dir-lock.js';
import { migrate } from './db/migrate.js';
import { seedDemoData } from './demo/seed.js';
import { expireDueHolds } from './booking/hold-expiry.js';
import { createBackgroundWork } from './background-work.js';
import { createSmtpSender } from './notify/mail-delivery.js';
import { createPaymentProvider, ownBaseUrl } from './money/payment-providers.js';

const started = performance.now();
const config = loadConfig();
const database = await openDatabase(config.database, {
  poolSize: config.dbPoolSize,
  poolWaitMs: config.dbPoolWaitMs,
  // Built by scripts/build-server.ts (`npm start`); the same path from src/ (tsx) and from dist/ (node).
  template: join(PROJECT_ROOT, 'dist/pglite-template'),
  onLockLost: (error) => {
    console.error(`Knotwork lost its hold on the data directory (${error.message}); stopping before it writes more.`);
    process.exit(1);
  },
}).catch((error: unknown) => {
  if (!(error instanceof DataDirInUseError)) throw error;
  console.error(`Knotwork cannot start: ${error.message}`);
  process.exit(1);
});
const applied = await migrate(database);
const ctx = { database, db: database.db, config, clock: systemClock };
// Built once, before the demo seed: the seed's second phase saves test cards and authorises the demo's sessions.
const paymentProvider = createPaymentProvider(config.payments, { db: database.db, clock: systemClock });
const logins = config.demoData ? await seedDemo() : undefined;
const app = await buildApp(ctx, { paymentProvider });
await app.listen({ port: config.port, host: config.host });

const sweep = setInterval(() => {
  expireDueHolds(database.db, systemClock.now()).catch((error) =>
    app.log.error({ err: error }, 'hold expiry sweep failed'),
  );
}, 30_000);

const port = listeningPort();
const url = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${port}`;

const sender = config.smtpUrl ? createSmtpSender(config.smtpUrl) : null;
// Links in e-mail (a booking's page, a receipt's PDF) point at PUBLIC_URL, else at the address printed below.
const background = createBackgroundWork(
  { ...ctx, config: { ...config, publicUrl: config.publicUrl ?? url } },
  {
    sender,
    // The test processor's webhooks come back to this instance through its own HTTP endpoint, as a real one's would.
    payments: { provider: app.paymentProvider, webhookBaseUrl: ownBaseUrl({ ...config, port: listeningPort() }) },
    onJobError: (job, error) =>
      app.log.warn({ err: error, job }, 'job failed; it will be retried unless this was its last attempt'),
  },
).start(1_000, (error) => app.log.error({ err: error }, 'background round failed'));

const where =
  'url' in config.database
    ? 'PostgreSQL (DATABASE_URL)'
    : 'dataDir' in config.database
      ? `PGlite in ${config.database.dataDir}`
      : 'PGlite in memory';
const lines = [
  '',
  `Knotwork is ready at ${url}  (API reference: ${url}/docs)`,
  `Database: ${where}${applied.length ? `; applied migrations ${applied.join(', ')}` : ''}`,
  `E-mail: ${config.smtpUrl ? `sent over SMTP (${new URL(config.smtpUrl).host}) from ${config.mailFrom}` : 'not configured (SMTP_URL); messages stay in the in-app inbox'}`,
  `Started in ${((performance.now() - started) / 1000).toFixed(1)} s`,
];
if (config.demoData) {
  lines.push(
    logins
      ? `Demo data created. Sign in with password "${logins.password}" as ${logins.client} (client), ${logins.therapist} (therapist) or ${logins.operator} (operator).`
      : 'Demo logins (password "knotwork-demo"): client@knotwork.test, therapist@knotwork.test, operator@knotwork.test (if this database was seeded by Knotwork).',
  );
}
console.log(lines.join('\n'));

/**
 * The demo seed commits a few hundred times (its money phase goes through the payment provider). On PGlite, whose
 * one session is this process's, those commits do not wait for their own WAL flush (synchronous_commit off); the
 * last statement here commits synchronously, which flushes all of the seed's WAL before the server says it is
 * ready. A crash before then loses at most part of a seed nobody was told about. Not on PostgreSQL: there the
 * setting would stay on whichever pooled connection took it.
 */
async function seedDemo() {
  const pglite = database.backend === 'pglite';
  if (pglite) await sql`SET synchronous_commit = off`.execute(database.db);
  try {
    return await seedDemoData(database.db, systemClock.now(), {
      stepMin: config.slotStepMin,
      graceMinutes: config.graceMinutes,
      paymentProvider,
    });
  } finally {
    if (pglite) {
      await sql`RESET synchronous_commit`.execute(database.db);
      // A transaction with an id commits with a flush of the WAL up to its commit record: all of the seed's.
      await sql`SELECT pg_current_xact_id()`.execute(database.db);
    }
  }
}

function listeningPort() {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : config.port;
}

async function shutdown(signal: string) {
  app.log.info({ signal }, 'shutting down');
  clearInterval(sweep);
  await background.stop();
  sender?.close?.();
  await app.close();
  await database.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
