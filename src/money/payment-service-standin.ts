import type { Kysely, Transaction } from 'kysely';
import { ProblemError } from '../domain/problems.js';
import type { DB } from '../schema.js';
import type { PaymentProvider } from './engine/payment-provider.js';
import { postMoneyEvent } from './ledger-store.js';
import type { PaymentPurpose } from './money-tables.js';

/**
 * STAND-IN for helper B's `money/payment-service.ts` (not on h/B when part G was written): the same names and
 * signatures as the shared design gives them (`chargeSavedMethod`, `paymentMethodOf`), so that on merging the lead
 * points the imports of packages.ts, memberships.ts and gift-cards.ts at './payment-service.js' and deletes this
 * file. `recordSavedMethodCharge` is the transaction half of `chargeSavedMethod`, for the membership renewal job
 * (which charges in its `call` phase and records in `run`); B's service should export the same.
 */

export interface SavedMethodCharge {
  purpose: PaymentPurpose;
  clientId: string;
  therapistId: string | null;
  market: string;
  currency: string;
  paymentMethodId: string;
  amountMinor: number;
  idempotencyKey: string;
  description: string;
  bookingId?: string;
}

type Db = Kysely<DB> | Transaction<DB>;

/** The client's own saved card, not removed; 404 (naming paymentMethodId) otherwise. */
export async function paymentMethodOf(db: Db, clientId: string, paymentMethodId: string) {
  const row = await db
    .selectFrom('payment_methods')
    .selectAll()
    .where('id', '=', paymentMethodId)
    .where('client_id', '=', clientId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  if (!row) {
    throw new ProblemError('not_found', 'You have no such card', {
      errors: [{ field: 'paymentMethodId', in: 'body', code: 'not_found', message: 'You have no such card' }],
    });
  }
  return row;
}

/** The payments row and ledger `payment` of a charge the provider accepted, in the caller's transaction. */
export async function recordSavedMethodCharge(
  trx: Transaction<DB>,
  providerName: string,
  req: SavedMethodCharge,
  reference: string,
  now: number,
): Promise<{ paymentId: string }> {
  const at = new Date(now);
  const row = await trx
    .insertInto('payments')
    .values({
      market: req.market,
      currency: req.currency,
      client_id: req.clientId,
      therapist_id: req.therapistId,
      purpose: req.purpose,
      booking_id: req.bookingId ?? null,
      payment_method_id: req.paymentMethodId,
      provider: providerName,
      provider_reference: reference,
      status: 'captured',
      amount_authorized_minor: req.amountMinor,
      amount_captured_minor: req.amountMinor,
      failure_code: null,
      failure_message: null,
      authorized_at: at,
      authorization_expires_at: null,
      captured_at: at,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await postMoneyEvent(
    trx,
    { kind: 'payment', clientId: req.clientId, amountMinor: req.amountMinor },
    { market: req.market, currency: req.currency, bookingId: req.bookingId ?? null, occurredAt: now },
  );
  return { paymentId: row.id };
}

/**
 * Charges a saved card at once (outside any transaction), then records the payment and the caller's own rows
 * (`recordWith`) in one transaction. A refusal is 402 payment_declined naming paymentMethodId.
 */
export async function chargeSavedMethod(
  db: Kysely<DB>,
  provider: PaymentProvider,
  req: SavedMethodCharge,
  now: number,
  recordWith: (trx: Transaction<DB>, paymentId: string) => Promise<void>,
): Promise<{ paymentId: string }> {
  const method = await paymentMethodOf(db, req.clientId, req.paymentMethodId);
  const result = await provider.charge({
    paymentMethod: method.provider_token,
    amountMinor: req.amountMinor,
    currency: req.currency,
    idempotencyKey: req.idempotencyKey,
    description: req.description,
  });
  if (!result.ok) {
    const code = result.code === 'processing_error' ? 'payment_failed' : 'payment_declined';
    throw new ProblemError(code, result.message, {
      errors: [{ field: 'paymentMethodId', in: 'body', code: result.code, message: result.message }],
    });
  }
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('payments')
      .select('id')
      .where('provider', '=', provider.name)
      .where('provider_reference', '=', result.reference)
      .executeTakeFirst();
    if (existing) return { paymentId: existing.id };
    const { paymentId } = await recordSavedMethodCharge(trx, provider.name, req, result.reference, now);
    await recordWith(trx, paymentId);
    return { paymentId };
  });
}
