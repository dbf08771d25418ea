import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import { type Session, type TestApp, call, createOperator, signUp, startTestApp } from '../support/test-app.js';
import { payWithCard } from '../support/payment-fixture.js';

/**
 * Screening windows are hours to the session's start (issue 14, item 4): a strain on a Friday evening is still acute
 * on Monday morning (60 hours later), which counting calendar days (the injury's day plus two) missed.
 */

/** Friday 20 November 2026, 21:30 in New York (the therapist's and the studio's zone). */
const FRIDAY_EVENING = Date.parse('2026-11-21T02:30:00Z');
/** Monday 23 November 2026, 09:00 in New York. */
const MONDAY_MORNING = '2026-11-23T14:00:00.000Z';

let t: TestApp;
let therapist: TherapistFixture;
beforeAll(async () => {
  t = await startTestApp({ now: FRIDAY_EVENING });
  therapist = await createTherapist(t, {}, await createOperator(t));
});
afterAll(() => t.close());
beforeEach(() => t.clock.set(FRIDAY_EVENING));

const strainedClient = (time?: string) =>
  signUp(t.app, 'client', 'Strained Client', {
    intake: deskWorkerIntake({
      injuries: [{ kind: 'strain', regions: ['hamstrings.left'], date: '2026-11-20', ...(time ? { time } : {}) }],
    }),
  });

