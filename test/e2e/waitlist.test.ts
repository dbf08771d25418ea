import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epochDayFromIsoDate, isoWeekday } from '../../src/scheduling/engine/calendar-date.js';
import { localToInstant } from '../../src/scheduling/engine/zoned-time.js';
import { bookSession } from '../support/booking-fixture.js';
import { MIDTOWN, createTherapist } from '../support/therapist-fixture.js';
import { type TestApp, call, createOperator, signUp } from '../support/test-app.js';
import {
  type BrowserSession,
  DESKTOP,
  PHONE,
  expectAccessible,
  launchChromium,
  newContext,
  shown,
  snap,
  textOf,
} from './support/browser.js';
import { addDaysIso, todayInNewYork } from './support/dates.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';
import { signIn } from './support/session-today.js';

const PASSWORD = 'correct horse battery';
const ZONE = 'America/New_York';
const JOURNEY = 'waitlist';

/**
 * A full day offers nothing: the client joins the waitlist under the search's results; another client cancels; the
 * offer appears on My waitlist; the client claims it and lands on the held booking.
 */
describe.skipIf(!BROWSER_TESTS_RUN)('waitlist: a client waits for a full day and claims the freed time', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  /** The first weekday at least two days after today in New York (the therapist works weekdays). */
  function nextWorkday(): string {
    for (let days = 2; ; days++) {
      const date = addDaysIso(todayInNewYork(server.clock), days);
      if (isoWeekday(epochDayFromIsoDate(date)!) <= 5) return date;
    }
  }

  async function journey(page: Page, device: string) {
    const t = server as unknown as TestApp;
    const operator = await createOperator(t);
    // One hour a weekday: a day holds one session, so one booking fills it.
    const therapist = await createTherapist(
      t,
      {
        displayName: `Dana Full ${device}`,
        hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '10:00', end: '11:00', place: 'studio' as const })),
      },
      operator,
    );
    const day = nextWorkday();
    const start = new Date(localToInstant(ZONE, epochDayFromIsoDate(day)!, 600)).toISOString();
    const other = await signUp(server.app, 'client', 'Quick Booker');
    const booked = await bookSession(t, other, therapist, start);

    const client = await signUp(server.app, 'client', 'Wren Waiting');
    await signIn(page, client, PASSWORD, '/search');
    const search = new URLSearchParams({
      duration: '60',
      mode: 'studio',
      near: 'Midtown',
      lat: String(MIDTOWN.lat),
      lng: String(MIDTOWN.lng),
      radius: '2',
      from: day,
      to: day,
    });
    await page.goto(`/search?${search.toString()}`);
    await textOf(page.getByRole('heading', { name: /therapists? with open times/ })).toContain('0 therapists');
    const join = page.getByRole('region', { name: 'No time that suits? Join the waitlist' });
    await shown(join);
    expect(await join.getByLabel('From date').inputValue()).toBe(day);
    await expectAccessible(page, 'search with the waitlist form');
    await snap(page, JOURNEY, `01-${device}-join`, join);
    await join.getByRole('button', { name: 'Join the waitlist' }).click();
    await textOf(join.getByRole('status')).toContain('You are on the waitlist');

    // My waitlist is reached from My bookings.
    await page.goto('/bookings');
    await page.getByRole('link', { name: 'My waitlist' }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('My waitlist');
    await textOf(page.locator('.waitlist-entry .badge').first()).toBe('Waiting');

    // Another client cancels: the freed time is offered (background work: the event, then the job).
    const cancelled = await call(server.app, other, { method: 'POST', url: `/api/bookings/${booked.id}/cancel` });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await expect
      .poll(
        async () => {
          await page.reload();
          await shown(page.getByRole('heading', { level: 1 }));
          return page.locator('.waitlist-entry .badge').first().textContent();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe('Times opened');
    const claim = page.getByRole('button', { name: /^Claim / });
    await textOf(claim).toContain('10:00');
    await textOf(page.locator('.waitlist-entry').first()).toContain(`Dana Full ${device}`);
    await expectAccessible(page, 'my waitlist with an offer');
    await snap(page, JOURNEY, `02-${device}-offer`);

    await claim.click();
    await page.waitForURL((url) => url.pathname.startsWith('/bookings/'));
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Review and confirm');
    const bookingId = new URL(page.url()).pathname.split('/')[2]!;
    const held = await call(server.app, client, { method: 'GET', url: `/api/bookings/${bookingId}` });
    expect(held.json()).toMatchObject({ status: 'held', startsAt: start });
    const entries = await call(server.app, client, { method: 'GET', url: '/api/waitlist' });
    expect(entries.json().items[0]).toMatchObject({ status: 'claimed', bookingId });
    await snap(page, JOURNEY, `03-${device}-held`);
  }

  it('on a phone', async () => {
    const page = await (await newContext(chromium.browser, server, PHONE)).newPage();
    await journey(page, 'phone');
    await page.context().close();
  });

  it('waits for one therapist from their profile', async () => {
    const t = server as unknown as TestApp;
    const therapist = await createTherapist(
      t,
      // In Brooklyn, out of the other journeys' searches.
      { displayName: 'Ike Profile', studio: { lat: 40.6782, lng: -73.9442 } },
      await createOperator(t),
    );
    const client = await signUp(server.app, 'client', 'Pat Particular');
    const page = await (await newContext(chromium.browser, server, PHONE)).newPage();
    await signIn(page, client, PASSWORD, '/search');
    await page.goto(`/therapists/${therapist.id}`);
    const join = page.getByRole('region', { name: 'No time that suits? Join the waitlist' });
    await textOf(join).toContain('Wait for Ike Profile');
    await join.getByLabel('Starting from').fill('18:00');
    await join.getByLabel('Finished by').fill('17:00');
    await join.getByRole('button', { name: 'Join the waitlist' }).click();
    // The server's refusal is said at the field.
    await textOf(join.locator('.field-invalid .field-error')).toContain('toTime must be after fromTime');
    await join.getByLabel('Finished by').fill('20:00');
    await join.getByRole('button', { name: 'Join the waitlist' }).click();
    await textOf(join.getByRole('status')).toContain('You are on the waitlist for Ike Profile');
    await expectAccessible(page, 'profile with the waitlist form');
    const entries = await call(server.app, client, { method: 'GET', url: '/api/waitlist' });
    expect(entries.json().items).toMatchObject([
      { therapistId: therapist.id, fromTime: '18:00', toTime: '20:00', status: 'waiting' },
    ]);
    await page.context().close();
  });

  it('at a desk', async () => {
    const page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    await journey(page, 'desk');
    await page.context().close();
  });
});
