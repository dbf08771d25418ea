import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { App } from '../../src/app-context.js';
import { SessionCache } from '../../src/accounts/session-cache.js';
import { readSession, tokenHash } from '../../src/accounts/sessions.js';
import { type Database, type Unlisten, openDatabase } from '../../src/db/connection.js';
import { buildApp } from '../../src/http/app.js';
import { BACKEND, type Session, type TestApp, call, sessionCookie, signUp, startTestApp } from '../support/test-app.js';

/**
 * Two app instances on one database: `t.app` (A) and `b`, each with its own session cache. On PostgreSQL B has its
 * own connections (as another process would); on PGlite it shares the embedded database, listening on its own.
 */
let t: TestApp;
let b: App;
let bDatabase: Database | undefined;
beforeAll(async () => {
  t = await startTestApp();
  bDatabase = t.databaseUrl ? await openDatabase({ url: t.databaseUrl }, { poolSize: 3 }) : undefined;
  const database = bDatabase ?? t.database;
  b = await buildApp({ database, db: database.db, config: t.config, clock: t.clock }, { logger: false });
  await b.ready();
});
afterAll(async () => {
  await b.close();
  await bDatabase?.close();
  await t.close();
});

const PASSWORD = 'correct horse battery';
const me = (app: App, who: Session) => call(app, who, { method: 'GET', url: '/api/me' });
const tokenOf = (who: Session) => who.cookie.slice('kw_session='.length);
async function signIn(app: App, email: string): Promise<Session> {
  const response = await app.inject({ method: 'POST', url: '/api/sessions', payload: { email, password: PASSWORD } });
  expect(response.statusCode, response.body).toBe(200);
  return { id: response.json().id, email, cookie: sessionCookie(response) };
}
/** Reads /api/me on B twice, so B has the session cached, and checks the second answer came from the cache. */
async function cachedOnB(who: Session) {
  expect((await me(b, who)).statusCode).toBe(200);
  const before = b.sessionCache.stats();
  const again = await me(b, who);
  expect(again.statusCode).toBe(200);
  expect(b.sessionCache.stats().hits).toBe(before.hits + 1);
  return again.json<{ id: string; email: string; role: string; displayName: string }>();
}

