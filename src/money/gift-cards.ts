import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { ProblemError } from '../domain/problems.js';
import type { DB } from '../schema.js';
import { giftCardApplies, giftCardCode, normalizeGiftCardCode } from './engine/gift-card-codes.js';
import type { PaymentProvider } from './engine/payment-provider.js';
import { postMoneyEvent } from './ledger-store.js';
import { chargeSavedMethod } from './payment-service.js';
import type { MarketZone } from './receipts.js';

/**
 * Gift cards (issue 16, deliverable 6): bought for someone with the buyer's saved card, the code e-mailed (through the
 * `GiftCardMailer` port: notify, above money, writes the message), redeemed at checkout in part or whole and restored
 * on a free cancellation. The code is never stored: only its SHA-256 and its last four characters. The balance can
 * never go negative (a CHECK, and redemption takes the row's lock).
 */

/** What money asks notify to send when a gift card is bought, in the purchase's transaction. */
export interface GiftCardMailer {
  send(
    trx: Transaction<DB>,
    mail: {
      buyerId: string;
      recipientEmail: string;
      recipientName: string;
      message: string | null;
      code: string;
      amountMinor: number;
      currency: string;
    },
    now: number,
  ): Promise<void>;
}

const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');

function invalidCode(field = 'code'): ProblemError {
  const message = 'Check the code: it is not one of our gift cards';
  return new ProblemError('gift_card_invalid', message, {
    errors: [{ field, in: field === 'code' ? 'path' : 'body', code: 'gift_card_invalid', message }],
  });
}

export interface GiftCardPurchase {
  buyerId: string;
  market: string;
  currency: string;
  amountMinor: number;
  recipientEmail: string;
  recipientName: string;
  message: string | null;
  paymentMethodId: string;
  idempotencyKey: string;
}

