import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import type { IntakeInput } from '../../src/intake/engine/intake-schema.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  type Session,
  type TestApp,
  TEST_NOW,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';
import { payWithCard } from '../support/payment-fixture.js';

/**
 * Issue 14, deliverable 6: a refusal for safety wins over every availability answer. The hold, the confirm and the
 * move screen the session before they place (or refuse) anything else, so a client who must see a doctor today is
 * told so even when the slot is taken, not offered, or the hold ran out.
 */

let t: TestApp;
let therapist: TherapistFixture;
beforeAll(async () => {
  t = await startTestApp();
  therapist = await createTherapist(t, {}, await createOperator(t));
});
afterAll(() => t.close());
beforeEach(() => t.clock.set(TEST_NOW));

/** A local time in New York (UTC-5 in these weeks). */
const at = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();

const CLOT = { legClotSigns: { side: 'left', signs: ['swelling', 'warmth'] } } satisfies IntakeInput['conditions'];
const clotClient = () =>
  signUp(t.app, 'client', 'Swollen Calf', { intake: { ...deskWorkerIntake(), conditions: CLOT } });

const hold = (client: Session, start: string) =>
  call(t.app, client, {
    method: 'POST',
    url: '/api/bookings',
    payload: {
      therapistId: therapist.id,
      durationMin: 60,
      start,
      place: { mode: 'studio', studioId: therapist.studioId },
    },
  });
const bookingsOf = async (client: Session) =>
  (await call(t.app, client, { method: 'GET', url: '/api/bookings' })).json().items;

function expectSeeADoctorToday(response: Awaited<ReturnType<typeof hold>>) {
  expect(response.statusCode, response.body).toBe(422);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({
    code: 'screening_not_today',
    outcome: 'not_today',
    medicalUrgency: 'same_day',
    reasons: [expect.objectContaining({ ruleId: 'blood_clot.suspected', sources: expect.arrayContaining(['UCLH']) })],
  });
  expect(response.json().detail).toMatch(/medical advice today/);
}

describe('a refusal for safety wins over availability', () => {
  it('tells a client with a suspected clot to see a doctor today when the slot is already taken (not 409)', async () => {
    const start = at('2026-11-24', '09:00');
    const other = await signUp(t.app, 'client');
    expect((await hold(other, start)).statusCode).toBe(201);
    const client = await clotClient();
    expectSeeADoctorToday(await hold(client, start));
    expect(await bookingsOf(client)).toEqual([]);
  });

  it('writes no booking for the same client on a free slot: nothing half-written', async () => {
    const client = await clotClient();
    expectSeeADoctorToday(await hold(client, at('2026-11-24', '11:00')));
    expect(await bookingsOf(client)).toEqual([]);
    const rows = await t.database.db.selectFrom('bookings').select('id').where('client_id', '=', client.id).execute();
    expect(rows).toEqual([]);
  });

  it('answers for safety before saying the therapist does not work at that time', async () => {
    const client = await clotClient();
    expectSeeADoctorToday(await hold(client, at('2026-11-24', '03:00')));
  });

  it('answers for safety, not "the hold ran out", when a hold that expired is confirmed after the intake changed', async () => {
    const client = await signUp(t.app, 'client');
    const held = await hold(client, at('2026-11-24', '13:00'));
    expect(held.statusCode, held.body).toBe(201);
    const saved = await call(t.app, client, {
      method: 'PUT',
      url: '/api/me/intake',
      payload: deskWorkerIntake({ conditions: CLOT }),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    t.clock.set(TEST_NOW + 24 * 60 * 60_000);
    expectSeeADoctorToday(
      await call(t.app, client, {
        method: 'POST',
        url: `/api/bookings/${held.json().id}/confirm`,
        payload: await payWithCard(t.app, client),
      }),
    );
  });

  it('answers for safety, not 409, when a booking is moved onto a taken slot after the intake changed', async () => {
    const client = await signUp(t.app, 'client');
    const held = await hold(client, at('2026-11-25', '09:00'));
    expect(held.statusCode, held.body).toBe(201);
    const confirmed = await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${held.json().id}/confirm`,
      payload: await payWithCard(t.app, client),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const taken = at('2026-11-25', '13:00');
    expect((await hold(await signUp(t.app, 'client'), taken)).statusCode).toBe(201);
    await call(t.app, client, {
      method: 'PUT',
      url: '/api/me/intake',
      payload: deskWorkerIntake({ conditions: CLOT }),
    });
    const moved = await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${held.json().id}/reschedule`,
      payload: { start: taken },
    });
    expectSeeADoctorToday(moved);
    // Nothing moved: the booking is still the one confirmed.
    expect((await bookingsOf(client)).map((b: { id: string; status: string }) => [b.id, b.status])).toEqual([
      [held.json().id, 'confirmed'],
    ]);
  });

  it('still says the slot is taken to a client who may book', async () => {
    const start = at('2026-11-26', '09:00');
    expect((await hold(await signUp(t.app, 'client'), start)).statusCode).toBe(201);
    const taken = await hold(await signUp(t.app, 'client'), start);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('slot_unavailable');
  });

  it('tells a client without a consultation that the time is taken before asking for one, and holds nothing', async () => {
    const start = at('2026-11-27', '09:00');
    expect((await hold(await signUp(t.app, 'client'), start)).statusCode).toBe(201);
    const newcomer = await signUp(t.app, 'client', 'New Client', { intake: null });
    const taken = await hold(newcomer, start);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('slot_unavailable');
    const free = await hold(newcomer, at('2026-11-27', '14:00'));
    expect(free.statusCode, free.body).toBe(422);
    expect(free.json().code).toBe('intake_required');
    expect(await bookingsOf(newcomer)).toEqual([]);
  });
});
