import { randomBytes } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app-context.js';
import { loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { ensureMarket } from '../../src/demo/seed.js';
import { buildApp } from '../../src/http/app.js';
import {
  BACKEND,
  ManualClock,
  TEST_NOW,
  UNLIMITED_PER_ADDRESS,
  freshDatabase,
  sessionCookie,
  undocumentedAnswers,
  uniqueEmail,
} from '../support/test-app.js';

/**
 * The database refusing connections (PostgreSQL's "too many connections for role", SQLSTATE 53300) is answered 503
 * `service_unavailable` with Retry-After, logged as a warning, and changes nothing; the app serves again once a
 * connection is free. The app runs as a role whose CONNECTION LIMIT is exactly what it holds, while one of its pool's
 * connections is held, so the request's checkout has to open a connection the server refuses.
 */
const skipped =
  BACKEND !== 'postgres'
    ? 'PGlite is one in-process connection with no server to refuse it; src/http/error-handler.test.ts tests the mapping'
    : undefined;

interface LogLine {
  level: number;
  msg: string;
  reason?: string;
  err?: unknown;
}

describe.skipIf(skipped !== undefined)(
  `a database that refuses connections${skipped ? ` (skipped: ${skipped})` : ''}`,
  () => {
    const role = `knotwork_limited_${randomBytes(4).toString('hex')}`;
    const adminUrl = process.env.DATABASE_URL!;
    let fresh: Awaited<ReturnType<typeof freshDatabase>>;
    let limited: Database;
    let app: App;
    const undocumented = undocumentedAnswers();
    const logs: LogLine[] = [];
    /** Holds one of the app's pool connections until called. */
    let release: () => void = () => {};
    let holding: Promise<unknown> = Promise.resolve();

    const admin = async <T>(work: (client: pg.Client) => Promise<T>, url = adminUrl): Promise<T> => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end();
      }
    };
    const signUpRequest = (email: string, on: App = app) =>
      on.inject({
        method: 'POST',
        url: '/api/accounts',
        payload: { email, password: 'correct horse battery', displayName: 'Busy Day', role: 'client' },
      });

    /**
     * Where the limit is set. A superuser is not subject to connection limits, so as one (a developer's local
     * server) the app signs in as a new role and the role is limited; as an ordinary role (CI's `knotwork`, which may
     * create databases but not roles) the app signs in as that role and the test's own database is limited.
     */
    let limitOn: { kind: 'role'; name: string } | { kind: 'database'; name: string };
    const setLimit = (limit: number) =>
      admin((c) =>
        c.query(
          limitOn.kind === 'role'
            ? `ALTER ROLE ${limitOn.name} CONNECTION LIMIT ${limit}`
            : `ALTER DATABASE ${limitOn.name} CONNECTION LIMIT ${limit}`,
        ),
      );

    beforeAll(async () => {
      fresh = await freshDatabase();
      await ensureMarket(fresh.database.db);
      const url = new URL(fresh.url!);
      const superuser = await admin(
        async (c) =>
          (await c.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).rows[0]!
            .rolsuper,
      );
      if (superuser) {
        limitOn = { kind: 'role', name: role };
        await admin((c) => c.query(`CREATE ROLE ${role} LOGIN PASSWORD 'limited'`));
        await admin(async (c) => {
          await c.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
          await c.query(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}`);
          await c.query(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
        }, fresh.url);
        url.username = role;
        url.password = 'limited';
      } else {
        limitOn = { kind: 'database', name: decodeURIComponent(url.pathname.slice(1)) };
      }
      // Two connections at most: one held below, so a request needs a second.
      limited = await openDatabase({ url: url.toString() }, { poolSize: 2 });
      const loaded = loadConfig({ LOG_LEVEL: 'silent' });
      app = await buildApp(
        {
          database: limited,
          db: limited.db,
          config: { ...loaded, rateLimits: UNLIMITED_PER_ADDRESS },
          clock: new ManualClock(TEST_NOW),
        },
        {
          logger: { level: 'warn', stream: { write: (line: string) => logs.push(JSON.parse(line) as LogLine) } },
          onUndocumentedResponse: undocumented.record,
        },
      );
    });

    afterAll(async () => {
      release();
      await holding;
      await app?.close();
      await limited?.close();
      if (limitOn?.kind === 'database') await setLimit(-1);
      await fresh?.drop();
      if (limitOn?.kind === 'role') await admin((c) => c.query(`DROP ROLE IF EXISTS ${role}`));
      undocumented.check();
    });

    it('answers 503 service_unavailable with Retry-After, writes nothing, and serves again once a connection is free', async () => {
      const early = await signUpRequest(uniqueEmail('early'));
      expect(early.statusCode, early.body).toBe(201);
      const cookie = sessionCookie(early);

      // Hold one pool connection, then allow exactly the connections there are: the next checkout is refused.
      let held!: () => void;
      const taken = new Promise<void>((resolve) => {
        holding = limited.session(async () => {
          resolve();
          await new Promise<void>((done) => (held = done));
        });
      });
      await taken;
      release = held;
      const { rows } = await admin((c) =>
        c.query<{ n: number }>(
          limitOn.kind === 'role'
            ? 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1'
            : 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
          [limitOn.name],
        ),
      );
      await setLimit(rows[0]!.n);

      const email = uniqueEmail('busy');
      const refused = await signUpRequest(email);
      expect(refused.statusCode, refused.body).toBe(503);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.headers['retry-after']).toBe('3');
      expect(refused.json()).toEqual({
        type: '/problems#service_unavailable',
        title: 'The service is not ready',
        status: 503,
        detail: 'Knotwork is busy right now; try again in a moment',
        instance: '/api/accounts',
        code: 'service_unavailable',
        retryAfterSeconds: 3,
      });
      const reading = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
      expect(reading.statusCode, reading.body).toBe(503);
      expect(reading.json()).toMatchObject({ code: 'service_unavailable', retryAfterSeconds: 3 });

      // The documented shape: the operation lists 503 service_unavailable, and the body fits its Problem schema.
      const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
      const listed = document.paths['/api/accounts'].post.responses['503'];
      expect(listed.description).toContain('`service_unavailable`');
      const ajv = new Ajv2020({ strict: false });
      addFormats.default(ajv);
      ajv.addSchema({ $id: 'openapi.json', components: document.components });
      const fits = ajv.compile({ $ref: 'openapi.json#/components/schemas/Problem' });
      expect(fits(refused.json()), JSON.stringify(fits.errors)).toBe(true);

      // A warning that says why, no error with a stack.
      const warnings = logs.filter((line) => line.level === 40);
      expect(warnings.map((line) => [line.msg, line.reason])).toEqual([
        ['database unavailable; answered 503 service_unavailable', '53300'],
        ['database unavailable; answered 503 service_unavailable', '53300'],
      ]);
      expect(logs.filter((line) => line.level >= 50)).toEqual([]);
      expect(warnings.some((line) => 'err' in line)).toBe(false);

      // Nothing was written (read once connections are allowed again); once the held connection is back in the pool
      // the same sign-up goes through.
      await setLimit(-1);
      const users = await admin((c) => c.query('SELECT 1 FROM users WHERE email = $1', [email]), fresh.url);
      expect(users.rowCount).toBe(0);
      release();
      await holding;
      const again = await signUpRequest(email);
      expect(again.statusCode, again.body).toBe(201);
      expect((await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    });

    it('answers 503 when every pool connection stays busy past the wait, instead of waiting without end', async () => {
      // A pool of one whose checkout waits 200 ms (DB_POOL_WAIT_MS): its connection is held, so a request waits for
      // it and is told to come back rather than hang.
      const busy = await openDatabase({ url: fresh.url! }, { poolSize: 1, poolWaitMs: 200 });
      const busyLogs: LogLine[] = [];
      const busyApp = await buildApp(
        {
          database: busy,
          db: busy.db,
          config: { ...loadConfig({ LOG_LEVEL: 'silent' }), rateLimits: UNLIMITED_PER_ADDRESS },
          clock: new ManualClock(TEST_NOW),
        },
        {
          logger: { level: 'warn', stream: { write: (line: string) => busyLogs.push(JSON.parse(line) as LogLine) } },
          onUndocumentedResponse: undocumented.record,
        },
      );
      let done!: () => void;
      let held: Promise<unknown> = Promise.resolve();
      try {
        await new Promise<void>((taken) => {
          held = busy.session(async () => {
            taken();
            await new Promise<void>((resolve) => (done = resolve));
          });
        });
        const email = uniqueEmail('queued');
        const refused = await signUpRequest(email, busyApp);
        expect(refused.statusCode, refused.body).toBe(503);
        expect(refused.headers['retry-after']).toBe('3');
        expect(refused.json()).toMatchObject({ code: 'service_unavailable', retryAfterSeconds: 3 });
        expect(busyLogs.map((line) => [line.level, line.reason])).toEqual([
          [40, 'timeout exceeded when trying to connect'],
        ]);
        done();
        await held;
        const again = await signUpRequest(email, busyApp);
        expect(again.statusCode, again.body).toBe(201);
      } finally {
        done?.();
        await held;
        await busyApp.close();
        await busy.close();
      }
    });
  },
);
