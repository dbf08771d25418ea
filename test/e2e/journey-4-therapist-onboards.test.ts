import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDaysIso, dateInNewYork, todayInNewYork } from './support/dates.js';
import {
  type BrowserSession,
  DESKTOP,
  countOf,
  expectAccessible,
  launchChromium,
  newContext,
  shown,
  snap,
  textOf,
} from './support/browser.js';
import { type SmallMarket, createSmallMarket } from './support/market.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';
import { call, signUp, uniqueEmail } from '../support/test-app.js';
import { openScheduleDay } from './support/session-today.js';
import { confirmWithCard } from './support/cards.js';

const JOURNEY = 'journey-4-therapist-onboards';
const THERAPIST = 'Jordan Ellis';

describe.skipIf(!BROWSER_TESTS_RUN)(
  'journey 4: a therapist sets up, an operator approves, and clients can find and book them',
  () => {
    let server: BrowserServer;
    let chromium: BrowserSession;
    let market: SmallMarket;
    let therapistPage: Page;
    let operatorPage: Page;
    const email = uniqueEmail('jordan');

    beforeAll(async () => {
      chromium = await launchChromium();
      server = await startBrowserServer();
      market = await createSmallMarket(server);
      therapistPage = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
      operatorPage = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    });
    afterAll(async () => {
      await chromium?.close();
      await server?.close();
    });

    it('signs up as a therapist and lands on the practice set-up', async () => {
      const page = therapistPage;
      await page.goto('/sign-up?role=therapist');
      expect(await page.getByLabel('A licensed therapist').isChecked()).toBe(true);
      await page.getByLabel('Your name').fill(THERAPIST);
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Password').fill('a long therapist password');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL('**/therapist/setup');
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Set up your practice');
      await snap(page, JOURNEY, '01-setup-empty');
      await expectAccessible(page, 'empty set-up');
    });

    it('fills the profile: licence, specialties, time zone, rules, at-home area and policy; a bad licence date is named at its field', async () => {
      const page = therapistPage;
      await page.getByLabel('Gender').selectOption('nonbinary');
      await page.getByLabel('About your practice').fill('Sports and deep tissue work for runners and desk workers.');
      await page.getByLabel('Licence number').fill('LMT-204981');
      await page.getByLabel('Issued by (state or region)').fill('New York State');
      await page.getByLabel('Expires on').fill('2020-01-31');
      await page.getByLabel('Hamstrings').check();
      await page.getByLabel('Sports').check();
      await page.getByLabel('Time zone').selectOption('America/New_York');
      await page.getByLabel('Break after a session (min)').fill('15');
      await page.getByLabel('Minimum notice (hours)').fill('1');
      await page.getByLabel('Bookable up to (days ahead)').fill('45');
      await page.getByLabel('I visit clients at home').check();
      await page.getByLabel('Travelling from').selectOption('Chelsea');
      await page.getByLabel('Up to (mi)').fill('4');
      await page.getByLabel('Free until (hours before)').fill('12');
      await page.getByLabel('Late fee (% of price)').fill('40');
      await page.getByRole('button', { name: 'Save and continue' }).click();

      const expiry = page.locator('.field', { has: page.getByLabel('Expires on') }).locator('.field-error');
      await textOf(expiry).toContain('already expired');
      await snap(page, JOURNEY, '02-profile-field-error');

      await page.getByLabel('Expires on').fill('2029-06-30');
      await page.getByRole('button', { name: 'Save and continue' }).click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Your practice');
      await shown(page.getByRole('heading', { name: 'Services and prices' }));
      await textOf(page.locator('.checklist li.done').first()).toContain('Profile and licence');
      // New York counts in miles: 4 miles typed is 6.437 km to the API, and reads back as 4.
      const saved = await (await page.request.get('/api/therapists/me')).json();
      expect(saved.mobileArea.radiusKm).toBeCloseTo(6.437, 3);
      expect(await page.getByLabel('Up to (mi)').inputValue()).toBe('4');
    });

    it('offers services and adds a studio', async () => {
      const page = therapistPage;
      await page.getByRole('checkbox', { name: '120 minutes' }).uncheck();
      await page.getByLabel('Price for 60 minutes (USD)').fill('110');
      await page.getByLabel('Price for 90 minutes (USD)').fill('150');
      await page.getByRole('button', { name: 'Save services' }).click();
      await shown(page.getByText('Services saved.'));

      await page.getByLabel('Studio name').fill('Chelsea Bodywork');
      await page.getByLabel('Street address').fill('250 W 19th St, New York');
      await page.getByLabel('Neighbourhood').selectOption('Chelsea');
      await page.getByRole('button', { name: 'Add studio' }).click();
      await shown(page.getByText('Chelsea Bodywork'));
      await countOf(page.locator('.checklist li.done')).toBe(3);
      await snap(page, JOURNEY, '03-practice');
      await expectAccessible(page, 'practice set-up');
    });

    it('sets weekly hours in the editor and a day off as a date override', async () => {
      const page = therapistPage;
      await page.getByRole('link', { name: 'Next: weekly hours' }).click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Hours');

      await page.getByRole('button', { name: 'Add hours on Monday' }).click();
      await page.getByLabel('Monday from').fill('08:00');
      await page.getByLabel('Monday until').fill('18:00');
      await page.getByRole('button', { name: 'Copy Monday to Tuesday–Friday' }).click();
      for (const day of ['Saturday', 'Sunday']) {
        await page.getByRole('button', { name: `Add hours on ${day}` }).click();
        await page.getByLabel(`${day} from`).fill('10:00');
        await page.getByLabel(`${day} until`).fill('16:00');
        await page.getByLabel(`${day} place`).selectOption({ label: 'Home visits' });
      }
      await page.getByRole('button', { name: 'Save weekly hours' }).click();
      await shown(page.getByText('Weekly hours saved.'));
      await countOf(page.locator('.hours-row')).toBe(7);
      await snap(page, JOURNEY, '04-weekly-hours');

      const dayOff = addDaysIso(todayInNewYork(server.clock), 2);
      await page.getByLabel('Date', { exact: true }).fill(dayOff);
      await page.getByLabel('Change', { exact: true }).selectOption('day_off');
      await page.getByLabel('Note (optional)').fill('Conference');
      await page.getByRole('button', { name: 'Add change' }).click();
      const planned = page.getByRole('list', { name: 'Planned changes' });
      await textOf(planned).toContain('Day off · Conference');
      await snap(page, JOURNEY, '05-override');
      await expectAccessible(page, 'hours');
    });

    it('is not in search before approval', async () => {
      const anonymous = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
      await anonymous.goto(
        `/search?duration=60&mode=studio&near=Chelsea&lat=40.7465&lng=-74.0014&radius=2&from=${todayInNewYork(server.clock)}&to=${addDaysIso(todayInNewYork(server.clock), 6)}&sort=earliest&specialty=sports`,
      );
      await shown(anonymous.getByRole('heading', { name: /with open times/ }));
      await countOf(anonymous.getByRole('heading', { name: THERAPIST })).toBe(0);
      await anonymous.context().close();
    });

    it('the operator approves the licence from the approvals screen', async () => {
      const page = operatorPage;
      await page.goto('/sign-in');
      await page.getByLabel('E-mail').fill(market.operator.email);
      await page.getByLabel('Password').fill('operator password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/operator/licences');
      const card = page.getByRole('article', { name: THERAPIST });
      await textOf(card).toContain('LMT-204981');
      await snap(page, JOURNEY, '06-licence-approvals');
      await expectAccessible(page, 'licence approvals');
      await card.getByRole('button', { name: `Approve ${THERAPIST}` }).click();
      await shown(page.getByText('No licences are waiting for review.'));
      await page.getByRole('button', { name: 'Approved' }).click();
      await shown(page.getByRole('article', { name: THERAPIST }));
    });

    it('appears in search for clients, by specialty and at home', async () => {
      const page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
      await page.goto(
        `/search?duration=60&mode=studio&near=Chelsea&lat=40.7465&lng=-74.0014&radius=2&from=${todayInNewYork(server.clock)}&to=${addDaysIso(todayInNewYork(server.clock), 6)}&sort=earliest&specialty=sports`,
      );
      const card = page.getByRole('article', { name: THERAPIST });
      await textOf(card).toContain('Chelsea Bodywork');
      await textOf(card).toContain('$110 for 60 min');
      await snap(page, JOURNEY, '07-in-search');
      await page.goto(
        `/search?duration=60&mode=home&address=${encodeURIComponent('12 W 21st St, New York')}&near=Chelsea&lat=40.7465&lng=-74.0014&from=${todayInNewYork(server.clock)}&to=${addDaysIso(todayInNewYork(server.clock), 6)}&sort=earliest&specialty=sports`,
      );
      await textOf(page.getByRole('article', { name: THERAPIST })).toContain('Comes to your home');
      await page.context().close();
    });

    it('shows a booking in the therapist’s day and week schedule', async () => {
      const client = await signUp(server.app, 'client', 'Sam Patel');
      const profile = (
        await call(server.app, null, { method: 'GET', url: `/api/therapists/${await therapistId()}` })
      ).json();
      const search = await call(server.app, null, {
        method: 'GET',
        url: `/api/availability?durationMin=60&from=${todayInNewYork(server.clock)}&to=${addDaysIso(todayInNewYork(server.clock), 6)}&zone=America/New_York&mode=studio&lat=40.7465&lng=-74.0014&radiusKm=2&specialty=sports`,
      });
      const offer = search.json().results.find((r: { therapist: { id: string } }) => r.therapist.id === profile.id)
        .offers[0];
      const start = offer.slots[0];
      const held = await call(server.app, client, {
        method: 'POST',
        url: '/api/bookings',
        payload: {
          therapistId: profile.id,
          durationMin: 60,
          start,
          place: { mode: 'studio', studioId: offer.place.studioId },
        },
      });
      expect(held.statusCode, held.body).toBe(201);
      expect((await confirmWithCard(server.app, client, held.json().id)).statusCode).toBe(200);

      const page = therapistPage;
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedule' }).click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Schedule');
      const startDay = dateInNewYork(start);
      await openScheduleDay(page, startDay);
      await textOf(page.locator('.session')).toContain('Sam Patel');
      await textOf(page.locator('.session')).toContain('Chelsea Bodywork');
      await snap(page, JOURNEY, '08-schedule-day');
      await page.getByRole('button', { name: 'Week', exact: true }).click();
      await textOf(page.locator(`section[aria-labelledby="day-${startDay}"] .session`)).toContain('Sam Patel');
      await snap(page, JOURNEY, '09-schedule-week');
      await expectAccessible(page, 'schedule');

      async function therapistId() {
        const licences = (
          await call(server.app, market.operator, { method: 'GET', url: '/api/operator/licences' })
        ).json<{ therapistId: string; displayName: string }[]>();
        return licences.find((l) => l.displayName === THERAPIST)!.therapistId;
      }
    });

    it('the operator sees all bookings and narrows them with filters', async () => {
      const client = await signUp(server.app, 'client', 'Riley Chen');
      for (const therapist of [market.dana, market.marcus]) {
        const search = await call(server.app, null, {
          method: 'GET',
          url: `/api/availability?durationMin=60&from=${todayInNewYork(server.clock)}&to=${addDaysIso(todayInNewYork(server.clock), 6)}&zone=America/New_York&mode=studio&lat=40.7549&lng=-73.984&radiusKm=5&pageSize=50`,
        });
        const result = search
          .json()
          .results.find((r: { therapist: { id: string } }) => r.therapist.id === therapist.id);
        const offer = result.offers[0];
        const held = await call(server.app, client, {
          method: 'POST',
          url: '/api/bookings',
          payload: {
            therapistId: therapist.id,
            durationMin: 60,
            start: offer.slots[4],
            place: { mode: 'studio', studioId: offer.place.studioId },
          },
        });
        expect(held.statusCode, held.body).toBe(201);
      }
      const page = operatorPage;
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bookings' }).click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('All bookings');
      await textOf(page.getByText(/^\d+ bookings?$/)).toBe('3 bookings');
      await snap(page, JOURNEY, '10-all-bookings');
      await expectAccessible(page, 'all bookings');

      await page.getByLabel('Therapist').selectOption({ label: 'Marcus Lee' });
      await textOf(page.getByText(/^\d+ bookings?$/)).toBe('1 booking');
      await countOf(page.locator('tbody tr')).toBe(1);
      await textOf(page.locator('tbody tr')).toContain('Riley Chen');
      await page.getByLabel('Therapist').selectOption('');
      await page.getByLabel('Status').selectOption('confirmed');
      await textOf(page.getByText(/^\d+ bookings?$/)).toBe('1 booking');
      await textOf(page.locator('tbody tr')).toContain(THERAPIST);
      await page.getByLabel('From (UTC date)').fill('2031-01-10');
      await page.getByLabel('To (UTC date)').fill('2031-01-01');
      await textOf(page.locator('.field', { has: page.getByLabel('To (UTC date)') }).locator('.field-error')).toContain(
        'to must not be before from',
      );
      await snap(page, JOURNEY, '11-bookings-filter-error');
    });
  },
);
