import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, type Locator, type Page, chromium } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium, installed by `.ci/run` (`apt-get install -y chromium`); Playwright cannot download browsers here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARTIFACTS = resolve(import.meta.dirname, '../../../test-artifacts');
const require = createRequire(import.meta.url);

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const DESKTOP = { viewport: { width: 1280, height: 860 } };

export interface BrowserSession {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches Chromium; fails loudly, never skips, when it is not installed. Playwright gives every launch a
 * fresh temporary profile (its own --user-data-dir) and removes it on close.
 */
export async function launchChromium(): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium (.ci/run does this).`);
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
  return {
    browser,
    close: () => browser.close(),
  };
}

export async function newContext(browser: Browser, baseURL: string, device: typeof PHONE | typeof DESKTOP): Promise<BrowserContext> {
  const context = await browser.newContext({ ...device, baseURL, timezoneId: 'America/New_York', locale: 'en-US' });
  context.setDefaultTimeout(15_000);
  return context;
}

/** Saves a full-page screenshot, or one of `part`, as test-artifacts/<journey>/<step>.png (git ignores the folder). */
export async function snap(page: Page, journey: string, step: string, part?: Locator) {
  const folder = join(ARTIFACTS, journey);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${step}.png`);
  await (part ? part.screenshot({ path }) : page.screenshot({ path, fullPage: true }));
}

/** Runs axe-core in the page and fails on any serious or critical violation, naming each one. */
export async function expectAccessible(page: Page, what: string) {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${what}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

/** Waits for the element to be visible (Playwright's web-first assertions live in @playwright/test, not here). */
export const shown = (locator: Locator) => locator.first().waitFor({ state: 'visible' });

/** Waits for the element to be gone or hidden. */
export const gone = (locator: Locator) => locator.first().waitFor({ state: 'hidden' });

/** The element's visible text, polled until it satisfies the expectation. */
export const textOf = (locator: Locator) => expect.poll(async () => ((await locator.first().isVisible()) ? ((await locator.first().innerText()) ?? '').trim() : ''), { timeout: 15_000 });

/** How many elements match, polled. */
export const countOf = (locator: Locator) => expect.poll(() => locator.count(), { timeout: 15_000 });