/** Buys a gift card: charges the buyer's card, then records the card, its `gift_card_issue` and the e-mail at once. */
export async function buyGiftCard(
  db: Kysely<DB>,
  provider: PaymentProvider,
  mailer: GiftCardMailer,
  req: GiftCardPurchase,
  now: number,
  marketZone?: MarketZone,
): Promise<{ id: string; last4: string; amountMinor: number; currency: string }> {
  const code = giftCardCode(randomBytes(11));
  let id = '';
  const { paymentId: paid } = await chargeSavedMethod(
    db,
    provider,
    {
      purpose: 'gift_card',
      clientId: req.buyerId,
      therapistId: null,
      market: req.market,
      currency: req.currency,
      paymentMethodId: req.paymentMethodId,
      amountMinor: req.amountMinor,
      idempotencyKey: `gift-card:${req.buyerId}:${req.idempotencyKey}`,
      description: 'Knotwork gift card',
      ...(marketZone ? { timeZone: await marketZone(db, req.market) } : {}),
    },
    now,
    async (trx, paymentId) => {
      const row = await trx
        .insertInto('gift_cards')
        .values({
          code_hash: hashCode(code),
          code_last4: code.slice(-4),
          market: req.market,
          currency: req.currency,
          initial_minor: req.amountMinor,
          balance_minor: req.amountMinor,
          buyer_id: req.buyerId,
          recipient_email: req.recipientEmail,
          recipient_name: req.recipientName,
          message: req.message,
          payment_id: paymentId,
          created_at: new Date(now),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = row.id;
      await postMoneyEvent(
        trx,
        { kind: 'gift_card_issue', clientId: req.buyerId, giftCardId: row.id, amountMinor: req.amountMinor },
        { market: req.market, currency: req.currency, bookingId: null, occurredAt: now },
      );
      await mailer.send(
        trx,
        {
          buyerId: req.buyerId,
          recipientEmail: req.recipientEmail,
          recipientName: req.recipientName,
          message: req.message,
          code,
          amountMinor: req.amountMinor,
          currency: req.currency,
        },
        now,
      );
    },
  );
  if (!id) {
    // The same idempotency key again: the card bought the first time.
    const again = await db
      .selectFrom('gift_cards')
      .select(['id', 'code_last4', 'initial_minor', 'currency'])
      .where('payment_id', '=', paid)
      .executeTakeFirstOrThrow();
    return { id: again.id, last4: again.code_last4, amountMinor: again.initial_minor, currency: again.currency };
  }
  return { id, last4: code.slice(-4), amountMinor: req.amountMinor, currency: req.currency };
}

/** The balance of the card a code names; 422 gift_card_invalid for a malformed or unknown code. */
export async function giftCardBalance(db: Kysely<DB> | Transaction<DB>, input: string) {
  const code = normalizeGiftCardCode(input);
  if (!code) throw invalidCode();
  const card = await db
    .selectFrom('gift_cards')
    .select(['code_last4', 'balance_minor', 'initial_minor', 'currency', 'market'])
    .where('code_hash', '=', hashCode(code))
    .executeTakeFirst();
  if (!card) throw invalidCode();
  return {
    last4: card.code_last4,
    balanceMinor: card.balance_minor,
    initialMinor: card.initial_minor,
    currency: card.currency,
    market: card.market,
  };
}

/**
 * Applies a gift card to what a client owes for a booking: as much as the card holds, up to `amountMinor`. Posts a
 * `gift_card_redemption` of the amount applied and returns it (with what is left on the card). 422 gift_card_invalid
 * (field `giftCardCode`) for a bad code or another currency; 409 gift_card_empty when nothing is left.
 */
export async function redeemGiftCard(
  trx: Transaction<DB>,
  req: { code: string; clientId: string; amountMinor: number; bookingId: string | null; currency: string },
  now: number,
): Promise<{ redemptionId: string; appliedMinor: number; balanceMinor: number; last4: string }> {
  const code = normalizeGiftCardCode(req.code);
  if (!code) throw invalidCode('giftCardCode');
  const card = await trx
    .selectFrom('gift_cards')
    .select(['id', 'balance_minor', 'currency', 'market', 'code_last4'])
    .where('code_hash', '=', hashCode(code))
    .forUpdate()
    .executeTakeFirst();
  if (!card || card.currency !== req.currency) throw invalidCode('giftCardCode');
  const applied = giftCardApplies(card.balance_minor, req.amountMinor);
  if (applied === 0) {
    throw new ProblemError('gift_card_empty', undefined, {
      errors: [
        { field: 'giftCardCode', in: 'body', code: 'gift_card_empty', message: 'This gift card has no balance left' },
      ],
    });
  }
  const updated = await trx
    .updateTable('gift_cards')
    .set((eb) => ({ balance_minor: eb('balance_minor', '-', applied) }))
    .where('id', '=', card.id)
    .returning('balance_minor')
    .executeTakeFirstOrThrow();
  const redemption = await trx
    .insertInto('gift_card_redemptions')
    .values({
      gift_card_id: card.id,
      client_id: req.clientId,
      booking_id: req.bookingId,
      amount_minor: applied,
      redeemed_at: new Date(now),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await postMoneyEvent(
    trx,
    { kind: 'gift_card_redemption', clientId: req.clientId, giftCardId: card.id, amountMinor: applied },
    { market: card.market, currency: card.currency, bookingId: req.bookingId, occurredAt: now },
  );
  return {
    redemptionId: redemption.id,
    appliedMinor: applied,
    balanceMinor: updated.balance_minor,
    last4: card.code_last4,
  };
}

/**
 * Puts back on their cards what a booking took from gift cards (on a free cancellation), posting the reverse entry
 * (a `gift_card_issue` of the amount, to the client who used it). Returns the total restored (0 when none).
 */
export async function restoreGiftCard(trx: Transaction<DB>, bookingId: string, now: number): Promise<number> {
  const redemptions = await trx
    .selectFrom('gift_card_redemptions')
    .select(['id', 'gift_card_id', 'client_id', 'amount_minor'])
    .where('booking_id', '=', bookingId)
    .where('restored_at', 'is', null)
    .orderBy('id')
    .forUpdate()
    .execute();
  let total = 0;
  for (const r of redemptions) {
    const card = await trx
      .updateTable('gift_cards')
      .set((eb) => ({ balance_minor: eb('balance_minor', '+', r.amount_minor) }))
      .where('id', '=', r.gift_card_id)
      .returning(['market', 'currency'])
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('gift_card_redemptions')
      .set({ restored_at: new Date(now) })
      .where('id', '=', r.id)
      .execute();
    await postMoneyEvent(
      trx,
      { kind: 'gift_card_issue', clientId: r.client_id, giftCardId: r.gift_card_id, amountMinor: r.amount_minor },
      { market: card.market, currency: card.currency, bookingId, occurredAt: now },
    );
    total += r.amount_minor;
  }
  return total;
}
