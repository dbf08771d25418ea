import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app-context.js';
import { loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/connection.js';
import type { ReadReplicaOptions, ReadReplicas } from '../../src/db/read-replicas.js';
import { openReadReplicas } from '../../src/db/read-replicas.js';
import { buildApp } from '../../src/http/app.js';
import { heldSession } from '../support/session-fixture.js';
import { MIDTOWN, type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  BACKEND,
  type Session,
  type TestApp,
  call,
  TEST_NOW,
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
      // A pause is a request: replay stops at its next record. Wait until it has (no timing is asserted).
      while (
        action === 'pause' &&
        (await admin.query('SELECT pg_get_wal_replay_pause_state() AS state')).rows[0].state !== 'paused'
      )
        await new Promise((resolve) => setTimeout(resolve, 5));
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
    lag: Pick<ReadReplicaOptions, 'maxLagMs' | 'now'> = {},
  ): Promise<{ app: App; replicas: ReadReplicas; close(): Promise<void> }> {
    const database: Database = await openDatabase({ url: t.databaseUrl! }, { poolSize: 4 });
    const replicas = openReadReplicas(readUrls, database.db, { poolSize: 4, maxWaitMs, ...lag });
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

  // Public pages (profile, reviews, markets, package offers): a reader that cannot have written what it reads may be
  // served by a replica up to the lag bound behind (`within-lag`); signed-in clients by one that has caught up; the
  // therapist and operators by the primary. The lag is measured on a clock the test moves, so no timing is asserted.
  describe('public pages', () => {
    const BOUND_MS = 1_000;
    let lagClock = 0;
    const lag = { maxLagMs: BOUND_MS, now: () => lagClock };
    const get = (app: App, who: Session | null, url: string) => call(app, who, { method: 'GET', url });
    const bioOf = async (app: App, who: Session | null, therapist: TherapistFixture) => {
      const response = await get(app, who, `/api/therapists/${therapist.id}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json().bio as string;
    };
    const replyOf = async (app: App, who: Session | null, therapist: TherapistFixture) => {
      const response = await get(app, who, `/api/therapists/${therapist.id}/reviews`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json().reviews[0].reply as { text: string } | null;
    };
    const setBio = (therapist: TherapistFixture, bio: string) =>
      t.database.db.updateTable('therapists').set({ bio }).where('user_id', '=', therapist.id).execute();
    /** Reads counted since `before`: on the standby (the last replica) and on the primary in a replica's place. */
    const since = (replicas: ReadReplicas, before: { replicas: number[]; primary: number }) => {
      const now = replicas.stats();
      return { standby: now.replicas.at(-1)! - before.replicas.at(-1)!, primary: now.primary - before.primary };
    };

    let therapist: TherapistFixture;
    let client: Session;
    let review: { id: string };
    beforeAll(async () => {
      therapist = await createTherapist(t, { displayName: 'Rhea Replica' }, operator);
      client = await signUp(t.app, 'client', 'Maria Kowalski');
      try {
        review = await heldSession(t, client, therapist, '2026-11-24T16:00:00.000Z', { note: null });
        const rated = await call(t.app, client, {
          method: 'POST',
          url: `/api/bookings/${review.id}/rating`,
          payload: { stars: 5, review: 'Firm and kind' },
        });
        expect(rated.statusCode, rated.body).toBe(201);
      } finally {
        t.clock.set(TEST_NOW); // the searches above choose their slots from it
      }
      await setBio(therapist, 'Before the pause');
    });

    it('serves anonymous readers from the standby up to the bound behind, then from the primary', async () => {
      const reader = await instance([replicaUrl], 0, lag);
      try {
        lagClock = 0;
        // The first read samples the primary's WAL position (served by whichever had it); once the standby has
        // replayed past that sample, it may serve anonymous readers until the sample is BOUND_MS old.
        await bioOf(reader.app, null, therapist);
        await replayed();
        await replayControl('pause');
        try {
          // Written on the primary, not replayed by the paused standby.
          await setBio(therapist, 'After the pause');
          const replied = await call(t.app, therapist.session, {
            method: 'POST',
            url: `/api/reviews/${review.id}/reply`,
            payload: { text: 'Thank you, Maria!' },
          });
          expect(replied.statusCode, replied.body).toBe(204);
          const standbyBio = await standby.query('SELECT bio FROM therapists WHERE user_id = $1', [therapist.id]);
          expect(standbyBio.rows[0].bio).toBe('Before the pause');

          // Half the bound later: anonymous readers get the standby's state, which only the standby still has.
          lagClock = BOUND_MS / 2;
          let before = reader.replicas.stats();
          expect(await bioOf(reader.app, null, therapist)).toBe('Before the pause');
          expect(await replyOf(reader.app, null, therapist)).toBeNull();
          expect((await get(reader.app, null, '/api/markets')).statusCode).toBe(200);
          expect((await get(reader.app, null, `/api/package-offers?therapistId=${therapist.id}`)).statusCode).toBe(200);
          expect(since(reader.replicas, before)).toEqual({ standby: 4, primary: 0 });

          // Meanwhile the primary has the new state; a signed-in client must see every commit made before its read
          // (the standby has not caught up: the primary answers), the therapist and operators read the primary itself.
          expect(await bioOf(t.app, null, therapist)).toBe('After the pause');
          before = reader.replicas.stats();
          expect(await bioOf(reader.app, client, therapist)).toBe('After the pause');
          expect(await replyOf(reader.app, client, therapist)).toEqual(
            expect.objectContaining({ text: 'Thank you, Maria!' }),
          );
          expect(since(reader.replicas, before)).toEqual({ standby: 0, primary: 2 });
          before = reader.replicas.stats();
          expect(await bioOf(reader.app, therapist.session, therapist)).toBe('After the pause');
          expect(await replyOf(reader.app, therapist.session, therapist)).toEqual(
            expect.objectContaining({ text: 'Thank you, Maria!' }),
          );
          expect(await bioOf(reader.app, operator, therapist)).toBe('After the pause');
          expect(since(reader.replicas, before)).toEqual({ standby: 0, primary: 0 }); // not offered to a replica

          // Past the bound since the standby's last replayed sample, the still-paused standby is passed over.
          lagClock = BOUND_MS + BOUND_MS / 5;
          before = reader.replicas.stats();
          expect(await bioOf(reader.app, null, therapist)).toBe('After the pause');
          expect(await replyOf(reader.app, null, therapist)).toEqual(
            expect.objectContaining({ text: 'Thank you, Maria!' }),
          );
          expect(since(reader.replicas, before)).toEqual({ standby: 0, primary: 2 });
        } finally {
          await replayControl('resume');
        }
        // Caught up again, the standby serves anonymous readers with the new state.
        await replayed();
        lagClock += BOUND_MS;
        await bioOf(reader.app, null, therapist); // a fresh sample, from whichever has it
        await replayed();
        const before = reader.replicas.stats();
        expect(await bioOf(reader.app, null, therapist)).toBe('After the pause');
        expect(since(reader.replicas, before)).toEqual({ standby: 1, primary: 0 });
      } finally {
        await reader.close();
      }
    });

    it('reads public pages from the primary when the replica has stopped, or from the next replica', async () => {
      const stopped = new URL(replicaUrl);
      stopped.port = '1'; // nothing listens there
      const alone = await instance([stopped.toString()], 0, lag);
      const paired = await instance([stopped.toString(), replicaUrl], 0, lag);
      try {
        lagClock = 10 * BOUND_MS;
        await setBio(therapist, 'While one replica is down');
        expect(await bioOf(alone.app, null, therapist)).toBe('While one replica is down');
        expect(await replyOf(alone.app, null, therapist)).toEqual(
          expect.objectContaining({ text: 'Thank you, Maria!' }),
        );
        expect(alone.replicas.stats()).toEqual({ replicas: [0], primary: 2 });

        await bioOf(paired.app, null, therapist); // the sample, from whichever has it
        await replayed();
        const before = paired.replicas.stats();
        expect(await bioOf(paired.app, null, therapist)).toBe('While one replica is down');
        expect(since(paired.replicas, before)).toEqual({ standby: 1, primary: 0 });
        expect(paired.replicas.stats().replicas[0]).toBe(0);
      } finally {
        await alone.close();
        await paired.close();
      }
    });
  });
});
