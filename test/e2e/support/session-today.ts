import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type TherapistFixture, createTherapist } from '../../support/therapist-fixture.js';
import { type Session, call, createOperator, signUp } from '../../support/test-app.js';
import { addDaysIso, todayInNewYork } from './dates.js';
import type { BrowserServer } from './server.js';
import { confirmWithCard } from './cards.js';

/** Open every hour of every day with no notice, so a session can start within check-in's window whenever a test runs. */
const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
  weekday,
  start: '00:00',
  end: '24:00',
  place: 'studio' as const,
}));

/** Signs in through the sign-in form, as a person would, and waits for the screen it lands on. */
export async function signIn(page: Page, session: Session, password: string, landing: string) {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(session.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`**${landing}`);
}

/** Switches the therapist's schedule to the day view and steps from today to `date` (New York). */
export async function openScheduleDay(page: Page, date: string) {
  await page.getByRole('button', { name: 'Day', exact: true }).click();
  while ((await page.locator(`#day-${date}`).count()) === 0)
    await page.getByRole('button', { name: 'Next day' }).click();
}

export interface SessionToday {
  operator: Session;
  therapist: TherapistFixture;
  client: Session;
  /** The confirmed booking at the therapist's first free time (within a slot step of now), checked in when asked for. */
  bookingId: string;
  startsAt: string;
}

/**
 * An operator, an approved therapist who works all day, a client with a consultation, and a confirmed session for
 * them now, made through the API; `checkIn` also checks it in. `prepare` runs before the booking (e.g. history).
 */
export async function sessionToday(
  server: BrowserServer,
  options: {
    checkIn: boolean;
    prepare?: (people: Omit<SessionToday, 'bookingId' | 'startsAt'>) => Promise<void>;
    /** A client who already has an account and a consultation (one made in the browser); default a new one. */
    client?: Session;
  },
): Promise<SessionToday> {
  const operator = await createOperator(server);
  const therapist = await createTherapist(
    server,
    { displayName: 'Dana Whitfield', hours: ALL_DAY, minNoticeMin: 0 },
    operator,
  );
  const client = options.client ?? (await signUp(server.app, 'client', 'Jamie Fox'));
  await options.prepare?.({ operator, therapist, client });
  // Late in the evening the first free time is tomorrow's.
  const today = todayInNewYork(server.clock);
  const search = await call(server.app, null, {
    method: 'GET',
    url: `/api/availability?durationMin=60&from=${today}&to=${addDaysIso(today, 1)}&zone=America/New_York&mode=studio&lat=40.7549&lng=-73.984&radiusKm=1&therapistId=${therapist.id}`,
  });
  const start = search.json().results[0].offers[0].slots[0];
  const held = await call(server.app, client, {
    method: 'POST',
    url: '/api/bookings',
    payload: {
      therapistId: therapist.id,
      durationMin: 60,
      start,
      place: { mode: 'studio', studioId: therapist.studioId },
    },
  });
  expect(held.statusCode, held.body).toBe(201);
  const bookingId: string = held.json().id;
  expect((await confirmWithCard(server.app, client, bookingId)).statusCode).toBe(200);
  if (options.checkIn)
    expect(
      (await call(server.app, therapist.session, { method: 'POST', url: `/api/bookings/${bookingId}/check-in` }))
        .statusCode,
    ).toBe(200);
  return { operator, therapist, client, bookingId, startsAt: start };
}
