import { expect } from 'vitest';
import { bookSession } from './booking-fixture.js';
import type { TherapistFixture } from './therapist-fixture.js';
import { type Session, type TestApp, call } from './test-app.js';

const MINUTE = 60_000;

/** A signed note's content: the regions worked at the given pressures, nothing else of note. */
export function workedNote(regions: [string, number][]) {
  return {
    painBefore: [],
    findings: { palpation: [], rangeOfMotion: [] },
    regionsWorked: regions.map(([region, maxPressure]) => ({
      region,
      techniques: ['stripping'],
      tools: ['forearm'],
      maxPressure,
      minutes: 15,
    })),
    painAfter: [],
    assessment: '',
    plan: '',
    freeText: '',
  };
}

/**
 * A session that took place: booked, checked in five minutes early, checked out `checkOutAfterEndMin` after the end,
 * and (unless `note` is null) its note signed. Leaves the clock at the check-out (or signing) time.
 */
export async function heldSession(
  t: TestApp,
  client: Session,
  therapist: TherapistFixture,
  start: string,
  options: { note?: ReturnType<typeof workedNote> | null; checkOutAfterEndMin?: number } = {},
) {
  const booking = await bookSession(t, client, therapist, start);
  t.clock.set(Date.parse(booking.startsAt) - 5 * MINUTE);
  const checkedIn = await call(t.app, therapist.session, {
    method: 'POST',
    url: `/api/bookings/${booking.id}/check-in`,
  });
  expect(checkedIn.statusCode, checkedIn.body).toBe(200);
  t.clock.set(Date.parse(booking.endsAt) + (options.checkOutAfterEndMin ?? 2) * MINUTE);
  const checkedOutAt = t.clock.now();
  const checkedOut = await call(t.app, therapist.session, {
    method: 'POST',
    url: `/api/bookings/${booking.id}/check-out`,
  });
  expect(checkedOut.statusCode, checkedOut.body).toBe(200);
  const note =
    options.note === undefined
      ? workedNote([
          ['hamstrings.left', 4],
          ['hamstrings.right', 4],
          ['low_back.left', 3],
        ])
      : options.note;
  if (note) {
    const signed = await call(t.app, therapist.session, {
      method: 'POST',
      url: `/api/bookings/${booking.id}/note/sign`,
      payload: { note },
    });
    expect(signed.statusCode, signed.body).toBe(200);
  }
  return { ...booking, checkedOutAt };
}
