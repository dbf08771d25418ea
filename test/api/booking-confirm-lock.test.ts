import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockTherapistCalendar } from '../../src/booking/booking-lifecycle.js';
import { holdSession } from '../support/booking-fixture.js';
import { createTherapist } from '../support/therapist-fixture.js';
import { BACKEND, type TestApp, call, signUp, startTestApp } from '../support/test-app.js';
import { payWithCard } from '../support/payment-fixture.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Whether a backend waits for `therapistId`'s calendar lock (lockTherapistCalendar's key, a bigint advisory lock). */
async function waitsForCalendar(therapistId: string): Promise<boolean> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM pg_locks
    WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1
      AND ((classid::bigint << 32) | objid::bigint) = hashtextextended(${therapistId}, 0)`.execute(t.database.db);
  return Number(rows[0]!.n) > 0;
}

/**
 * The confirm takes the therapist's calendar lock in the statement that locks the booking's row (no statement of its
 * own): still before the row lock, as a hold takes it before writing its therapist's bookings, and still before what
 * the confirm reads after. Only PostgreSQL runs two transactions at once.
 */
describe.skipIf(BACKEND !== 'postgres')('a confirm racing a change to the same calendar', () => {
  it('waits for the calendar lock without holding the row, then sees what was committed under the lock', async () => {
    const therapist = await createTherapist(t);
    const client = await signUp(t.app, 'client');
    const card = await payWithCard(t.app, client);
    const bookingId = await holdSession(
      t,
      client,
      therapist,
      new Date(Date.parse('2026-11-25T14:00:00-05:00')).toISOString(),
    );

    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    let confirmSettled = false;
    let confirming: ReturnType<typeof call> | undefined;
    // A change to the calendar, as a hold's sweep of lapsed holds would make: the lock, then the booking's row.
    const change = t.database.db.transaction().execute(async (trx) => {
      await lockTherapistCalendar(trx, therapist.id);
      locked();
      await released;
      // Were the confirm holding the row while it waits for the calendar, this would wait for it: a deadlock.
      await trx
        .updateTable('bookings')
        .set({ status: 'expired', updated_at: new Date(t.clock.now()) })
        .where('id', '=', bookingId)
        .execute();
    });
    try {
      await lockTaken;
      confirming = call(t.app, client, { method: 'POST', url: `/api/bookings/${bookingId}/confirm`, payload: card });
      void confirming.then(() => (confirmSettled = true));
      let waiting = false;
      for (let poll = 0; poll < 400 && !waiting && !confirmSettled; poll++) {
        waiting = await waitsForCalendar(therapist.id);
        if (!waiting) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(confirmSettled).toBe(false);
      expect(waiting).toBe(true);
    } finally {
      release();
      await change;
    }
    const answer = await confirming;
    // The confirm read the booking as the change left it: no longer a hold to confirm.
    expect(answer.statusCode, answer.body).toBe(409);
    expect(answer.json()).toMatchObject({ code: 'hold_expired' });
    const row = await t.database.db
      .selectFrom('bookings')
      .select(['status', 'confirmed_at'])
      .where('id', '=', bookingId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'expired', confirmed_at: null });
  });
});
