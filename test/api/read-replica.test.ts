import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app-context.js';
import { loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/connection.js';
import type { ReadReplicas } from '../../src/db/read-replicas.js';
import { openReadReplicas } from '../../src/db/read-replicas.js';
import { buildApp } from '../../src/http/app.js';
import { MIDTOWN, type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  BACKEND,
  type Session,
  type TestApp,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';

/**
 * Reads on a PostgreSQL hot standby, writes on the primary (issue 19). CI's PostgreSQL pass makes the standby with
 * .ci/local-replica and names it in REPLICA_DATABASE_URL; the test databases created on the primary are replayed there.
 */
const REPLICA_URL = process.env.REPLICA_DATABASE_URL;
const skipped =
  BACKEND !== 'postgres'
    ? 'replicas are PostgreSQL streaming replicas: this is the PGlite pass'
    : !REPLICA_URL
      ? 'REPLICA_DATABASE_URL is unset (.ci/local-replica makes a standby and prints it)'
      : undefined;
// CI runs this for real: a PostgreSQL pass without the standby is a broken CI, not a reason to skip.
if (process.env.CI && BACKEND === 'postgres' && !REPLICA_URL)
  throw new Error('CI: REPLICA_DATABASE_URL must name the hot standby (.ci/run sets it from .ci/local-replica)');

describe('DATABASE_READ_URLS', () => {
  const primary = 'postgres://knotwork@127.0.0.1:5432/knotwork';
  it('takes postgres:// URLs separated by commas, only beside a PostgreSQL primary', () => {
    expect(loadConfig({}).databaseReadUrls).toEqual([]);
    expect(
      loadConfig({
        DATABASE_URL: primary,
        DATABASE_READ_URLS: ' postgres://a@r1:5432/k , postgresql://a@r2/k',
      }).databaseReadUrls,
    ).toEqual(['postgres://a@r1:5432/k', 'postgresql://a@r2/k']);
    for (const bad of ['mysql://r1/k', 'postgres://r1/k,', 'postgres://r1/k,,postgres://r2/k', 'r1:5432'])
      expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_READ_URLS: bad }), bad).toThrow(/DATABASE_READ_URLS/);
    expect(() => loadConfig({ DATABASE_READ_URLS: 'postgres://a@r1/k' })).toThrow(
      /DATABASE_READ_URLS: replicas need a PostgreSQL primary/,
    );
  });
});

const TEN = '2026-11-24T15:00:00.000Z';

