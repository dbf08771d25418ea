import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmail } from '../support/test-app.js';
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
import { nextStep } from './support/consultation.js';
import { addDaysIso, todayInNewYork } from './support/dates.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';

const JOURNEY = 'journey-1-client-consultation';

describe.skipIf(!BROWSER_TESTS_RUN)(
  'journey 1: a client on a phone signs up and completes the consultation, by touch and by keyboard',
  () => {
    let server: BrowserServer;
    let chromium: BrowserSession;
    let page: Page;

    beforeAll(async () => {
      chromium = await launchChromium();
      server = await startBrowserServer();
      page = await (await newContext(chromium.browser, server, PHONE)).newPage();
    });
    afterAll(async () => {
      await chromium?.close();
      await server?.close();
    });

    const focusedRef = () =>
      page.evaluate(
        () =>
          (
            globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }
          ).document.activeElement?.getAttribute('data-ref') ?? null,
      );
    const focusedName = () =>
      page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }).document
            .activeElement?.textContent ?? null,
      );
    const region = (name: string) => page.getByRole('button', { name, exact: true });

    it('signs up and lands on the consultation', async () => {
      await page.goto('/sign-up');
      await page.getByLabel('Your name').fill('Jamie Rivera');
      await page.getByLabel('E-mail').fill(uniqueEmail('jamie'));
      await page.getByLabel('Password').fill('a long enough password');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL('**/consultation');
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Your consultation');
      await textOf(page.getByRole('heading', { level: 2 })).toContain('Where it hurts');
      await snap(page, JOURNEY, '01-consultation-start');
      await expectAccessible(page, 'consultation, body map');
    });

    it('marks places on the front and the back by touch, and rates them 0–10 with a note', async () => {
      await region('Front of the thigh, right').tap();
      expect(await region('Front of the thigh, right').getAttribute('aria-pressed')).toBe('true');
      await page.getByRole('button', { name: 'Back', exact: true }).tap();
      await region('Back of the thigh (hamstrings), left').tap();
      await region('Low back, left').tap();
      await page.getByRole('slider', { name: 'Tightness, Back of the thigh (hamstrings), left' }).fill('8');
      await page.getByRole('slider', { name: 'Pain, Low back, left' }).fill('6');
      await page.getByLabel('Note, Low back, left').fill('Knots that hurt when pressed');
      await textOf(page.getByRole('heading', { name: /Areas you marked/ })).toBe('Areas you marked (3)');
      await snap(page, JOURNEY, '02-body-map-by-touch');
    });

    it('marks and rates with the keyboard alone: one tab stop per figure, arrows to move, Enter to mark', async () => {
      // From the top of the page, Tab until the Front/Back switch is reached.
      await page.getByRole('heading', { level: 1 }).focus();
      for (let i = 0; i < 30 && (await focusedName()) !== 'Front'; i++) await page.keyboard.press('Tab');
      expect(await focusedName()).toBe('Front');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      // The figure's one tab stop is the area last used there; Home goes to the top.
      expect(await focusedRef()).toBe('quadriceps.right');
      await page.keyboard.press('Home');
      expect(await focusedRef()).toBe('head');
      await page.keyboard.press('ArrowDown');
      const chosen = await focusedRef();
      expect(chosen).not.toBe('head');
      await page.keyboard.press('Enter');
      const name = (await page.locator(`[data-ref="${chosen}"]`).getAttribute('aria-label'))!;
      expect(await region(name).getAttribute('aria-pressed')).toBe('true');
      await textOf(page.getByRole('heading', { name: /Areas you marked/ })).toBe('Areas you marked (4)');
      // On to this area's pain slider, and up two steps with the arrow key.
      const pain = page.getByRole('slider', { name: `Pain, ${name}` });
      for (let i = 0; i < 40 && !(await pain.evaluate((el) => el === el.ownerDocument.activeElement)); i++)
        await page.keyboard.press('Tab');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      expect(await pain.getAttribute('aria-valuetext')).toBe('2 out of 10');
      await snap(page, JOURNEY, '03-body-map-by-keyboard');
      await expectAccessible(page, 'body map with marked areas');
    });

    it('gives goals, activity, desk hours and likely causes', async () => {
      await nextStep(page);
      await textOf(page.getByRole('heading', { level: 2 })).toContain('Goals and daily life');
      await page.getByLabel('Goal 1', { exact: true }).fill('Touch my toes again');
      await page.getByRole('button', { name: 'Add another goal' }).tap();
      await page.getByLabel('Goal 2', { exact: true }).fill('Sit through a workday without back pain');
      await page.getByLabel('Lightly active').check();
      await page.getByLabel('Hours a day at a desk or screen').fill('9');
      await page.getByLabel('Posture (sitting, screens)').check();
      await page.getByLabel('Stress').check();
      await snap(page, JOURNEY, '04-goals-and-life');
      await expectAccessible(page, 'goals and daily life');
    });

    it('adds an injury with its place, date and time of day, and a medicine', async () => {
      await nextStep(page);
      await page.getByRole('button', { name: 'Add an injury' }).tap();
      await page.getByLabel('What happened').selectOption('strain');
      await page.getByLabel('Where', { exact: true }).selectOption('hamstrings.left');
      await shown(page.getByRole('button', { name: 'Remove Back of the thigh (hamstrings) (left)' }));
      await page.getByLabel('When', { exact: true }).fill(addDaysIso(todayInNewYork(server.clock), -60));
      // The time is optional: without it the screening counts from the end of that day.
      const hint = await page.getByLabel('At what time (if you know)').getAttribute('aria-describedby');
      await textOf(page.locator(`[id="${hint!.split(' ')[0]}"]`)).toContain('counted from the end of that day');
      await page.getByLabel('At what time (if you know)').fill('21:30');
      await page.getByLabel('Anything to add (optional)').fill('Pulled sprinting for a bus');
      await page.getByRole('button', { name: 'Add a medicine' }).tap();
      await page.getByLabel('Medicine 1', { exact: true }).fill('Ibuprofen when needed');
      await snap(page, JOURNEY, '05-injuries-and-medicines');
      await expectAccessible(page, 'injuries and medicines');
      // The date and the time share a row where there is room for both, on a desk-sized window.
      await page.setViewportSize(DESKTOP.viewport);
      const [date, time] = await Promise.all(
        ['When', 'At what time (if you know)'].map((label) => page.getByLabel(label, { exact: true }).boundingBox()),
      );
      expect(Math.abs(date!.y - time!.y)).toBeLessThan(2);
      await snap(page, JOURNEY, '05-injuries-and-medicines-desk');
      await page.setViewportSize(PHONE.viewport);
    });

    it('ticks a condition and is asked for what its rule needs; a missing detail comes back to its field', async () => {
      await nextStep(page);
      await textOf(page.getByRole('heading', { level: 2 })).toContain('Health');
      await page.getByLabel('High blood pressure').check();
      await page.getByLabel('Top number (systolic)').fill('165');
      await page.getByLabel('Bottom number (diastolic)').fill('92');
      // The red-flag questions come with the back pain marked on the body map.
      await shown(page.getByRole('group', { name: /With your back or neck pain/ }));
      await snap(page, JOURNEY, '06-health');
      await expectAccessible(page, 'health history');
      await nextStep(page);
      await page.getByLabel('3. Firm').check();
      await page.getByLabel('Places you do not want worked on').selectOption('chest.left');
      await page.getByLabel(/I agree to deep tissue massage/).check();
      await page.getByRole('button', { name: 'Save my consultation' }).click();

      // The reading's date was left out: the form goes back to the Health step and says so at the field.
      await textOf(page.getByRole('heading', { level: 2 })).toContain('Health');
      await textOf(page.locator('.field', { has: page.getByLabel('Measured on') }).locator('.field-error')).toBe(
        'Use a date like 2026-11-23',
      );
      await textOf(page.getByRole('button', { name: /Health/ })).toContain('needs attention');
      await snap(page, JOURNEY, '07-missing-detail');
      await page.getByLabel('Measured on').fill(addDaysIso(todayInNewYork(server.clock), -5));
    });

    it('needs both consents to save, said next to the one missing', async () => {
      await nextStep(page);
      await page.getByRole('button', { name: 'Save my consultation' }).click();
      await textOf(page.locator('#consent-data-error')).toBe('Consent is needed');
      await snap(page, JOURNEY, '08-consent-needed');
      await page.getByLabel(/I agree that Knotwork keeps/).check();
      await page.getByRole('button', { name: 'Save my consultation' }).click();
    });

    it('sees the screening result in plain words: suitable, with what will be adapted', async () => {
      const result = page.getByRole('region', { name: 'Is deep tissue massage right for you?' });
      await textOf(result).toContain('Deep tissue massage suits you today, with some changes to keep it safe.');
      await textOf(result).toContain('Abdomen');
      await textOf(result).toMatch(/Pressure up to medium \(2 of 5\): Abdomen/);
      await shown(page.getByText('Saved as version 1. Earlier versions are kept.'));
      await textOf(page.locator('.plain-list')).toContain(
        'Low back (left): tightness 5/10, pain 6/10 · Knots that hurt when pressed',
      );
      await snap(page, JOURNEY, '09-screening-result');
      await expectAccessible(page, 'screening result');
    });

    it('updates the consultation: editing starts from the latest answers and saves a new version', async () => {
      await page.getByRole('link', { name: 'Update my consultation' }).click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Update your consultation');
      await textOf(page.getByRole('heading', { name: /Areas you marked/ })).toBe('Areas you marked (4)');
      await page.getByRole('button', { name: /Pressure and consent/ }).tap();
      expect(await page.getByLabel('3. Firm').isChecked()).toBe(true);
      expect(await page.getByLabel(/I agree that Knotwork keeps/).isChecked()).toBe(true);
      await page.getByRole('button', { name: /Injuries/ }).tap();
      expect(await page.getByLabel('At what time (if you know)').inputValue()).toBe('21:30');
      await page.getByRole('button', { name: /Health/ }).tap();
      await page.getByLabel('Top number (systolic)').fill('135');
      await page.getByLabel('Bottom number (diastolic)').fill('85');
      await page.getByRole('button', { name: /Pressure and consent/ }).tap();
      await page.getByRole('button', { name: 'Save as a new version' }).click();
      await shown(page.getByText('Saved as version 2. Earlier versions are kept.'));
      await textOf(page.getByRole('region', { name: 'Is deep tissue massage right for you?' })).toContain(
        'Deep tissue massage suits you today.',
      );
      await textOf(page.locator('#consultation-summary').locator('..')).toContain('Version 2');
      await snap(page, JOURNEY, '10-new-version');
    });

    it('saves a condition whose detail the client does not know, and is told it was read as the strictest', async () => {
      await page.getByRole('link', { name: 'Update my consultation' }).click();
      await page.getByRole('button', { name: /Health/ }).tap();
      await page.getByLabel('I don’t know my reading').check();
      // The reading and its date are set aside: nothing left for the form to require.
      await countOf(page.getByLabel('Top number (systolic)')).toBe(0);
      await page.getByLabel('A heart attack').check();
      const heart = page.locator('.condition', { has: page.getByLabel('A heart attack') });
      await heart.getByLabel('I don’t know the date').check();
      expect(await heart.getByLabel('When', { exact: true }).isDisabled()).toBe(true);
      await page.getByLabel('Osteoporosis (thin bones)').check();
      await page.getByRole('group', { name: 'How severe?' }).getByLabel('I don’t know').check();
      await snap(page, JOURNEY, '11-i-dont-know');
      await expectAccessible(page, 'health history with "I don\'t know"');
      await page.setViewportSize(DESKTOP.viewport);
      await snap(page, JOURNEY, '11-i-dont-know-desk');
      await page.setViewportSize(PHONE.viewport);
      await page.getByRole('button', { name: /Pressure and consent/ }).tap();
      await page.getByRole('button', { name: 'Save as a new version' }).click();
      await shown(page.getByText('Saved as version 3. Earlier versions are kept.'));
      const result = page.getByRole('region', { name: 'Is deep tissue massage right for you?' });
      await textOf(result).toContain('not safe for you at the moment');
      await textOf(result).toContain('You did not know your blood-pressure reading');
      await textOf(result).toContain('You did not know when your heart attack was');
      await snap(page, JOURNEY, '12-screened-as-strictest');
    });
  },
);
