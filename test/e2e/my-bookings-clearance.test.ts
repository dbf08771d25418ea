import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { type Session, call, signUp } from '../support/test-app.js';
import {
  type BrowserSession,
  DESKTOP,
  PHONE,
  expectAccessible,
  launchChromium,
  newContext,
  snap,
  textOf,
} from './support/browser.js';
import { addDaysIso, todayInNewYork } from './support/dates.js';
import { openScheduleDay, signIn } from './support/session-today.js';
import { type SmallMarket, createSmallMarket } from './support/market.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';
import { confirmWithCard } from './support/cards.js';

const JOURNEY = 'my-bookings-clearance';

/**
 * Clearance before confirmation, as the client sees it: a session that needs a medical clearance is not confirmed;
 * My bookings shows it awaiting clearance, what is missing and by when, on a phone and on a desk.
 */
describe.skipIf(!BROWSER_TESTS_RUN)('My bookings: a session awaiting a medical clearance', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  let market: SmallMarket;
  let kim: Session;
  let bookingId: string;
  let dueAt: string;
  let startsOn: string;

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
    market = await createSmallMarket(server);
    kim = await signUp(server.app, 'client', 'Kim Lee', {
      intake: { ...deskWorkerIntake(), conditions: { kidneyFailure: true } },
    });
    // Three days ahead, so its deadline (24 hours before) is still to come.
    const from = addDaysIso(todayInNewYork(server.clock), 3);
    const search = await call(server.app, null, {
      method: 'GET',
      url: `/api/availability?durationMin=60&from=${from}&to=${addDaysIso(from, 6)}&zone=America/New_York&mode=studio&lat=40.7549&lng=-73.984&radiusKm=5&therapistId=${market.dana.id}`,
    });
    const offer = search.json().results[0].offers[0];
    const held = await call(server.app, kim, {
      method: 'POST',
      url: '/api/bookings',
      payload: {
        therapistId: market.dana.id,
        durationMin: 60,
        start: offer.slots[2],
        place: { mode: 'studio', studioId: offer.place.studioId },
      },
    });
    expect(held.statusCode, held.body).toBe(201);
    const confirmed = await confirmWithCard(server.app, kim, held.json().id);
    expect(confirmed.json()).toMatchObject({ status: 'awaiting_clearance' });
    bookingId = confirmed.json().id;
    dueAt = confirmed.json().clearanceDueAt;
    startsOn = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date(offer.slots[2]));
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('keeps the waiting session in the therapist’s schedule, marked awaiting clearance', async () => {
    const page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    await signIn(page, market.dana.session, 'correct horse battery', '/therapist/schedule');
    await openScheduleDay(page, startsOn);
    const session = page.locator(`section[aria-labelledby="day-${startsOn}"]`).locator('.session');
    await textOf(session).toContain('Kim Lee');
    await textOf(session.locator('.badge')).toBe('Awaiting clearance');
    await snap(page, JOURNEY, '03-therapist-schedule');
    await page.context().close();
  });

  for (const [name, device] of [
    ['phone', PHONE],
    ['desk', DESKTOP],
  ] as const) {
    it(`shows the state, what is missing and by when (${name})`, async () => {
      const page = await (await newContext(chromium.browser, server, device)).newPage();
      await page.goto('/sign-in');
      await page.getByLabel('E-mail').fill(kim.email);
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
      await page.goto('/bookings');
      const item = page.getByRole('article', { name: 'Booking with Dana Whitfield' });
      await textOf(item.locator('.badge')).toBe('Awaiting clearance');
      const notice = item.locator('.awaiting-clearance');
      await textOf(notice).toContain('Not confirmed yet: waiting for your medical clearance.');
      await textOf(notice).toContain(
        'Missing: a note from your doctor saying deep tissue massage is safe for you, checked by your therapist. You have not sent it yet.',
      );
      // The deadline in the session's zone (the browser's here, New York): 24 hours before the start.
      const deadline = await page.evaluate(
        (iso) =>
          new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', minute: '2-digit' }).format(
            new Date(iso),
          ),
        dueAt,
      );
      await textOf(notice).toContain(deadline);
      await textOf(notice).toContain(
        'nothing is charged until then; if it is not verified by then, the session is released free of charge.',
      );
      await snap(page, JOURNEY, `01-my-bookings-${name}`);
      await expectAccessible(page, `my bookings awaiting clearance (${name})`);

      await item.getByRole('link', { name: 'Upload it on the booking' }).click();
      await page.waitForURL(`**/bookings/${bookingId}`);
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Waiting for your medical clearance');
      await textOf(page.getByRole('region', { name: 'Medical clearance' })).toContain(
        'Before this session can be confirmed, we need a note from your kidney doctor',
      );
      await snap(page, JOURNEY, `02-booking-${name}`);
      await expectAccessible(page, `booking awaiting clearance (${name})`);
      await page.context().close();
    });
  }
});
