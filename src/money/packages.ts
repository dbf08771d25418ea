import type { Kysely, Transaction } from 'kysely';
import { ProblemError } from '../domain/problems.js';
import type { DB } from '../schema.js';
import { creditLabel, nextCreditValue, packageExpiry, redeemableInOrder } from './engine/packages.js';
import type { PaymentProvider } from './engine/payment-provider.js';
import { postMoneyEvent } from './ledger-store.js';
import { chargeSavedMethod } from './payment-service.js';
import type { MarketZone } from './receipts.js';

/**
 * Packages of sessions (issue 16, deliverable 5): offers by a therapist or the market, purchases charged to the
 * client's saved card, and credits redeemed by a booking and returned when it is cancelled free of charge. A
 * membership's month is a purchase too (memberships.ts), so one redemption path serves both. Money knows no booking:
 * the caller above (booking's confirm) hands it the session's therapist, market, duration and booking id.
 */

type Db = Kysely<DB> | Transaction<DB>;

export interface OfferInput {
  market: string;
  therapistId: string | null;
  name: string;
  durationMin: number;
  sessions: number;
  priceMinor: number;
  currency: string;
  validDays: number;
}

export interface OfferView extends OfferInput {
  id: string;
  active: boolean;
}

const offerColumns = [
  'id',
  'market',
  'therapist_id',
  'name',
  'duration_min',
  'sessions',
  'price_minor',
  'currency',
  'valid_days',
  'active',
] as const;

function toOfferView(row: {
  id: string;
  market: string;
  therapist_id: string | null;
  name: string;
  duration_min: number;
  sessions: number;
  price_minor: number;
  currency: string;
  valid_days: number;
  active: boolean;
}): OfferView {
  return {
    id: row.id,
    market: row.market,
    therapistId: row.therapist_id,
    name: row.name,
    durationMin: row.duration_min,
    sessions: row.sessions,
    priceMinor: row.price_minor,
    currency: row.currency,
    validDays: row.valid_days,
    active: row.active,
  };
}

export async function createOffer(db: Db, input: OfferInput, createdBy: string, now: number): Promise<OfferView> {
  const row = await db
    .insertInto('package_offers')
    .values({
      market: input.market,
      therapist_id: input.therapistId,
      name: input.name,
      duration_min: input.durationMin,
      sessions: input.sessions,
      price_minor: input.priceMinor,
      currency: input.currency,
      valid_days: input.validDays,
      created_by: createdBy,
      created_at: new Date(now),
    })
    .returning(offerColumns)
    .executeTakeFirstOrThrow();
  return toOfferView(row);
}

/** Withdraws an offer (bought packages stay valid). Only its therapist, or an operator for a market offer. */
export async function withdrawOffer(db: Db, offerId: string, by: { id: string; role: string }): Promise<OfferView> {
  const offer = await db.selectFrom('package_offers').select(offerColumns).where('id', '=', offerId).executeTakeFirst();
  if (!offer || (by.role !== 'operator' && offer.therapist_id !== by.id)) throw new ProblemError('not_found');
  const row = await db
    .updateTable('package_offers')
    .set({ active: false })
    .where('id', '=', offerId)
    .returning(offerColumns)
    .executeTakeFirstOrThrow();
  return toOfferView(row);
}

/** Active offers: of one therapist (with the market-wide ones of `market` when given), or all of a market. */
export async function listOffers(db: Db, filter: { therapistId?: string; market?: string }): Promise<OfferView[]> {
  let query = db.selectFrom('package_offers').select(offerColumns).where('active', '=', true);
  if (filter.therapistId) {
    const therapistId = filter.therapistId;
    query = query.where((eb) =>
      filter.market
        ? eb.or([
            eb('therapist_id', '=', therapistId),
            eb.and([eb('therapist_id', 'is', null), eb('market', '=', filter.market)]),
          ])
        : eb('therapist_id', '=', therapistId),
    );
  } else if (filter.market) {
    query = query.where('market', '=', filter.market);
  }
  const rows = await query.orderBy('price_minor').orderBy('id').execute();
  return rows.map(toOfferView);
}

