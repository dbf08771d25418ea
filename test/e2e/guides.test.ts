import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE_SLUGS, GUIDE_TITLES } from '../../src/domain/guide-links.js';
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

const JOURNEY = 'guides';

/** The guides are server pages: read on a phone and a desk, with and without JavaScript, and axe-clean. */
describe.skipIf(!BROWSER_TESTS_RUN)('the guides in a browser', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await chromium?.close();
    await server?.close();
  });

  for (const [device, options] of [
    ['phone', PHONE],
    ['desk', DESKTOP],
  ] as const) {
    it(`on a ${device}: the index and every guide are accessible, with their sources and next steps`, async () => {
      const context = await newContext(chromium.browser, server, options);
      contexts.push(context);
      const page = await context.newPage();

      // The home page asks the guides' questions and leads to the index.
      await page.goto('/');
      const asked = page.getByRole('region', { name: 'Questions people ask' });
      for (const slug of GUIDE_SLUGS)
        expect(await asked.getByRole('link', { name: GUIDE_TITLES[slug], exact: true }).getAttribute('href')).toBe(
          `/guides/${slug}`,
        );
      await asked.getByRole('link', { name: 'All guides' }).click();
      await page.waitForURL('**/guides');
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Guides');
      await expectAccessible(page, `guides index (${device})`);
      await snap(page, JOURNEY, `${device}-index`);

      for (const slug of GUIDE_SLUGS) {
        // From the index, as a reader would.
        await page.goto('/guides');
        await page.getByRole('link', { name: GUIDE_TITLES[slug], exact: true }).first().click();
        await page.waitForURL(`**/guides/${slug}`);
        await textOf(page.getByRole('heading', { level: 1 })).toBe(GUIDE_TITLES[slug]);
        await shown(page.getByRole('heading', { name: 'Sources', level: 2 }));
        const next = page.getByRole('navigation', { name: 'Next steps' });
        expect(await next.getByRole('link', { name: 'Check what is going on in your body' }).getAttribute('href')).toBe(
          '/self-check',
        );
        expect(await next.getByRole('link', { name: /^Find a therapist/ }).getAttribute('href')).toMatch(/^\/search/);
        // Every citation mark leads to a listed source.
        for (const href of await page
          .locator('sup.cite a')
          .evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
          expect(await page.locator(href).count(), href).toBe(1);
        }
        await expectAccessible(page, `${slug} (${device})`);
        await snap(page, JOURNEY, `${device}-${slug}`);
      }

      const missing = await page.goto('/guides/no-such-guide');
      expect(missing?.status()).toBe(404);
      await textOf(page.getByRole('heading', { level: 1 })).toBe('No such guide');
      await expectAccessible(page, `unknown guide (${device})`);
    });
  }

  it('reads the same without JavaScript, and opens search with the guide’s specialty and regions', async () => {
    const context = await newContext(chromium.browser, server, { ...PHONE, javaScriptEnabled: false });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/guides/tight-hamstrings');
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Why are my hamstrings so tight?');
    await textOf(page.locator('article')).toContain('The hamstrings are three muscles at the back of the thigh');
    await textOf(page.getByRole('region', { name: 'When to see a doctor first' })).toContain(
      'needs a doctor today, not a massage',
    );
    expect(await page.getByRole('link', { name: 'Find a therapist for this' }).getAttribute('href')).toBe(
      '/search?specialty=hamstrings&focus=hamstrings.left%2Chamstrings.right',
    );
    await snap(page, JOURNEY, 'phone-no-javascript');
  });
});
