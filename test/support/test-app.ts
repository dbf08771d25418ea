import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { hashPassword } from '../../src/accounts/passwords.js';
import type { Clock } from '../../src/clock.js';
import { type Config, loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { type Migration, migrate } from '../../src/db/migrate.js';
import { ensureMarket } from '../../src/demo/seed.js';
import type { App } from '../../src/app-context.js';
import type { UndocumentedResponse } from '../../src/http/api-description.js';
import { buildApp } from '../../src/http/app.js';
import type { PaymentProvider } from '../../src/money/engine/payment-provider.js';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import type { IntakeInput } from '../../src/intake/engine/intake-schema.js';

/** The suite runs on PGlite unless DATABASE_URL points at PostgreSQL; .ci/run runs it both ways. */
export const BACKEND = process.env.DATABASE_URL ? 'postgres' : 'pglite';

export class ManualClock implements Clock {
  constructor(private current: number) {}
  now() {
    return this.current;
  }
  set(instant: number | string) {
    this.current = typeof instant === 'string' ? Date.parse(instant) : instant;
  }
  advance(ms: number) {
    this.current += ms;
  }
}

/**
 * A fresh, empty, migrated database: its own PostgreSQL database per call, or an in-memory PGlite. `migrations`
 * (default: all) lets a test start from an older schema and apply a newer migration over old-shaped data.
 */
export async function freshDatabase(
  options: { poolSize?: number; migrations?: Migration[] } = {},
): Promise<{ database: Database; drop: () => Promise<void>; url?: string }> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const database = await openDatabase({ memory: true });
    await migrate(database, options.migrations);
    return { database, drop: () => database.close() };
  }
  const name = `knotwork_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() }, { poolSize: options.poolSize ?? 10 });
  await migrate(database, options.migrations);
  return {
    database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export interface TestApp {
  app: App;
  database: Database;
  /** The PostgreSQL database's URL (unset on PGlite), for tests that start a second instance on it. */
  databaseUrl?: string;
  clock: ManualClock;
  config: Config;
  close(): Promise<void>;
}

/**
 * The suites sign many people up and in from one address (127.0.0.1): the per-address limits are out of their way.
 * Tests of the limits themselves pass the real ones (`config: { rateLimits: ... }`).
 */
export const UNLIMITED_PER_ADDRESS: Config['rateLimits'] = {
  signInsPerMinute: 100_000,
  signUpsPerHour: 100_000,
  signInLinksPerHour: 100_000,
};
/** /metrics's bearer token in the test servers. */
export const TEST_METRICS_TOKEN = 'metrics-token-for-tests';

/** Monday 23 November 2026, 12:00 UTC (07:00 in New York). */
export const TEST_NOW = Date.parse('2026-11-23T12:00:00Z');

export async function startTestApp(
  options: {
    now?: number;
    config?: Partial<Config>;
    poolSize?: number;
    /** The card processor; built from the database and the clock, after them (default: the app's own). */
    paymentProvider?: (deps: { db: Database['db']; clock: ManualClock }) => PaymentProvider;
  } = {},
): Promise<TestApp> {
  const { database, drop, url } = await freshDatabase({ poolSize: options.poolSize ?? 10 });
  await ensureMarket(database.db);
  const clock = new ManualClock(options.now ?? TEST_NOW);
  const loaded = loadConfig({ LOG_LEVEL: 'silent', METRICS_TOKEN: TEST_METRICS_TOKEN });
  const config = {
    ...loaded,
    rateLimits: UNLIMITED_PER_ADDRESS,
    // Every test client tokenises its card from the one test address: the processor's per-address limit is lifted too.
    payments: { ...loaded.payments, cardTokensPerMinute: 1_000_000 },
    ...options.config,
  };
  const undocumented = undocumentedAnswers();
  const app = await buildApp(
    { database, db: database.db, config, clock },
    {
      logger: false,
      onUndocumentedResponse: undocumented.record,
      ...(options.paymentProvider ? { paymentProvider: options.paymentProvider({ db: database.db, clock }) } : {}),
    },
  );
  return {
    app,
    database,
    ...(url ? { databaseUrl: url } : {}),
    clock,
    config,
    async close() {
      await app.close();
      await drop();
      undocumented.check();
    },
  };
}

/**
 * Collects the answers a server gave that its OpenAPI description does not list (a status, or a problem code); `check`
 * fails naming them. The test servers check on close, so every API and browser test also tests the description.
 */
export function undocumentedAnswers() {
  const seen = new Set<string>();
  return {
    record: (answer: UndocumentedResponse) =>
      void seen.add(`${answer.route} -> ${answer.status}${answer.code ? ` ${answer.code}` : ''}`),
    check() {
      if (seen.size > 0)
        throw new Error(
          `Answers the OpenAPI description does not list (name them in the route's schema.problems or response):\n${[...seen].join('\n')}`,
        );
    },
  };
}

/** A signed-in user: the cookie to send, and who it is. */
export interface Session {
  id: string;
  email: string;
  cookie: string;
}

let counter = 0;
export const uniqueEmail = (prefix: string) =>
  `${prefix}-${process.pid}-${++counter}-${randomBytes(3).toString('hex')}@example.test`;

export function sessionCookie(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  const cookies = Array.isArray(header) ? header : header ? [header] : [];
  const session = cookies.find((c) => c.startsWith('kw_session='));
  if (!session) throw new Error(`No session cookie in response ${response.statusCode}: ${response.body}`);
  return session.split(';')[0]!;
}

/**
 * A new account, signed in. A client also completes the consultation, as the product's journey has it (booking
 * needs an intake): by default a healthy desk worker's, or `intake`, or none with `intake: null`.
 */
export async function signUp(
  app: App,
  role: 'client' | 'therapist',
  displayName = role === 'client' ? 'Test Client' : 'Test Therapist',
  options: { intake?: IntakeInput | null } = {},
): Promise<Session> {
  const email = uniqueEmail(role);
  const response = await app.inject({
    method: 'POST',
    url: '/api/accounts',
    payload: { email, password: 'correct horse battery', displayName, role },
  });
  if (response.statusCode !== 201) throw new Error(`sign-up failed: ${response.statusCode} ${response.body}`);
  const session = { id: response.json().id, email, cookie: sessionCookie(response) };
  const intake = options.intake === undefined ? deskWorkerIntake() : options.intake;
  if (role === 'client' && intake) {
    const saved = await app.inject({
      method: 'PUT',
      url: '/api/me/intake',
      headers: { cookie: session.cookie },
      payload: intake,
    });
    if (saved.statusCode !== 200) throw new Error(`intake failed: ${saved.statusCode} ${saved.body}`);
  }
  return session;
}

/** Operators are not self-service: they are created by the seed or an administrator; tests insert one. */
export async function createOperator(t: Pick<TestApp, 'app' | 'database'>): Promise<Session> {
  const email = uniqueEmail('operator');
  await t.database.db
    .insertInto('users')
    .values({
      email,
      password_hash: await hashPassword('operator password'),
      role: 'operator',
      display_name: 'Test Operator',
    })
    .execute();
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/sessions',
    payload: { email, password: 'operator password' },
  });
  return { id: response.json().id, email, cookie: sessionCookie(response) };
}

export interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

/** Sends a request as `who` (a session, or nobody). */
export function call(app: App, who: Session | null, request: Call) {
  return app.inject({
    method: request.method,
    url: request.url,
    ...(request.payload !== undefined ? { payload: request.payload as object } : {}),
    headers: { ...(who ? { cookie: who.cookie } : {}), ...request.headers },
  });
}
