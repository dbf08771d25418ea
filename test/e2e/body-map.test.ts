import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGION_REFS, parseRegionRef } from '../../src/domain/body-regions.js';
import {
  type BrowserSession,
  DESKTOP,
  PHONE,
  expectAccessible,
  launchChromium,
  newContext,
  snap,
} from './support/browser.js';
import { FlowingClock } from './support/clock.js';
import { BROWSER_TESTS_RUN } from './support/server.js';

const JOURNEY = 'component-body-map';
const ORIGIN = 'http://harness.test';

const nameOf = (ref: string) => {
  const { region, side } = parseRegionRef(ref)!;
  return side ? `${region.label}, ${side}` : region.label;
};

describe.skipIf(!BROWSER_TESTS_RUN)('the body map component, by mouse, keyboard and touch', () => {
  let chromium: BrowserSession;
  let dist: string;

  /** The harness page (web/harness), built for this test and served from memory under a made-up origin. */
  async function open(device: typeof PHONE | typeof DESKTOP): Promise<Page> {
    const context = await newContext(chromium.browser, { url: ORIGIN, clock: new FlowingClock() }, device);
    await context.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      return route.fulfill({ path: join(dist, path === '/' ? 'body-map.html' : path) });
    });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: 'Where does it hurt?' }).waitFor();
    return page;
  }

  const valueOf = async (page: Page) =>
    JSON.parse((await page.getByTestId('value').textContent()) ?? '{}') as Record<
      string,
      { tightness: number; pain: number }
    >;
  const pressed = (page: Page, name: string) =>
    page.getByRole('button', { name, exact: true }).getAttribute('aria-pressed');

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'knotwork-body-map-'));
    await build({
      configFile: false,
      root: resolve(import.meta.dirname, '../../web/harness'),
      plugins: [react()],
      build: {
        outDir: dist,
        emptyOutDir: true,
        rolldownOptions: { input: resolve(import.meta.dirname, '../../web/harness/body-map.html') },
      },
      logLevel: 'warn',
    });
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('offers every region of the catalogue, each side on its own, with its name, front and back', async () => {
    const page = await open(DESKTOP);
    const targets = await page.locator('[role="button"][data-ref]').evaluateAll((els) =>
      els.map((el) => ({
        ref: el.getAttribute('data-ref')!,
        name: el.getAttribute('aria-label')!,
        view: el.closest('[data-view]')!.getAttribute('data-view')!,
      })),
    );
    expect(targets.map((t) => t.ref).sort()).toEqual([...REGION_REFS].sort());
    for (const target of targets) {
      expect(target.name).toBe(nameOf(target.ref));
      expect(target.view).toBe(parseRegionRef(target.ref)!.region.view);
    }
    await snap(page, JOURNEY, '01-desktop-empty');
    await expectAccessible(page, 'body map, nothing marked');
    await page.context().close();
  });

  it('marks a region by click, then rates tightness and pain from 0 to 10 with the keyboard', async () => {
    const page = await open(DESKTOP);
    await page.getByRole('button', { name: 'Back of the thigh (hamstrings), left', exact: true }).click();
    expect(await pressed(page, 'Back of the thigh (hamstrings), left')).toBe('true');
    expect(await pressed(page, 'Back of the thigh (hamstrings), right')).toBe('false');
    expect(await valueOf(page)).toEqual({ 'hamstrings.left': { tightness: 5, pain: 0 } });

    const tightness = page.getByRole('slider', { name: 'Tightness, Back of the thigh (hamstrings), left' });
    const pain = page.getByRole('slider', { name: 'Pain, Back of the thigh (hamstrings), left' });
    await tightness.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await pain.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    expect(await valueOf(page)).toEqual({ 'hamstrings.left': { tightness: 8, pain: 9 } });
    expect(await pain.getAttribute('aria-valuetext')).toBe('9 out of 10');
    await snap(page, JOURNEY, '02-desktop-marked-and-rated');
    await expectAccessible(page, 'body map with a rated region');

    await page.getByRole('button', { name: 'Remove Back of the thigh (hamstrings), left' }).click();
    expect(await valueOf(page)).toEqual({});
    await page.context().close();
  });

  it('is operable by keyboard alone: one tab stop per figure, arrows to move, Enter and Space to mark', async () => {
    const page = await open(DESKTOP);
    const focusedRef = () =>
      page.evaluate(
        () =>
          (
            globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }
          ).document.activeElement?.getAttribute('data-ref') ?? null,
      );
    await page.getByRole('heading', { name: 'Where does it hurt?' }).click();
    await page.keyboard.press('Tab');
    expect(await focusedRef()).toBe('head');
    await page.keyboard.press('ArrowDown');
    const second = await focusedRef();
    expect(second).not.toBe('head');
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    const last = await focusedRef();
    await page.keyboard.press(' ');
    expect(Object.keys(await valueOf(page)).sort()).toEqual([second, last].sort());
    await page.keyboard.press(' ');
    expect(Object.keys(await valueOf(page))).toEqual([second]);

    await page.keyboard.press('Tab');
    const backFirst = await focusedRef();
    expect(parseRegionRef(backFirst!)!.region.view).toBe('back');
    await page.keyboard.press('Enter');
    expect(Object.keys(await valueOf(page)).sort()).toEqual([second, backFirst].sort());
    await page.context().close();
  });

  it('works by touch on a phone: switch to the back, tap, and rate', async () => {
    const page = await open(PHONE);
    expect(await page.locator('[data-view="back"]').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Front of the thigh, right', exact: true }).tap();
    await page.getByRole('button', { name: 'Back', exact: true }).tap();
    expect(await page.locator('[data-view="front"]').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Low back, left', exact: true }).tap();
    await page.getByRole('button', { name: 'Low back, right', exact: true }).tap();
    await page.getByRole('slider', { name: 'Pain, Low back, right' }).fill('7');
    expect(await valueOf(page)).toEqual({
      'quadriceps.right': { tightness: 5, pain: 0 },
      'low_back.left': { tightness: 5, pain: 0 },
      'low_back.right': { tightness: 5, pain: 7 },
    });
    await snap(page, JOURNEY, '03-phone-back-marked');
    await expectAccessible(page, 'body map on a phone');
    await page.context().close();
  });

  it('has the front of each knee, a wrist that reaches the forearm, and the spine segment by segment', async () => {
    const page = await open(PHONE);
    await page.getByRole('button', { name: 'Front of the knee (kneecap), left', exact: true }).tap();
    await page.getByRole('button', { name: 'Wrist and lower forearm, right', exact: true }).tap();
    await page.getByRole('button', { name: 'Back', exact: true }).tap();
    for (const name of [
      'Spine: neck (cervical)',
      'Spine: upper and mid back (thoracic)',
      'Spine: low back (lumbar)',
      'Spine: base (sacrum)',
      'Back of the knee, right',
    ])
      await page.getByRole('button', { name, exact: true }).tap();
    expect(Object.keys(await valueOf(page)).sort()).toEqual(
      [
        'knee_front.left',
        'wrist.right',
        'spine_cervical',
        'spine_thoracic',
        'spine_lumbar',
        'spine_sacral',
        'back_of_knee.right',
      ].sort(),
    );
    await snap(page, JOURNEY, '04-phone-knee-wrist-spine');
    await expectAccessible(page, 'body map with the spine marked on a phone');
    await page.context().close();
  });
});
