import type { Kysely } from 'kysely';
import type { App } from '../../src/app-context.js';
import type { DB } from '../../src/schema.js';
import { type Session, call } from './test-app.js';

/** The test processor's cards (docs/PAYMENTS.md): one that pays, and the ones that are refused. */
export const TEST_CARD = {
  visa: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  expired: '4000000000000069',
} as const;

/**
 * Saves a card for the client as the web app does: the card's number goes to the test processor's hosted
 * tokenisation endpoint, and only the token it answers reaches Knotwork (POST /api/me/payment-methods). Returns the
 * payment method's id, to confirm a booking with.
 */
export async function saveCard(app: App, client: Session, number: string = TEST_CARD.visa): Promise<string> {
  const tokenised = await app.inject({
    method: 'POST',
    url: '/test-processor/v1/payment-methods',
    payload: { number, expMonth: 12, expYear: 2035, cvc: '123' },
  });
  if (tokenised.statusCode !== 201) throw new Error(`tokenising failed: ${tokenised.statusCode} ${tokenised.body}`);
  const saved = await call(app, client, {
    method: 'POST',
    url: '/api/me/payment-methods',
    payload: { token: tokenised.json<{ token: string }>().token },
  });
  if (saved.statusCode !== 201) throw new Error(`saving the card failed: ${saved.statusCode} ${saved.body}`);
  return saved.json<{ id: string }>().id;
}

const cards = new WeakMap<App, Map<string, string>>();

/** The client's card that pays, saved once per client and app: the body of a confirm that pays with it. */
export async function payWithCard(app: App, client: Session): Promise<{ paymentMethodId: string }> {
  let ofApp = cards.get(app);
  if (!ofApp) cards.set(app, (ofApp = new Map()));
  let id = ofApp.get(client.id);
  if (!id) ofApp.set(client.id, (id = await saveCard(app, client)));
  return { paymentMethodId: id };
}

/**
 * What the test processor captured on a saved card, oldest first: its own books (the processor's tables), not
 * Knotwork's, so a test sees what the card was really charged.
 */
export async function capturedOn(db: Kysely<DB>, paymentMethodId: string) {
  return db
    .selectFrom('test_processor_payments as c')
    .innerJoin('payment_methods as m', 'm.provider_token', 'c.token')
    .select(['c.amount_captured_minor as amountMinor', 'c.currency', 'c.description'])
    .where('m.id', '=', paymentMethodId)
    .where('c.status', '=', 'captured')
    .orderBy('c.captured_at')
    .execute();
}
