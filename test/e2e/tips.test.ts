import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackgroundWork } from '../../src/background-work.js';
import { capturedOn, payWithCard } from '../support/payment-fixture.js';
import { type Session, call } from '../support/test-app.js';
import {
  type BrowserSession,
  DESKTOP,
  PHONE,
  expectAccessible,
  launchChromium,
  newContext,
  snap,
  textOf,
} from './support/browser.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';
import { sessionToday, signIn } from './support/session-today.js';

const JOURNEY = 'tips';

describe.skipIf(!BROWSER_TESTS_RUN)('tips: after the session, a client tips on a phone', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  let client: Session;
  let bookingId: string;
  let phone: Page;

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
    let therapist;
    ({ therapist, client, bookingId } = await sessionToday(server, { checkIn: true }));
    const out = await call(server.app, therapist.session, {
      method: 'POST',
      url: `/api/bookings/${bookingId}/check-out`,
    });
    expect(out.statusCode, out.body).toBe(200);
    phone = await (await newContext(chromium.browser, server, PHONE)).newPage();
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('chooses a preset under the rating, sees when it is charged, and changes it to an amount of their own', async () => {
    await signIn(phone, client, 'correct horse battery', '/search');
    await phone.goto(`/bookings/${bookingId}`);
    const panel = phone.getByRole('region', { name: 'Tip Dana Whitfield' });
    await textOf(panel).toContain('Tips go to Dana Whitfield in full.');
    await phone.getByRole('radio', { name: /\$24.*20% of the session/ }).check();
    await snap(phone, JOURNEY, '01-tip-choices-phone');
    await expectAccessible(phone, 'the tip panel');
    await panel.getByRole('button', { name: 'Tip $24' }).click();
    await textOf(panel.getByRole('status')).toMatch(
      /^Tip of \$24, charged at .+ to Visa ending 4242; you can change it until then\.$/,
    );
    await snap(phone, JOURNEY, '02-tip-pending-phone');

    await panel.getByRole('button', { name: 'Change tip' }).click();
    await panel.getByRole('radio', { name: 'Other amount' }).check();
    await panel.getByLabel('Amount (USD)').fill('500');
    await panel.getByRole('button', { name: 'Tip $500' }).click();
    await textOf(panel.getByLabel('Amount (USD)').locator('xpath=..')).toContain('at most the price of the session');
    await panel.getByLabel('Amount (USD)').fill('15');
    await panel.getByRole('button', { name: 'Tip $15' }).click();
    await textOf(panel.getByRole('status')).toMatch(/^Tip of \$15, charged at /);
    await expectAccessible(phone, 'a pending tip');
  });

  it('thanks the client once the tip is charged, on a desk too', async () => {
    // The background work of an instance, with the server's own test processor, a quarter of an hour on.
    const later = { now: () => server.clock.now() + 16 * 60_000 };
    await createBackgroundWork(
      { db: server.database.db, clock: later, config: server.config },
      { sender: null, payments: { provider: server.app.paymentProvider } },
    ).runRound();
    // Charged to the card the session was paid with, at the processor.
    const card = (await payWithCard(server.app, client)).paymentMethodId;
    const tips = (await capturedOn(server.database.db, card)).filter((c) => c.description.startsWith('Tip'));
    expect(tips.map((c) => c.amountMinor)).toEqual([1_500]);

    const desk = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    await signIn(desk, client, 'correct horse battery', '/search');
    await desk.goto(`/bookings/${bookingId}`);
    const panel = desk.getByRole('region', { name: 'Tip Dana Whitfield' });
    await textOf(panel.getByRole('status')).toBe('Thank you. Your tip of $15 goes to Dana Whitfield in full.');
    await snap(desk, JOURNEY, '03-tip-thanks-desk');
    await expectAccessible(desk, 'a charged tip');
  });
});
