import type { Page } from 'playwright-core';
import type { App } from '../../../src/app-context.js';
import { payWithCard } from '../../support/payment-fixture.js';
import { type Session, call } from '../../support/test-app.js';

/** Confirms a held booking through the API, paying with the client's test card that pays (saved once per client). */
export async function confirmWithCard(app: App, client: Session, bookingId: string) {
  return call(app, client, {
    method: 'POST',
    url: `/api/bookings/${bookingId}/confirm`,
    payload: await payWithCard(app, client),
  });
}

/** The held booking's confirm button once the total is known: "Confirm and authorise $170". */
export const confirmAndPay = (page: Page) => page.getByRole('button', { name: /^Confirm and authorise \$/ });

/** On a held booking's page of a client with no saved card: types the card that pays into the card form. */
export async function typePayingCard(page: Page) {
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByLabel('Expiry (MM/YY)').fill('12/30');
  await page.getByLabel('Security code (CVC)').fill('123');
}
