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
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';

/**
 * A client manages their account: phone, password, e-mail (verified), optional e-mails, a forgotten password, and
 * closing it.
 */
describe.skipIf(!BROWSER_TESTS_RUN)('account settings', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
    page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  const email = uniqueEmail('settled');
  const newEmail = uniqueEmail('settled-new');
  let password = 'lantern orchard quietly';
  const snapBoth = async (step: string) => {
    await snap(page, 'account-settings', `${step}-desk`);
    await page.setViewportSize(PHONE.viewport);
    await snap(page, 'account-settings', `${step}-phone`);
    await page.setViewportSize(DESKTOP.viewport);
  };
  const errorAt = (label: string) =>
    page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).locator('.field-error');
  /** The token of the newest link of this kind, as the e-mail carries it after `#`. */
  async function linkOf(kind: string, path: string): Promise<string> {
    const message = await server.database.db
      .selectFrom('messages')
      .select('body_text')
      .where('kind', '=', kind)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    return new RegExp(`^http://localhost:\\d+(${path}#[\\w-]+)$`, 'm').exec(message.body_text)![1]!;
  }

  it('signs up, then saves a phone number, refusing one that is not valid at the field', async () => {
    await page.goto('/sign-up');
    await page.getByLabel('Your name').fill('Sky Settled');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-up'));

    await page.goto('/account');
    await page.getByLabel('Phone number').fill('555 0100');
    await page.getByRole('button', { name: 'Save phone' }).click();
    await textOf(errorAt('Phone number')).toMatch(/not a valid phone number/);
    await page.getByLabel('Phone number').fill('+1 (212) 555-0142');
    await page.getByRole('button', { name: 'Save phone' }).click();
    await textOf(page.getByRole('status').filter({ hasText: 'Saved' })).toMatch(/\+12125550142/);
    await expectAccessible(page, 'account settings');
    await snapBoth('01-account');
  });

  it('changes the password only with the current one, and refuses a weak new one', async () => {
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill('a fresh orbit of lanterns');
    await page.getByRole('button', { name: 'Change password' }).click();
    await textOf(errorAt('Current password')).toMatch(/not your current password/);
    await page.getByLabel('Current password').fill(password);
    await page.getByLabel('New password', { exact: true }).fill('qwertyuiop');
    await page.getByRole('button', { name: 'Change password' }).click();
    await shown(errorAt('New password'));
    password = 'a fresh orbit of lanterns';
    await page.getByLabel('New password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await textOf(page.getByRole('status').filter({ hasText: 'password is changed' })).toMatch(/other device/);
  });

  it('changes the e-mail address once the new one is verified', async () => {
    await page.getByLabel('New e-mail address').fill(newEmail);
    await page.getByLabel('Your password').fill(password);
    await page.getByRole('button', { name: 'Send a verification link' }).click();
    await textOf(page.getByRole('status').filter({ hasText: 'We sent a link' })).toContain(newEmail);
    await textOf(page.locator('#email-heading + p')).toContain(email);
    await snapBoth('02-email-pending');

    await page.goto(await linkOf('account.verify_email', '/verify-email'));
    await page.getByRole('button', { name: 'Use this e-mail address' }).click();
    await textOf(page.getByRole('status')).toContain(`${newEmail} is now your Knotwork e-mail address`);
    await page.goto('/account');
    await textOf(page.locator('#email-heading + p')).toContain(newEmail);
  });

  it('turns session reminders off, and keeps the choice', async () => {
    const reminders = page.getByRole('checkbox', { name: /Session reminders/ });
    await expect.poll(() => reminders.isChecked()).toBe(true);
    // The box follows the saved choice: wait for the save, not for the click to flip it at once.
    await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith('/api/me/notification-preferences') && r.request().method() === 'PUT' && r.ok(),
      ),
      reminders.click(),
    ]);
    await expect.poll(() => reminders.isChecked()).toBe(false);
    await page.reload();
    await expect.poll(() => page.getByRole('checkbox', { name: /Session reminders/ }).isChecked()).toBe(false);
    await page.getByText('E-mails we always send, and why').click();
    await textOf(page.getByRole('listitem').filter({ hasText: 'Safety and care alerts' })).toMatch(/your health/);
    await snapBoth('03-emails');
  });

  it('sets a forgotten password with an e-mailed link, once', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('E-mail').fill(newEmail);
    await page.getByRole('button', { name: 'E-mail me a link' }).click();
    await textOf(page.getByRole('status')).toMatch(/on its way/);
    await expectAccessible(page, 'forgot password, link sent');

    const link = await linkOf('account.password_reset', '/reset-password');
    await page.goto(link);
    await page.getByLabel('New password').fill('password123');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await shown(errorAt('New password'));
    await page.getByLabel('New password').fill('meadow tram violet ninety');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    // Setting it hashes the password and ends every other session: under a loaded CI machine that takes a while.
    await page.waitForURL((url) => url.pathname === '/', { waitUntil: 'commit', timeout: 45_000 });
    await shown(page.getByRole('button', { name: 'Sign out' }));

    await page.goto(link);
    await page.getByLabel('New password').fill('another quiet harbour lamp');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await textOf(page.getByRole('alert')).toMatch(/expired or was already used/);
    await expectAccessible(page, 'reset link used twice');
    await snapBoth('04-reset-spent');
  });

  it('closes the account, signing out', async () => {
    await page.goto('/account');
    await page.getByLabel('Password to close the account').fill('meadow tram violet ninety');
    const closeButton = page.getByRole('button', { name: 'Close my account' });
    expect(await closeButton.isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: /cannot be undone/ }).check();
    await expectAccessible(page, 'closing the account');
    await closeButton.click();
    await page.waitForURL((url) => url.pathname === '/');
    await shown(page.getByRole('link', { name: 'Sign in' }));
  });
});
