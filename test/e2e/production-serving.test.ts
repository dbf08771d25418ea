import type { Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_SCREEN_WIRE_BUDGET_BYTES } from '../web-bundle-budget.js';
import {
  type BrowserSession,
  DESKTOP,
  PHONE,
  launchChromium,
  newContext,
  shown,
  snap,
  takeCspViolations,
} from './support/browser.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';

const JOURNEY = 'production-serving';
const HOME_HEADING = 'Deep tissue massage that gets to the knot.';

describe.skipIf(!BROWSER_TESTS_RUN)(
  'served like a production site: compressed, under a strict security policy, drawn before the account is known',
  () => {
    let server: BrowserServer;
    let chromium: BrowserSession;

    beforeAll(async () => {
      chromium = await launchChromium();
      server = await startBrowserServer();
    });
    afterAll(async () => {
      await chromium?.close();
      await server?.close();
    });

    it('sends the first screen brotli-compressed and within budget, every file with the security headers', async () => {
      const page = await (await newContext(chromium.browser, server, PHONE)).newPage();
      const responses: Response[] = [];
      page.on('response', (response) => responses.push(response));
      await page.goto('/');
      await shown(page.getByRole('heading', { level: 1, name: HOME_HEADING }));
      const firstScreen = responses.filter(
        (r) => new URL(r.url()).pathname === '/' || new URL(r.url()).pathname.startsWith('/assets/'),
      );
      expect(firstScreen.map((r) => new URL(r.url()).pathname.replace(/-[\w-]+\./, '.'))).toEqual(
        expect.arrayContaining(['/', '/assets/index.js', '/assets/index.css']),
      );
      let wireBytes = 0;
      for (const response of firstScreen) {
        const headers = await response.allHeaders();
        expect(headers['content-encoding'], response.url()).toBe('br');
        expect(headers.vary, response.url()).toMatch(/accept-encoding/i);
        expect(headers['content-security-policy'], response.url()).toContain("script-src 'self'");
        expect(headers['x-content-type-options'], response.url()).toBe('nosniff');
        wireBytes += (await response.request().sizes()).responseBodySize;
      }
      expect(wireBytes, 'first screen over the wire, as Chromium received it').toBeLessThanOrEqual(
        FIRST_SCREEN_WIRE_BUDGET_BYTES,
      );
      await snap(page, JOURNEY, 'first-screen');
      await page.context().close();
    });

    it('runs the app, the API reference and the server’s own pages without a policy violation; a foreign inline script is refused', async () => {
      const page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
      await page.goto('/');
      await shown(page.getByRole('heading', { level: 1, name: HOME_HEADING }));
      // The policy is in force: a script the page did not come with neither runs nor goes unreported.
      await page.evaluate(`{
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.injected = "ran"';
      document.body.append(script);
    }`);
      await expect.poll(() => page.evaluate('document.body.dataset.injected ?? "refused"')).toBe('refused');
      await expect
        .poll(() => takeCspViolations(page))
        .toEqual([expect.stringMatching(/script-src-elem refused inline/)]);

      await page.getByRole('link', { name: 'Find a therapist' }).click();
      await page.waitForURL('**/search**');
      await shown(page.getByRole('heading', { level: 1 }));
      expect(takeCspViolations(page), 'search').toEqual([]);

      await page.goto('/sign-in');
      await shown(page.getByRole('button', { name: 'Sign in' }));
      expect(takeCspViolations(page), 'sign-in').toEqual([]);

      await page.goto('/docs');
      // The reference opens with its tags folded; unfolding one renders its operations under the same policy.
      await shown(page.locator('.opblock-tag'));
      await page.locator('.opblock-tag').first().click();
      await shown(page.locator('.opblock-summary'));
      await snap(page, JOURNEY, 'api-reference');
      expect(takeCspViolations(page), '/docs').toEqual([]);

      await page.goto('/problems');
      await shown(page.getByRole('heading', { level: 1, name: 'Error codes' }));
      // Its style sheet applied: the inline block is allowed by its hash.
      expect(await page.evaluate('getComputedStyle(document.body).maxWidth')).not.toBe('none');
      expect(takeCspViolations(page), '/problems').toEqual([]);
      await page.context().close();
    });

    it('draws the home page before /api/me answers, then fills in the account', async () => {
      const context = await newContext(chromium.browser, server, PHONE);
      let answer!: () => void;
      const answered = new Promise<void>((resolve) => {
        answer = resolve;
      });
      let asked!: () => void;
      const askedForAccount = new Promise<void>((resolve) => {
        asked = resolve;
      });
      await context.route('**/api/me', async (route) => {
        asked();
        await answered;
        await route.continue();
      });
      const page = await context.newPage();
      await page.goto('/');
      await askedForAccount;
      await shown(page.getByRole('heading', { level: 1, name: HOME_HEADING }));
      await shown(page.getByRole('link', { name: 'Find a therapist' }));
      // Not yet known: neither "Sign in" nor a name.
      expect(await page.getByRole('link', { name: 'Sign in' }).count()).toBe(0);
      await snap(page, JOURNEY, 'home-before-account');
      answer();
      await shown(page.getByRole('link', { name: 'Sign in' }));
      await shown(page.getByRole('heading', { level: 1, name: HOME_HEADING }));
      await snap(page, JOURNEY, 'home-with-account');
      await context.close();
    });
  },
);