describe(`the session cache on ${BACKEND}`, () => {
  it('answers a signed-in request without reading the session again', async () => {
    const ada = await signUp(t.app, 'client', 'Ada');
    const first = await cachedOnB(ada);
    expect(first).toMatchObject({ id: ada.id, email: ada.email, displayName: 'Ada', role: 'client' });
  });

  it('refuses on instance B a session signed out on instance A, once the notice is in', async () => {
    const ada = await signUp(t.app, 'client', 'Ada');
    await cachedOnB(ada);
    expect((await call(t.app, ada, { method: 'DELETE', url: '/api/sessions/current' })).statusCode).toBe(204);
    // On A at once: the process that signed out dropped it itself.
    expect((await me(t.app, ada)).statusCode).toBe(401);
    expect(await b.sessionCache.checkListener()).toBe(true);
    expect((await me(b, ada)).statusCode).toBe(401);
  });

  it('sees a change of role, name or e-mail made behind the app’s back', async () => {
    const ada = await signUp(t.app, 'client', 'Ada');
    await cachedOnB(ada);
    const email = `renamed-${ada.email}`;
    await t.database.db
      .updateTable('users')
      .set({ role: 'therapist', display_name: 'Ada Renamed', email })
      .where('id', '=', ada.id)
      .execute();
    expect(await b.sessionCache.checkListener()).toBe(true);
    const seen = await me(b, ada);
    expect(seen.json()).toMatchObject({ role: 'therapist', displayName: 'Ada Renamed', email });
  });

  it('refuses a cached session once the clock passes its expiry', async () => {
    const start = t.clock.now();
    try {
      const ada = await signUp(t.app, 'client', 'Ada');
      await cachedOnB(ada);
      const row = await t.database.db
        .selectFrom('sessions')
        .select('expires_at')
        .where('token_hash', '=', tokenHash(tokenOf(ada)))
        .executeTakeFirstOrThrow();
      t.clock.set(row.expires_at.getTime() - 1);
      expect((await me(b, ada)).statusCode).toBe(200);
      t.clock.set(row.expires_at.getTime());
      expect((await me(b, ada)).statusCode).toBe(401);
      expect((await me(t.app, ada)).statusCode).toBe(401);
    } finally {
      t.clock.set(start);
    }
  });

  it('ends every cached session of an account closed on another instance', async () => {
    const ada = await signUp(t.app, 'client', 'Ada');
    const elsewhere = await signIn(t.app, ada.email);
    await cachedOnB(ada);
    await cachedOnB(elsewhere);
    const closed = await call(t.app, ada, {
      method: 'POST',
      url: '/api/me/close',
      payload: { currentPassword: PASSWORD },
    });
    expect(closed.statusCode, closed.body).toBe(204);
    expect((await me(t.app, elsewhere)).statusCode).toBe(401);
    expect(await b.sessionCache.checkListener()).toBe(true);
    expect((await me(b, ada)).statusCode).toBe(401);
    expect((await me(b, elsewhere)).statusCode).toBe(401);
  });

  it('ends every cached session at a password reset on another instance', async () => {
    const ada = await signUp(t.app, 'client', 'Ada');
    await cachedOnB(ada);
    const token = 'a-reset-token-known-to-this-test-only-0123456';
    await t.database.db
      .insertInto('password_resets')
      .values({
        token_hash: tokenHash(token),
        user_id: ada.id,
        created_at: new Date(t.clock.now()),
        expires_at: new Date(t.clock.now() + 30 * 60_000),
      })
      .execute();
    const used = await t.app.inject({
      method: 'POST',
      url: '/api/password-resets/use',
      payload: { token, password: 'lantern orbit quiet meadow' },
    });
    expect(used.statusCode, used.body).toBe(200);
    expect((await me(t.app, ada)).statusCode).toBe(401);
    expect(await b.sessionCache.checkListener()).toBe(true);
    expect((await me(b, ada)).statusCode).toBe(401);
    const here: Session = { ...ada, cookie: sessionCookie(used) };
    expect((await me(b, here)).statusCode).toBe(200);
  });
});

/** A database whose listener can be silenced (a connection lost without a word) or declared lost. */
function observedDatabase(database: Database) {
  const state = { muted: false, listens: 0, lost: [] as (() => void)[] };
  const observed: Database = {
    ...database,
    listen: async (channel, onPayload, onLost) => {
      state.listens++;
      if (onLost) state.lost.push(onLost);
      const unlisten: Unlisten = await database.listen(
        channel,
        (payload) => {
          if (!state.muted) onPayload(payload);
        },
        onLost,
      );
      return unlisten;
    },
  };
  return { observed, state };
}

