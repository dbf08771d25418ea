import { expect } from 'vitest';
import type { TherapistFixture } from './therapist-fixture.js';
import { type Session, type TestApp, call } from './test-app.js';
import { payWithCard } from './payment-fixture.js';

/** Holds a studio session for the client (201 expected) and answers the held booking's id. */
export async function holdSession(
  t: TestApp,
  client: Session,
  therapist: TherapistFixture,
  start: string,
  durationMin = 60,
): Promise<string> {
  const held = await call(t.app, client, {
    method: 'POST',
    url: '/api/bookings',
    payload: { therapistId: therapist.id, durationMin, start, place: { mode: 'studio', studioId: therapist.studioId } },
  });
  expect(held.statusCode, held.body).toBe(201);
  return held.json<{ id: string }>().id;
}

/**
 * Holds and confirms a studio session through the API, as a client would (paying with a saved test card, and with a
 * package credit when one applies, unless `usePackageCredit` is false); returns the confirmed booking.
 */
export async function bookSession(
  t: TestApp,
  client: Session,
  therapist: TherapistFixture,
  start: string,
  durationMin = 60,
  options: { usePackageCredit?: boolean } = {},
) {
  const held = await holdSession(t, client, therapist, start, durationMin);
  const confirmed = await call(t.app, client, {
    method: 'POST',
    url: `/api/bookings/${held}/confirm`,
    payload: {
      ...(await payWithCard(t.app, client)),
      ...(options.usePackageCredit === undefined ? {} : { usePackageCredit: options.usePackageCredit }),
    },
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return confirmed.json<{ id: string; startsAt: string; endsAt: string; status: string }>();
}
