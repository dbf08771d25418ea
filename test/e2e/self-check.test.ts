import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmail } from '../support/test-app.js';
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
import { nextStep } from './support/consultation.js';
import { type SmallMarket, createSmallMarket } from './support/market.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';

const JOURNEY = 'self-check';
const PASSWORD = 'a much longer password';
const MARKED = ['low_back.left', 'hamstrings.left', 'hamstrings.right'];

/**
 * A visitor's way in by a question: the home page, the self-check (hamstrings and low back marked on the body map,
 * the questions answered), its result, "Find a therapist for this", search with the specialty and the places, a
 * tapped time, sign-up, the consultation starting from the places marked, and the held booking focused on them.
 */
async function selfCheck(page: Page, size: string) {
  await page.goto('/');
  await page.getByRole('link', { name: 'Check what is going on' }).click();
  await page.waitForURL(/\/self-check$/);
  await textOf(page.getByRole('heading', { level: 1 })).toBe('What is going on in my body?');
  // A phone shows one side of the body at a time; a desk shows both.
  const backView = page.getByRole('button', { name: 'Back', exact: true });
  if (await backView.isVisible()) await backView.click();
  await page.getByRole('button', { name: 'Back of the thigh (hamstrings), left', exact: true }).click();
  await page.getByRole('button', { name: 'Back of the thigh (hamstrings), right', exact: true }).click();
  await page.getByRole('button', { name: 'Low back, left', exact: true }).click();
  await page.getByRole('slider', { name: 'Pain, Low back, left' }).fill('6');
  await page.getByRole('slider', { name: 'Tightness, Back of the thigh (hamstrings), left' }).fill('8');
  await page.getByLabel('Months or longer').check();
  await page.getByRole('group', { name: 'What makes it worse?' }).getByLabel('Sitting').check();
  await page.getByRole('group', { name: 'What makes it better?' }).getByLabel('Moving about').check();
  await page.getByLabel('Lightly active').check();
  await page.getByLabel('Hours a day sitting (desk, screen, driving)').fill('9');
  await snap(page, JOURNEY, `${size}-01-self-check`);
  await expectAccessible(page, `the self-check (${size})`);
  await page.getByRole('button', { name: 'See what is going on' }).click();

  await textOf(page.getByRole('heading', { level: 1 })).toBe('Your self-check');
  const safety = page.getByRole('region', { name: 'Is it safe to book?' });
  await textOf(safety).toContain('Nothing you told us stops a deep tissue session');
  const likely = page.getByRole('region', { name: 'What is likely going on' });
  await textOf(likely).toContain('Tight hamstrings pull on the pelvis');
  await textOf(likely).toContain('Referred pain from the gluteus medius');
  await textOf(likely).toContain('Why firm pressure on tight legs can hurt');
  await textOf(page.getByRole('region', { name: 'What you can do yourself' })).toContain('Glute bridge');
  await textOf(page.getByRole('region', { name: 'Sources' })).toContain('NAMTPT-Gmed');
  expect(await page.getByRole('link', { name: 'Why are my hamstrings so tight?' }).getAttribute('href')).toBe(
    '/guides/tight-hamstrings',
  );
  await snap(page, JOURNEY, `${size}-02-result`);
  await expectAccessible(page, `the self-check's result (${size})`);
}

