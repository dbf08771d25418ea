import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingEventById, consumeBookingEvents, revisionAfter } from '../../src/booking/booking-event-stream.js';
import { JobRunner } from '../../src/jobs/job-runner.js';
import {
  type BookingEventFeed,
  NOTICE_RETRY,
  bookingNoticeRetryJob,
  publishBookingNotices,
} from '../../src/notify/booking-notices.js';
import { bookSession } from '../support/booking-fixture.js';
import { createTherapist } from '../support/therapist-fixture.js';
import {
  BACKEND,
  type Session,
  type TestApp,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';

let t: TestApp;
let operator: Session;
beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
});
afterAll(() => t.close());

const MINUTE = 60_000;

/**
 * Booking's event stream with one poison booking: reading its events' revision fails with a database error (which,
 * on PostgreSQL, also aborts the transaction it runs in) until `heal()`.
 */
function poisonedFeed() {
  let poisonBookingId: string | undefined;
  const feed: BookingEventFeed = {
    consume: consumeBookingEvents,
    eventById: bookingEventById,
    async revisionAfter(trx, event) {
      if (event.bookingId === poisonBookingId) await sql`SELECT 1 / 0`.execute(trx);
      return revisionAfter(trx, event);
    },
  };
  return {
    feed,
    poison: (bookingId: string) => (poisonBookingId = bookingId),
    heal: () => (poisonBookingId = undefined),
  };
}

const confirmations = async (bookingId: string) =>
  (
    await t.database.db
      .selectFrom('messages')
      .select('dedupe_key')
      .where('dedupe_key', 'like', `booking.confirmed:${bookingId}:%`)
      .execute()
  ).length;

describe(`a poison booking event on ${BACKEND}`, () => {
  it('is retried on its own with backoff, dead-lettered, and replayed by an operator, never holding back the others', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const { feed, poison, heal } = poisonedFeed();
    const first = await bookSession(t, client, therapist, '2026-11-25T15:00:00Z');
    const poisoned = await bookSession(t, client, therapist, '2026-11-26T15:00:00Z');
    const last = await bookSession(t, client, therapist, '2026-11-27T15:00:00Z');
    poison(poisoned.id);
    const now = t.clock.now();
    const errors: string[] = [];

    // The events before and after the poison one are announced, in the same pass; the cursor moves past all three.
    const handled = await publishBookingNotices(t.database.db, now, feed, {
      onEventError: (event, error) => errors.push(`${event.bookingId}: ${(error as Error).message}`),
    });
    expect(handled).toBe(6); // a hold and a confirmation each
    expect(await confirmations(first.id)).toBe(2);
    expect(await confirmations(last.id)).toBe(2);
    expect(await confirmations(poisoned.id)).toBe(0);
    expect(errors).toEqual([`${poisoned.id}: division by zero`]);
    expect(await publishBookingNotices(t.database.db, now, feed)).toBe(0);

    // The poison event has a job of its own, first due after the policy's first delay.
    const retry = await t.database.db
      .selectFrom('jobs')
      .select(['id', 'status', 'run_at', 'payload'])
      .where('kind', '=', 'booking_notices.retry')
      .executeTakeFirstOrThrow();
    expect(retry).toMatchObject({ status: 'pending', payload: { bookingId: poisoned.id } });
    expect(retry.run_at.getTime()).toBe(now + NOTICE_RETRY.firstDelayMs);

    const runner = new JobRunner(t.database.db, [bookingNoticeRetryJob(feed)]);
    expect(await runner.runDueJobs(now + NOTICE_RETRY.firstDelayMs - 1)).toEqual({ done: 0, retrying: 0, failed: 0 });
    // Each failure waits twice as long as the one before (capped), until the attempts are spent.
    let at = now + NOTICE_RETRY.firstDelayMs;
    const waits: number[] = [];
    for (let attempt = 1; attempt <= NOTICE_RETRY.maxAttempts; attempt++) {
      const report = await runner.runDueJobs(at);
      const row = await t.database.db
        .selectFrom('jobs')
        .select(['status', 'run_at', 'attempts'])
        .where('id', '=', retry.id)
        .executeTakeFirstOrThrow();
      expect(row.attempts).toBe(attempt);
      if (attempt < NOTICE_RETRY.maxAttempts) {
        expect(report).toEqual({ done: 0, retrying: 1, failed: 0 });
        waits.push((row.run_at.getTime() - at) / MINUTE);
        at = row.run_at.getTime();
      } else {
        expect(report).toEqual({ done: 0, retrying: 0, failed: 1 });
        expect(row.status).toBe('failed');
      }
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60]);
    expect(await confirmations(poisoned.id)).toBe(0);

    // An operator sees the dead letter, with its error; nobody else does.
    t.clock.set(at);
    const letters = await call(t.app, operator, { method: 'GET', url: '/api/operator/dead-letters' });
    expect(letters.statusCode, letters.body).toBe(200);
    expect(letters.json()).toEqual([
      expect.objectContaining({
        id: Number(retry.id),
        kind: 'booking_notices.retry',
        payload: expect.objectContaining({ bookingId: poisoned.id }),
        attempts: NOTICE_RETRY.maxAttempts,
        lastError: 'division by zero',
        replays: 0,
      }),
    ]);
    expect((await call(t.app, client, { method: 'GET', url: '/api/operator/dead-letters' })).statusCode).toBe(403);

    // Once the cause is fixed, a replay makes it due at once, and the notice goes out.
    heal();
    const replay = await call(t.app, operator, {
      method: 'POST',
      url: `/api/operator/dead-letters/${retry.id}/replay`,
    });
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.json()).toEqual({
      id: Number(retry.id),
      kind: 'booking_notices.retry',
      status: 'pending',
      replays: 1,
    });
    const again = await call(t.app, operator, {
      method: 'POST',
      url: `/api/operator/dead-letters/${retry.id}/replay`,
    });
    expect(again.statusCode).toBe(404);
    expect(await runner.runDueJobs(at)).toEqual({ done: 1, retrying: 0, failed: 0 });
    expect(await confirmations(poisoned.id)).toBe(2);
    expect((await call(t.app, operator, { method: 'GET', url: '/api/operator/dead-letters' })).json()).toEqual([]);
  });

  it('a retried confirmation of a booking cancelled since announces nothing', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const { feed, poison, heal } = poisonedFeed();
    const booking = await bookSession(t, client, therapist, '2026-11-30T15:00:00Z');
    poison(booking.id);
    const now = t.clock.now();
    await publishBookingNotices(t.database.db, now, feed);
    heal();
    const cancelled = await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${booking.id}/cancel`,
      payload: {},
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await publishBookingNotices(t.database.db, now, feed);
    const runner = new JobRunner(t.database.db, [bookingNoticeRetryJob(feed)]);
    expect(await runner.runDueJobs(now + NOTICE_RETRY.firstDelayMs)).toEqual({ done: 1, retrying: 0, failed: 0 });
    expect(await confirmations(booking.id)).toBe(0);
  });
});
