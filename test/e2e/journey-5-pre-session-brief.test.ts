import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { type Session, call, signUp } from '../support/test-app.js';
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
import { addDaysIso, dateInNewYork, todayInNewYork } from './support/dates.js';
import { type SmallMarket, createSmallMarket } from './support/market.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';
import { openScheduleDay } from './support/session-today.js';
import { confirmWithCard } from './support/cards.js';

const JOURNEY = 'journey-5-pre-session-brief';

describe.skipIf(!BROWSER_TESTS_RUN)(
  'journey 5: before the session the therapist reads the one-page brief, on screen and printed',
  () => {
    let server: BrowserServer;
    let chromium: BrowserSession;
    let market: SmallMarket;
    let page: Page;
    let robin: Session;
    let bookingId: string;
    let sessionDay: string;

    /** Holds and confirms a 60-minute session with Marcus at his studio, the `nth` open time from `from`. */
    async function book(from: string, nth: number) {
      const search = await call(server.app, null, {
        method: 'GET',
        url: `/api/availability?durationMin=60&from=${from}&to=${from}&zone=America/New_York&mode=studio&lat=40.7549&lng=-73.984&radiusKm=5&therapistId=${market.marcus.id}`,
      });
      const offer = search.json().results[0].offers[0];
      const held = await call(server.app, robin, {
        method: 'POST',
        url: '/api/bookings',
        payload: {
          therapistId: market.marcus.id,
          durationMin: 60,
          start: offer.slots[nth],
          place: { mode: 'studio', studioId: offer.place.studioId },
          focusRegions: ['hamstrings.left', 'calves.left', 'low_back.left'],
        },
      });
      expect(held.statusCode, held.body).toBe(201);
      const confirmed = await confirmWithCard(server.app, robin, held.json().id);
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      return confirmed.json<{ id: string; startsAt: string }>();
    }

    beforeAll(async () => {
      chromium = await launchChromium();
      server = await startBrowserServer();
      market = await createSmallMarket(server);
      robin = await signUp(server.app, 'client', 'Robin Vega', {
        intake: deskWorkerIntake({
          bodyMap: [
            { region: 'hamstrings.left', tightness: 8, pain: 4 },
            { region: 'calves.left', tightness: 6, pain: 5, note: 'Aches after long runs' },
            { region: 'low_back.left', tightness: 7, pain: 6, note: 'Knots that hurt when pressed' },
          ],
          conditions: { varicoseVeins: { severity: 'mild', regions: ['calves.left'] } },
          pressure: { preference: 4, avoidRegions: ['abdomen'] },
        }),
      });
      // The session before: until session records can complete one, the test marks it completed itself.
      const tomorrow = addDaysIso(todayInNewYork(server.clock), 1);
      const earlier = await book(tomorrow, 0);
      await server.database.db
        .updateTable('bookings')
        .set({ status: 'completed' })
        .where('id', '=', earlier.id)
        .execute();
      const next = await book(tomorrow, 16);
      bookingId = next.id;
      sessionDay = dateInNewYork(next.startsAt);
      page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    });
    afterAll(async () => {
      await chromium?.close();
      await server?.close();
    });

    it('opens the brief from the session on the schedule', async () => {
      await page.goto('/sign-in');
      await page.getByLabel('E-mail').fill(market.marcus.session.email);
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/therapist/schedule');
      await openScheduleDay(page, sessionDay);
      const session = page.locator('.session').filter({ hasText: 'Robin Vega' }).filter({ hasText: 'Confirmed' });
      await textOf(session).toContain('Adapted');
      await snap(page, JOURNEY, '01-schedule-with-screening');
      await session.getByRole('link', { name: /^Brief for Robin Vega/ }).click();
      await page.waitForURL(`**/briefs/${bookingId}`);
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Brief: Robin Vega');
    });

    it('reads body map, goals, flags with reasons and sources, pressure caps, exclusions, referred pain and the session before', async () => {
      await shown(page.getByRole('img', { name: /^Back of the body:/ }));
      expect(await page.getByRole('img', { name: /^Back of the body:/ }).getAttribute('aria-label')).toBe(
        'Back of the body: Low back, left; Back of the thigh (hamstrings), left; Calf, left',
      );
      const body = page.getByRole('region', { name: 'Body map' });
      await textOf(body).toContain('Aches after long runs');
      await textOf(body).toContain('Gastrocnemius');

      const screening = page.getByRole('region', { name: 'Screening' });
      const varicose = screening.locator('.flag').filter({ hasText: 'Varicose veins' });
      await textOf(varicose).toContain('R · relative');
      await textOf(varicose).toContain('Mild varicose veins: no deep specific work on them.');
      await textOf(varicose).toContain('Where: Calf (left)');
      await textOf(varicose).toMatch(/Sources: W-Var/);

      const pressure = page.getByRole('region', { name: 'Pressure' });
      await textOf(pressure).toContain('Client prefers: 4 (deep)');
      await textOf(pressure).toContain('Calf (left): up to 2 (medium)');
      await textOf(pressure.getByRole('table', { name: 'Pressure caps per region' })).toContain(
        'Back of the knee (left)',
      );
      await textOf(pressure).toContain('The client asked not to be worked on: Abdomen.');

      const background = page.getByRole('region', { name: 'Goals and background' });
      await textOf(background).toContain('Touch my toes again');
      await textOf(background).toContain('posture, inactivity');
      await textOf(background).toContain('Varicose veins (mild): Calf (left)');

      const referred = page.getByRole('region', { name: 'Referred pain' });
      await textOf(referred).toContain('may come from a trigger point in');
      await textOf(referred).toContain('Calf pain (Calf (left))');

      const previous = page.getByRole('region', { name: 'Previous sessions' });
      await countOf(previous.getByRole('listitem')).toBe(1);
      await textOf(previous).toContain('Completed');
      await snap(page, JOURNEY, '02-brief');
      await expectAccessible(page, 'pre-session brief');
    });

    it('opens the printable page of the same brief', async () => {
      // Printing is the browser's; the page's Print button calls it (its script allowed by hash under the policy).
      await page.context().addInitScript('window.print = () => { document.body.dataset.printed = "yes"; };');
      const [printable] = await Promise.all([
        page.context().waitForEvent('page'),
        page.getByRole('link', { name: 'Printable page' }).click(),
      ]);
      await printable.waitForLoadState();
      expect(new URL(printable.url()).pathname).toBe(`/bookings/${bookingId}/brief`);
      await textOf(printable.getByRole('heading', { level: 1 })).toBe('Pre-session brief: Robin Vega');
      for (const section of [
        'Screening',
        'Pressure',
        'Body map',
        'Goals and background',
        'Health history',
        'Trigger points to assess',
        'Previous sessions',
        'Sources',
      ]) {
        await shown(printable.getByRole('heading', { level: 2, name: section }));
      }
      await textOf(printable.locator('body')).toContain('Varicose veins');
      await snap(printable, JOURNEY, '03-printable-brief');
      await expectAccessible(printable, 'printable brief');
      await printable.getByRole('button', { name: 'Print' }).click();
      expect(await printable.evaluate('document.body.dataset.printed')).toBe('yes');
      await printable.close();
    });

    it('subscribes their own calendar app to their sessions from the account page', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
      const calendar = page.getByRole('region', { name: 'Calendar' });
      await calendar.getByRole('button', { name: 'Create a calendar link' }).click();
      const url = await calendar.getByLabel('Private link for “Calendar feed”').inputValue();
      const feed = await fetch(url);
      expect(feed.status).toBe(200);
      expect(await feed.text()).toContain('Robin Vega');
      await page.reload();
      await textOf(page.getByRole('list', { name: 'Calendar links' })).toContain('last read by a calendar');
      await snap(page, JOURNEY, '04-therapist-calendar');
      await expectAccessible(page, 'therapist calendar links');
    });
  },
);