/** Issues credits (a package bought, a membership's month) and posts `package_issue` when they cost something. */
export async function issueCredits(
  trx: Transaction<DB>,
  credits: {
    clientId: string;
    offerId: string | null;
    membershipId: string | null;
    therapistId: string | null;
    market: string;
    currency: string;
    label: string;
    durationMin: number;
    creditsTotal: number;
    priceMinor: number;
    startsAt: number;
    expiresAt: number;
    paymentId: string | null;
  },
  now: number,
): Promise<string> {
  const row = await trx
    .insertInto('package_purchases')
    .values({
      client_id: credits.clientId,
      offer_id: credits.offerId,
      membership_id: credits.membershipId,
      therapist_id: credits.therapistId,
      market: credits.market,
      currency: credits.currency,
      label: credits.label,
      duration_min: credits.durationMin,
      credits_total: credits.creditsTotal,
      price_minor: credits.priceMinor,
      starts_at: new Date(credits.startsAt),
      expires_at: new Date(credits.expiresAt),
      payment_id: credits.paymentId,
      created_at: new Date(now),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await postMoneyEvent(
    trx,
    { kind: 'package_issue', clientId: credits.clientId, packageId: row.id, amountMinor: credits.priceMinor },
    { market: credits.market, currency: credits.currency, bookingId: null, occurredAt: now },
  );
  return row.id;
}

/**
 * Buys a package: charges the client's saved card (outside any transaction, keyed by `idempotencyKey`), then records
 * the payment, the purchase and its `package_issue` in one transaction.
 */
export async function buyPackage(
  db: Kysely<DB>,
  provider: PaymentProvider,
  req: { clientId: string; offerId: string; paymentMethodId: string; idempotencyKey: string },
  now: number,
  marketZone?: MarketZone,
): Promise<string> {
  const offer = await db
    .selectFrom('package_offers')
    .selectAll()
    .where('id', '=', req.offerId)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!offer) {
    throw new ProblemError('not_found', 'There is no such package on offer', {
      errors: [{ field: 'offerId', in: 'body', code: 'not_found', message: 'There is no such package on offer' }],
    });
  }
  let purchaseId = '';
  const { paymentId: paid } = await chargeSavedMethod(
    db,
    provider,
    {
      purpose: 'package',
      clientId: req.clientId,
      therapistId: offer.therapist_id,
      market: offer.market,
      currency: offer.currency,
      paymentMethodId: req.paymentMethodId,
      amountMinor: offer.price_minor,
      idempotencyKey: `package:${req.clientId}:${req.idempotencyKey}`,
      description: `Knotwork package: ${offer.name}`,
      ...(marketZone ? { timeZone: await marketZone(db, offer.market) } : {}),
    },
    now,
    async (trx, paymentId) => {
      purchaseId = await issueCredits(
        trx,
        {
          clientId: req.clientId,
          offerId: offer.id,
          membershipId: null,
          therapistId: offer.therapist_id,
          market: offer.market,
          currency: offer.currency,
          label: offer.name,
          durationMin: offer.duration_min,
          creditsTotal: offer.sessions,
          priceMinor: offer.price_minor,
          startsAt: now,
          expiresAt: packageExpiry(now, offer.valid_days),
          paymentId,
        },
        now,
      );
    },
  );
  if (!purchaseId) {
    // The same idempotency key again: the purchase recorded the first time.
    const again = await db
      .selectFrom('package_purchases')
      .select('id')
      .where('payment_id', '=', paid)
      .executeTakeFirstOrThrow();
    purchaseId = again.id;
  }
  return purchaseId;
}

export interface CreditsView {
  id: string;
  kind: 'package' | 'membership';
  label: string;
  therapistId: string | null;
  market: string;
  durationMin: number;
  creditsTotal: number;
  creditsUsed: number;
  creditsLeft: number;
  priceMinor: number;
  currency: string;
  startsAt: string;
  expiresAt: string;
  expired: boolean;
}

/** A client's packages and membership months, newest first, with what is left and whether they expired. */
export async function creditsOf(db: Db, clientId: string, now: number): Promise<CreditsView[]> {
  const rows = await db
    .selectFrom('package_purchases')
    .selectAll()
    .where('client_id', '=', clientId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.offer_id ? 'package' : 'membership',
    label: r.label,
    therapistId: r.therapist_id,
    market: r.market,
    durationMin: r.duration_min,
    creditsTotal: r.credits_total,
    creditsUsed: r.credits_used,
    creditsLeft: r.credits_total - r.credits_used,
    priceMinor: r.price_minor,
    currency: r.currency,
    startsAt: r.starts_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    expired: r.expires_at.getTime() <= now,
  }));
}

export interface SessionForCredit {
  clientId: string;
  therapistId: string;
  durationMin: number;
  bookingId: string;
  market: string;
}

/**
 * The client's packages that can pay `session` now (right therapist or market-wide, right duration, not expired, not
 * used up), the soonest to expire first: what redeemCredit takes from, and what checkout previews.
 */
export async function redeemableHoldings(
  db: Kysely<DB> | Transaction<DB>,
  session: Omit<SessionForCredit, 'bookingId'>,
  now: number,
) {
  return holdingsInOrder(await unusedPackagesOf(db, session.clientId, now).execute(), session, now);
}

/** The read of the client's packages not expired nor used up, to be part of a larger read (see holdingsInOrder). */
export function unusedPackagesOf(db: Kysely<DB> | Transaction<DB>, clientId: string, now: number) {
  return db
    .selectFrom('package_purchases')
    .select([
      'id',
      'label',
      'therapist_id',
      'market',
      'currency',
      'duration_min',
      'credits_total',
      'credits_used',
      'price_minor',
      'value_redeemed_minor',
      'starts_at',
      'expires_at',
    ])
    .where('client_id', '=', clientId)
    .where('expires_at', '>', new Date(now))
    .whereRef('credits_used', '<', 'credits_total');
}