describe.skipIf(skipped !== undefined)(`reads on a hot standby${skipped ? ` (skipped: ${skipped})` : ''}`, () => {
  let t: TestApp;
  let operator: Session;
  /** The standby's copy of this file's database. */
  let replicaUrl: string;
  let standby: pg.Client;

  beforeAll(async () => {
    t = await startTestApp();
    operator = await createOperator(t);
    const url = new URL(REPLICA_URL!);
    url.pathname = new URL(t.databaseUrl!).pathname;
    replicaUrl = url.toString();
    await replayed();
    standby = new pg.Client({ connectionString: replicaUrl });
    await standby.connect();
  });
  afterAll(async () => {
    await standby?.end();
    await t?.close();
  });

  /** Waits until the standby has replayed everything the primary has written so far (no timing is asserted). */
  async function replayed() {
    const rows = await t.database.session((run) => run('SELECT pg_current_wal_lsn()::text AS lsn'));
    const lsn = rows[0]!.lsn as string;
    const admin = new pg.Client({ connectionString: REPLICA_URL });
    await admin.connect();
    try {
      for (;;) {
        const done = await admin.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn]);
        if (done.rows[0].ok === true) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await admin.end();
    }
  }

  /** Pauses or resumes the standby's replay, through REPLICA_DATABASE_URL's database (where CI grants the suite's role). */
  async function replayControl(action: 'pause' | 'resume') {
    const admin = new pg.Client({ connectionString: REPLICA_URL });
    await admin.connect();
    try {
      await admin.query(action === 'pause' ? 'SELECT pg_wal_replay_pause()' : 'SELECT pg_wal_replay_resume()');
    } finally {
      await admin.end();
    }
  }

  /**
   * A second app instance on the same primary, reading from `readUrls`. A read waits up to `maxWaitMs` for a replica to
   * replay what the primary has flushed: other test files write to the same cluster meanwhile, so the instances that
   * must read from the standby wait long enough for it whatever the load (the wait ends as soon as it has caught up).
   */
  async function instance(
    readUrls: string[],
    maxWaitMs = 60_000,
  ): Promise<{ app: App; replicas: ReadReplicas; close(): Promise<void> }> {
    const database: Database = await openDatabase({ url: t.databaseUrl! }, { poolSize: 4 });
    const replicas = openReadReplicas(readUrls, database.db, { poolSize: 4, maxWaitMs });
    const app = await buildApp(
      {
        database,
        db: database.db,
        config: { ...t.config, databaseReadUrls: readUrls },
        clock: t.clock,
        readReplicas: replicas,
      },
      { logger: false },
    );
    return {
      app,
      replicas,
      async close() {
        await app.close();
        await replicas.close();
        await database.close();
      },
    };
  }

  const search = async (app: App, therapist: TherapistFixture): Promise<string[]> => {
    const response = await call(app, null, {
      method: 'GET',
      url: `/api/availability?durationMin=60&from=2026-11-24&to=2026-11-24&zone=America/New_York&mode=studio&lat=${MIDTOWN.lat}&lng=${MIDTOWN.lng}&radiusKm=1&therapistId=${therapist.id}&slotsPerTherapist=100`,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().results.flatMap((r: { offers: { slots: string[] }[] }) => r.offers.flatMap((o) => o.slots));
  };
  const hold = (app: App, client: Session, therapist: TherapistFixture, start: string) =>
    call(app, client, {
      method: 'POST',
      url: '/api/bookings',
      payload: {
        therapistId: therapist.id,
        durationMin: 60,
        start,
        place: { mode: 'studio', studioId: therapist.studioId },
      },
    });
  const onStandby = async (bookingId: string) =>
    (await standby.query('SELECT count(*)::int AS n FROM bookings WHERE id = $1', [bookingId])).rows[0].n as number;

  it('serves search from the standby and writes the hold on the primary', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    await replayed();
    const reader = await instance([replicaUrl]);
    try {
      expect(await search(reader.app, therapist)).toContain(TEN);
      expect(reader.replicas.stats()).toEqual({ replicas: [1], primary: 0 });

      const held = await hold(reader.app, client, therapist, TEN);
      expect(held.statusCode, held.body).toBe(201);
      const row = await t.database.db
        .selectFrom('bookings')
        .select('status')
        .where('id', '=', held.json().id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('held');

      // The change notice comes from the primary; the therapist is read again from the standby once it has the hold.
      await replayed();
      expect(await onStandby(held.json().id)).toBe(1);
      expect(await search(reader.app, therapist)).not.toContain(TEN);
      expect(reader.replicas.stats()).toEqual({ replicas: [2], primary: 0 });
    } finally {
      await reader.close();
    }

    // As configured (DATABASE_READ_URLS), buildApp opens the replicas itself: its search connects to the standby.
    const named = new URL(replicaUrl);
    named.searchParams.set('application_name', 'configured-reader');
    const sessionsOnStandby = async () =>
      (
        await standby.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'configured-reader'",
        )
      ).rows[0].n as number;
    expect(await sessionsOnStandby()).toBe(0);
    const database = await openDatabase({ url: t.databaseUrl! }, { poolSize: 4 });
    const configured = await buildApp(
      { database, db: database.db, config: { ...t.config, databaseReadUrls: [named.toString()] }, clock: t.clock },
      { logger: false },
    );
    try {
      expect(await search(configured, therapist)).not.toContain(TEN);
      expect(await sessionsOnStandby()).toBeGreaterThan(0);
    } finally {
      await configured.close();
      await database.close();
    }
  });

  it('reads from the primary while the standby lags, and refuses with 409 a slot shown before it was taken', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const [first, second] = [await signUp(t.app, 'client'), await signUp(t.app, 'client')];
    await replayed();
    const reader = await instance([replicaUrl]);
    try {
      // The first client sees 10:00, read from the standby.
      expect(await search(reader.app, therapist)).toContain(TEN);
      expect(reader.replicas.stats()).toEqual({ replicas: [1], primary: 0 });

      await replayControl('pause');
      // An instance that does not wait for a replica to catch up (the default waits 50 ms).
      const hurried = await instance([replicaUrl], 0);
      try {
        // The second client takes it, on the primary; the standby does not replay it.
        const taken = await hold(t.app, second, therapist, TEN);
        expect(taken.statusCode, taken.body).toBe(201);
        expect(await onStandby(taken.json().id)).toBe(0);

        // Search stays correct: the standby is behind the primary, so the therapists are read from the primary.
        expect(await search(hurried.app, therapist)).not.toContain(TEN);
        expect(hurried.replicas.stats()).toEqual({ replicas: [0], primary: 1 });

        // The first client still has the answer it was shown: the primary's constraint refuses it.
        const late = await hold(reader.app, first, therapist, TEN);
        expect(late.statusCode, late.body).toBe(409);
        expect(late.json()).toMatchObject({ code: 'slot_unavailable', status: 409 });
      } finally {
        await replayControl('resume');
        await hurried.close();
      }
      // Caught up again, the standby serves the change notice's reload.
      expect(await search(reader.app, therapist)).not.toContain(TEN);
      expect(reader.replicas.stats()).toEqual({ replicas: [2], primary: 0 });
    } finally {
      await reader.close();
    }
  });

  it('leaves search correct when a replica stops: the next replica, else the primary, answers', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    await replayed();
    const stopped = new URL(replicaUrl);
    stopped.port = '1'; // nothing listens there
    const alone = await instance([stopped.toString()]);
    const paired = await instance([stopped.toString(), replicaUrl]);
    try {
      expect(await search(alone.app, therapist)).toContain(TEN);
      expect(alone.replicas.stats()).toEqual({ replicas: [0], primary: 1 });
      expect(await search(paired.app, therapist)).toContain(TEN);
      expect(paired.replicas.stats()).toEqual({ replicas: [0, 1], primary: 0 });

      const held = await hold(alone.app, client, therapist, TEN);
      expect(held.statusCode, held.body).toBe(201);
      expect(await search(alone.app, therapist)).not.toContain(TEN);
      await replayed();
      expect(await search(paired.app, therapist)).not.toContain(TEN);
    } finally {
      await alone.close();
      await paired.close();
    }
  });
});
