import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createBackgroundWork } from '../../../src/background-work.js';
import type { Clock } from '../../../src/clock.js';
import { type Config, loadConfig } from '../../../src/config.js';
import type { Database } from '../../../src/db/connection.js';
import { ensureMarket } from '../../../src/demo/seed.js';
import type { App } from '../../../src/app-context.js';
import { buildApp } from '../../../src/http/app.js';
import { WEB_DIST_DIR } from '../../../src/http/web-app.js';
import { TestProcessor } from '../../../src/money/test-processor/test-processor.js';
import { UNLIMITED_PER_ADDRESS, freshDatabase, undocumentedAnswers } from '../../support/test-app.js';
import { FlowingClock } from './clock.js';

/**
 * Browser journeys run only in the PGlite pass of the suite (`npm test` without DATABASE_URL): they test
 * what people see, which does not depend on the backend, and the API suite already runs on both.
 */
export const BROWSER_TESTS_RUN = !process.env.DATABASE_URL;

export interface BrowserServer {
  url: string;
  app: App;
  database: Database;
  config: Config;
  /** The journeys' time: the server's "now", which every browser context from `newContext` shares. */
  clock: Clock;
  close(): Promise<void>;
}

/**
 * The real server, built app included, on a fresh in-memory PGlite and a real port, with its background work
 * (booking notices, reminders, in-app delivery without SMTP) running as `npm start` runs it, on a clock that starts
 * at the journeys' start (E2E_CLOCK, see clock.ts) and flows with real time. The API fixtures in test/support accept it.
 */
export async function startBrowserServer(options: { config?: Partial<Config> } = {}): Promise<BrowserServer> {
  if (!existsSync(join(WEB_DIST_DIR, 'index.html'))) {
    throw new Error('web/dist is missing: the vitest global setup builds it (scripts/build-web.ts)');
  }
  const { database, drop } = await freshDatabase();
  await ensureMarket(database.db);
  const config = {
    ...loadConfig({ LOG_LEVEL: 'silent' }),
    port: 0,
    rateLimits: UNLIMITED_PER_ADDRESS,
    ...options.config,
  };
  const clock = new FlowingClock();
  const undocumented = undocumentedAnswers();
  // One test processor for the routes (card tokens, authorisations) and the background work (captures, voids).
  const paymentProvider = new TestProcessor({ db: database.db, clock, webhookSecret: 'e2e-webhook-secret-0123456789' });
  const app = await buildApp(
    { database, db: database.db, config, clock },
    { logger: false, onUndocumentedResponse: undocumented.record, paymentProvider },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const background = createBackgroundWork(
    { db: database.db, clock, config },
    { sender: null, payments: { provider: paymentProvider, webhookBaseUrl: `http://127.0.0.1:${port}` } },
  ).start(250, (error) => console.error('background round failed', error));
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    database,
    config,
    clock,
    async close() {
      await background.stop();
      await app.close();
      await drop();
      undocumented.check();
    },
  };
}
