import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookSession } from '../support/booking-fixture.js';
import { MIDTOWN, createTherapist } from '../support/therapist-fixture.js';
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
 * Search keeps each therapist's earliest start per day and an index of where they work, in memory, between searches.
 * After every kind of change a therapist or a client can make, the very next search must answer from the change:
 * no start that has just been booked, closed or moved is offered from what an earlier search left behind.
 */
let t: TestApp;
let operator: Session;
beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
});
afterAll(() => t.close());

const NINE = '2026-11-24T14:00:00.000Z';
const TEN = '2026-11-24T15:00:00.000Z';

async function search(therapistId: string, mode: 'studio' | 'home' = 'studio') {
  const params = new URLSearchParams({
    durationMin: '60',
    from: '2026-11-24',
    to: '2026-11-24',
    zone: 'America/New_York',
    mode,
    lat: String(MIDTOWN.lat),
    lng: String(MIDTOWN.lng),
    radiusKm: '2',
    therapistId,
    slotsPerTherapist: '40',
  });
  const response = await call(t.app, null, { method: 'GET', url: `/api/availability?${params.toString()}` });
  expect(response.statusCode, response.body).toBe(200);
  const page = response.json<{
    total: number;
    results: { earliest: string; offers: { slots: string[] }[] }[];
  }>();
  return { earliest: page.results[0]?.earliest, slots: page.results[0]?.offers.flatMap((o) => o.slots) ?? [] };
}

describe(`search's day cache and spatial index after changes, on ${BACKEND}`, () => {
  it('offers no start that a booking, an override or new hours have just taken away', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    // Searched twice, so the second answer comes from what the first left cached.
    expect((await search(therapist.id)).earliest).toBe(NINE);
    expect((await search(therapist.id)).earliest).toBe(NINE);

    await bookSession(t, client, therapist, NINE);
    const afterBooking = await search(therapist.id);
    expect(afterBooking.slots).not.toContain(NINE);
    expect(afterBooking.earliest).toBe('2026-11-24T15:15:00.000Z');

    const off = await call(t.app, therapist.session, {
      method: 'POST',
      url: '/api/therapists/me/overrides',
      payload: { kind: 'off', date: '2026-11-24', note: 'Away' },
    });
    expect(off.statusCode, off.body).toBe(201);
    expect((await search(therapist.id)).earliest).toBeUndefined();
    const removed = await call(t.app, therapist.session, {
      method: 'DELETE',
      url: `/api/therapists/me/overrides/${off.json<{ id: string }>().id}`,
    });
    expect(removed.statusCode, removed.body).toBeLessThan(300);
    expect((await search(therapist.id)).earliest).toBe('2026-11-24T15:15:00.000Z');

    const hours = await call(t.app, therapist.session, {
      method: 'PUT',
      url: '/api/therapists/me/weekly-hours',
      payload: {
        rules: [1, 2, 3, 4, 5].map((weekday) => ({
          weekday,
          start: '12:00',
          end: '17:00',
          place: { mode: 'studio', studioId: therapist.studioId },
        })),
      },
    });
    expect(hours.statusCode, hours.body).toBe(200);
    const afterHours = await search(therapist.id);
    expect(afterHours.earliest).toBe('2026-11-24T17:00:00.000Z');
    expect(afterHours.slots.every((slot) => slot >= '2026-11-24T17:00:00.000Z')).toBe(true);
  });

  it('offers a start again once its booking is cancelled, and follows a studio that moves away', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const booked = await bookSession(t, client, therapist, TEN);
    expect((await search(therapist.id)).slots).not.toContain(TEN);
    const cancelled = await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${booked.id}/cancel`,
      payload: {},
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect((await search(therapist.id)).slots).toContain(TEN);

    // The studio moves 30 km away: the spatial index must drop it from searches at Midtown.
    await t.database.db
      .updateTable('studios')
      .set({ lat: MIDTOWN.lat + 0.27 })
      .where('therapist_id', '=', therapist.id)
      .execute();
    expect((await search(therapist.id)).earliest).toBeUndefined();
  });

  it('follows a travel area as it is set and cleared', async () => {
    const therapist = await createTherapist(
      t,
      {
        studio: null,
        mobileArea: { lat: MIDTOWN.lat + 0.2, lng: MIDTOWN.lng, radiusKm: 5 },
        hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00', place: 'home' as const })),
      },
      operator,
    );
    // 22 km away with a 5 km radius: out of reach.
    expect((await search(therapist.id, 'home')).earliest).toBeUndefined();
    await t.database.db
      .updateTable('therapists')
      .set({ mobile_base_lat: MIDTOWN.lat, mobile_base_lng: MIDTOWN.lng })
      .where('user_id', '=', therapist.id)
      .execute();
    expect((await search(therapist.id, 'home')).earliest).toBe(NINE);
    await t.database.db
      .updateTable('therapists')
      .set({ mobile_radius_km: 0.001, mobile_base_lat: MIDTOWN.lat + 0.01 })
      .where('user_id', '=', therapist.id)
      .execute();
    expect((await search(therapist.id, 'home')).earliest).toBeUndefined();
  });
});
