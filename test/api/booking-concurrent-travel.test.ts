import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { travelMinutes } from '../../src/scheduling/engine/travel.js';
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
 * Holds at once on one therapist's day of home visits: the travel each visit counts depends on which visits exist,
 * so placing one must read its neighbours under the therapist's calendar lock, in a statement begun after the lock
 * was granted (the hold takes it with its first read). On PostgreSQL the holds truly run at once.
 */
const THERAPISTS = 3;
/** Home visits 20 km apart in turn (40 minutes at 30 km/h), 105 minutes apart: every hold fits, in any order. */
const STARTS = ['08:00', '09:45', '11:30', '13:15', '15:00', '16:45'];
const FAR = { lat: MIDTOWN.lat + 0.1797, lng: MIDTOWN.lng };
const SPEED_KMH = 30;

let t: TestApp;
let therapists: TherapistFixture[];
let clients: Session[];
beforeAll(async () => {
  t = await startTestApp({ poolSize: 30 });
  const operator = await createOperator(t);
  therapists = [];
  for (let i = 0; i < THERAPISTS; i++)
    therapists.push(
      await createTherapist(
        t,
        {
          studio: null,
          mobileArea: { ...MIDTOWN, radiusKm: 30 },
          bufferAfterMin: 0,
          travelSpeedKmh: SPEED_KMH,
          hours: [{ weekday: 2, start: '08:00', end: '18:00', place: 'home' }],
        },
        operator,
      ),
    );
  clients = [];
  for (let i = 0; i < STARTS.length; i++) clients.push(await signUp(t.app, 'client'));
}, 120_000);
afterAll(() => t.close());

describe(`concurrent home-visit holds on ${BACKEND}`, () => {
  it('all fit, and each visit counts the travel from the visit that ends up before it', async () => {
    const attempts = therapists.flatMap((therapist) =>
      STARTS.map((hhmm, i) => ({
        therapist,
        client: clients[i]!,
        start: new Date(Date.parse(`2026-11-24T${hhmm}:00-05:00`)).toISOString(),
        point: i % 2 === 0 ? MIDTOWN : FAR,
      })),
    );
    // Later visits first in the list, so the ones before them often arrive after them.
    const answers = await Promise.all(
      attempts.reverse().map(({ therapist, client, start, point }) =>
        call(t.app, client, {
          method: 'POST',
          url: '/api/bookings',
          payload: {
            therapistId: therapist.id,
            durationMin: 60,
            start,
            place: { mode: 'home', address: '5 Client Road', ...point },
          },
        }),
      ),
    );
    expect(answers.filter((a) => a.statusCode !== 201).map((a) => a.body)).toEqual([]);

    for (const therapist of therapists) {
      const visits = await t.database.db
        .selectFrom('bookings')
        .select(['starts_at', 'lat', 'lng', 'travel_before_min'])
        .where('therapist_id', '=', therapist.id)
        .where('status', '=', 'held')
        .orderBy('starts_at')
        .execute();
      expect(visits).toHaveLength(STARTS.length);
      const expected = visits.map((visit, i) => (i === 0 ? 0 : travelMinutes(visits[i - 1]!, visit, SPEED_KMH)));
      expect(visits.map((v) => v.travel_before_min)).toEqual(expected);
      expect(expected.slice(1)).toEqual(Array(STARTS.length - 1).fill(40));
    }
  });
});