/** Of an unusedPackagesOf read's rows, the ones that can pay `session` now, soonest to expire first. */
export function holdingsInOrder(
  rows: readonly Awaited<ReturnType<ReturnType<typeof unusedPackagesOf>['execute']>>[number][],
  session: Omit<SessionForCredit, 'bookingId'>,
  now: number,
) {
  const holdings = rows.map((r) => ({
    row: r,
    therapistId: r.therapist_id,
    market: r.market,
    durationMin: r.duration_min,
    creditsTotal: r.credits_total,
    creditsUsed: r.credits_used,
    priceMinor: r.price_minor,
    valueRedeemedMinor: r.value_redeemed_minor,
    startsAt: r.starts_at.getTime(),
    expiresAt: r.expires_at.getTime(),
  }));
  return redeemableInOrder(holdings, session, now);
}

/**
 * Pays `session` with one of the client's credits, if one can (right therapist or market-wide, right duration, not
 * expired, not used up): the one soonest to expire. Posts `package_redemption` of the credit's value. Returns null
 * when no credit can pay. Safe under races: the credit is taken by a conditional UPDATE, so two bookings after the
 * last credit cannot both get it (the second finds none left and gets null); a booking holds at most one credit.
 */
export async function redeemCredit(
  trx: Transaction<DB>,
  session: SessionForCredit,
  now: number,
): Promise<{ redemptionId: string; purchaseId: string; valueMinor: number; currency: string; label: string } | null> {
  for (const candidate of await redeemableHoldings(trx, session, now)) {
    // Take the row's lock and read it fresh: another transaction may have used a credit since the read above.
    const fresh = await trx
      .selectFrom('package_purchases')
      .select(['credits_used', 'credits_total', 'price_minor', 'value_redeemed_minor'])
      .where('id', '=', candidate.row.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (fresh.credits_used >= fresh.credits_total) continue;
    const value = nextCreditValue({
      creditsTotal: fresh.credits_total,
      creditsUsed: fresh.credits_used,
      priceMinor: fresh.price_minor,
      valueRedeemedMinor: fresh.value_redeemed_minor,
    });
    await trx
      .updateTable('package_purchases')
      .set((eb) => ({
        credits_used: eb('credits_used', '+', 1),
        value_redeemed_minor: eb('value_redeemed_minor', '+', value),
      }))
      .where('id', '=', candidate.row.id)
      .execute();
    const redemption = await trx
      .insertInto('package_redemptions')
      .values({
        purchase_id: candidate.row.id,
        booking_id: session.bookingId,
        value_minor: value,
        redeemed_at: new Date(now),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (value > 0) {
      await postMoneyEvent(
        trx,
        { kind: 'package_redemption', clientId: session.clientId, packageId: candidate.row.id, amountMinor: value },
        {
          market: candidate.row.market,
          currency: candidate.row.currency,
          bookingId: session.bookingId,
          occurredAt: now,
        },
      );
    }
    return {
      redemptionId: redemption.id,
      purchaseId: candidate.row.id,
      valueMinor: value,
      currency: candidate.row.currency,
      label: creditLabel(candidate.row.label, fresh.credits_used + 1, fresh.credits_total),
    };
  }
  return null;
}

/**
 * Gives back the credit a booking used (on a free cancellation): the credit is usable again (until its package
 * expires) and the reverse entry is posted, a `package_issue` of the credit's value to the same package. Returns the
 * value returned, or null when the booking used no credit.
 */
export async function returnCredit(trx: Transaction<DB>, bookingId: string, now: number): Promise<number | null> {
  const redemption = await trx
    .selectFrom('package_redemptions')
    .select(['id', 'purchase_id', 'value_minor'])
    .where('booking_id', '=', bookingId)
    .where('returned_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (!redemption) return null;
  const purchase = await trx
    .updateTable('package_purchases')
    .set((eb) => ({
      credits_used: eb('credits_used', '-', 1),
      value_redeemed_minor: eb('value_redeemed_minor', '-', redemption.value_minor),
    }))
    .where('id', '=', redemption.purchase_id)
    .returning(['client_id', 'market', 'currency'])
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('package_redemptions')
    .set({ returned_at: new Date(now) })
    .where('id', '=', redemption.id)
    .execute();
  await postMoneyEvent(
    trx,
    {
      kind: 'package_issue',
      clientId: purchase.client_id,
      packageId: redemption.purchase_id,
      amountMinor: redemption.value_minor,
    },
    { market: purchase.market, currency: purchase.currency, bookingId, occurredAt: now },
  );
  return redemption.value_minor;
}
