import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, DESKTOP, launchChromium, newContext, shown, snap } from './support/browser.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';

const JOURNEY = 'api-docs';

interface Document {
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
  paths: Record<string, Record<string, { tags?: string[] }>>;
}

/** Each operation's first tag, by method and path. */
const operationsByTag = (doc: Document) =>
  Object.fromEntries(
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => [`${method} ${path}`, op.tags?.[0] ?? 'default']),
    ),
  );

/*
 * The reference page is @fastify/swagger-ui's, rendered from the same description as /openapi.json. axe-core is not
 * run here: what it would find is in swagger-ui's own markup, not ours.
 */
describe.skipIf(!BROWSER_TESTS_RUN)('the API reference at /docs', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  let page: Page;
  let document: Document;

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
    document = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('renders every component schema with its properties, and no resolver errors', async () => {
    await page.goto('/docs');
    // Folded at first, like the tags: open the Schemas section.
    await page.locator('section.models .models-control').click();
    const schemas = page.locator('section.models > div > article[data-json-schema-level="0"]');
    await shown(schemas);
    const names = await schemas
      .locator(':scope > .json-schema-2020-12-head .json-schema-2020-12__title')
      .allInnerTexts();
    expect([...names].sort()).toEqual(Object.keys(document.components.schemas).sort());

    // Open the schemas a batch at a time, read the properties each one shows, and fold them again, so the page stays
    // light for the next test. swagger-ui takes about 2 s a schema to show its properties on a busy 2-core machine
    // (a batch of 20 about 45 s, all 69 about 150 s), hence the long limits.
    const toggle = (from: number, to: number) =>
      schemas.evaluateAll(
        (articles, [first, end]) =>
          articles.slice(first, end).forEach((article) =>
            (
              article.querySelector(':scope > .json-schema-2020-12-head .json-schema-2020-12-accordion') as unknown as {
                click(): void;
              }
            ).click(),
          ),
        [from, to] as const,
      );
    const shownProperties = (from: number, to: number) =>
      schemas.evaluateAll(
        (articles, [first, end]) =>
          Object.fromEntries(
            articles
              .slice(first, end)
              .map((article) => [
                article.querySelector(':scope > .json-schema-2020-12-head .json-schema-2020-12__title')?.textContent,
                [
                  ...article.querySelectorAll(
                    ':scope > .json-schema-2020-12-body > .json-schema-2020-12-keyword--properties > ul > li > article > .json-schema-2020-12-head .json-schema-2020-12__title',
                  ),
                ].map((title) => title.textContent),
              ]),
          ),
        [from, to] as const,
      );
    const expected = Object.fromEntries(
      Object.entries(document.components.schemas).map(([name, schema]) => [name, Object.keys(schema.properties ?? {})]),
    );
    const BATCH = 20;
    for (let from = 0; from < names.length; from += BATCH) {
      const to = Math.min(from + BATCH, names.length);
      await toggle(from, to);
      await expect
        .poll(() => shownProperties(from, to), { timeout: 150_000 })
        .toEqual(Object.fromEntries(names.slice(from, to).map((name) => [name, expected[name]])));
      await toggle(from, to);
    }
    expect(await page.locator('.errors-wrapper').count()).toBe(0);
    const booking = schemas.filter({
      has: page.locator(':scope > .json-schema-2020-12-head .json-schema-2020-12__title', { hasText: /^Booking$/ }),
    });
    await booking.locator(':scope > .json-schema-2020-12-head .json-schema-2020-12-accordion').click();
    await shown(booking.locator(':scope > .json-schema-2020-12-body'));
    await snap(page, JOURNEY, 'booking-schema', booking);
  }, 600_000);

  it('shows an operation with its example and every problem it can answer', async () => {
    // The tags start folded (docExpansion none: over 130 operations stop swagger-ui's first render part-way).
    const tags = page.locator('.opblock-tag');
    expect(await tags.allInnerTexts()).toHaveLength(new Set(Object.values(operationsByTag(document))).size);
    await tags.filter({ hasText: /^booking/ }).click();
    const hold = page
      .locator('.opblock-post')
      .filter({ has: page.locator('.opblock-summary-path[data-path="/api/bookings"]') });
    await hold.locator('.opblock-summary').click();
    await shown(hold.locator('.responses-table'));
    const statuses = await hold
      .locator('.responses-table > tbody > tr.response > td.response-col_status')
      .allInnerTexts();
    expect(statuses.map((s) => s.trim())).toEqual(['201', '400', '401', '403', '409', '413', '415', '422', '503']);
    await expect
      .poll(() => hold.locator('.opblock-section-request-body').innerText())
      .toContain('3f2b8c1e-5d4a-4b6f-9e7d-2c1a0b9f8e7d');
    await expect.poll(() => hold.locator('.responses-table').innerText()).toContain('slot_unavailable');
    await snap(page, JOURNEY, 'hold-a-slot', hold.locator('.opblock-section-request-body'));
    await snap(page, JOURNEY, 'hold-a-slot-problems', hold.locator('.responses-table'));
  });
});
