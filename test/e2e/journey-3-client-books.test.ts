import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, PHONE, countOf, expectAccessible, launchChromium, newContext, shown, snap, textOf } from './support/browser.js';
import { deskWorkerIntake } from '../../src/intake/intake-fixtures.test-support.js';
import { createSmallMarket } from './support/market.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';

const JOURNEY = 'journey-3-client-books';

describe.skipIf(!BROWSER_TESTS_RUN)('journey 3: a client on a phone searches, holds, confirms, reschedules and cancels', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
    await createSmallMarket(server);
    page = await (await newContext(chromium.browser, server.url, PHONE)).newPage();
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  let email = '';

  it('signs up, with the API’s field errors shown next to the field', async () => {
    await page.goto('/');
    await textOf(page.getByRole('heading', { level: 1 })).toContain('Deep tissue massage');
    await snap(page, JOURNEY, '01-home');
    await expectAccessible(page, 'home');

    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Your name').fill('Alex Morgan');
    email = `alex-${Date.now()}@example.test`;
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    const passwordError = page.locator('.field', { has: page.getByLabel('Password') }).locator('.field-error');
    await textOf(passwordError).toMatch(/at least 10 characters/);
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    await snap(page, JOURNEY, '02-sign-up-field-error');
    await expectAccessible(page, 'sign-up with an error');

    await page.getByLabel('Password').fill('a much longer password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/search');
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Find a therapist');
    // Booking needs a completed consultation. Until the consultation screen exists, the journey completes it
    // through the API with the browser's own session.
    const saved = await page.evaluate(async (intake) => {
      const response = await fetch('/api/me/intake', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(intake) });
      return response.status;
    }, deskWorkerIntake());
    expect(saved).toBe(200);
  });

  it('searches by service, place, dates, gender and specialty, and sees therapists with their open times', async () => {
    await page.getByLabel('90 min').check();
    await page.getByLabel('Near').selectOption('Midtown');
    await page.getByLabel('Within').selectOption('5');
    await page.getByLabel('Therapist’s gender').selectOption('female');
    await page.getByLabel('Specialty').selectOption('hamstrings');
    await snap(page, JOURNEY, '03-search-form');
    await page.getByRole('button', { name: 'Search' }).click();

    const results = page.getByRole('article');
    await shown(results.first());
    await textOf(page.getByRole('heading', { name: /therapists? with open times/ })).toBe('1 therapist with open times');
    await countOf(results).toBe(1);
    await shown(results.first().getByRole('heading', { name: 'Dana Whitfield' }));
    await countOf(page.getByText('Marcus Lee')).toBe(0);
    await snap(page, JOURNEY, '04-results');
    await expectAccessible(page, 'search results');

    await page.getByLabel('Therapist’s gender').selectOption('');
    await page.getByRole('button', { name: 'Search' }).click();
    await textOf(page.getByRole('heading', { name: /therapists? with open times/ })).toBe('2 therapists with open times');
  });

  it('holds a time, sees the cancellation terms before the confirm button, and confirms', async () => {
    const dana = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Dana Whitfield' }) });
    const slot = dana.locator('.slots button').first();
    const slotName = await slot.getAttribute('aria-label');
    await slot.click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Review and confirm');
    await shown(page.getByRole('timer'));
    const terms = page.getByRole('region', { name: 'Cancellation terms' });
    await textOf(terms).toContain('Free cancellation until 24 hours before the session; after that the fee is 50% ($85.00)');
    const confirm = page.getByRole('button', { name: 'Confirm booking' });
    const termsBox = (await terms.boundingBox())!;
    const confirmBox = (await confirm.boundingBox())!;
    expect(termsBox.y + termsBox.height).toBeLessThanOrEqual(confirmBox.y);
    await shown(page.getByText('Deep tissue, 90 min'));
    expect(slotName).toContain('Dana Whitfield');
    await snap(page, JOURNEY, '05-hold-with-terms');
    await expectAccessible(page, 'hold review');

    await confirm.click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('You are booked');
    await shown(page.getByText('Confirmed', { exact: true }));
    await snap(page, JOURNEY, '06-confirmed');
  });

  it('reschedules from My bookings, with what moving costs said first', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My bookings' }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('My bookings');
    const booking = page.getByRole('article', { name: 'Booking with Dana Whitfield' });
    await countOf(booking).toBe(1);
    const before = await booking.getByRole('heading', { level: 3 }).textContent();
    await snap(page, JOURNEY, '07-my-bookings');
    await expectAccessible(page, 'my bookings');

    await booking.getByRole('link', { name: 'Reschedule' }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Reschedule');
    await shown(page.getByText(/Moving now is free: you booked less than 10 minutes ago/));
    const slots = page.locator('.slots button');
    await shown(slots.first());
    await snap(page, JOURNEY, '08-reschedule');
    await expectAccessible(page, 'reschedule');
    await slots.nth(3).click();

    await shown(page.getByText('Your booking moved to the new time.'));
    await textOf(page.getByRole('heading', { level: 1 })).toBe('You are booked');
    const after = await page.locator('.summary-title').textContent();
    expect(after).not.toEqual(before);
    await snap(page, JOURNEY, '09-rescheduled');
  });

  it('cancels, seeing the fee (none, in the grace period) before the button that cancels', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My bookings' }).click();
    const booking = page.getByRole('article', { name: 'Booking with Dana Whitfield' });
    await countOf(booking).toBe(1);
    await booking.getByRole('button', { name: 'Cancel' }).click();
    await shown(booking.getByText(/Cancelling now is free/));
    await expect.poll(() => booking.getByRole('heading', { name: 'Cancel this booking?' }).evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await booking.getByLabel('Reason (optional)').fill('Travelling that week');
    await snap(page, JOURNEY, '10-cancel-quote');
    await expectAccessible(page, 'cancel panel');
    await booking.getByRole('button', { name: 'Cancel booking' }).click();

    await countOf(page.getByRole('article', { name: 'Booking with Dana Whitfield' })).toBe(0);
    await shown(page.getByText('No upcoming sessions.'));
    await page.getByRole('button', { name: 'Show past and cancelled bookings' }).click();
    await shown(page.getByText('Cancelled', { exact: true }));
    await shown(page.getByText('Moved', { exact: true }));
    await snap(page, JOURNEY, '11-history');
  });

  it('has a messages page, signs out, and signs back in where it left off', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Messages' }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Messages');
    await shown(page.getByText('No messages yet.'));
    await expectAccessible(page, 'messages');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toContain('Deep tissue massage');
    await countOf(page.getByRole('navigation', { name: 'Main' })).toBe(0);

    await page.goto('/bookings');
    await page.waitForURL(/\/sign-in\?next=/);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await textOf(page.getByRole('alert')).toContain('E-mail or password is wrong');
    await page.getByLabel('Password').fill('a much longer password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/bookings');
    await textOf(page.getByRole('heading', { level: 1 })).toBe('My bookings');
    await snap(page, JOURNEY, '12-signed-back-in');
  });
});
