import { expect } from 'vitest';
import type { TherapistFixture } from './therapist-fixture.js';
import { type Session, type TestApp, call } from './test-app.js';
import { payWithCard } from './payment-fixture.js';

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
  const held = await call(t.app, client, {
    method: 'POST',
    url: '/api/bookings',
    payload: { therapistId: therapist.id, durationMin, start, place: { mode: 'studio', studioId: therapist.studioId } },
  });
  expect(held.statusCode, held.body).toBe(201);
  const confirmed = await call(t.app, client, {
    method: 'POST',
    url: `/api/bookings/${held.json().id}/confirm`,
    payload: {
      ...(await payWithCard(t.app, client)),
      ...(options.usePackageCredit === undefined ? {} : { usePackageCredit: options.usePackageCredit }),
    },
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return confirmed.json<{ id: string; startsAt: string; endsAt: string; status: string }>();
}
