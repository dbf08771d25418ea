import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import type { IntakeInput } from '../../src/intake/engine/intake-schema.js';
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
import { addDaysIso, todayInNewYork } from './support/dates.js';
import { type SmallMarket, createSmallMarket } from './support/market.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';
import { confirmWithCard } from './support/cards.js';

const JOURNEY = 'operator-flagged-screenings';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe.skipIf(!BROWSER_TESTS_RUN)(
  'operators see the flagged screenings, filter them, and open the booking and its brief',
  () => {
    let server: BrowserServer;
    let chromium: BrowserSession;
    let market: SmallMarket;
    let page: Page;
    let heartBooking: string;

    async function bookWith(client: Session, therapistId: string, nth: number) {
      // Two days ahead or later: a session that needs a clearance waits for it until 24 hours before its start.
      const from = addDaysIso(todayInNewYork(server.clock), 2);
      const search = await call(server.app, null, {
        method: 'GET',
        url: `/api/availability?durationMin=60&from=${from}&to=${addDaysIso(from, 6)}&zone=America/New_York&mode=studio&lat=40.7549&lng=-73.984&radiusKm=5&therapistId=${therapistId}`,
      });
      const offer = search.json().results[0].offers[0];
      const held = await call(server.app, client, {
        method: 'POST',
        url: '/api/bookings',
        payload: {
          therapistId,
          durationMin: 60,
          start: offer.slots[nth],
          place: { mode: 'studio', studioId: offer.place.studioId },
        },
      });
      expect(held.statusCode, held.body).toBe(201);
      const confirmed = await confirmWithCard(server.app, client, held.json().id);
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      return held.json().id as string;
    }
    const clientWith = (name: string, conditions: IntakeInput['conditions']) =>
      signUp(server.app, 'client', name, { intake: { ...deskWorkerIntake(), conditions } });

    beforeAll(async () => {
      chromium = await launchChromium();
      server = await startBrowserServer();
      market = await createSmallMarket(server);
      await bookWith(await signUp(server.app, 'client', 'Healthy Harper'), market.dana.id, 0);
      await bookWith(await clientWith('Pregnant Paz', { pregnancy: { weeks: 20 } }), market.dana.id, 8);
      const heart = await clientWith('Cardiac Cam', {
        heartAttack: { date: addDaysIso(todayInNewYork(server.clock), -150) },
      });
      heartBooking = await bookWith(heart, market.marcus.id, 4);
      const uploaded = await call(server.app, heart, {
        method: 'POST',
        url: `/api/bookings/${heartBooking}/clearance-documents`,
        payload: { filename: 'cardiologist.pdf', contentBase64: PDF.toString('base64') },
      });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
      page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    });
    afterAll(async () => {
      await chromium?.close();
      await server?.close();
    });

    it('lists the sessions screening flagged, not the others, with why', async () => {
      await page.goto('/sign-in');
      await page.getByLabel('E-mail').fill(market.operator.email);
      await page.getByLabel('Password').fill('operator password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/operator/licences');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flagged screenings' }).click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Flagged screenings');
      await textOf(page.getByText(/^\d+ flagged sessions?$/)).toBe('2 flagged sessions');
      const rows = page.locator('tbody tr');
      await textOf(rows.filter({ hasText: 'Pregnant Paz' })).toContain('Adapted');
      await textOf(rows.filter({ hasText: 'Pregnant Paz' })).toContain('Pregnancy');
      await textOf(rows.filter({ hasText: 'Cardiac Cam' })).toMatch(
        /Awaiting clearance[\s\S]*Clearance required[\s\S]*Recent heart attack[\s\S]*Pending · 1 to review · released unless verified by/,
      );
      await countOf(rows.filter({ hasText: 'Healthy Harper' })).toBe(0);
      await snap(page, JOURNEY, '01-flagged-screenings');
      await expectAccessible(page, 'flagged screenings');
    });

    it('filters by outcome and clearance, and names a bad filter at its field', async () => {
      await page.getByLabel('Outcome').selectOption('clearance_required');
      await textOf(page.getByText(/^\d+ flagged sessions?$/)).toBe('1 flagged session');
      await textOf(page.locator('tbody tr')).toContain('Cardiac Cam');
      await page.getByLabel('Clearance').selectOption('verified');
      await shown(page.getByText('No flagged sessions match these filters.'));
      await page.getByLabel('Clearance').selectOption('pending');
      await textOf(page.locator('tbody tr')).toContain('Cardiac Cam');
      await page.getByLabel('From (UTC date)').fill('2031-01-10');
      await page.getByLabel('To (UTC date)').fill('2031-01-01');
      await textOf(page.locator('.field', { has: page.getByLabel('To (UTC date)') }).locator('.field-error')).toContain(
        'to must not be before from',
      );
      await snap(page, JOURNEY, '02-filter-error');
      await page.getByLabel('From (UTC date)').fill('');
      await page.getByLabel('To (UTC date)').fill('');
      await textOf(page.getByText(/^\d+ flagged sessions?$/)).toBe('1 flagged session');
    });

    it('opens the brief (read-only for an operator) and the booking, where the clearance can be verified', async () => {
      await page.getByRole('link', { name: 'Brief of Cardiac Cam' }).click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Brief: Cardiac Cam');
      await textOf(page.getByRole('region', { name: 'Screening' })).toContain('Not confirmed: awaiting clearance');
      await countOf(page.getByRole('button', { name: 'Override with a reason' })).toBe(0);
      await snap(page, JOURNEY, '03-brief-for-operator');
      await page.goBack();
      await page.getByRole('link', { name: 'Booking of Cardiac Cam' }).click();
      await page.waitForURL(`**/bookings/${heartBooking}`);
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Session with Cardiac Cam');
      await textOf(page.locator('.awaiting-clearance')).toContain(
        'Not confirmed yet: waiting for the client’s medical clearance.',
      );
      const clearance = page.getByRole('region', { name: 'Medical clearance' });
      await textOf(clearance).toContain('cardiologist.pdf');
      await clearance.getByRole('button', { name: 'Reject' }).click();
      await clearance.getByRole('button', { name: 'Reject document' }).click();
      await textOf(clearance.locator('.field-error')).toContain('Say why the document is rejected');
      await clearance.getByRole('button', { name: 'Back' }).click();
      await clearance.getByRole('button', { name: 'Verify cardiologist.pdf' }).click();
      await textOf(clearance).toContain('Accepted');
      // Verified: the session is confirmed now.
      await textOf(page.locator('.booking-summary .badge')).toBe('Confirmed');
      await countOf(page.locator('.awaiting-clearance')).toBe(0);
      await snap(page, JOURNEY, '04-booking-clearance-verified');
      await expectAccessible(page, 'booking for an operator');
    });
  },
);
