import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { type BookingEvent, consumeBookingEvents } from '../../src/booking/booking-event-stream.js';
import { JobRunner, defineJob } from '../../src/jobs/job-runner.js';
import { scheduleJob } from '../../src/jobs/job-scheduler.js';
import { enqueueMessages } from '../../src/notify/outbox.js';
import { bookSession } from '../support/booking-fixture.js';
import { createTherapist } from '../support/therapist-fixture.js';
import { BACKEND, type TestApp, TEST_NOW, signUp, startTestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const MINUTE = 60_000;

/** A job whose effect is a message row, so "the effect happened" is a count. */
const greetJob = defineJob({
  kind: 'test.greet',
  payload: z.object({ userId: z.uuid(), note: z.string() }).strict(),
  retry: { maxAttempts: 3, firstDelayMs: MINUTE, maxDelayMs: 10 * MINUTE },
  async run(trx, { userId, note }, { now }) {
    await enqueueMessages(trx, [{ userId, kind: 'test.greet', subject: 'Hello', text: note }], now);
    if (note === 'fail') throw new Error('handler failed after writing');
  },
});

const jobRow = (dedupeKey: string) =>
  t.database.db
    .selectFrom('jobs')
    .select(['status', 'attempts', 'run_at', 'last_error'])
    .where('dedupe_key', '=', dedupeKey)
    .executeTakeFirstOrThrow();
const greetings = async (userId: string) =>
  (
    await t.database.db
      .selectFrom('messages')
      .select('body_text')
      .where('user_id', '=', userId)
      .where('kind', '=', 'test.greet')
      .execute()
  ).map((m) => m.body_text);

describe(`durable jobs on ${BACKEND}`, () => {
  it('run once when due, never before, and a dedupe key schedules a logical job once', async () => {
    const user = await signUp(t.app, 'client');
    const runner = new JobRunner(t.database.db, [greetJob]);
    const job = {
      kind: 'test.greet',
      payload: { userId: user.id, note: 'hi' },
      runAt: TEST_NOW + 10 * MINUTE,
      dedupeKey: `greet:${user.id}`,
    };
    expect(await scheduleJob(t.database.db, job, TEST_NOW)).toBe(true);
    expect(await scheduleJob(t.database.db, { ...job, payload: { userId: user.id, note: 'again' } }, TEST_NOW)).toBe(
      false,
    );

    await runner.runDueJobs(TEST_NOW + 10 * MINUTE - 1);
    expect(await greetings(user.id)).toEqual([]);
    expect(await runner.runDueJobs(TEST_NOW + 10 * MINUTE)).toEqual({ done: 1, retrying: 0, failed: 0 });
    await runner.runDueJobs(TEST_NOW + 20 * MINUTE);
    expect(await greetings(user.id)).toEqual(['hi']);
    expect(await jobRow(`greet:${user.id}`)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('roll back a failed attempt’s writes, retry with backoff, and stop after the last attempt', async () => {
    const user = await signUp(t.app, 'client');
    const errors: string[] = [];
    const runner = new JobRunner(t.database.db, [greetJob], {
      onError: (_job, error) => errors.push((error as Error).message),
    });
    const key = `fail:${user.id}`;
    await scheduleJob(
      t.database.db,
      { kind: 'test.greet', payload: { userId: user.id, note: 'fail' }, runAt: TEST_NOW, dedupeKey: key },
      TEST_NOW,
    );

    expect(await runner.runDueJobs(TEST_NOW)).toEqual({ done: 0, retrying: 1, failed: 0 });
    expect(await jobRow(key)).toMatchObject({
      status: 'pending',
      attempts: 1,
      run_at: new Date(TEST_NOW + MINUTE),
      last_error: 'handler failed after writing',
    });
    expect(await runner.runDueJobs(TEST_NOW + MINUTE - 1)).toEqual({ done: 0, retrying: 0, failed: 0 });
    expect(await runner.runDueJobs(TEST_NOW + MINUTE)).toEqual({ done: 0, retrying: 1, failed: 0 });
    expect((await jobRow(key)).run_at).toEqual(new Date(TEST_NOW + 3 * MINUTE));
    expect(await runner.runDueJobs(TEST_NOW + 3 * MINUTE)).toEqual({ done: 0, retrying: 0, failed: 1 });
    expect(await jobRow(key)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(await greetings(user.id)).toEqual([]);
    expect(errors).toEqual([
      'handler failed after writing',
      'handler failed after writing',
      'handler failed after writing',
    ]);
  });

  it('fail a job with a malformed payload at once, and leave kinds nobody handles alone', async () => {
    const runner = new JobRunner(t.database.db, [greetJob]);
    await scheduleJob(
      t.database.db,
      { kind: 'test.greet', payload: { userId: 'nobody' }, runAt: TEST_NOW, dedupeKey: 'malformed' },
      TEST_NOW,
    );
    await scheduleJob(
      t.database.db,
      { kind: 'test.someone_else', payload: {}, runAt: TEST_NOW, dedupeKey: 'unhandled' },
      TEST_NOW,
    );
    await runner.runDueJobs(TEST_NOW);
    expect(await jobRow('malformed')).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await jobRow('malformed')).last_error).toMatch(/Invalid payload/);
    expect(await jobRow('unhandled')).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('take over a job whose runner died after claiming it, once its lease ends', async () => {
    const user = await signUp(t.app, 'client');
    const key = `orphan:${user.id}`;
    await scheduleJob(
      t.database.db,
      { kind: 'test.greet', payload: { userId: user.id, note: 'orphan' }, runAt: TEST_NOW, dedupeKey: key },
      TEST_NOW,
    );
    // What a runner that crashed right after its claim leaves behind.
    await t.database.db
      .updateTable('jobs')
      .set({ claim: randomUUID(), locked_until: new Date(TEST_NOW + 5 * MINUTE), attempts: 1 })
      .where('dedupe_key', '=', key)
      .execute();
    const survivor = new JobRunner(t.database.db, [greetJob], { leaseMs: 5 * MINUTE });
    expect((await survivor.runDueJobs(TEST_NOW + MINUTE)).done).toBe(0);
    expect((await survivor.runDueJobs(TEST_NOW + 5 * MINUTE)).done).toBe(1);
    expect(await greetings(user.id)).toEqual(['orphan']);
    expect(await jobRow(key)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('run each job exactly once when several runners (and, on PostgreSQL, several instances) compete', async () => {
    const user = await signUp(t.app, 'client');
    const count = 60;
    for (let i = 0; i < count; i++) {
      await scheduleJob(
        t.database.db,
        {
          kind: 'test.greet',
          payload: { userId: user.id, note: `n${i}` },
          runAt: TEST_NOW,
          dedupeKey: `race:${user.id}:${i}`,
        },
        TEST_NOW,
      );
    }
    const other: Database | undefined =
      BACKEND === 'postgres' ? await openDatabase({ url: await databaseUrl() }, { poolSize: 3 }) : undefined;
    try {
      const runners = [t.database.db, t.database.db, other?.db ?? t.database.db, other?.db ?? t.database.db].map(
        (db) => new JobRunner(db, [greetJob], { batchSize: 3 }),
      );
      const reports = await Promise.all(runners.map((r) => r.runDueJobs(TEST_NOW)));
      expect(reports.reduce((sum, r) => sum + r.done, 0)).toBe(count);
      const notes = await greetings(user.id);
      expect(notes).toHaveLength(count);
      expect(new Set(notes).size).toBe(count);
    } finally {
      await other?.close();
    }
  });
});

/** The URL of this test's PostgreSQL database, to open a second, independent pool (a second instance). */
async function databaseUrl(): Promise<string> {
  const name = (await sql<{ db: string }>`SELECT current_database() AS db`.execute(t.database.db)).rows[0]!.db;
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

describe.skipIf(BACKEND !== 'postgres')('the booking event stream on PostgreSQL', () => {
  it('never passes an event whose transaction commits after a later one', async () => {
    const therapist = await createTherapist(t);
    const client = await signUp(t.app, 'client');
    const booking = await bookSession(t, client, therapist, '2026-11-24T15:00:00Z');
    await sql`INSERT INTO event_cursors (name, last_tx, last_id) SELECT 'test_stream', max(tx), max(id) FROM booking_events`.execute(
      t.database.db,
    );
    const seen: BookingEvent[] = [];
    const consume = () =>
      consumeBookingEvents(t.database.db, 'test_stream', async (_trx, events) => void seen.push(...events));
    const insertEvent = (client: pg.Client, detail: string) =>
      client.query(
        `INSERT INTO booking_events (booking_id, at, to_status, detail) VALUES ($1, now(), 'confirmed', $2::jsonb)`,
        [booking.id, JSON.stringify({ detail })],
      );

    const [slow, fast] = [
      new pg.Client({ connectionString: await databaseUrl() }),
      new pg.Client({ connectionString: await databaseUrl() }),
    ];
    await Promise.all([slow.connect(), fast.connect()]);
    try {
      await slow.query('BEGIN');
      await insertEvent(slow, 'first, committed last');
      await insertEvent(fast, 'second, committed first');
      expect(await consume()).toBe(0);
      await slow.query('COMMIT');
      expect(await consume()).toBe(2);
      expect(seen.map((e) => e.detail.detail)).toEqual(['first, committed last', 'second, committed first']);
      expect(await consume()).toBe(0);
    } finally {
      await Promise.all([slow.end(), fast.end()]);
    }
  });
});
