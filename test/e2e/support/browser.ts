import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
  chromium,
} from 'playwright-core';
import { expect } from 'vitest';
import type { Clock } from '../../../src/clock.js';

/** Debian's Chromium, installed by `.ci/run` (`apt-get install -y chromium`); Playwright cannot download browsers here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARTIFACTS = resolve(import.meta.dirname, '../../../test-artifacts');
const require = createRequire(import.meta.url);

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const DESKTOP = { viewport: { width: 1280, height: 860 } };

export interface BrowserSession {
  browser: Browser;
  /** Closes the browser; fails if any page broke the server's Content-Security-Policy. */
  close(): Promise<void>;
}

/**
 * Every Content-Security-Policy violation reported in a browser's pages (`securitypolicyviolation` events), as
 * "page address: what was refused". A page that breaks the policy fails its journey: at its next
 * `expectAccessible`, and at the latest when the browser closes.
 */
const cspViolations = new WeakMap<Browser, { page: Page; text: string }[]>();

/**
 * Launches Chromium; fails loudly, never skips, when it is not installed. Playwright gives every launch a
 * fresh temporary profile (its own --user-data-dir) and removes it on close.
 */
export async function launchChromium(): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium (.ci/run does this).`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const violations: { page: Page; text: string }[] = [];
  cspViolations.set(browser, violations);
  return {
    browser,
    close: async () => {
      await browser.close();
      expect(
        violations.map((v) => v.text),
        'Content-Security-Policy violations',
      ).toEqual([]);
    },
  };
}

/** The policy violations reported in one page since the last call (they are no longer reported at close). */
export function takeCspViolations(page: Page): string[] {
  const all = cspViolations.get(page.context().browser()!) ?? [];
  const taken = all.filter((v) => v.page === page);
  all.splice(0, all.length, ...all.filter((v) => v.page !== page));
  return taken.map((v) => v.text);
}

/**
 * A fresh browser profile opening `server.url`, in New York unless `options` say otherwise (a device, another
 * `timezoneId`), whose pages' time (Date, timers) starts at the server clock's now and flows with it: the browser and
 * the server agree on what "now" is.
 */
export async function newContext(
  browser: Browser,
  server: { url: string; clock: Clock },
  options: BrowserContextOptions,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: server.url,
    timezoneId: 'America/New_York',
    locale: 'en-US',
    ...options,
  });
  await context.clock.install({ time: server.clock.now() });
  context.setDefaultTimeout(15_000);
  const violations = cspViolations.get(browser);
  await context.exposeBinding('reportCspViolation', ({ page }, text: string) =>
    violations?.push({ page, text: `${page.url()}: ${text}` }),
  );
  // Playwright's init scripts and bindings are not subject to the page's policy; the page's own code is.
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (event) =>
    reportCspViolation(event.effectiveDirective + ' refused ' + event.blockedURI + ' (' + (event.sourceFile || 'page') + ':' + event.lineNumber + ')'));`);
  return context;
}

/** Saves a full-page screenshot, or one of `part`, as test-artifacts/<journey>/<step>.png (git ignores the folder). */
export async function snap(page: Page, journey: string, step: string, part?: Locator) {
  const folder = join(ARTIFACTS, journey);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${step}.png`);
  await (part ? part.screenshot({ path }) : page.screenshot({ path, fullPage: true }));
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core'), 'utf8');

/**
 * Runs axe-core in the page and fails on any serious or critical violation, naming each one, or on any breach of
 * the Content-Security-Policy so far. axe is evaluated through the DevTools protocol: the policy refuses inline
 * scripts, which is what a script tag would be.
 */
export async function expectAccessible(page: Page, what: string) {
  expect(takeCspViolations(page), `${what}: Content-Security-Policy violations`).toEqual([]);
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            context: unknown,
            options: unknown,
          ) => Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${what}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

/** Waits for the element to be visible (Playwright's web-first assertions live in @playwright/test, not here). */
export const shown = (locator: Locator) => locator.first().waitFor({ state: 'visible' });

/** Waits for the element to be gone or hidden. */
export const gone = (locator: Locator) => locator.first().waitFor({ state: 'hidden' });

/** The element's visible text, polled until it satisfies the expectation. */
export const textOf = (locator: Locator) =>
  expect.poll(
    async () => ((await locator.first().isVisible()) ? ((await locator.first().innerText()) ?? '').trim() : ''),
    { timeout: 15_000 },
  );

/** How many elements match, polled. */
export const countOf = (locator: Locator) => expect.poll(() => locator.count(), { timeout: 15_000 });
