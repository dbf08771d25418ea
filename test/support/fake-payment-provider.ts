import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PaymentProvider, ProviderResult } from '../../src/money/engine/payment-provider.js';
import type { DB } from '../../src/schema.js';

/**
 * A minimal in-memory provider for the packages, memberships and gift cards suites (part G), until helper A's test
 * processor lands: `charge` succeeds for any token unless the token is set to decline; the same idempotency key
 * returns the first answer and charges once.
 */
export class FakePaymentProvider implements PaymentProvider {
  readonly name = 'fake';
  readonly declining = new Set<string>();
  readonly charges: { token: string; amountMinor: number; idempotencyKey: string }[] = [];
  readonly #answers = new Map<string, ProviderResult<{ reference: string }>>();

  async describePaymentMethod() {
    return { ok: true as const, brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 };
  }
  async authorize() {
    return { ok: true as const, reference: `auth_${randomUUID()}`, expiresAt: Date.now() + 7 * 86_400_000 };
  }
  async capture(request: { amountMinor: number }) {
    return { ok: true as const, capturedMinor: request.amountMinor };
  }
  async void() {
    return { ok: true as const };
  }
  async charge(request: { paymentMethod: string; amountMinor: number; idempotencyKey: string }) {
    const earlier = this.#answers.get(request.idempotencyKey);
    if (earlier) return earlier;
    const answer: ProviderResult<{ reference: string }> = this.declining.has(request.paymentMethod)
      ? { ok: false, code: 'card_declined', message: 'Your card was declined.' }
      : { ok: true, reference: `ch_${randomUUID()}` };
    if (answer.ok) this.charges.push({ token: request.paymentMethod, ...request });
    this.#answers.set(request.idempotencyKey, answer);
    return answer;
  }
  async refund() {
    return { ok: true as const, refundReference: `re_${randomUUID()}`, status: 'succeeded' as const };
  }
  parseWebhook(): never {
    throw new Error('the fake provider sends no webhooks');
  }
}

/** Saves a card for `clientId` as the card form would (the payment-method routes are helper B's); returns its id. */
export async function saveCard(
  db: Kysely<DB>,
  clientId: string,
  token = `tok_${randomUUID()}`,
): Promise<{ id: string; token: string }> {
  const row = await db
    .insertInto('payment_methods')
    .values({
      client_id: clientId,
      provider: 'fake',
      provider_token: token,
      brand: 'visa',
      last4: '4242',
      exp_month: 12,
      exp_year: 2030,
      created_at: new Date('2026-11-01T00:00:00Z'),
      removed_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token };
}
