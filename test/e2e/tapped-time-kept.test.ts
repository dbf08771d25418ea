import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUp, uniqueEmail } from '../support/test-app.js';
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
import { fillShortConsultation } from './support/consultation.js';
import { addDaysIso, dateInNewYork, todayInNewYork } from './support/dates.js';
import { type SmallMarket, createSmallMarket } from './support/market.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';
import { signIn } from './support/session-today.js';
import { confirmAndPay, confirmWithCard, typePayingCard } from './support/cards.js';

const JOURNEY = 'tapped-time-kept';
const ZONE = 'America/New_York';
const PASSWORD = 'a much longer password';

/** What a person in New York reads for an instant, spelled out here rather than borrowed from the app. */
const inZone = (iso: string, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('en-US', { timeZone: ZONE, ...options }).format(new Date(iso));
const time = (iso: string) => inZone(iso, { hour: 'numeric', minute: '2-digit' });
const shortWhen = (iso: string) => `${inZone(iso, { weekday: 'short', month: 'short', day: 'numeric' })}, ${time(iso)}`;
/** ICU may put a narrow no-break space before AM/PM; compare words, not spacing. */
const words = (text: string) => text.replace(/\s+/g, ' ').trim();
const readsAs = (locator: Locator) =>
  expect.poll(async () => ((await locator.first().isVisible()) ? words(await locator.first().innerText()) : ''), {
    timeout: 15_000,
  });

/** Searches Midtown within 3 miles for 60 minutes and taps the therapist's `nth` open time. */
async function tapTime(page: Page, therapist: string, nth: number) {
  await page.goto('/search');
  await page.getByLabel('Near').selectOption('Midtown');
  await page.getByLabel('Within').selectOption({ label: '3 mi' });
  await page.getByRole('button', { name: 'Search' }).click();
  const card = page.getByRole('article').filter({ has: page.getByRole('heading', { name: therapist }) });
  const slot = card.locator('.slots button').nth(nth);
  await shown(slot);
  await slot.tap();
}

/** The tapped time, read from the address the page was sent to (the hold page, in `?next=`). */
function pendingFrom(page: Page) {
  const next = new URL(page.url()).searchParams.get('next');
  expect(next).toMatch(/^\/hold\?/);
  const hold = new URL(next!, 'http://app.invalid').searchParams;
  return { next: next!, start: hold.get('start')! };
}

async function createAccount(page: Page, name: string, email: string) {
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** The held booking the page shows, as stored. */
async function heldBooking(server: BrowserServer, page: Page) {
  await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').at(-1)!;
  return server.database.db
    .selectFrom('bookings')
    .innerJoin('users', 'users.id', 'bookings.client_id')
    .select(['bookings.therapist_id', 'bookings.starts_at', 'bookings.status', 'bookings.duration_min', 'users.email'])
    .where('bookings.id', '=', id)
    .executeTakeFirstOrThrow();
}

describe.skipIf(!BROWSER_TESTS_RUN)(
  'the tapped time survives sign-in, sign-up and the consultation, on a phone',
  () => {
    let server: BrowserServer;
    let chromium: BrowserSession;
    let market: SmallMarket;

    beforeAll(async () => {
      chromium = await launchChromium();
      server = await startBrowserServer();
      market = await createSmallMarket(server);
    });
    afterAll(async () => {
      await chromium?.close();
      await server?.close();
    });

    describe('a visitor taps a time, signs up and completes the consultation', () => {
      let page: Page;
      let pending: { next: string; start: string };
      const email = uniqueEmail('robin');

      beforeAll(async () => {
        page = await (await newContext(chromium.browser, server, PHONE)).newPage();
      });

      it('is asked to sign in, and told it is to hold that time with that therapist', async () => {
        await tapTime(page, 'Dana Whitfield', 2);
        await page.waitForURL(/\/sign-in\?next=/);
        pending = pendingFrom(page);
        await readsAs(page.getByRole('status')).toContain(
          `Sign in to hold ${words(shortWhen(pending.start))} with Dana Whitfield.`,
        );
        await readsAs(page.getByRole('status')).toContain('Deep tissue, 60 min, at Studio, 1 Test Street, New York');
        await snap(page, JOURNEY, '01-sign-in-to-hold');
        await expectAccessible(page, 'sign-in with a tapped time');
      });

      it('goes to sign-up by the header’s link, which keeps the time', async () => {
        await page.getByRole('banner').getByRole('link', { name: 'Sign up' }).tap();
        await page.waitForURL(/\/sign-up\?next=/);
        expect(new URL(page.url()).searchParams.get('next')).toBe(pending.next);
        await readsAs(page.getByRole('status')).toContain(
          `Create your account to hold ${words(shortWhen(pending.start))} with Dana Whitfield.`,
        );
        await snap(page, JOURNEY, '02-sign-up-to-hold');
        await expectAccessible(page, 'sign-up with a tapped time');
        await page.reload();
        await readsAs(page.getByRole('status')).toContain(
          `Create your account to hold ${words(shortWhen(pending.start))} with Dana Whitfield.`,
        );
        await createAccount(page, 'Robin Ellis', email);
      });

      it('is asked for the consultation, with the time still named, and lands on the hold of that exact time', async () => {
        await page.waitForURL(/\/consultation\?next=/);
        expect(new URL(page.url()).searchParams.get('next')).toBe(pending.next);
        await readsAs(page.getByRole('status')).toContain(
          `Complete your consultation, then we’ll hold ${words(shortWhen(pending.start))} with Dana Whitfield.`,
        );
        await snap(page, JOURNEY, '03-consultation-then-hold');
        await expectAccessible(page, 'consultation with a tapped time');
        await fillShortConsultation(page);

        const booking = await heldBooking(server, page);
        expect(booking).toMatchObject({ therapist_id: market.dana.id, status: 'held', duration_min: 60, email });
        expect(booking.starts_at.toISOString()).toBe(pending.start);
        await textOf(page.getByRole('heading', { level: 1 })).toBe('Review and confirm');
        // The booking's own page: "Sunday, December 6, 8:30–9:30 AM" (one AM/PM for a range within it).
        const clockOnly = words(inZone(pending.start, { hour: 'numeric', minute: '2-digit' })).replace(/ [AP]M$/, '');
        await readsAs(page.locator('.summary-title')).toMatch(
          new RegExp(
            `^${words(inZone(pending.start, { weekday: 'long', month: 'long', day: 'numeric' }))}, ${clockOnly}( [AP]M)?–`,
          ),
        );
        await shown(page.getByRole('region', { name: 'Your health screening for this session' }));
        await snap(page, JOURNEY, '04-held');

        await typePayingCard(page);
        await confirmAndPay(page).tap();
        await textOf(page.getByRole('heading', { level: 1 })).toBe('You are booked');
        await snap(page, JOURNEY, '05-confirmed');
      });

      it('coming back to the way it came does not hold the time twice', async () => {
        await page.goto(pending.next);
        await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
        await textOf(page.getByRole('heading', { level: 1 })).toBe('You are booked');
        const mine = await server.database.db
          .selectFrom('bookings')
          .innerJoin('users', 'users.id', 'bookings.client_id')
          .select('bookings.id')
          .where('users.email', '=', email)
          .execute();
        expect(mine).toHaveLength(1);
      });
    });

    describe('another client takes the time meanwhile', () => {
      let page: Page;
      let email: string;

      beforeAll(async () => {
        page = await (await newContext(chromium.browser, server, PHONE)).newPage();
      });

      /** Another client holds and confirms Dana's time through the API. */
      async function takeDanaAt(start: string) {
        const other = await signUp(server.app, 'client', 'Sam Rivera');
        const taken = await call(server.app, other, {
          method: 'POST',
          url: '/api/bookings',
          payload: {
            therapistId: market.dana.id,
            durationMin: 60,
            start,
            place: { mode: 'studio', studioId: market.dana.studioId },
          },
        });
        expect(taken.statusCode, taken.body).toBe(201);
        expect((await confirmWithCard(server.app, other, taken.json().id)).statusCode).toBe(200);
      }

      const labelOf = (iso: string) =>
        `${words(inZone(iso, { weekday: 'long', month: 'long', day: 'numeric' }))} at ${words(time(iso))}, Dana Whitfield`;

      /**
       * The page says the time was taken and offers Dana's nearest open times: not the taken one, and among them the
       * first open time after it as the API's search narrowed to Dana gives it, which it taps.
       */
      async function takenThenTapNearestAfter(taken: string, step: string): Promise<string> {
        await textOf(page.getByRole('heading', { level: 1 })).toBe('That time was just taken');
        await readsAs(page.locator('.page-header')).toContain(
          `Another client booked ${words(shortWhen(taken))} with Dana Whitfield in the meantime.`,
        );
        const offered = page
          .getByRole('region', { name: 'Dana Whitfield’s nearest open times' })
          .locator('.slots button');
        await shown(offered);
        const day = dateInNewYork(taken);
        const search = await call(server.app, null, {
          method: 'GET',
          url: `/api/availability?durationMin=60&from=${day}&to=${addDaysIso(day, 1)}&zone=${ZONE}&mode=studio&lat=40.7549&lng=-73.984&radiusKm=1&therapistId=${market.dana.id}&slotsPerTherapist=500`,
        });
        const open: string[] = search.json().results[0].offers[0].slots;
        expect(open).not.toContain(taken);
        const after = open.find((slot) => slot > taken)!;
        const labels = (
          await offered.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? ''))
        ).map(words);
        expect(labels.length).toBeLessThanOrEqual(8);
        expect(labels).not.toContain(labelOf(taken));
        expect(labels).toContain(labelOf(after));
        await snap(page, JOURNEY, step);
        await expectAccessible(page, `taken time with the nearest open times (${step})`);
        await offered.nth(labels.indexOf(labelOf(after))).tap();
        return after;
      }

      it('while the visitor signs up: says so at once, before the consultation, and offers Dana’s nearest times', async () => {
        await tapTime(page, 'Dana Whitfield', 4);
        await page.waitForURL(/\/sign-in\?next=/);
        const tapped = pendingFrom(page).start;
        await page.getByRole('link', { name: 'Create an account' }).tap();
        await readsAs(page.getByRole('status')).toContain(
          `Create your account to hold ${words(shortWhen(tapped))} with Dana Whitfield.`,
        );
        await takeDanaAt(tapped);
        email = uniqueEmail('kim');
        await createAccount(page, 'Kim Park', email);

        const chosen = await takenThenTapNearestAfter(tapped, '06-taken-at-sign-up');
        await page.waitForURL(/\/consultation\?next=/);
        expect(pendingFrom(page).start).toBe(chosen);
        await readsAs(page.getByRole('status')).toContain(
          `Complete your consultation, then we’ll hold ${words(shortWhen(chosen))} with Dana Whitfield.`,
        );
      });

      it('while the client does the consultation: says so after it, and holds one of the nearest times', async () => {
        const chosen = pendingFrom(page).start;
        await takeDanaAt(chosen);
        await fillShortConsultation(page);

        const next = await takenThenTapNearestAfter(chosen, '07-taken-during-consultation');
        const booking = await heldBooking(server, page);
        expect(booking).toMatchObject({ therapist_id: market.dana.id, status: 'held', email });
        expect(booking.starts_at.toISOString()).toBe(next);
        await textOf(page.getByRole('heading', { level: 1 })).toBe('Review and confirm');
        await snap(page, JOURNEY, '08-nearest-time-held');
      });
    });

    describe('a signed-in client without a consultation taps a time, at a desk', () => {
      it('is asked for the consultation with the time named, and lands on its hold', async () => {
        const page = await (await newContext(chromium.browser, server, PHONE)).newPage();
        const client = await signUp(server.app, 'client', 'Lee Chen', { intake: null });
        await page.goto('/sign-in');
        await page.getByLabel('E-mail').fill(client.email);
        await page.getByLabel('Password').fill('correct horse battery');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL('**/search');

        await tapTime(page, 'Marcus Lee', 1);
        await page.waitForURL(/\/consultation\?next=/);
        const pending = pendingFrom(page);
        await readsAs(page.getByRole('status')).toContain(
          `Complete your consultation, then we’ll hold ${words(shortWhen(pending.start))} with Marcus Lee.`,
        );
        await snap(page, JOURNEY, '09-signed-in-consultation-then-hold');
        await fillShortConsultation(page);
        const booking = await heldBooking(server, page);
        expect(booking).toMatchObject({ therapist_id: market.marcus.id, status: 'held', email: client.email });
        expect(booking.starts_at.toISOString()).toBe(pending.start);
      });
    });

    describe('at a desk', () => {
      it('the sign-in page names the time a link to a hold carries', async () => {
        const page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
        const today = todayInNewYork(server.clock);
        const search = await call(server.app, null, {
          method: 'GET',
          url: `/api/availability?durationMin=90&from=${today}&to=${addDaysIso(today, 6)}&zone=${ZONE}&mode=studio&lat=40.7359&lng=-73.9911&radiusKm=1&therapistId=${market.marcus.id}`,
        });
        const start: string = search.json().results[0].offers[0].slots[3];
        const hold = `/hold?therapist=${market.marcus.id}&start=${encodeURIComponent(start)}&zone=${ZONE}&duration=90&studio=${market.marcus.studioId}`;
        await page.goto(`/sign-in?next=${encodeURIComponent(hold)}`);
        await readsAs(page.getByRole('status')).toContain(
          `Sign in to hold ${words(shortWhen(start))} with Marcus Lee.`,
        );
        await readsAs(page.getByRole('status')).toContain('Deep tissue, 90 min, at Studio');
        await snap(page, JOURNEY, '10-desk-sign-in-to-hold');
      });
    });

    describe('a tampered address', () => {
      it('shows no time on sign-in, and the hold page goes back to search', async () => {
        const page = await (await newContext(chromium.browser, server, PHONE)).newPage();
        const forged = `/hold?therapist=${market.dana.id}&start=2026-11-24T14:30:00Z&duration=60&studio=${market.dana.studioId}`;
        await page.goto(`/sign-in?next=${encodeURIComponent(forged)}`);
        await shown(page.getByText('Welcome back.'));
        await countOf(page.getByRole('status')).toBe(0);

        const client = await signUp(server.app, 'client', 'Ari Stone');
        await signIn(page, client, 'correct horse battery', '/search');
        await page.goto(forged);
        await page.waitForURL((url) => url.pathname === '/search');
        const unknownTherapist = forged
          .replace(market.dana.id, '00000000-0000-4000-8000-000000000000')
          .replace('14:30:00Z', '14:30:00.000Z');
        await page.goto(unknownTherapist);
        await page.waitForURL((url) => url.pathname === '/search');
        const bookings = await server.database.db
          .selectFrom('bookings')
          .select('id')
          .where('client_id', '=', client.id)
          .execute();
        expect(bookings).toHaveLength(0);
      });
    });
  },
);
