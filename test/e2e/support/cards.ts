import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { App } from '../../../src/app-context.js';
import { type Session, call } from '../../support/test-app.js';

/** The test processor's card that always pays. */
export const PAYING_CARD = '4242424242424242';

/**
 * Saves a test card for `client` as the web app does: the number to the test processor for a token, the token to
 * Knotwork. Returns the saved payment method's id, for a confirm through the API.
 */
export async function saveTestCard(app: App, client: Session, number = PAYING_CARD): Promise<string> {
  const tokenised = await call(app, client, {
    method: 'POST',
    url: '/test-processor/v1/payment-methods',
    payload: { number, expMonth: 12, expYear: 2030, cvc: '123' },
  });
  expect(tokenised.statusCode, tokenised.body).toBe(201);
  const saved = await call(app, client, {
    method: 'POST',
    url: '/api/me/payment-methods',
    payload: { token: tokenised.json<{ token: string }>().token },
  });
  expect(saved.statusCode, saved.body).toBe(201);
  return saved.json<{ id: string }>().id;
}

/** Confirms a held booking through the API, paying with a newly saved test card. */
export async function confirmWithCard(app: App, client: Session, bookingId: string) {
  const paymentMethodId = await saveTestCard(app, client);
  return call(app, client, { method: 'POST', url: `/api/bookings/${bookingId}/confirm`, payload: { paymentMethodId } });
}

/** The held booking's confirm button once the total is known: "Confirm and authorise $170". */
export const confirmAndPay = (page: Page) => page.getByRole('button', { name: /^Confirm and authorise \$/ });

/** On a held booking's page of a client with no saved card: types the card that pays into the card form. */
export async function typePayingCard(page: Page) {
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByLabel('Expiry (MM/YY)').fill('12/30');
  await page.getByLabel('Security code (CVC)').fill('123');
}
