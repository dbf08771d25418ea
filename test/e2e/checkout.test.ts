import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, call, signUp } from '../support/test-app.js';
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
import { TEST_CARD, saveCard } from '../support/payment-fixture.js';
import { addDaysIso, todayInNewYork } from './support/dates.js';
import { type SmallMarket, createSmallMarket } from './support/market.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';
import { signIn } from './support/session-today.js';

const JOURNEY = 'checkout';
const PASSWORD = 'correct horse battery';

/**
 * Paying for a session: the held booking shows its total as lines, takes a card through the test processor's form
 * (the number goes to the processor, never to /api), says a decline at the card in the processor's words while the
 * hold keeps counting down, and confirms with "Confirm and authorise $X"; the booking then names the card. On a phone
 * with a new card, and at a desk with a saved one; the account page lists, adds and removes cards.
 */
describe.skipIf(!BROWSER_TESTS_RUN)('checkout: a client pays for a session by card', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  let market: SmallMarket;

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
    market = await createSmallMarket(server);
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  /** Holds Dana's `nth` open 60-minute studio time two days ahead for `client`, through the API. */
  async function hold(client: Session, nth: number): Promise<string> {
    const from = addDaysIso(todayInNewYork(server.clock), 2);
    const search = await call(server.app, null, {
      method: 'GET',
      url: `/api/availability?durationMin=60&from=${from}&to=${addDaysIso(from, 6)}&zone=America/New_York&mode=studio&lat=40.7549&lng=-73.984&radiusKm=5&therapistId=${market.dana.id}`,
    });
    const offer = search.json().results[0].offers[0];
    const held = await call(server.app, client, {
      method: 'POST',
      url: '/api/bookings',
      payload: {
        therapistId: market.dana.id,
        durationMin: 60,
        start: offer.slots[nth],
        place: { mode: 'studio', studioId: offer.place.studioId },
      },
    });
    expect(held.statusCode, held.body).toBe(201);
    return held.json<{ id: string }>().id;
  }

  async function checkoutOf(client: Session, bookingId: string) {
    const checkout = await call(server.app, client, { method: 'GET', url: `/api/bookings/${bookingId}/checkout` });
    expect(checkout.statusCode, checkout.body).toBe(200);
    return checkout.json<{ totalMinor: number; lines: { label: string }[] }>();
  }

  const dollars = (minor: number) =>
    new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: 'USD',
      minimumFractionDigits: minor % 100 === 0 ? 0 : 2,
    }).format(minor / 100);

  async function typeCard(page: Page, number: string) {
    await page.getByLabel('Card number').fill(number);
    await page.getByLabel('Expiry (MM/YY)').fill('1230');
    await page.getByLabel('Security code (CVC)').fill('123');
  }

  it('on a phone: sees the total, is declined at the card, then pays with another card and sees it named', async () => {
    const client = await signUp(server.app, 'client', 'Sam Ortiz');
    const bookingId = await hold(client, 1);
    const { totalMinor, lines } = await checkoutOf(client, bookingId);
    const page = await (await newContext(chromium.browser, server, PHONE)).newPage();
    await signIn(page, client, PASSWORD, '/search');
    await page.goto(`/bookings/${bookingId}`);
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Review and confirm');

    const total = page.getByRole('region', { name: 'Total' });
    for (const line of lines) await textOf(total).toContain(line.label);
    await textOf(total.locator('tfoot')).toBe(`Total\t${dollars(totalMinor)}`);
    const confirm = page.getByRole('button', { name: `Confirm and authorise ${dollars(totalMinor)}` });
    await shown(confirm);
    await textOf(page.getByText(/charged after the session/)).toContain(dollars(totalMinor));

    // No card saved yet: the card form is open, with the test cards beside it.
    await textOf(page.locator('.test-cards > p')).toBe(
      'Test mode: use 4242 4242 4242 4242, any future date, any CVC. No real money moves.',
    );
    const number = page.getByLabel('Card number');
    expect(await number.getAttribute('inputmode')).toBe('numeric');
    expect(await number.getAttribute('autocomplete')).toBe('cc-number');
    expect(await page.getByLabel('Expiry (MM/YY)').getAttribute('autocomplete')).toBe('cc-exp');
    expect(await page.getByLabel('Security code (CVC)').getAttribute('autocomplete')).toBe('cc-csc');
    await number.pressSequentially('4000000000000002');
    expect(await number.inputValue()).toBe('4000 0000 0000 0002');
    await page.getByLabel('Expiry (MM/YY)').pressSequentially('1230');
    expect(await page.getByLabel('Expiry (MM/YY)').inputValue()).toBe('12/30');
    await page.getByLabel('Security code (CVC)').fill('123');
    await snap(page, JOURNEY, '01-phone-total-and-card-form');
    await expectAccessible(page, 'checkout with the card form');

    await confirm.tap();
    // The declined card is saved and chosen; the processor's words are said at it, and focus is there.
    const declinedCard = page.getByRole('radio', { name: /ending 0002/ });
    await shown(declinedCard);
    await expect.poll(() => declinedCard.evaluate((el) => el.matches(':focus'))).toBe(true);
    const describedBy = (await declinedCard.getAttribute('aria-describedby'))!;
    expect(describedBy).toBeTruthy();
    const message = page.locator(`[id="${describedBy}"]`);
    await textOf(message).toMatch(/declined/i);
    expect(await declinedCard.getAttribute('aria-invalid')).toBe('true');
    // Still held, still counting down: nothing was booked.
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Review and confirm');
    await shown(page.getByRole('timer'));
    await snap(page, JOURNEY, '02-phone-declined-at-the-card');
    await expectAccessible(page, 'checkout after a decline');
    const held = await call(server.app, client, { method: 'GET', url: `/api/bookings/${bookingId}` });
    expect(held.json()).toMatchObject({ status: 'held' });

    await page.getByRole('radio', { name: /Add a card/ }).check();
    await countOf(message).toBe(0);
    await typeCard(page, '4242 4242 4242 4242');
    await confirm.tap();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('You are booked');
    await textOf(page.locator('.payment-note')).toBe(
      `${dollars(totalMinor)} is authorised on your Visa ending 4242. It is charged after the session.`,
    );
    await snap(page, JOURNEY, '03-phone-booked-with-the-card');
    await expectAccessible(page, 'booked and paid');
    await page.context().close();
  });

  it('at a desk: the saved card is chosen, confirming authorises it; the account page lists, adds and removes cards', async () => {
    const client = await signUp(server.app, 'client', 'Lee Park');
    await saveCard(server.app, client, '5555555555554444');
    await saveCard(server.app, client, TEST_CARD.visa);
    const bookingId = await hold(client, 3);
    const { totalMinor } = await checkoutOf(client, bookingId);
    const page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    await signIn(page, client, PASSWORD, '/search');
    await page.goto(`/bookings/${bookingId}`);
    const payWith = page.getByRole('group', { name: 'Pay with' });
    await countOf(payWith.getByRole('radio')).toBe(3);
    // The newest card is chosen; the card form stays closed.
    expect(await payWith.getByRole('radio', { name: /Visa ending 4242/ }).isChecked()).toBe(true);
    await countOf(page.getByLabel('Card number')).toBe(0);
    await snap(page, JOURNEY, '04-desk-saved-cards');
    await expectAccessible(page, 'checkout with saved cards');
    await page.getByRole('button', { name: `Confirm and authorise ${dollars(totalMinor)}` }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('You are booked');
    await textOf(page.locator('.payment-note')).toContain('Visa ending 4242');

    await page.goto('/account');
    const section = page.getByRole('region', { name: 'Payment methods' });
    await textOf(section.locator('.saved-cards')).toMatch(/Visa ending 4242[\s\S]*Mastercard ending 4444/);
    await section.getByRole('button', { name: 'Add a card' }).click();
    await page.getByLabel('Card number').fill('4242 4242 4242 4241');
    await page.getByLabel('Expiry (MM/YY)').fill('12/30');
    await page.getByLabel('Security code (CVC)').fill('123');
    await section.getByRole('button', { name: 'Save card' }).click();
    const numberError = section.locator('.field', { has: page.getByLabel('Card number') }).locator('.field-error');
    await shown(numberError);
    expect(await page.getByLabel('Card number').getAttribute('aria-invalid')).toBe('true');
    await snap(page, JOURNEY, '05-desk-account-card-error');
    await expectAccessible(page, 'account with a card error');
    await page.getByLabel('Card number').fill('5555 5555 5555 4444');
    await section.getByRole('button', { name: 'Save card' }).click();
    await textOf(section.getByRole('status')).toBe('Mastercard ending 4444 is saved.');
    await countOf(section.locator('.saved-card')).toBe(3);
    await section.getByRole('button', { name: 'Remove Visa ending 4242' }).click();
    await textOf(section.getByRole('status')).toBe('Visa ending 4242 is removed.');
    await countOf(section.locator('.saved-card')).toBe(2);
    await snap(page, JOURNEY, '06-desk-account-cards');
    await expectAccessible(page, 'account with cards');
    await page.context().close();
  });
});
