import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import type { IntakeInput } from '../../src/intake/engine/intake-schema.js';
import { type Session, call, signUp } from '../support/test-app.js';
import {
  type BrowserSession,
  DESKTOP,
  PHONE,
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
import { confirmAndPay, typePayingCard } from './support/cards.js';

const JOURNEY = 'journey-2-screening';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe.skipIf(!BROWSER_TESTS_RUN)(
  'journey 2: screening says plainly what suits, what is adapted and who must see a doctor; the therapist sees why',
  () => {
    let server: BrowserServer;
    let chromium: BrowserSession;
    let market: SmallMarket;
    let therapistPage: Page;
    let pat: Session;
    let sam: Session;
    let chris: Session;
    let chrisBooking: string;

    const withConditions = (conditions: IntakeInput['conditions']): IntakeInput => ({
      ...deskWorkerIntake(),
      conditions,
    });

    /** A first open time of a therapist at their studio, through the search API, from `daysAhead` days on. */
    async function firstSlot(therapistId: string, skip = 0, daysAhead = 0) {
      const from = addDaysIso(todayInNewYork(server.clock), daysAhead);
      const response = await call(server.app, null, {
        method: 'GET',
        url: `/api/availability?durationMin=60&from=${from}&to=${addDaysIso(from, 6)}&zone=America/New_York&mode=studio&lat=40.7549&lng=-73.984&radiusKm=5&therapistId=${therapistId}`,
      });
      const offer = response.json().results[0].offers[0];
      return { start: offer.slots[skip] as string, studioId: offer.place.studioId as string };
    }

    async function signIn(device: typeof PHONE | typeof DESKTOP, email: string, password = 'correct horse battery') {
      const page = await (await newContext(chromium.browser, server, device)).newPage();
      await page.goto('/sign-in');
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
      return page;
    }

    beforeAll(async () => {
      chromium = await launchChromium();
      server = await startBrowserServer();
      market = await createSmallMarket(server);
      pat = await signUp(server.app, 'client', 'Pat Lopez', {
        intake: withConditions({ pregnancy: { weeks: 24 }, fibromyalgia: true }),
      });
      sam = await signUp(server.app, 'client', 'Sam Okafor');
      // Five months ago: past the weeks when a heart attack rules massage out, still inside the year that needs clearance.
      chris = await signUp(server.app, 'client', 'Chris Moreno', {
        intake: withConditions({ heartAttack: { date: addDaysIso(todayInNewYork(server.clock), -150) } }),
      });
      therapistPage = await signIn(DESKTOP, market.dana.session.email);
    });
    afterAll(async () => {
      await chromium?.close();
      await server?.close();
    });

    it('a pregnant client with fibromyalgia reads that deep tissue suits her with changes, and what they are', async () => {
      const page = await signIn(PHONE, pat.email);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Consultation' }).click();
      const result = page.getByRole('region', { name: 'Is deep tissue massage right for you?' });
      await textOf(result).toContain('Deep tissue massage suits you today, with some changes to keep it safe.');
      await textOf(result).toContain('Because you are pregnant');
      await textOf(result).toMatch(/Pressure up to light \(1 of 5\): [^\n]*Abdomen/);
      await textOf(result).toContain('Pressure up to medium (2 of 5): everywhere else');
      await textOf(result).toContain('Side-lying (left side preferred)');
      await snap(page, JOURNEY, '01-client-adaptations');
      await expectAccessible(page, 'screening with adaptations');

      await page.locator('#main').getByRole('link', { name: 'Find a therapist' }).click();
      await page.getByRole('button', { name: 'Search' }).click();
      const dana = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Dana Whitfield' }) });
      await dana.locator('.slots button').first().tap();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Review and confirm');
      const screening = page.getByRole('region', { name: 'Your health screening for this session' });
      await textOf(screening).toContain('with some changes to keep it safe');
      await snap(page, JOURNEY, '02-hold-with-adaptations');
      await expectAccessible(page, 'hold with adaptations');
      await typePayingCard(page);
      await confirmAndPay(page).tap();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('You are booked');
      await page.context().close();
    });

    it('the therapist reads the flags with their reasons and sources in the brief, and lifts a caution with a reason', async () => {
      const page = therapistPage;
      await page.reload();
      const brief = page.getByRole('link', { name: /^Brief for Pat Lopez/ });
      // Her session is this week or, late on a Sunday, next week.
      await shown(page.locator('.session').or(page.getByText('No sessions this week.')));
      if ((await brief.count()) === 0) await page.getByRole('button', { name: 'Next week' }).click();
      await brief.click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Brief: Pat Lopez');
      const flags = page.locator('.flag');
      await countOf(flags).toBe(3);
      const pregnancy = flags.filter({ has: page.getByRole('heading', { name: 'Pregnancy', exact: true }) }).first();
      await textOf(pregnancy).toContain('R · relative');
      await textOf(pregnancy).toMatch(/Sources: MG21/);
      await textOf(pregnancy).toContain('pmc.ncbi.nlm.nih.gov/articles/PMC8396946');
      await textOf(page.getByRole('region', { name: 'Screening' })).toContain(
        'Side-lying (left side preferred), supported with pillows',
      );
      const fibromyalgia = flags.filter({ has: page.getByRole('heading', { name: 'Fibromyalgia' }) });
      await textOf(fibromyalgia).toContain('W-FM');
      await snap(page, JOURNEY, '03-therapist-flags');
      await expectAccessible(page, 'brief with flags');

      await fibromyalgia.getByRole('button', { name: 'Override with a reason' }).click();
      await fibromyalgia.getByLabel(/Why is it safe/).fill('Too short');
      await fibromyalgia.getByRole('button', { name: 'Override this caution' }).click();
      await textOf(fibromyalgia.locator('.field-error')).toContain('at least 10 characters');
      await fibromyalgia
        .getByLabel(/Why is it safe/)
        .fill('Assessed at her last visit: firm pressure is comfortable for her.');
      await fibromyalgia.getByRole('button', { name: 'Override this caution' }).click();
      await textOf(fibromyalgia).toContain('Overridden for this session: Assessed at her last visit');
      await countOf(pregnancy.getByRole('button', { name: 'Override with a reason' })).toBe(1);
      await snap(page, JOURNEY, '04-caution-overridden');
    });

    it('a client whose calf became painful and swollen is told to see a doctor today, and cannot confirm or book', async () => {
      const slot = await firstSlot(market.marcus.id);
      const held = await call(server.app, sam, {
        method: 'POST',
        url: '/api/bookings',
        payload: {
          therapistId: market.marcus.id,
          durationMin: 60,
          start: slot.start,
          place: { mode: 'studio', studioId: slot.studioId },
        },
      });
      expect(held.statusCode, held.body).toBe(201);

      const page = await signIn(PHONE, sam.email);
      await page.goto('/consultation/edit');
      await page.getByRole('button', { name: /Health/ }).tap();
      await page.getByLabel('Pain in a calf with swelling, warmth or redness').check();
      await page.getByRole('group', { name: 'Which leg?' }).getByLabel('Left', { exact: true }).check();
      await page.getByLabel('Swelling', { exact: true }).check();
      await page.getByRole('button', { name: /Pressure and consent/ }).tap();
      await page.getByRole('button', { name: 'Save as a new version' }).click();
      const urgent = page.getByRole('alert').filter({ hasText: 'Please get medical advice today.' });
      await textOf(urgent).toContain('This session cannot go ahead.');
      await textOf(page.getByRole('region', { name: 'Is deep tissue massage right for you?' })).toContain(
        'contact your doctor or an urgent care service today',
      );
      await shown(page.getByText(/The screening of an upcoming booking changed with it/));
      await countOf(page.getByRole('link', { name: 'Find a therapist', exact: true }).and(page.locator('.btn'))).toBe(
        0,
      );
      await snap(page, JOURNEY, '05-same-day-wording');
      await expectAccessible(page, 'same-day medical wording');

      await page.goto(`/bookings/${held.json().id}`);
      await textOf(page.getByRole('heading', { level: 1 })).toBe('This session cannot go ahead');
      await textOf(page.getByRole('region', { name: 'Your health screening for this session' })).toContain(
        'Please get medical advice today.',
      );
      await countOf(page.getByRole('button', { name: /^Confirm/ })).toBe(0);
      await shown(page.getByRole('button', { name: 'Release this time' }));
      await snap(page, JOURNEY, '06-hold-cannot-confirm');
      await expectAccessible(page, 'hold that cannot be confirmed');

      await page.goto(
        '/search?duration=60&mode=studio&near=Midtown&lat=40.7549&lng=-73.984&radius=5&from=' +
          todayInNewYork(server.clock) +
          '&to=' +
          addDaysIso(todayInNewYork(server.clock), 6) +
          '&sort=earliest',
      );
      const dana = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Dana Whitfield' }) });
      await dana.locator('.slots button').nth(2).tap();
      const refusal = dana.getByRole('alert');
      await textOf(refusal).toContain('Please get medical advice today. This session cannot go ahead.');
      await textOf(refusal).toContain('Pain in a calf with swelling, warmth or redness');
      await shown(refusal.getByRole('link', { name: 'update your consultation' }));
      await snap(page, JOURNEY, '07-booking-refused');
      await page.context().close();
    });

    it('a client who needs clearance uploads a note from their doctor, and the therapist verifies it', async () => {
      // Two days ahead: the clearance can still be verified 24 hours before the start.
      const slot = await firstSlot(market.dana.id, 12, 2);
      const held = await call(server.app, chris, {
        method: 'POST',
        url: '/api/bookings',
        payload: {
          therapistId: market.dana.id,
          durationMin: 60,
          start: slot.start,
          place: { mode: 'studio', studioId: slot.studioId },
        },
      });
      expect(held.statusCode, held.body).toBe(201);
      chrisBooking = held.json().id;
      const page = await signIn(PHONE, chris.email);
      await page.goto(`/bookings/${chrisBooking}`);
      await textOf(page.getByRole('region', { name: 'Your health screening for this session' })).toContain(
        'we need a note from them (medical clearance)',
      );
      await typePayingCard(page);
      await confirmAndPay(page).tap();
      // Not confirmed (nor charged) until the clearance is verified: it waits, and says what is missing and by when.
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Waiting for your medical clearance');
      await textOf(page.locator('.awaiting-clearance')).toContain(
        'Not confirmed yet: waiting for your medical clearance.',
      );
      const clearance = page.getByRole('region', { name: 'Medical clearance' });
      await textOf(clearance).toContain(
        'Before this session can be confirmed, we need a note from your cardiologist or doctor',
      );
      await clearance.getByLabel('Upload the note').setInputFiles({
        name: 'not-a-note.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('GIF89a this is an image'),
      });
      await clearance.getByRole('button', { name: 'Upload document' }).tap();
      await textOf(clearance.locator('.field-error')).toContain('Send a PDF, PNG or JPEG');
      await clearance
        .getByLabel('Upload the note')
        .setInputFiles({ name: 'cardiology-clearance.pdf', mimeType: 'application/pdf', buffer: PDF });
      await clearance.getByRole('button', { name: 'Upload document' }).tap();
      await textOf(clearance.getByRole('list', { name: 'Clearance documents' })).toContain('cardiology-clearance.pdf');
      await textOf(clearance.getByRole('list', { name: 'Clearance documents' })).toContain('Waiting for review');
      await snap(page, JOURNEY, '08-clearance-uploaded');
      await expectAccessible(page, 'clearance uploaded');

      const therapist = therapistPage;
      await therapist.goto(`/bookings/${chrisBooking}`);
      await textOf(therapist.getByRole('heading', { level: 1 })).toBe('Session with Chris Moreno');
      const review = therapist.getByRole('region', { name: 'Medical clearance' });
      const [download] = await Promise.all([
        therapist.waitForEvent('download'),
        review.getByRole('link', { name: 'cardiology-clearance.pdf' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('cardiology-clearance.pdf');
      await snap(therapist, JOURNEY, '09-therapist-reviews-clearance');
      await expectAccessible(therapist, 'clearance review');
      await review.getByRole('button', { name: 'Verify cardiology-clearance.pdf' }).click();
      await textOf(review.locator('.badge').first()).toBe('Verified');
      await textOf(review).toContain('Accepted');

      await page.reload();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('You are booked');
      await textOf(page.getByRole('region', { name: 'Medical clearance' })).toContain('checked and accepted');
      await snap(page, JOURNEY, '10-client-sees-verified');
      await page.context().close();
    });
  },
);
