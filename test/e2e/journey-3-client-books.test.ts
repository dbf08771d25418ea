import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmail } from '../support/test-app.js';
import {
  type BrowserSession,
  PHONE,
  countOf,
  expectAccessible,
  launchChromium,
  newContext,
  shown,
  snap,
  textOf,
} from './support/browser.js';
import { fillShortConsultation } from './support/consultation.js';
import { createSmallMarket } from './support/market.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';
import { confirmAndPay, typePayingCard } from './support/cards.js';

const JOURNEY = 'journey-3-client-books';

describe.skipIf(!BROWSER_TESTS_RUN)(
  'journey 3: a client on a phone searches, signs up, holds the time tapped, confirms, reschedules and cancels',
  () => {
    let server: BrowserServer;
    let chromium: BrowserSession;
    let page: Page;

    beforeAll(async () => {
      chromium = await launchChromium();
      server = await startBrowserServer();
      await createSmallMarket(server);
      page = await (await newContext(chromium.browser, server, PHONE)).newPage();
    });
    afterAll(async () => {
      await chromium?.close();
      await server?.close();
    });

    let email = '';
    let searchUrl = '';

    it('searches as a visitor by service, place, dates, gender and specialty, and sees therapists with their open times', async () => {
      await page.goto('/');
      await textOf(page.getByRole('heading', { level: 1 })).toContain('Deep tissue massage');
      await snap(page, JOURNEY, '01-home');
      await expectAccessible(page, 'home');
      await page.getByRole('link', { name: 'Find a therapist' }).click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Find a therapist');

      await page.getByLabel('90 min').check();
      await page.getByLabel('Near').selectOption('Midtown');
      await page.getByLabel('Within').selectOption({ label: '3 mi' });
      await page.getByLabel('Therapist’s gender').selectOption('female');
      await page.getByLabel('Specialty').selectOption('hamstrings');
      await snap(page, JOURNEY, '02-search-form');
      await page.getByRole('button', { name: 'Search' }).click();

      const results = page.getByRole('article');
      await shown(results.first());
      await textOf(page.getByRole('heading', { name: /therapists? with open times/ })).toBe(
        '1 therapist with open times',
      );
      await countOf(results).toBe(1);
      await shown(results.first().getByRole('heading', { name: 'Dana Whitfield' }));
      await countOf(page.getByText('Marcus Lee')).toBe(0);
      await snap(page, JOURNEY, '03-results');
      await expectAccessible(page, 'search results');

      await page.getByLabel('Therapist’s gender').selectOption('');
      await page.getByRole('button', { name: 'Search' }).click();
      await textOf(page.getByRole('heading', { name: /therapists? with open times/ })).toBe(
        '2 therapists with open times',
      );
      searchUrl = new URL(page.url()).pathname + new URL(page.url()).search;
    });

    it('taps a time, is asked to sign in to hold it, and signs up, with the API’s field errors shown next to the field', async () => {
      const dana = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Dana Whitfield' }) });
      await dana.locator('.slots button').first().tap();
      await page.waitForURL(/\/sign-in\?next=/);
      await textOf(page.getByRole('status')).toMatch(/^Sign in to hold .+ with Dana Whitfield\./);
      await page.getByRole('link', { name: 'Create an account' }).click();
      await textOf(page.getByRole('status')).toMatch(/^Create your account to hold .+ with Dana Whitfield\./);
      await page.getByLabel('Your name').fill('Alex Morgan');
      email = uniqueEmail('alex');
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Password').fill('short');
      await page.getByRole('button', { name: 'Create account' }).click();
      const passwordError = page.locator('.field', { has: page.getByLabel('Password') }).locator('.field-error');
      await textOf(passwordError).toMatch(/at least 10 characters/);
      expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
      await snap(page, JOURNEY, '04-sign-up-field-error');
      await expectAccessible(page, 'sign-up with an error');

      await page.getByLabel('Password').fill('a much longer password');
      await page.getByRole('button', { name: 'Create account' }).click();
    });

    it('is asked for the consultation the booking needs, does it, and lands on the hold of the time it tapped, terms before the confirm button', async () => {
      await page.waitForURL(/\/consultation\?next=/);
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Your consultation');
      await textOf(page.getByRole('status')).toMatch(
        /^Complete your consultation, then we’ll hold .+ with Dana Whitfield\./,
      );
      await snap(page, JOURNEY, '05-consultation-needed');
      await fillShortConsultation(page);

      await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Review and confirm');
      await shown(page.getByRole('timer'));
      const terms = page.getByRole('region', { name: 'Cancellation terms' });
      await textOf(terms).toContain(
        'Free cancellation until 24 hours before the session; after that the fee is 50% ($85)',
      );
      const confirm = confirmAndPay(page);
      const termsBox = (await terms.boundingBox())!;
      const confirmBox = (await confirm.boundingBox())!;
      expect(termsBox.y + termsBox.height).toBeLessThanOrEqual(confirmBox.y);
      await shown(page.getByText('Deep tissue, 90 min'));
      await shown(page.getByText('Dana Whitfield', { exact: true }));
      await snap(page, JOURNEY, '06-hold-with-terms');
      await expectAccessible(page, 'hold review');

      await typePayingCard(page);
      await confirm.click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('You are booked');
      await shown(page.getByText('Confirmed', { exact: true }));
      // The guide to the session, a server page outside the app.
      expect(
        await page
          .getByRole('link', { name: 'What to expect before, during and after a deep tissue session' })
          .getAttribute('href'),
      ).toBe('/guides/what-to-expect');
      await snap(page, JOURNEY, '07-confirmed');
    });

    it('narrows the focus of another session to one of the places marked, holds it, and releases it', async () => {
      await page.goto(searchUrl);
      const focus = page.getByRole('group', { name: 'Focus of the session' });
      await focus.getByLabel('Back of the thigh (hamstrings) (right)').uncheck();
      const marcus = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Marcus Lee' }) });
      await marcus.locator('.slots button').first().click();
      await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
      const held = await server.database.db
        .selectFrom('booking_screenings')
        .select('focus_regions')
        .where('booking_id', '=', page.url().split('/').at(-1)!)
        .execute();
      expect(held.map((s) => s.focus_regions)).toEqual([['hamstrings.left']]);
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Review and confirm');
      await snap(page, JOURNEY, '08-focus-narrowed-hold');
      await page.getByRole('button', { name: 'Release this time' }).click();
      await shown(page.getByText('Cancelling is free: the time is only held, not yet booked.'));
      await page.getByRole('button', { name: 'Cancel booking' }).click();
      await countOf(page.getByRole('button', { name: /^Confirm/ })).toBe(0);
    });

    it('reschedules from My bookings, with what moving costs said first', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My bookings' }).click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('My bookings');
      const booking = page.getByRole('article', { name: 'Booking with Dana Whitfield' });
      await countOf(booking).toBe(1);
      const before = await booking.getByRole('heading', { level: 3 }).textContent();
      await snap(page, JOURNEY, '09-my-bookings');
      await expectAccessible(page, 'my bookings');

      await booking.getByRole('link', { name: 'Reschedule' }).click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Reschedule');
      await shown(page.getByText(/Moving now is free: you booked less than 10 minutes ago/));
      const slots = page.locator('.slots button');
      await shown(slots.first());
      await snap(page, JOURNEY, '10-reschedule');
      await expectAccessible(page, 'reschedule');
      await slots.nth(3).click();

      await shown(page.getByText('Your booking moved to the new time.'));
      await textOf(page.getByRole('heading', { level: 1 })).toBe('You are booked');
      const after = await page.locator('.summary-title').textContent();
      expect(after).not.toEqual(before);
      await snap(page, JOURNEY, '11-rescheduled');
    });

    it('cancels, seeing the fee (none, in the grace period) before the button that cancels', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My bookings' }).click();
      const booking = page.getByRole('article', { name: 'Booking with Dana Whitfield' });
      await countOf(booking).toBe(1);
      await booking.getByRole('button', { name: 'Cancel' }).click();
      await shown(booking.getByText(/Cancelling now is free/));
      await expect
        .poll(() =>
          booking
            .getByRole('heading', { name: 'Cancel this booking?' })
            .evaluate((el) => el === el.ownerDocument.activeElement),
        )
        .toBe(true);
      await booking.getByLabel('Reason (optional)').fill('Travelling that week');
      await snap(page, JOURNEY, '12-cancel-quote');
      await expectAccessible(page, 'cancel panel');
      await booking.getByRole('button', { name: 'Cancel booking' }).click();

      await countOf(page.getByRole('article', { name: 'Booking with Dana Whitfield' })).toBe(0);
      await shown(page.getByText('No upcoming sessions.'));
      await page.getByRole('button', { name: 'Show past and cancelled bookings' }).click();
      await shown(page.getByText('Cancelled', { exact: true }));
      await shown(page.getByText('Moved', { exact: true }));
      await snap(page, JOURNEY, '13-history');
    });

    it('finds the confirmation, the move and the cancellation in Messages, with the calendar file to download', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Messages' }).click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Messages');
      const messages = page.locator('.message');
      await expect.poll(() => messages.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
      await shown(page.getByText(/^Cancelled: your session on /));
      await shown(page.getByText(/^Moved: your session is now /));
      const confirmation = messages.filter({ hasText: /^Booking confirmed: .* with Dana Whitfield/ });
      await textOf(confirmation.locator('summary')).toContain('Here only');
      await confirmation.locator('summary').tap();
      await textOf(confirmation.locator('.message-text')).toContain('Dana Whitfield');
      await snap(page, JOURNEY, '14-messages');
      await expectAccessible(page, 'messages');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        confirmation.getByRole('link', { name: /Add to calendar/ }).tap(),
      ]);
      expect(download.suggestedFilename()).toBe('knotwork-session.ics');
      expect(readFileSync(await download.path(), 'utf8')).toMatch(
        /^BEGIN:VCALENDAR\r\n[\s\S]*SUMMARY:[^\r\n]*Dana Whitfield/,
      );
    });

    it('subscribes a calendar to their sessions: creates a private link, copies it, replaces it and revokes it', async () => {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
      const calendar = page.getByRole('region', { name: 'Calendar' });
      await shown(calendar.getByText('No calendar links yet.'));
      await calendar.getByLabel('For which app or device? (optional)').fill('Phone calendar');
      await calendar.getByRole('button', { name: 'Create a calendar link' }).tap();
      const link = calendar.getByLabel('Private link for “Phone calendar”');
      const first = await link.inputValue();
      expect(first).toMatch(new RegExp(`^${server.url}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
      await calendar.getByRole('button', { name: 'Copy link' }).tap();
      await shown(calendar.getByText('Link copied.'));
      expect(
        await page.evaluate(() =>
          (
            globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
          ).navigator.clipboard.readText(),
        ),
      ).toBe(first);
      const feed = await fetch(first);
      expect(feed.status).toBe(200);
      expect(await feed.text()).toContain('Dana Whitfield');
      await snap(page, JOURNEY, '15-calendar-link');
      await expectAccessible(page, 'calendar links');

      await calendar.getByRole('button', { name: 'Replace link for Phone calendar' }).tap();
      await expect.poll(() => link.inputValue()).not.toBe(first);
      const second = await link.inputValue();
      expect((await fetch(first)).status).toBe(404);
      expect((await fetch(second)).status).toBe(200);
      await calendar.getByRole('button', { name: 'Revoke Phone calendar' }).tap();
      await shown(calendar.getByText('No calendar links yet.'));
      await shown(calendar.getByText('Revoked links (2)'));
      expect((await fetch(second)).status).toBe(404);
    });

    it('signs out, and signs back in where it left off', async () => {
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
      await snap(page, JOURNEY, '16-signed-back-in');
    });
  },
);
