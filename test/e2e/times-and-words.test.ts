import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTherapist } from '../support/therapist-fixture.js';
import { type Session, call, createOperator, signUp } from '../support/test-app.js';
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
import { confirmWithCard } from './support/cards.js';

const JOURNEY = 'times-and-words';
const UNION_SQUARE = { lat: 40.7359, lng: -73.9911 };
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const PASSWORD = 'correct horse battery';

/** Visible text with every run of white space as one space. */
const plain = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Every item of the main menu lies wholly inside the window: nothing is cut off or scrolled out of sight. */
async function expectWholeMenu(page: Page, labels: string[]) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await shown(nav);
  const width = page.viewportSize()!.width;
  for (const label of labels) {
    const link = nav.getByRole('link', { name: label, exact: true });
    await shown(link);
    const box = (await link.boundingBox())!;
    expect(box.x, label).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${label} ends inside a ${width}px window`).toBeLessThanOrEqual(width);
  }
}

describe.skipIf(!BROWSER_TESTS_RUN)('times in the session’s zone, words for the reader, and a menu that fits', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  let operator: Session;
  let client: Session;
  let therapist: Awaited<ReturnType<typeof createTherapist>>;
  let bookingId: string;
  /** 9:30 AM in New York, two days from now there. */
  let start: DateTime;

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
    operator = await createOperator(server);
    // A therapist whose profile is in Los Angeles, working at a studio in Manhattan.
    therapist = await createTherapist(
      server,
      {
        displayName: 'Sam Rivera',
        zone: 'America/Los_Angeles',
        studio: UNION_SQUARE,
        hours: EVERY_DAY.map((weekday) => ({ weekday, start: '05:00', end: '15:00', place: 'studio' as const })),
        minNoticeMin: 0,
      },
      operator,
    );
    client = await signUp(server.app, 'client', 'Jamie Fox');
    start = DateTime.fromISO(`${addDaysIso(todayInNewYork(server.clock), 2)}T09:30`, { zone: 'America/New_York' });
    const held = await call(server.app, client, {
      method: 'POST',
      url: '/api/bookings',
      payload: {
        therapistId: therapist.id,
        durationMin: 60,
        start: start.toUTC().toISO(),
        place: { mode: 'studio', studioId: therapist.studioId },
      },
    });
    expect(held.statusCode, held.body).toBe(201);
    bookingId = held.json().id;
    expect((await confirmWithCard(server.app, client, bookingId)).statusCode).toBe(200);
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('shows a client in Los Angeles their New York session at 9:30 AM, the zone named', async () => {
    const page = await (
      await newContext(chromium.browser, server, { ...PHONE, timezoneId: 'America/Los_Angeles' })
    ).newPage();
    await signIn(page, client, PASSWORD, '/search');
    await page.goto(`/bookings/${bookingId}`);
    const zone = start.offset === -240 ? 'EDT' : 'EST';
    await textOf(page.locator('.summary-title')).toBe(`${start.toFormat('cccc, LLLL d')}, 9:30–10:30 AM ${zone}`);
    await page.goto('/bookings');
    await expect.poll(async () => plain(await page.locator('main').innerText())).toContain(`9:30–10:30 AM ${zone}`);
    await snap(page, JOURNEY, '01-booking-from-los-angeles-phone');
    await page.context().close();
  });

  it('shows the operator the same 9:30 AM in the list and on the booking, and staff words about the client', async () => {
    const page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    await signIn(page, operator, 'operator password', '/operator/licences');
    await page.goto('/operator/bookings');
    const row = page.locator('li, tr').filter({ hasText: 'Sam Rivera' }).first();
    await expect
      .poll(async () => plain(await row.innerText()))
      .toContain(`${start.toFormat('ccc, LLL d')}, 9:30–10:30 AM`);
    await page.goto(`/bookings/${bookingId}`);
    await textOf(page.locator('.summary-title')).toBe(`${start.toFormat('cccc, LLLL d')}, 9:30–10:30 AM`);
    const screening = page
      .getByRole('region', { name: 'Health screening' })
      .or(page.locator('section', { has: page.getByRole('heading', { name: 'Health screening' }) }));
    await expect
      .poll(async () => plain(await screening.first().innerText()))
      .toContain('Suitable for deep tissue massage');
    expect(await screening.first().innerText()).not.toMatch(/\b(you|your)\b/i);
    await snap(page, JOURNEY, '02-operator-booking-desktop');
    await page.context().close();
  });

  it('does not say a cancelled booking moved', async () => {
    const moved = await call(server.app, client, {
      method: 'POST',
      url: `/api/bookings/${bookingId}/reschedule`,
      payload: { start: start.plus({ hours: 1 }).toUTC().toISO() },
    });
    expect(moved.statusCode, moved.body).toBe(201);
    const newId: string = moved.json().id;
    const page = await (await newContext(chromium.browser, server, PHONE)).newPage();
    await signIn(page, client, PASSWORD, '/search');
    await page.goto(`/bookings/${newId}?moved=1`);
    await textOf(page.getByText('Your booking moved to the new time.')).toBe('Your booking moved to the new time.');
    await page.getByRole('button', { name: 'Cancel booking' }).click();
    await textOf(page.getByText('Cancel this booking?')).toBe('Cancel this booking?');
    await page.getByRole('button', { name: 'Cancel booking' }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Booking cancelled');
    expect(await page.getByText('Your booking moved to the new time.').count()).toBe(0);
    await snap(page, JOURNEY, '03-cancelled-after-moving-phone');
    await page.context().close();
  });

  it('keeps every menu item in sight on a phone, for clients, therapists and operators', async () => {
    const menus: [Session, string, string, string[]][] = [
      [
        client,
        PASSWORD,
        '/search',
        ['Find a therapist', 'My bookings', 'Consultation', 'Progress', 'Aftercare', 'Messages', 'Payments', 'Account'],
      ],
      [
        therapist.session,
        PASSWORD,
        '/therapist/schedule',
        ['Schedule', 'Hours', 'Outcomes', 'Care alerts', 'Practice', 'Messages', 'Account'],
      ],
      [
        operator,
        'operator password',
        '/operator/licences',
        ['Licences', 'Bookings', 'Outcomes', 'Flagged screenings', 'Incidents', 'Care alerts'],
      ],
    ];
    for (const [who, password, landing, labels] of menus) {
      const page = await (await newContext(chromium.browser, server, PHONE)).newPage();
      await signIn(page, who, password, landing);
      await expectWholeMenu(page, labels);
      await snap(page, JOURNEY, `04-menu-${landing.split('/')[1]}-phone`);
      await expectAccessible(page, `menu on a phone, ${landing}`);
      await page.context().close();
    }
  });
});
