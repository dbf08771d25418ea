import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/connection.js';
import type { App } from '../../src/app-context.js';
import { sql } from 'kysely';
import { buildApp } from '../../src/http/app.js';
import { bookSession } from '../support/booking-fixture.js';
import { type LiveTestClient, joinLive } from '../support/live-client.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  BACKEND,
  type Session,
  type TestApp,
  TEST_NOW,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';

/**
 * Two app instances on one database: a client on one reaches a therapist on the other through LISTEN/NOTIFY.
 * On PostgreSQL the second instance has its own pool (and its own listening connection); on PGlite both share
 * the one embedded session, which still sends every signal through NOTIFY and each instance's LISTEN.
 */
let t: TestApp;
let second: { app: App; database: Database | null };
let urlA: string;
let urlB: string;
let therapist: TherapistFixture;
let client: Session;
const sockets: LiveTestClient[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const database = BACKEND === 'postgres' ? await openDatabase({ url: t.databaseUrl! }, { poolSize: 5 }) : null;
  const shared = database ?? t.database;
  second = {
    app: await buildApp({ database: shared, db: shared.db, config: t.config, clock: t.clock }, { logger: false }),
    database,
  };
  urlA = await t.app.listen({ port: 0, host: '127.0.0.1' });
  urlB = await second.app.listen({ port: 0, host: '127.0.0.1' });
  const operator = await createOperator(t);
  therapist = await createTherapist(t, {}, operator);
  client = await signUp(t.app, 'client');
});
afterAll(async () => {
  await Promise.all(sockets.map((s) => s.close()));
  await second.app.close();
  await second.database?.close();
  await t.close();
});

async function checkedIn(hhmm: string) {
  t.clock.set(TEST_NOW);
  const booking = await bookSession(
    t,
    client,
    therapist,
    new Date(Date.parse(`2026-11-24T${hhmm}:00-05:00`)).toISOString(),
  );
  t.clock.set(Date.parse(booking.startsAt) - 60_000);
  expect(
    (await call(t.app, therapist.session, { method: 'POST', url: `/api/bookings/${booking.id}/check-in` })).statusCode,
  ).toBe(200);
  return booking;
}

describe('fan-out across instances', () => {
  it('carries signals both ways between a client on one instance and a therapist on another, in one order', async () => {
    const booking = await checkedIn('10:00');
    const onA = await joinLive(urlA, booking.id, client.cookie);
    const onB = await joinLive(urlB, booking.id, therapist.session.cookie);
    const alsoOnB = await joinLive(urlB, booking.id, client.cookie);
    sockets.push(onA, onB, alsoOnB);

    onB.send({ type: 'pressure', clientMessageId: 'p1', region: 'calves.left', level: 3 });
    await onA.waitFor(() => onA.seqs.includes(1));
    for (let i = 0; i < 10; i += 1)
      onA.send({ type: 'signal', clientMessageId: `s${i}`, kind: i % 2 ? 'good' : 'more' });
    onB.send({ type: 'pressure', clientMessageId: 'p2', region: 'calves.left', level: 4 });
    for (const side of [onA, onB, alsoOnB]) await side.waitFor(() => side.seqs.length === 12);
    // Every socket, on either instance, has the same series in sequence order.
    expect(onA.seqs).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(onB.seqs).toEqual(onA.seqs);
    expect(alsoOnB.of('signal').map((f) => f.signal)).toEqual(onA.of('signal').map((f) => f.signal));
  });

  it('ends the channel on every instance at check-out', async () => {
    const booking = await checkedIn('12:00');
    const onA = await joinLive(urlA, booking.id, client.cookie);
    const onB = await joinLive(urlB, booking.id, therapist.session.cookie);
    sockets.push(onA, onB);
    t.clock.set(Date.parse(booking.endsAt));
    expect(
      (await call(second.app, therapist.session, { method: 'POST', url: `/api/bookings/${booking.id}/check-out` }))
        .statusCode,
    ).toBe(200);
    expect(await onA.waitForClose()).toEqual({ code: 4410, reason: 'checked_out' });
    expect(await onB.waitForClose()).toEqual({ code: 4410, reason: 'checked_out' });
  });
});

describe('a lost listener', () => {
  it.skipIf(BACKEND === 'pglite')(
    'is noticed by the heartbeat and rebuilt, and its sockets get what was committed meanwhile',
    async () => {
      const own = await openDatabase({ url: t.databaseUrl! }, { poolSize: 3 });
      const third = await buildApp(
        { database: own, db: own.db, config: t.config, clock: t.clock },
        { logger: false, live: { heartbeatMs: 200, heartbeatTimeoutMs: 300 } },
      );
      try {
        const urlC = await third.listen({ port: 0, host: '127.0.0.1' });
        const booking = await checkedIn('14:00');
        const onA = await joinLive(urlA, booking.id, client.cookie);
        const onC = await joinLive(urlC, booking.id, therapist.session.cookie);
        sockets.push(onA, onC);
        onA.send({ type: 'signal', clientMessageId: 'before', kind: 'good' });
        await onC.waitFor(() => onC.seqs.includes(1));
        // The newest live listener is the third instance's: terminate its connection.
        const killed = await sql<{ ok: boolean }>`
        SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
        WHERE datname = current_database() AND query LIKE 'LISTEN %knotwork_live%'
        ORDER BY backend_start DESC LIMIT 1`.execute(t.database.db);
        expect(killed.rows).toEqual([{ ok: true }]);
        for (let i = 0; i < 5; i += 1) onA.send({ type: 'signal', clientMessageId: `meanwhile-${i}`, kind: 'more' });
        await onA.waitFor(() => onA.of('ack').length === 6);
        await onC.waitFor(() => onC.seqs.length === 6, 10_000);
        expect(onC.seqs).toEqual([1, 2, 3, 4, 5, 6]);
        onA.send({ type: 'signal', clientMessageId: 'after', kind: 'less' });
        await onC.waitFor(() => onC.seqs.includes(7));
      } finally {
        await third.close();
        await own.close();
      }
    },
  );
});
