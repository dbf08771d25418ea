import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMERGENCY_NUMBERS } from '../../src/domain/emergency-wording.js';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import type { Intake } from '../../src/intake/engine/intake-schema.js';
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
 * Chest pain at rest or getting worse is an emergency [UCLH, PE24]: the consultation, a refused booking and the
 * therapist's brief all say so, with the emergency numbers, and none says "ask your cardiologist when it is safe".
 */
let t: TestApp;
let therapist: TherapistFixture;
beforeAll(async () => {
  t = await startTestApp();
  const operator = await createOperator(t);
  therapist = await createTherapist(t, {}, operator);
});
afterAll(() => t.close());
beforeEach(() => t.clock.set(TEST_NOW));

const at = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();
const CHEST_PAIN: Intake['conditions'] = { unstableAngina: true };
const DEFERRING = /when it is safe|ask your cardiologist/i;

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

describe('chest pain at rest or getting worse', () => {
  it('is told in the consultation to call the emergency number now', async () => {
    const client = await signUp(t.app, 'client');
    const saved = await call(t.app, client, {
      method: 'PUT',
      url: '/api/me/intake',
      payload: deskWorkerIntake({ conditions: CHEST_PAIN }),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const preview = saved.json().preview;
    expect(preview).toMatchObject({ outcome: 'not_today', medicalUrgency: 'emergency' });
    expect(preview.headline).toContain(EMERGENCY_NUMBERS);
    expect(preview.messages[0]).toMatch(/call your local emergency number now/i);
    expect(JSON.stringify(preview)).not.toMatch(DEFERRING);

    const screening = await call(t.app, client, { method: 'GET', url: '/api/me/screening' });
    expect(screening.statusCode, screening.body).toBe(200);
    expect(screening.json().forClient).toMatchObject({ medicalUrgency: 'emergency' });
    expect(screening.json().forClient.headline).toContain(EMERGENCY_NUMBERS);
  });

  it('refuses the hold with the emergency wording and the numbers, and books nothing', async () => {
    const client = await signUp(t.app, 'client', 'Chest Pain', {
      intake: deskWorkerIntake({ conditions: CHEST_PAIN }),
    });
    const before = await t.database.db.selectFrom('bookings').select('id').execute();
    const refused = await hold(client, at('2026-11-25', '09:00'));
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = refused.json();
    expect(problem).toMatchObject({ code: 'screening_not_today', outcome: 'not_today', medicalUrgency: 'emergency' });
    expect(problem.headline).toContain(EMERGENCY_NUMBERS);
    expect(problem.detail).toMatch(/call your local emergency number now/i);
    expect(problem.detail).toContain(EMERGENCY_NUMBERS);
    expect(problem.detail).not.toMatch(DEFERRING);
    expect(problem.reasons).toEqual([
      expect.objectContaining({
        ruleId: 'heart.unstable_angina',
        class: 'A',
        sources: expect.arrayContaining(['UCLH', 'PE24']),
      }),
    ]);
    expect(await t.database.db.selectFrom('bookings').select('id').execute()).toHaveLength(before.length);
  });

  it('shows the therapist’s brief an emergency when the client reports it after booking', async () => {
    const client = await signUp(t.app, 'client', 'Later Chest Pain');
    const held = await hold(client, at('2026-11-26', '11:00'));
    expect(held.statusCode, held.body).toBe(201);
    const bookingId = held.json().id as string;
    const confirmed = await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${bookingId}/confirm`,
      payload: await payWithCard(t.app, client),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);

    const updated = await call(t.app, client, {
      method: 'PUT',
      url: '/api/me/intake',
      payload: deskWorkerIntake({ conditions: CHEST_PAIN }),
    });
    expect(updated.json().rescreened).toEqual([{ bookingId, from: 'proceed', to: 'not_today' }]);

    const brief = await call(t.app, therapist.session, { method: 'GET', url: `/api/bookings/${bookingId}/brief` });
    expect(brief.statusCode, brief.body).toBe(200);
    const decision = brief.json().screening.decision;
    expect(decision).toMatchObject({
      medicalUrgency: 'emergency',
      staffHeadline: 'Do not massage: the client has been told to call the emergency number now.',
    });
    expect(decision.flags[0]).toMatchObject({ ruleId: 'heart.unstable_angina', urgency: 'emergency' });

    const page = await call(t.app, therapist.session, { method: 'GET', url: `/bookings/${bookingId}/brief` });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('<strong>Emergency. Do not massage.</strong>');
    expect(page.body).toMatch(/Emergency: Unstable angina \(chest pain at rest or getting worse\)[^<]*UCLH, PE24/);

    // The client's own booking says it in their words.
    const mine = await call(t.app, client, { method: 'GET', url: `/api/bookings/${bookingId}` });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().screening.headline).toContain(EMERGENCY_NUMBERS);
  });
});
