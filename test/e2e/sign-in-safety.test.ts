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

/** Issue 15 #4 and #5 in the browser: a weak password's reason at the field; a slowed sign-in's way out by e-mail. */
describe.skipIf(!BROWSER_TESTS_RUN)('signing up and in safely', () => {
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

  const email = uniqueEmail('careful');
  /** The screen as it stands, on the desk and on a phone. */
  const snapBoth = async (step: string) => {
    await snap(page, 'sign-in-safety', `${step}-desk`);
    await page.setViewportSize(PHONE.viewport);
    await snap(page, 'sign-in-safety', `${step}-phone`);
    await page.setViewportSize(DESKTOP.viewport);
  };
  const passwordError = () => page.locator('.field', { has: page.getByLabel('Password') }).locator('.field-error');

  it('shows why a weak password is refused at the password field', async () => {
    await page.goto('/sign-up');
    await page.getByLabel('Your name').fill('Casey Careful');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('password12');
    await page.getByRole('button', { name: 'Create account' }).click();
    await textOf(passwordError()).toMatch(/commonly used password/);
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'sign-up with a weak password');
    await snapBoth('01-weak-password');

    await page.getByLabel('Password').fill('lantern orchard quietly');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-up'));
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  it('offers a sign-in link when sign-in is slowed, and the link signs in once', async () => {
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('not my password');
    for (let i = 0; i < 6; i++) {
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await shown(page.getByRole('alert'));
    }
    await textOf(page.getByRole('alert')).toMatch(/sign-in link/);
    await page.getByRole('button', { name: 'E-mail me a sign-in link' }).click();
    await textOf(page.getByRole('status')).toMatch(/a sign-in link is on its way/);
    await expectAccessible(page, 'sign-in slowed, link sent');
    await snapBoth('02-slowed-link-sent');

    const message = await server.database.db
      .selectFrom('messages')
      .select('body_text')
      .where('kind', '=', 'account.sign_in_link')
      .executeTakeFirstOrThrow();
    const link = /^http:\/\/localhost:\d+(\/sign-in\/link#[\w-]+)$/m.exec(message.body_text)![1]!;
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await shown(page.getByRole('button', { name: 'Sign out' }));

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await textOf(page.getByRole('alert')).toMatch(/expired or was already used/);
  });

  it('tells a new address past the account’s budget to use a sign-in link, and offers it', async () => {
    // The account-wide budget spent by guesses from elsewhere (as 20 of them would leave it); this page's address
    // never signed in to this e-mail.
    const spent = uniqueEmail('guessed');
    await server.database.db
      .insertInto('sign_in_budgets')
      .values({ email: spent, failures: 20, window_started_at: new Date(server.clock.now()) })
      .execute();
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(spent);
    await page.getByLabel('Password').fill('lantern orchard quietly');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await textOf(page.getByRole('alert')).toMatch(/never used from.*sign in with a link/is);
    await page.getByRole('button', { name: 'E-mail me a sign-in link' }).click();
    await textOf(page.getByRole('status')).toMatch(/a sign-in link is on its way/);
    await expectAccessible(page, 'sign-in link required');
  });
});