async function bookMonday(client: Session) {
  const held = await call(t.app, client, {
    method: 'POST',
    url: '/api/bookings',
    payload: {
      therapistId: therapist.id,
      durationMin: 60,
      start: MONDAY_MORNING,
      place: { mode: 'studio', studioId: therapist.studioId },
    },
  });
  expect(held.statusCode, held.body).toBe(201);
  const confirmed = await call(t.app, client, {
    method: 'POST',
    url: `/api/bookings/${held.json().id}/confirm`,
    payload: await payWithCard(t.app, client),
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  const screening = await call(t.app, client, { method: 'GET', url: `/api/bookings/${held.json().id}/screening` });
  expect(screening.statusCode, screening.body).toBe(200);
  const brief = await call(t.app, therapist.session, { method: 'GET', url: `/api/bookings/${held.json().id}/brief` });
  expect(brief.statusCode, brief.body).toBe(200);
  // Cancel so the next test can take the same slot.
  await call(t.app, client, { method: 'POST', url: `/api/bookings/${held.json().id}/cancel`, payload: {} });
  return {
    heldOutcome: held.json().screening.outcome as string,
    confirmedOutcome: confirmed.json().screening.outcome as string,
    healthHistory: brief.json().healthHistory as string[],
    flags: screening.json().decision.flags as { ruleId: string; facts: string | null; sources: { key: string }[] }[],
  };
}

describe('a strain on Friday evening and a session on Monday morning', () => {
  it('is flagged when the client gave the time (21:00 Friday is 60 hours before 09:00 Monday)', async () => {
    const booked = await bookMonday(await strainedClient('21:00'));
    expect(booked.heldOutcome).toBe('adapt');
    expect(booked.confirmedOutcome).toBe('adapt');
    expect(booked.flags).toEqual([
      expect.objectContaining({
        ruleId: 'acute_injury',
        facts: 'strain on 2026-11-20 at 21:00',
        sources: ['W-Sprain', 'W-Strain', 'KOS', 'OMB'].map((key) => expect.objectContaining({ key })),
      }),
    ]);
    // The therapist's brief says when it happened, to the minute.
    expect(booked.healthHistory).toContainEqual(expect.stringMatching(/^Injury \(strain\) on 2026-11-20 at 21:00: /));
  });

  it('is flagged when the client gave only the date: Friday is read to its end, 57 hours before', async () => {
    const booked = await bookMonday(await strainedClient());
    expect(booked.confirmedOutcome).toBe('adapt');
    expect(booked.flags.map((f) => f.ruleId)).toEqual(['acute_injury']);
  });

  it('is not flagged once 72 hours have passed (08:00 Friday is 73 hours before)', async () => {
    const booked = await bookMonday(await strainedClient('08:00'));
    expect(booked.confirmedOutcome).toBe('proceed');
    expect(booked.flags).toEqual([]);
  });
});

describe('the client’s own screening, without a booking', () => {
  it('measures to now in the client’s zone: acute at 71 h 59 min, not at 72 h', async () => {
    const client = await strainedClient('09:00');
    const mine = (zone: string) =>
      call(t.app, client, { method: 'GET', url: `/api/me/screening?zone=${encodeURIComponent(zone)}` });
    const ruleIds = async (zone: string) => {
      const answer = await mine(zone);
      expect(answer.statusCode, answer.body).toBe(200);
      return answer.json().decision.flags.map((f: { ruleId: string }) => f.ruleId);
    };
    t.clock.set(Date.parse('2026-11-23T13:59:00Z')); // Monday 08:59 in New York
    expect(await ruleIds('America/New_York')).toEqual(['acute_injury']);
    t.clock.set(Date.parse('2026-11-23T14:00:00Z')); // Monday 09:00
    expect(await ruleIds('America/New_York')).toEqual([]);
    // The same 09:00 on the client's clock in London was five hours earlier: long past 72 hours.
    t.clock.set(Date.parse('2026-11-23T13:59:00Z'));
    expect(await ruleIds('Europe/London')).toEqual([]);
  });

  it('previews the saved consultation measured to now, too', async () => {
    const client = await signUp(t.app, 'client');
    const save = () =>
      call(t.app, client, {
        method: 'PUT',
        url: '/api/me/intake?zone=America%2FNew_York',
        payload: deskWorkerIntake({
          injuries: [{ kind: 'strain', regions: ['hamstrings.left'], date: '2026-11-20', time: '09:00' }],
        }),
      });
    t.clock.set(Date.parse('2026-11-23T13:59:00Z')); // Monday 08:59 in New York: 71 h 59 min
    expect((await save()).json().preview.outcome).toBe('adapt');
    t.clock.set(Date.parse('2026-11-23T14:00:00Z')); // 72 h
    expect((await save()).json().preview.outcome).toBe('proceed');
  });
});

describe('the time of an injury', () => {
  it('is checked: a 24-hour HH:MM', async () => {
    const client = await signUp(t.app, 'client');
    for (const time of ['24:00', '9:30', '21:60', 'evening']) {
      const saved = await call(t.app, client, {
        method: 'PUT',
        url: '/api/me/intake',
        payload: deskWorkerIntake({
          injuries: [{ kind: 'strain', regions: ['hamstrings.left'], date: '2026-11-20', time }],
        }),
      });
      expect(saved.statusCode, time).toBe(400);
      expect(saved.json().errors).toEqual([
        expect.objectContaining({ field: 'injuries.0.time', in: 'body', code: 'invalid_format' }),
      ]);
    }
  });

  it('may not be still to come on the client’s clock (checked in the zone the consultation is saved in)', async () => {
    const client = await signUp(t.app, 'client');
    const save = (time: string) =>
      call(t.app, client, {
        method: 'PUT',
        url: '/api/me/intake?zone=America%2FNew_York',
        payload: deskWorkerIntake({
          injuries: [{ kind: 'strain', regions: ['hamstrings.left'], date: '2026-11-20', time }],
        }),
      });
    const later = await save('21:31'); // it is 21:30 on Friday in New York
    expect(later.statusCode).toBe(400);
    expect(later.json().errors).toEqual([
      expect.objectContaining({ field: 'injuries.0.time', in: 'body', code: 'in_future' }),
    ]);
    expect((await save('21:30')).statusCode).toBe(200);
  });

  it('is kept with the consultation and given back', async () => {
    const client = await strainedClient('21:00');
    const intake = await call(t.app, client, { method: 'GET', url: '/api/me/intake' });
    expect(intake.json().intake.injuries).toEqual([
      { kind: 'strain', regions: ['hamstrings.left'], date: '2026-11-20', time: '21:00' },
    ]);
  });
});
