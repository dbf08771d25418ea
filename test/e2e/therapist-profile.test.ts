import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, call } from '../support/test-app.js';
import type { TherapistFixture } from '../support/therapist-fixture.js';
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
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';
import { sessionToday, signIn } from './support/session-today.js';

const JOURNEY = 'therapist-profile';
const PASSWORD = 'correct horse battery';
const REVIEW = 'Found the knot in my shoulder at once, and asked about the pressure throughout.';

describe.skipIf(!BROWSER_TESTS_RUN)(
  'therapist profile: photo, profile page, a review, a reply and a hidden review',
  () => {
    let server: BrowserServer;
    let chromium: BrowserSession;
    let therapist: TherapistFixture;
    let client: Session;
    let operator: Session;
    let bookingId: string;
    let desk: Page;
    let phone: Page;

    beforeAll(async () => {
      chromium = await launchChromium();
      server = await startBrowserServer();
      ({ therapist, client, operator, bookingId } = await sessionToday(server, { checkIn: true }));
      const out = await call(server.app, therapist.session, {
        method: 'POST',
        url: `/api/bookings/${bookingId}/check-out`,
      });
      expect(out.statusCode, out.body).toBe(200);
      desk = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
      phone = await (await newContext(chromium.browser, server, PHONE)).newPage();
    });
    afterAll(async () => {
      await chromium?.close();
      await server?.close();
    });

    it('the therapist adds languages, years and a photo on the set-up page, refused first for a file that is no photo', async () => {
      await signIn(desk, therapist.session, PASSWORD, '/therapist/schedule');
      await desk.goto('/therapist/setup');
      await desk.getByLabel('Languages').fill('English, Español');
      await desk.getByLabel('Years in practice').fill('12');
      await desk.getByRole('button', { name: 'Save profile' }).click();
      await textOf(desk.getByRole('status')).toContain('Profile saved.');

      const photo = desk.getByRole('region', { name: 'Photo' });
      await photo.getByLabel('Add a photo').setInputFiles({
        name: 'notes.png',
        mimeType: 'image/png',
        buffer: Buffer.from('these are notes, not a photo'),
      });
      await textOf(photo.locator('.field-error')).toBe('The file is not a JPEG, PNG, WebP or AVIF photo');
      await expectAccessible(desk, 'a refused photo');

      const jpeg = await sharp({
        create: { width: 1600, height: 1200, channels: 3, background: { r: 120, g: 150, b: 140 } },
      })
        .jpeg()
        .withExif({ IFD0: { Copyright: 'Camera' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '40/1 45/1 0/1' } })
        .toBuffer();
      await photo.getByLabel('Add a photo').setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer: jpeg });
      await textOf(photo.getByRole('status')).toContain('Photo saved.');
      await shown(photo.getByRole('img', { name: 'Your profile photo' }));
      await snap(desk, JOURNEY, '01-setup-photo');

      await photo.getByRole('link', { name: 'See your public profile' }).click();
      await desk.waitForURL(`**/therapists/${therapist.id}`);
      await textOf(desk.getByRole('heading', { level: 1 })).toBe('Dana Whitfield');
      await shown(desk.getByRole('img', { name: 'Photo of Dana Whitfield' }));
      const facts = await desk.locator('.profile-header').innerText();
      expect(facts).toContain('12 years in practice');
      expect(facts).toContain('Speaks English, Español');
      await textOf(desk.getByRole('region', { name: 'About' })).toContain(
        'Deep tissue, sports and trigger-point work.',
      );
      await textOf(desk.getByRole('region', { name: 'Sessions and prices' })).toContain('Deep tissue, 60 min');
      await textOf(desk.getByRole('region', { name: 'Where' })).toContain('1 Test Street, New York');
      await expectAccessible(desk, 'the own profile');
    });

    it('the client rates with a review on a phone, and reaches the profile from the booking', async () => {
      await signIn(phone, client, PASSWORD, '/search');
      await phone.goto(`/bookings/${bookingId}`);
      await phone.getByText('5 stars').click();
      await phone.getByLabel('Review (optional)').fill(REVIEW);
      await phone.getByLabel('Private comment (optional)').fill('The room was a little cold.');
      await phone.getByRole('button', { name: 'Send rating' }).click();
      await textOf(phone.getByRole('region', { name: 'Rate your session' })).toContain(`Your review: “${REVIEW}”`);
      await expectAccessible(phone, 'the rated session with a review');

      await phone.getByRole('link', { name: 'Dana Whitfield' }).first().click();
      await phone.waitForURL(`**/therapists/${therapist.id}`);
      const reviews = phone.getByRole('region', { name: 'Reviews' });
      await textOf(reviews).toContain(REVIEW);
      await textOf(reviews).toContain('Jamie F.');
      expect(await reviews.innerText()).not.toContain('Fox');
      expect(await reviews.innerText()).not.toContain('cold');
      await textOf(phone.locator('.profile-header')).toContain('5.0 (1 rating)');
      await snap(phone, JOURNEY, '02-profile-phone');
      await expectAccessible(phone, 'the profile on a phone');
    });

    /** Waits until the search result's thumbnail has loaded, at its fixed size, and returns its natural width. */
    const thumbnailIn = async (page: Page) => {
      const card = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Dana Whitfield' }) });
      // Beside the name it would repeat, the photo is decoration: empty alt text, so a screen reader skips it.
      const thumbnail = card.locator('img.avatar-photo');
      await shown(thumbnail);
      expect(await thumbnail.getAttribute('alt')).toBe('');
      await thumbnail.evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode());
      const box = await thumbnail.boundingBox();
      expect([box?.width, box?.height]).toEqual([44, 44]);
      expect(await thumbnail.getAttribute('loading')).toBe('lazy');
      return {
        card,
        naturalWidth: await thumbnail.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      };
    };

    it('search results show the therapist’s photo as a small thumbnail, link to the profile and show the rating', async () => {
      await phone.goto('/search');
      await phone.getByLabel('Near').selectOption('Midtown');
      await phone.getByRole('button', { name: 'Search' }).click();
      const { card, naturalWidth } = await thumbnailIn(phone);
      expect(naturalWidth).toBe(96);
      await textOf(card.locator('.result-meta')).toContain('5.0 (1)');
      await snap(phone, JOURNEY, '02a-search-thumbnail-phone');
      await expectAccessible(phone, 'search results with a photo on a phone');

      const deskSearch = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
      await deskSearch.goto('/search');
      await deskSearch.getByLabel('Near').selectOption('Midtown');
      await deskSearch.getByRole('button', { name: 'Search' }).click();
      await thumbnailIn(deskSearch);
      await snap(deskSearch, JOURNEY, '02b-search-thumbnail-desk');
      await expectAccessible(deskSearch, 'search results with a photo at a desk');
      await deskSearch.context().close();

      await card.getByRole('link', { name: 'Dana Whitfield' }).click();
      await phone.waitForURL(`**/therapists/${therapist.id}`);
      await textOf(phone.getByRole('heading', { level: 1 })).toBe('Dana Whitfield');
    });

    it('the client picks a length and holds one of the therapist’s open times from the profile', async () => {
      const times = phone.getByRole('region', { name: 'Open times' });
      await textOf(times).toContain('At ');
      await times.getByRole('radio', { name: '90 min' }).check();
      const first = times.getByRole('button', { name: /, Dana Whitfield$/ }).first();
      const label = (await first.getAttribute('aria-label'))!;
      await expectAccessible(phone, 'open times on the profile');
      await first.click();
      await phone.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
      const heldId = new URL(phone.url()).pathname.split('/').pop()!;
      const held = await call(server.app, client, { method: 'GET', url: `/api/bookings/${heldId}` });
      expect(held.json()).toMatchObject({ status: 'held', durationMin: 90, therapist: { id: therapist.id } });
      expect(label).toContain(', Dana Whitfield');
      // Let it go again, so the rest of the journey sees the profile as before.
      const released = await call(server.app, client, { method: 'POST', url: `/api/bookings/${heldId}/cancel` });
      expect(released.statusCode, released.body).toBeLessThan(300);
    });

    it('the therapist replies once on their profile', async () => {
      await desk.reload();
      const reviews = desk.getByRole('region', { name: 'Reviews' });
      await reviews.getByLabel('Reply to Jamie F.').fill('Thank you, Jamie. See you next time!');
      await reviews.getByRole('button', { name: 'Send reply' }).click();
      await textOf(reviews).toContain('Reply from Dana Whitfield');
      await textOf(reviews).toContain('Thank you, Jamie. See you next time!');
      expect(await reviews.getByRole('button', { name: 'Send reply' }).count()).toBe(0);
      await snap(desk, JOURNEY, '03-replied');
      await expectAccessible(desk, 'the replied review');
    });

    it('an operator hides the review with a reason; the client no longer sees it', async () => {
      const operatorPage = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
      await signIn(operatorPage, operator, 'operator password', '/operator/licences');
      await operatorPage.goto(`/therapists/${therapist.id}`);
      const reviews = operatorPage.getByRole('region', { name: 'Reviews' });
      await reviews.getByRole('button', { name: 'Hide review' }).click();
      await reviews.getByLabel('Why hide it?').fill('x');
      await reviews.getByRole('button', { name: 'Hide review' }).click();
      await textOf(reviews.locator('.field-error')).toMatch(/at least 3|too small|>=3/i);
      await reviews.getByLabel('Why hide it?').fill('Mentions another client by name');
      await reviews.getByRole('button', { name: 'Hide review' }).click();
      await textOf(reviews).toContain('Hidden from the profile: Mentions another client by name');
      await snap(operatorPage, JOURNEY, '04-hidden-operator');
      await expectAccessible(operatorPage, 'a hidden review, for the operator');

      await phone.goto(`/therapists/${therapist.id}`);
      await textOf(phone.getByRole('region', { name: 'Reviews' })).toContain('No written reviews yet.');
      await textOf(phone.locator('.profile-header')).toContain('5.0 (1 rating)');
    });
  },
);