describe(`the session cache's trust in its listener on ${BACKEND}`, () => {
  let ada: Session;
  let hash: string;
  let reads: number;
  const read = () => {
    reads++;
    return readSession(t.database.db, hash, t.clock.now());
  };
  beforeAll(async () => {
    ada = await signUp(t.app, 'client', 'Ada');
    hash = tokenHash(tokenOf(ada));
  });

  it('reads the database until it listens, and again after its listener is reported lost', async () => {
    const { observed, state } = observedDatabase(t.database);
    const cache = new SessionCache(observed, { heartbeatMs: 3_600_000, heartbeatTimeoutMs: 500 });
    try {
      reads = 0;
      expect(await cache.lookup(hash, t.clock.now(), read)).toMatchObject({ id: ada.id });
      expect(await cache.lookup(hash, t.clock.now(), read)).toMatchObject({ id: ada.id });
      expect(reads).toBe(2);
      await cache.start();
      await cache.lookup(hash, t.clock.now(), read);
      await cache.lookup(hash, t.clock.now(), read);
      expect(reads).toBe(3);
      if (state.lost.length > 0) {
        // PostgreSQL: the listening connection ended; PGlite's listener cannot be lost apart from the process.
        state.lost.at(-1)!();
        expect(cache.stats().entries).toBe(0);
        await cache.lookup(hash, t.clock.now(), read);
        expect(reads).toBe(4);
      }
    } finally {
      await cache.stop();
    }
  });

  it.runIf(BACKEND === 'postgres')(
    'stops trusting a silent listener once its heartbeat is overdue, and rebuilds it',
    async () => {
      let monotonic = 0;
      const { observed, state } = observedDatabase(t.database);
      const cache = new SessionCache(observed, {
        heartbeatMs: 3_600_000,
        heartbeatTimeoutMs: 300,
        monotonicNow: () => monotonic,
      });
      try {
        await cache.start();
        reads = 0;
        await cache.lookup(hash, t.clock.now(), read);
        await cache.lookup(hash, t.clock.now(), read);
        expect(reads).toBe(1);
        state.muted = true;
        monotonic += 3_600_000 + 300 + 1;
        expect(cache.trusted).toBe(false);
        await cache.lookup(hash, t.clock.now(), read);
        expect(reads).toBe(2);
        expect(await cache.checkListener()).toBe(false);
        expect(state.listens).toBe(2);
        state.muted = false;
        expect(cache.trusted).toBe(true);
        expect(await cache.checkListener()).toBe(true);
      } finally {
        await cache.stop();
      }
    },
  );

  it.runIf(BACKEND === 'postgres')('listens again when its connection is terminated', async () => {
    const cache = new SessionCache(t.database, { heartbeatMs: 3_600_000 });
    try {
      await cache.start();
      reads = 0;
      await cache.lookup(hash, t.clock.now(), read);
      await cache.lookup(hash, t.clock.now(), read);
      expect(reads).toBe(1);
      const { rows } = await sql<{ pid: number }>`
        SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND query = ${'LISTEN "knotwork_sessions"'}`.execute(t.database.db);
      expect(rows.length).toBeGreaterThan(0);
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND query = ${'LISTEN "knotwork_sessions"'}`.execute(t.database.db);
      for (let i = 0; i < 100 && cache.trusted; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await cache.lookup(hash, t.clock.now(), read);
      expect(reads).toBe(2);
      for (let i = 0; i < 100 && !cache.trusted; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(await cache.checkListener()).toBe(true);
    } finally {
      await cache.stop();
    }
  });

  it('does not keep what a read returned after a notice came during it', async () => {
    const cache = new SessionCache(t.database, { heartbeatMs: 3_600_000 });
    try {
      await cache.start();
      reads = 0;
      await cache.lookup(hash, t.clock.now(), async () => {
        const found = await read();
        cache.forget(hash);
        return found;
      });
      await cache.lookup(hash, t.clock.now(), read);
      expect(reads).toBe(2);
    } finally {
      await cache.stop();
    }
  });

  it('keeps at most maxEntries sessions, and none longer than maxAgeMs', async () => {
    let monotonic = 0;
    const cache = new SessionCache(t.database, {
      heartbeatMs: 3_600_000,
      maxEntries: 2,
      maxAgeMs: 60_000,
      monotonicNow: () => monotonic,
    });
    try {
      await cache.start();
      const others = [await signIn(t.app, ada.email), await signIn(t.app, ada.email)];
      const hashes = [hash, ...others.map((o) => tokenHash(tokenOf(o)))];
      reads = 0;
      const lookUp = (h: string) =>
        cache.lookup(h, t.clock.now(), () => (reads++, readSession(t.database.db, h, t.clock.now())));
      for (const h of hashes) await lookUp(h);
      expect(reads).toBe(3);
      expect(cache.stats().entries).toBe(2);
      await lookUp(hashes[2]!);
      expect(reads).toBe(3);
      await lookUp(hashes[0]!);
      expect(reads).toBe(4);
      monotonic += 60_001;
      await lookUp(hashes[0]!);
      expect(reads).toBe(5);
    } finally {
      await cache.stop();
    }
  });
});
