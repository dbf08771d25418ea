import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator, type Session, signUp } from '../support/test-app.js';
import { createTherapist } from '../support/therapist-fixture.js';
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
import { signIn } from './support/session-today.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';

const JOURNEY = 'booking-for-two';
/** The demo market's Harlem neighbourhood: both therapists visit homes there. */
const HARLEM = { lat: 40.8116, lng: -73.9465 };
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/**
 * Issue 17, deliverable 7, as a client does it: "Book for two" at home, a gender preference for each therapist and
 * the guest's name and e-mail; the times two therapists are free; both held at once; the pair on its own page and
 * in My bookings. On a phone and on a desk.
 */
describe.skipIf(!BROWSER_TESTS_RUN)('Booking for two', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  let bea: Session;

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
    const operator = await createOperator(server);
    for (const [displayName, gender] of [
      ['Fay Ortiz', 'female'],
      ['Max Stone', 'male'],
    ] as const) {
      await createTherapist(
        server,
        {
          displayName,
          gender,
          studio: null,
          mobileArea: { ...HARLEM, radiusKm: 5 },
          hours: EVERY_DAY.map((weekday) => ({ weekday, start: '09:00', end: '17:00', place: 'home' as const })),
        },
        operator,
      );
    }
    bea = await signUp(server.app, 'client', 'Bea Booker');
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  for (const [name, device] of [
    ['phone', PHONE],
    ['desk', DESKTOP],
  ] as const) {
    it(`finds times two therapists are free and holds both (${name})`, async () => {
      const gus = await signUp(server.app, 'client', 'Gus Guest');
      const page = await (await newContext(chromium.browser, server, device)).newPage();
      await signIn(page, bea, 'correct horse battery', '/search');
      await page.getByRole('radio', { name: 'At my home' }).check();
      await page.getByRole('link', { name: 'For two people? Book two therapists at once' }).click();
      await page.waitForURL('**/book-for-two');
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Book for two');

      await page.getByLabel('Your address').fill('1 Pair Street, New York');
      await page.getByLabel('Neighbourhood').selectOption('Harlem');
      await page.getByLabel('Day').fill(addDaysIso(todayInNewYork(server.clock), 1));
      await page.getByLabel('Your therapist', { exact: true }).selectOption('female');
      await page.getByLabel('Your guest’s therapist').selectOption('male');
      await page.getByLabel('Your guest’s name').fill('Gus');
      await page.getByLabel('Your guest’s e-mail').fill(gus.email);
      await page.getByRole('button', { name: 'Find times for two' }).click();

      const first = page.locator('.pair-slot').first();
      await textOf(first).toContain('Fay Ortiz for you, Max Stone for Gus');
      await snap(page, JOURNEY, `01-times-${name}`);
      await expectAccessible(page, `times for two (${name})`);

      // Each device books its own time: the phone the first, the desk the second.
      const slot = page.locator('.pair-slot').nth(name === 'phone' ? 0 : 1);
      await slot.getByRole('button', { name: /^Hold .* for two$/ }).click();
      await page.waitForURL(/\/book-for-two\/[0-9a-f-]{36}$/);
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Your session for two');
      const parts = page.locator('main').getByRole('listitem');
      await textOf(parts.nth(0)).toContain('You');
      await textOf(parts.nth(0)).toContain('With Fay Ortiz: held, to be confirmed');
      await textOf(parts.nth(1)).toContain('Gus Guest');
      await textOf(parts.nth(1)).toContain('With Max Stone: held, to be confirmed');
      await textOf(page.locator('main')).toContain('Gus Guest confirms and pays for their own session');
      await snap(page, JOURNEY, `02-held-${name}`);
      await expectAccessible(page, `the session for two (${name})`);

      if (name === 'desk') {
        // Cancelling the pair cancels both sessions.
        await page.getByRole('button', { name: 'Cancel both sessions' }).click();
        await textOf(parts.nth(0)).toContain('With Fay Ortiz: cancelled');
        await textOf(parts.nth(1)).toContain('With Max Stone: cancelled');
        await snap(page, JOURNEY, '04-cancelled-desk');
        await page.context().close();
        return;
      }
      await page.getByRole('link', { name: 'Review and confirm your session' }).click();
      await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
      await page.goto('/bookings');
      await expect
        .poll(() => page.getByText('Part of a session for two.').count(), { timeout: 15_000 })
        .toBeGreaterThan(0);
      await snap(page, JOURNEY, `03-my-bookings-${name}`);
      await page.context().close();
    });
  }
});