describe.skipIf(!BROWSER_TESTS_RUN)('from the home page through the self-check to a held booking', () => {
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

  for (const [size, device] of [
    ['phone', PHONE],
    ['desk', DESKTOP],
  ] as const) {
    it(`carries the places marked to the consultation and the booking (${size})`, async () => {
      const page = await (await newContext(chromium.browser, server, device)).newPage();
      const email = uniqueEmail(`self-check-${size}`);
      await selfCheck(page, size);

      await page.getByRole('link', { name: 'Find a therapist for this' }).first().click();
      await page.waitForURL(/\/search\?/);
      const searchUrl = new URL(page.url());
      expect(searchUrl.searchParams.get('specialty')).toBe('hamstrings');
      expect(searchUrl.searchParams.get('focus')).toBe(MARKED.join(','));
      await expect.poll(() => page.getByLabel('Specialty').inputValue()).toBe('hamstrings');
      await textOf(page.getByRole('region', { name: 'From your self-check' })).toContain(
        'Back of the thigh (hamstrings) (left)',
      );
      await page.getByLabel('Near').selectOption('Midtown');
      await page.getByLabel('Within').selectOption({ label: '3 mi' });
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/from=/);
      expect(new URL(page.url()).searchParams.get('focus')).toBe(MARKED.join(','));
      const card = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Dana Whitfield' }) });
      const slot = card.locator('.slots button').nth(1);
      await shown(slot);
      await snap(page, JOURNEY, `${size}-03-search`);
      await slot.click();

      await page.waitForURL(/\/sign-in\?next=/);
      const next = new URL(page.url()).searchParams.get('next')!;
      expect(new URL(next, 'http://app.invalid').searchParams.get('focus')).toBe(MARKED.join(','));
      await page.getByRole('banner').getByRole('link', { name: 'Sign up' }).click();
      await page.waitForURL(/\/sign-up\?next=/);
      await page.getByLabel('Your name').fill('Jordan Avery');
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();

      await page.waitForURL(/\/consultation\?next=/);
      await textOf(page.locator('.page-header')).toContain('The places you marked in your self-check are already');
      await expect
        .poll(() =>
          page
            .locator('.region[aria-pressed="true"]')
            .evaluateAll((els) => els.map((e) => e.getAttribute('data-ref')).sort()),
        )
        .toEqual([...MARKED].sort());
      // The ratings came along too (kept in the tab), and the client can still change them.
      expect(await page.getByRole('slider', { name: 'Pain, Low back, left' }).inputValue()).toBe('6');
      await page.getByRole('slider', { name: 'Pain, Back of the thigh (hamstrings), right' }).fill('3');
      await snap(page, JOURNEY, `${size}-04-consultation-prefilled`);
      await nextStep(page);
      await page.getByLabel('Lightly active').check();
      await page.getByLabel('Hours a day at a desk or screen').fill('9');
      await nextStep(page);
      await nextStep(page);
      await nextStep(page);
      await page.getByLabel('4. Deep').check();
      await page.getByLabel(/I agree to deep tissue massage/).check();
      await page.getByLabel(/I agree that Knotwork keeps/).check();
      await page.getByRole('button', { name: 'Save my consultation' }).click();

      await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
      const id = page.url().split('/').at(-1)!;
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Review and confirm');
      await snap(page, JOURNEY, `${size}-05-held`);
      const booking = await server.database.db
        .selectFrom('bookings')
        .innerJoin('users', 'users.id', 'bookings.client_id')
        .select(['bookings.status', 'bookings.therapist_id', 'users.email'])
        .where('bookings.id', '=', id)
        .executeTakeFirstOrThrow();
      expect(booking).toEqual({ status: 'held', therapist_id: market.dana.id, email });
      const screening = await server.database.db
        .selectFrom('booking_screenings')
        .select('focus_regions')
        .where('booking_id', '=', id)
        .executeTakeFirstOrThrow();
      expect([...screening.focus_regions!].sort()).toEqual([...MARKED].sort());
      const intake = await server.database.db
        .selectFrom('intake_versions')
        .innerJoin('users', 'users.id', 'intake_versions.client_id')
        .select('intake_versions.data')
        .where('users.email', '=', email)
        .executeTakeFirstOrThrow();
      const bodyMap = intake.data.bodyMap;
      expect(bodyMap.map((e) => e.region).sort()).toEqual([...MARKED].sort());
      expect(bodyMap.find((e) => e.region === 'low_back.left')!.pain).toBe(6);
      expect(bodyMap.find((e) => e.region === 'hamstrings.right')!.pain).toBe(3);
    });
  }

  it('a red flag answered yes puts the emergency first and offers no therapist', async () => {
    const page = await (await newContext(chromium.browser, server, PHONE)).newPage();
    await page.goto('/self-check');
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await page.getByRole('button', { name: 'Low back, left', exact: true }).click();
    await page.getByLabel('Under a week').check();
    await page.getByLabel('Mostly sitting').check();
    await page.getByLabel('Hours a day sitting (desk, screen, driving)').fill('4');
    await page.getByLabel('New trouble controlling your bladder or bowels').check();
    await page.getByRole('button', { name: 'See what is going on' }).click();
    const alert = page.getByRole('alert');
    await textOf(alert).toContain('Call your local emergency number now');
    await textOf(alert).toContain('Call for help now');
    expect(await page.getByRole('link', { name: /Find a therapist/ }).count()).toBe(0);
    await snap(page, JOURNEY, 'phone-06-emergency');
    await expectAccessible(page, 'the self-check with an emergency');
  });
});
