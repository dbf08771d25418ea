import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import { type FieldError, ProblemError } from '../domain/problems.js';
import { scheduleJob } from '../jobs/job-scheduler.js';
import type { DB } from '../schema.js';
import { type SessionSplit, proportionOf } from './engine/checkout.js';
import type {
  MoneyRequest,
  PaymentProvider,
  ProviderEvent,
  ProviderFailure,
  ProviderResult,
} from './engine/payment-provider.js';
import type { MoneyEvent } from './engine/ledger-postings.js';
import {
  type JournalContext,
  type WriteAlong,
  journalEntryWrites,
  postMoneyEvent,
  withJournalEntry,
} from './ledger-store.js';
import { issueReceipt } from './receipts.js';
import type { PaymentMethodsTable, PaymentPurpose, PaymentRefundsTable, PaymentsTable } from './money-tables.js';

/**
 * The payment service: every capability that takes or gives back money goes through these functions. A provider is
 * never called inside a database transaction (PGlite is one connection, and a real provider must not hold our locks):
 * each function reads, calls the provider with an idempotency key, then records the answer in one transaction that
 * locks the payment's row, so a retry or a race records it once.
 */

type Db = Kysely<DB> | Transaction<DB>;

/** Job kinds (money/payment-jobs.ts handles them). */
export const CAPTURE_JOB = 'money.capture';
export const VOID_JOB = 'money.void';
export const REFUND_JOB = 'money.refund';
export const RELEASE_JOB = 'money.release_unrecorded';

/** A provider failure as a problem the client reads at `field`: a refusal is payment_declined, an outage payment_failed. */
export function providerProblem(failure: ProviderFailure, field = 'paymentMethodId'): ProblemError {
  const code = failure.code === 'processing_error' ? 'payment_failed' : 'payment_declined';
  const errors: FieldError[] = [{ field, in: 'body', code: failure.code, message: failure.message }];
  return new ProblemError(code, failure.message, { errors, extra: { reason: failure.code } });
}

// ---------------------------------------------------------------------------------------------------------------
// Payment methods and market terms

export interface PaymentMethodRow {
  id: string;
  clientId: string;
  provider: string;
  providerToken: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  createdAt: number;
}

function methodOf(row: Selectable<PaymentMethodsTable>): PaymentMethodRow {
  return {
    id: row.id,
    clientId: row.client_id,
    provider: row.provider,
    providerToken: row.provider_token,
    brand: row.brand,
    last4: row.last4,
    expMonth: row.exp_month,
    expYear: row.exp_year,
    createdAt: row.created_at.getTime(),
  };
}

/** The client's own saved method, not removed; 404 (naming `field`) otherwise, whoever else's it may be. */
export async function paymentMethodOf(
  db: Db,
  clientId: string,
  paymentMethodId: string,
  field = 'paymentMethodId',
): Promise<PaymentMethodRow> {
  const row = await ownMethod(db, clientId, paymentMethodId).executeTakeFirst();
  if (!row) throw unknownMethod(field);
  return methodOf(row);
}

function ownMethod(db: Db, clientId: string, paymentMethodId: string) {
  return db
    .selectFrom('payment_methods')
    .selectAll()
    .where('id', '=', paymentMethodId)
    .where('client_id', '=', clientId)
    .where('removed_at', 'is', null);
}

function unknownMethod(field: string) {
  const message = 'No saved card of yours has this id';
  return new ProblemError('not_found', message, {
    errors: [{ field, in: 'body', code: 'unknown_payment_method', message }],
  });
}

/** The client's newest saved method not removed, or null. */
export async function defaultPaymentMethod(db: Db, clientId: string): Promise<PaymentMethodRow | null> {
  const row = await db
    .selectFrom('payment_methods')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('removed_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? methodOf(row) : null;
}

/** The client's saved methods, newest first. */
export async function listPaymentMethods(db: Db, clientId: string): Promise<PaymentMethodRow[]> {
  const rows = await db
    .selectFrom('payment_methods')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('removed_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(methodOf);
}

/**
 * Saves the card behind a provider token (from the provider's card form) for the client: only the token and what a
 * person recognises the card by. Saving the same token again answers the method already saved. 422 naming `token`
 * when the provider does not know it.
 */
export async function savePaymentMethod(
  db: Kysely<DB>,
  provider: PaymentProvider,
  clientId: string,
  token: string,
  now: number,
): Promise<PaymentMethodRow> {
  const card = await provider.describePaymentMethod(token);
  if (!card.ok) {
    if (card.code === 'processing_error') throw providerProblem(card, 'token');
    throw new ProblemError('payment_method_invalid', card.message, {
      errors: [{ field: 'token', in: 'body', code: card.code, message: card.message }],
    });
  }
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('payment_methods')
      .selectAll()
      .where('provider', '=', provider.name)
      .where('provider_token', '=', token)
      .forUpdate()
      .executeTakeFirst();
    if (existing) {
      if (existing.client_id !== clientId) {
        throw new ProblemError('payment_method_invalid', 'This card cannot be saved to your account', {
          errors: [{ field: 'token', in: 'body', code: 'token_taken', message: 'This token belongs to someone else' }],
        });
      }
      if (existing.removed_at === null) return methodOf(existing);
      const restored = await trx
        .updateTable('payment_methods')
        .set({ removed_at: null, created_at: new Date(now) })
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return methodOf(restored);
    }
    const row = await trx
      .insertInto('payment_methods')
      .values({
        client_id: clientId,
        provider: provider.name,
        provider_token: token,
        brand: card.brand,
        last4: card.last4,
        exp_month: card.expMonth,
        exp_year: card.expYear,
        created_at: new Date(now),
        removed_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return methodOf(row);
  });
}

/** Removes a saved method (payments made with it keep naming it). 404 unless the client's own and not removed. */
export async function removePaymentMethod(db: Db, clientId: string, paymentMethodId: string, now: number) {
  const removed = await db
    .updateTable('payment_methods')
    .set({ removed_at: new Date(now) })
    .where('id', '=', paymentMethodId)
    .where('client_id', '=', clientId)
    .where('removed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!removed) throw new ProblemError('not_found', 'No saved card of yours has this id');
}

// ---------------------------------------------------------------------------------------------------------------
// Charges taken at once

export interface ChargeRequest {
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
  /**
   * What the amount is made of, stored with the payment. A fee gives `{ split }` (engine/checkout.ts SessionSplit)
   * so a refund of it splits back in proportion.
   */
  breakdown?: Record<string, unknown>;
  /**
   * The zone its receipts write times in: the session's place for a session's money, the buyer's market for a
   * purchase. Kept in the breakdown (`timeZone`); money/receipts.ts reads it there.
   */
  timeZone?: string;
}

/**
 * Charges a saved method at once (a tip, a fee, a package, a membership, a gift card): the provider call outside any
 * transaction, then ONE transaction records the captured payment, posts the ledger `payment`, and runs
 * `recordWith(trx, paymentId)` for the caller's own rows and ledger events. A decline throws payment_declined
 * naming `paymentMethodId`. The same idempotency key sent again records nothing twice (the first payment's id is
 * answered and `recordWith` is not run again). If recording fails, the charge is refunded at the provider.
 */
export async function chargeSavedMethod(
  db: Kysely<DB>,
  provider: PaymentProvider,
  req: ChargeRequest,
  now: number,
  recordWith: (trx: Transaction<DB>, paymentId: string) => Promise<void> = async () => {},
): Promise<{ paymentId: string }> {
  const method = await paymentMethodOf(db, req.clientId, req.paymentMethodId);
  const result = await provider.charge({
    paymentMethod: method.providerToken,
    amountMinor: req.amountMinor,
    currency: req.currency,
    idempotencyKey: req.idempotencyKey,
    description: req.description,
  });
  if (!result.ok) throw providerProblem(result);
  try {
    return await db.transaction().execute(async (trx) => {
      const at = new Date(now);
      const inserted = await trx
        .insertInto('payments')
        .values({
          market: req.market,
          currency: req.currency,
          client_id: req.clientId,
          therapist_id: req.therapistId,
          purpose: req.purpose,
          booking_id: req.bookingId ?? null,
          payment_method_id: method.id,
          provider: provider.name,
          provider_reference: result.reference,
          status: 'captured',
          amount_authorized_minor: req.amountMinor,
          amount_captured_minor: req.amountMinor,
          breakdown: JSON.stringify({
            description: req.description,
            ...req.breakdown,
            ...(req.timeZone ? { timeZone: req.timeZone } : {}),
          }) as unknown as Record<string, unknown>,
          failure_code: null,
          failure_message: null,
          authorized_at: at,
          authorization_expires_at: null,
          captured_at: at,
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) => oc.columns(['provider', 'provider_reference']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) {
        // The same idempotency key again: the provider answered the first charge, which is recorded already.
        const first = await trx
          .selectFrom('payments')
          .select('id')
          .where('provider', '=', provider.name)
          .where('provider_reference', '=', result.reference)
          .executeTakeFirstOrThrow();
        return { paymentId: first.id };
      }
      await postMoneyEvent(
        trx,
        { kind: 'payment', clientId: req.clientId, amountMinor: req.amountMinor },
        { market: req.market, currency: req.currency, bookingId: req.bookingId ?? null, occurredAt: now },
      );
      await recordWith(trx, inserted.id);
      await issueReceipt(trx, { paymentId: inserted.id }, now);
      return { paymentId: inserted.id };
    });
  } catch (error) {
    // Nothing was recorded: give the money back rather than keep it unaccounted for.
    await provider
      .refund({
        reference: result.reference,
        amountMinor: req.amountMinor,
        idempotencyKey: `undo:${req.idempotencyKey}`,
      })
      .catch(() => undefined);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Authorise now, capture or void later

export interface AuthorizeRequest {
  paymentMethodId: string;
  clientId: string;
  amountMinor: number;
  currency: string;
  idempotencyKey: string;
  description: string;
}

/**
 * Holds the amount on the client's saved method (outside any transaction). 404 naming paymentMethodId for a method
 * that is not the client's; a provider refusal is answered as a failure result (see `providerProblem`).
 */
export async function authorizeCard(
  db: Kysely<DB>,
  provider: PaymentProvider,
  req: AuthorizeRequest,
): Promise<ProviderResult<{ reference: string; expiresAt: number; paymentMethodId: string }>> {
  const method = await paymentMethodOf(db, req.clientId, req.paymentMethodId);
  return authorizeOn(provider, method, req);
}

/**
 * authorizeCard for a booking's session, whose idempotency key carries the attempt: how many session authorisations
 * the booking had before, whatever became of them (voided ones included), so a new attempt never reuses an earlier
 * one's key. The attempt is read with the card, in one statement.
 */
export async function authorizeSessionCard(
  db: Db,
  provider: PaymentProvider,
  req: Omit<AuthorizeRequest, 'idempotencyKey'> & { bookingId: string; keyOf: (attempt: number) => string },
  /** The card as `sessionCardOf` read it with another statement (null: none), saving the read here. */
  read?: SessionCard | null,
): Promise<ProviderResult<{ reference: string; expiresAt: number; paymentMethodId: string }>> {
  const card = read !== undefined ? read : ((await sessionCardOf(db, req).executeTakeFirst()) ?? null);
  if (!card) throw unknownMethod('paymentMethodId');
  const { attempt, ...method } = card;
  return authorizeOn(provider, methodOf(method), { ...req, idempotencyKey: req.keyOf(Number(attempt)) });
}

/** A provider that can also authorise many requests at once (the test processor: the demo seed's sessions). */
export type BulkAuthorizingProvider = PaymentProvider & {
  authorizeMany?(requests: MoneyRequest[]): Promise<ProviderResult<{ reference: string; expiresAt: number }>[]>;
};

/**
 * authorizeSessionCard for many bookings' sessions, answering in their order: each card and attempt read in one
 * statement for all, then one `authorizeMany` call when the provider has it (else `authorize` in turn), with the keys,
 * amounts and descriptions authorizeSessionCard would send. A card that is not the client's is a not_found problem,
 * as there.
 */
export async function authorizeSessionCards(
  db: Db,
  provider: BulkAuthorizingProvider,
  reqs: (Omit<AuthorizeRequest, 'idempotencyKey'> & { bookingId: string; keyOf: (attempt: number) => string })[],
): Promise<ProviderResult<{ reference: string; expiresAt: number; paymentMethodId: string }>[]> {
  if (reqs.length === 0) return [];
  const [methods, attempts] = await Promise.all([
    db
      .selectFrom('payment_methods')
      .selectAll()
      .where('id', 'in', [...new Set(reqs.map((r) => r.paymentMethodId))])
      .where('removed_at', 'is', null)
      .execute(),
    db
      .selectFrom('payments')
      .select((eb) => ['booking_id', eb.fn.countAll<string>().as('n')])
      .where('booking_id', 'in', [...new Set(reqs.map((r) => r.bookingId))])
      .where('purpose', '=', 'booking')
      .groupBy('booking_id')
      .execute(),
  ]);
  const methodById = new Map(methods.map((m) => [m.id, m]));
  const attemptOf = new Map(attempts.map((a) => [a.booking_id, Number(a.n)]));
  const requests = reqs.map((req) => {
    const row = methodById.get(req.paymentMethodId);
    if (row?.client_id !== req.clientId) throw unknownMethod('paymentMethodId');
    const method = methodOf(row);
    return {
      method,
      request: {
        paymentMethod: method.providerToken,
        amountMinor: req.amountMinor,
        currency: req.currency,
        idempotencyKey: req.keyOf(attemptOf.get(req.bookingId) ?? 0),
        description: req.description,
      },
    };
  });
  let results: ProviderResult<{ reference: string; expiresAt: number }>[] = [];
  if (provider.authorizeMany) results = await provider.authorizeMany(requests.map((r) => r.request));
  else for (const { request } of requests) results.push(await provider.authorize(request));
  return results.map((result, i) =>
    result.ok
      ? { ok: true, reference: result.reference, expiresAt: result.expiresAt, paymentMethodId: requests[i]!.method.id }
      : result,
  );
}

/** The client's saved card with how many session authorisations the booking had before (the attempt in the key). */
export interface SessionCard extends Selectable<PaymentMethodsTable> {
  attempt: string | number | null;
}

/**
 * The read authorizeSessionCard makes: the client's own saved card (not removed) with the booking's session
 * authorisations counted, as a query another statement may fold in (booking's confirm reads it with the quote).
 */
export function sessionCardOf(db: Db, req: { clientId: string; paymentMethodId: string; bookingId: string }) {
  return ownMethod(db, req.clientId, req.paymentMethodId).select((eb) =>
    eb
      .selectFrom('payments')
      .select((count) => count.fn.countAll<string>().as('n'))
      .where('booking_id', '=', req.bookingId)
      .where('purpose', '=', 'booking')
      .as('attempt'),
  );
}

/** A SessionCard read as JSON (its times strings), as it was read by itself. */
export function sessionCardOfJson(
  row: (Omit<SessionCard, 'created_at' | 'removed_at'> & { created_at: string; removed_at: string | null }) | null,
): SessionCard | null {
  if (!row) return null;
  return {
    ...row,
    created_at: new Date(row.created_at),
    removed_at: row.removed_at === null ? null : new Date(row.removed_at),
  };
}

async function authorizeOn(
  provider: PaymentProvider,
  method: PaymentMethodRow,
  req: AuthorizeRequest,
): Promise<ProviderResult<{ reference: string; expiresAt: number; paymentMethodId: string }>> {
  const result = await provider.authorize({
    paymentMethod: method.providerToken,
    amountMinor: req.amountMinor,
    currency: req.currency,
    idempotencyKey: req.idempotencyKey,
    description: req.description,
  });
  if (!result.ok) return result;
  return { ok: true, reference: result.reference, expiresAt: result.expiresAt, paymentMethodId: method.id };
}

export interface AuthorizationRecord {
  provider: string;
  reference: string;
  expiresAt: number;
  paymentMethodId: string;
  purpose: PaymentPurpose;
  market: string;
  currency: string;
  clientId: string;
  therapistId: string | null;
  bookingId: string | null;
  amountMinor: number;
  /**
   * What the amount is made of (a CheckoutQuote: lines and split), as the client was shown it, and `timeZone`, the
   * session's, in which its receipts write times.
   */
  breakdown: Record<string, unknown>;
  now: number;
}

/** Records an authorisation in the caller's transaction; returns the payment's id. */
export async function recordAuthorization(trx: Transaction<DB>, auth: AuthorizationRecord): Promise<string> {
  const row = await trx
    .insertInto('payments')
    .values(authorizedPayment(auth))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** recordAuthorization for many at once, in one statement in the caller's transaction. */
export async function recordAuthorizations(trx: Transaction<DB>, auths: AuthorizationRecord[]): Promise<void> {
  if (auths.length) await trx.insertInto('payments').values(auths.map(authorizedPayment)).execute();
}

/**
 * Posts `event` (a charge) to the ledger and records the authorisation paying it, in one statement in the caller's
 * transaction (ledger-store.ts withJournalEntry): the entry, its postings and the payment are all written or none.
 */
export async function postWithAuthorization(
  trx: Transaction<DB>,
  event: MoneyEvent,
  context: JournalContext,
  auth: AuthorizationRecord,
): Promise<void> {
  await withJournalEntry(trx, event, context)
    .insertInto('payments')
    .values(authorizedPayment(auth))
    .returning('id')
    .executeTakeFirstOrThrow();
}

/**
 * What `postWithAuthorization` writes (or, with no event, `recordAuthorization`), as writes for another statement to
 * run with its own (booking's confirm: the booking's change, its event, its screening and these are one statement).
 */
export function chargeWrites(
  trx: Transaction<DB>,
  event: MoneyEvent | null,
  context: JournalContext,
  auth?: AuthorizationRecord,
): WriteAlong[] {
  return [
    ...(event ? journalEntryWrites(trx, event, context) : []),
    ...(auth ? [{ name: 'authorized', query: trx.insertInto('payments').values(authorizedPayment(auth)) }] : []),
  ];
}

function authorizedPayment(auth: AuthorizationRecord) {
  const at = new Date(auth.now);
  return {
    market: auth.market,
    currency: auth.currency,
    client_id: auth.clientId,
    therapist_id: auth.therapistId,
    purpose: auth.purpose,
    booking_id: auth.bookingId,
    payment_method_id: auth.paymentMethodId,
    provider: auth.provider,
    provider_reference: auth.reference,
    status: 'authorized',
    amount_authorized_minor: auth.amountMinor,
    breakdown: JSON.stringify(auth.breakdown) as unknown as Record<string, unknown>,
    failure_code: null,
    failure_message: null,
    authorized_at: at,
    authorization_expires_at: new Date(auth.expiresAt),
    captured_at: null,
    created_at: at,
    updated_at: at,
  } as const;
}

/**
 * Records an authorisation that was taken and then voided before anything recorded it (a confirm whose transaction
 * failed), as a voided payment: Knotwork's books know every authorisation it took, and a later authorisation of the
 * same thing counts it (booking-payments.ts `authorizationKey`), so it is a new request, not the voided one answered
 * again. Nothing is written when a payment already holds the reference.
 */
export async function recordReleasedAuthorization(db: Db, auth: AuthorizationRecord): Promise<void> {
  await db
    .insertInto('payments')
    .values({ ...authorizedPayment(auth), status: 'voided' })
    .onConflict((oc) => oc.columns(['provider', 'provider_reference']).doNothing())
    .execute();
}

/**
 * An authorisation no payment records (the request that asked for it failed) whose release the provider could not do
 * at once: money.release_unrecorded asks again, with backoff, until the provider lets it go (then it is recorded
 * voided, as `recordReleasedAuthorization` does) or its retries end in a dead letter an operator sees. Without it the
 * client's money would stay held until the authorisation expired at the provider.
 */
export async function scheduleRelease(db: Db, auth: AuthorizationRecord, now: number): Promise<void> {
  await scheduleJob(
    db,
    {
      kind: RELEASE_JOB,
      payload: { authorization: auth },
      runAt: now,
      dedupeKey: `${RELEASE_JOB}:${auth.provider}:${auth.reference}`,
    },
    now,
  );
}

/**
 * The `call` step of money.release_unrecorded: 'recorded' when a payment records the authorisation after all (the
 * request that did keeps it), else asks the provider to void it; 'released' when nothing is held any more (voided,
 * or expired or gone at the provider). A processing error throws, so the job retries.
 */
export async function callRelease(
  db: Kysely<DB>,
  provider: PaymentProvider,
  auth: AuthorizationRecord,
): Promise<'recorded' | 'released'> {
  if (auth.provider !== provider.name)
    throw new Error(`release of ${auth.reference}: it is ${auth.provider}'s, this runner has ${provider.name}`);
  if (await isRecordedReference(db, auth.provider, auth.reference)) return 'recorded';
  const result = await provider.void({ reference: auth.reference, idempotencyKey: `void:${auth.reference}` });
  if (!result.ok && result.code === 'processing_error') throw new Error(`void of ${auth.reference}: ${result.message}`);
  return 'released';
}

/** Whether a payment records the provider's `reference` (another request recorded the same authorisation). */
async function isRecordedReference(db: Db, provider: string, reference: string): Promise<boolean> {
  const row = await db
    .selectFrom('payments')
    .select('id')
    .where('provider', '=', provider)
    .where('provider_reference', '=', reference)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Captures `amountMinor` of an authorised payment by a durable job, scheduled in the caller's transaction.
 * `description` says what the capture is for when it is not what the payment was authorised for ("Late cancellation
 * fee" taken from a session's authorisation): it is kept in the payment's breakdown and written on its receipt.
 */
export async function scheduleCapture(
  trx: Db,
  paymentId: string,
  amountMinor: number,
  now: number,
  description?: string,
) {
  await scheduleJob(
    trx,
    {
      kind: CAPTURE_JOB,
      payload: description ? { paymentId, amountMinor, description } : { paymentId, amountMinor },
      runAt: now,
      dedupeKey: `money.capture:${paymentId}`,
    },
    now,
  );
}

/** Releases an authorised payment by a durable job, scheduled in the caller's transaction. */
export async function scheduleVoid(trx: Db, paymentId: string, now: number) {
  await scheduleJob(
    trx,
    { kind: VOID_JOB, payload: { paymentId }, runAt: now, dedupeKey: `money.void:${paymentId}` },
    now,
  );
}

async function lockPayment(trx: Transaction<DB>, paymentId: string) {
  return trx.selectFrom('payments').selectAll().where('id', '=', paymentId).forUpdate().executeTakeFirst();
}

/** What the provider said to a capture (the `call` step of money.capture). */
export type CaptureCall =
  | { outcome: 'skip' }
  | { outcome: 'captured'; capturedMinor: number }
  | { outcome: 'recharged'; reference: string; amountMinor: number }
  | { outcome: 'failed'; code: string; message: string };

/**
 * Asks the provider to capture (outside any transaction). An authorisation the provider let expire is charged anew
 * on the saved method, for the same amount, with an idempotency key made from the payment's id. A processing error
 * throws, so a job retries.
 */
export async function callCapture(
  db: Kysely<DB>,
  provider: PaymentProvider,
  paymentId: string,
  amountMinor: number,
): Promise<CaptureCall> {
  const payment = await db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirst();
  if (!payment || payment.status !== 'authorized') return { outcome: 'skip' };
  const amount = Math.min(amountMinor, payment.amount_authorized_minor);
  const result = await provider.capture({
    reference: payment.provider_reference,
    amountMinor: amount,
    idempotencyKey: `capture:${paymentId}`,
  });
  if (result.ok) return { outcome: 'captured', capturedMinor: result.capturedMinor };
  if (result.code === 'already_captured') return { outcome: 'captured', capturedMinor: amount };
  if (result.code === 'processing_error') throw new Error(`capture of ${paymentId}: ${result.message}`);
  if (result.code !== 'authorization_expired' || !payment.payment_method_id) {
    return { outcome: 'failed', code: result.code, message: result.message };
  }
  const method = await db
    .selectFrom('payment_methods')
    .select('provider_token')
    .where('id', '=', payment.payment_method_id)
    .executeTakeFirstOrThrow();
  const charged = await provider.charge({
    paymentMethod: method.provider_token,
    amountMinor: amount,
    currency: payment.currency,
    idempotencyKey: `recharge:${paymentId}`,
    description: 'Knotwork session',
  });
  if (charged.ok) return { outcome: 'recharged', reference: charged.reference, amountMinor: amount };
  if (charged.code === 'processing_error') throw new Error(`new charge for ${paymentId}: ${charged.message}`);
  return { outcome: 'failed', code: charged.code, message: charged.message };
}

/**
 * Records a capture's answer under the payment's row lock: the first record wins, so two captures of one payment
 * capture (and post the ledger `payment`, and issue the receipt) once. `description` (what the capture was for, when
 * not the authorised session) goes into the payment's breakdown, where its receipt reads it. Answers the payment's
 * status afterwards.
 */
export async function recordCapture(
  trx: Transaction<DB>,
  paymentId: string,
  called: CaptureCall,
  now: number,
  description?: string,
): Promise<PaymentsTable['status'] | null> {
  const payment = await lockPayment(trx, paymentId);
  if (!payment) return null;
  if (payment.status !== 'authorized' || called.outcome === 'skip') return payment.status;
  const at = new Date(now);
  if (called.outcome === 'failed') {
    await trx
      .updateTable('payments')
      .set({
        status: 'failed',
        failure_code: called.code,
        failure_message: called.message.slice(0, 500),
        updated_at: at,
      })
      .where('id', '=', paymentId)
      .execute();
    return 'failed';
  }
  const amount = called.outcome === 'captured' ? called.capturedMinor : called.amountMinor;
  await trx
    .updateTable('payments')
    .set({
      status: 'captured',
      amount_captured_minor: amount,
      captured_at: at,
      updated_at: at,
      ...(description
        ? {
            breakdown: JSON.stringify({ ...(payment.breakdown as object), description }) as unknown as Record<
              string,
              unknown
            >,
          }
        : {}),
      ...(called.outcome === 'recharged'
        ? {
            provider_reference: called.reference,
            failure_code: 'authorization_expired',
            failure_message: 'The hold on the card expired; the saved card was charged anew',
          }
        : {}),
    })
    .where('id', '=', paymentId)
    .execute();
  await postMoneyEvent(
    trx,
    { kind: 'payment', clientId: payment.client_id, amountMinor: amount },
    { market: payment.market, currency: payment.currency, bookingId: payment.booking_id, occurredAt: now },
  );
  await issueReceipt(trx, { paymentId }, now);
  return 'captured';
}

/** Captures at once (call, then record): what the capture job does, for callers that want the answer now. */
export async function capturePayment(
  db: Kysely<DB>,
  provider: PaymentProvider,
  paymentId: string,
  amountMinor: number,
  now: number,
) {
  const called = await callCapture(db, provider, paymentId, amountMinor);
  return db.transaction().execute((trx) => recordCapture(trx, paymentId, called, now));
}

/** Asks the provider to release an authorisation (the `call` step of money.void); true when released. */
export async function callVoid(db: Kysely<DB>, provider: PaymentProvider, paymentId: string): Promise<boolean> {
  const payment = await db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirst();
  if (!payment || payment.status !== 'authorized') return false;
  const result = await provider.void({ reference: payment.provider_reference, idempotencyKey: `void:${paymentId}` });
  if (result.ok) return true;
  if (result.code === 'processing_error') throw new Error(`void of ${paymentId}: ${result.message}`);
  // Expired or otherwise gone at the provider: nothing is held any more either way.
  return true;
}

export async function recordVoid(trx: Transaction<DB>, paymentId: string, released: boolean, now: number) {
  if (!released) return;
  await trx
    .updateTable('payments')
    .set({ status: 'voided', updated_at: new Date(now) })
    .where('id', '=', paymentId)
    .where('status', '=', 'authorized')
    .execute();
}

// ---------------------------------------------------------------------------------------------------------------
// Refunds

export interface RefundRequest {
  paymentId: string;
  amountMinor: number;
  reason: string | null;
  requestedBy: string | null;
}

export interface RefundView {
  id: string;
  paymentId: string;
  amountMinor: number;
  status: 'pending' | 'succeeded' | 'failed';
  reason: string | null;
  failureMessage: string | null;
  createdAt: number;
}

/** A refund's provider call not answered (a timeout, a dropped connection) is asked again this long after. */
export const REFUND_RETRY_AFTER_MS = 60_000;

/**
 * Refunds part or all of what a payment captured and has not refunded yet. The amount is reserved first under the
 * payment's row lock (two refunds racing never exceed the captured amount; the CHECK backs it), in the same
 * transaction as the refund's row and a durable retry (money.refund, due REFUND_RETRY_AFTER_MS later); then the
 * provider is called with the refund row's own id as idempotency key (`refund:<refundId>`), then the answer is
 * recorded. Keyed by the row, a retry of this refund is the same call (the provider answers what it did and moves
 * nothing), and another refund of the same amount is another refund.
 *
 * A refund that succeeds posts the business side (`refund` split back in proportion for a session or fee, the tip
 * reversed for a tip) and the `repayment`; a pending one waits for its webhook; a refused one gives the amount back
 * to be refunded. A call that got no answer (it threw: the provider may or may not have refunded) is NOT a refusal:
 * the refund stays pending with its amount reserved, and the retry job asks again with the same key until the
 * provider answers (a crash between the call and the record is retried the same way).
 */
/** What a refund can send back today: sessions, fees and tips, whose business side settleRefund reverses. */
/** How soon a provider is asked to send again a refund event that came before its refund was recorded. */
const REFUND_RECORDING_RETRY_SECONDS = 3;

const REFUNDABLE_PURPOSES: ReadonlySet<PaymentPurpose> = new Set(['booking', 'fee', 'tip']);

export async function refundPayment(
  db: Kysely<DB>,
  provider: PaymentProvider,
  req: RefundRequest,
  now: number,
): Promise<RefundView> {
  const refundId = randomUUID();
  const reserved = await db.transaction().execute(async (trx) => {
    const payment = await lockPayment(trx, req.paymentId);
    if (!payment) throw new ProblemError('not_found', 'No payment has this id');
    const left = payment.amount_captured_minor - payment.amount_refunded_minor;
    if (payment.status !== 'captured' || left <= 0) throw new ProblemError('nothing_to_refund');
    if (!REFUNDABLE_PURPOSES.has(payment.purpose)) {
      // A package, membership month or gift card bought is a liability with credits or a balance behind it: sending
      // the money back would leave them spendable. Until a refund also takes them back, it is refused.
      throw new ProblemError(
        'refund_not_supported',
        `A ${payment.purpose.replace('_', ' ')} purchase cannot be refunded here: its credits or balance would stay usable`,
      );
    }
    if (req.amountMinor > left) {
      const message = `At most ${left} can be refunded`;
      throw new ProblemError('refund_too_large', message, {
        errors: [{ field: 'amountMinor', in: 'body', code: 'refund_too_large', message }],
        extra: { refundableMinor: left },
      });
    }
    const at = new Date(now);
    await trx
      .updateTable('payments')
      .set({ amount_refunded_minor: sql`amount_refunded_minor + ${req.amountMinor}`, updated_at: at })
      .where('id', '=', payment.id)
      .execute();
    await trx
      .insertInto('payment_refunds')
      .values({
        id: refundId,
        payment_id: payment.id,
        amount_minor: req.amountMinor,
        status: 'pending',
        provider_reference: `requested:${refundId}`,
        reason: req.reason,
        requested_by: req.requestedBy,
        failure_message: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await scheduleJob(
      trx,
      {
        kind: REFUND_JOB,
        payload: { refundId },
        runAt: now + REFUND_RETRY_AFTER_MS,
        dedupeKey: `${REFUND_JOB}:${refundId}`,
      },
      now,
    );
    return payment;
  });
  const result = await callRefund(provider, {
    reference: reserved.provider_reference,
    amountMinor: req.amountMinor,
    refundId,
  });
  if (result !== 'unanswered') {
    await db.transaction().execute((trx) => recordRefundAnswer(trx, refundId, result, now));
    if (!result.ok) throw providerProblem(result, 'amountMinor');
  }
  return refundView(
    await db.selectFrom('payment_refunds').selectAll().where('id', '=', refundId).executeTakeFirstOrThrow(),
  );
}

/** What the provider answered to a refund, or that it did not answer (the call threw). */
export type RefundAnswer = ProviderResult<{ refundReference: string; status: 'pending' | 'succeeded' }> | 'unanswered';

/** The provider call of a refund, keyed by the refund's row: every call for one refund is the same call. */
async function callRefund(
  provider: PaymentProvider,
  refund: { reference: string; amountMinor: number; refundId: string },
): Promise<RefundAnswer> {
  try {
    return await provider.refund({
      reference: refund.reference,
      amountMinor: refund.amountMinor,
      idempotencyKey: `refund:${refund.refundId}`,
    });
  } catch {
    return 'unanswered';
  }
}

/**
 * The `call` step of money.refund: asks the provider again about a refund whose answer was never recorded (still
 * pending under its `requested:` reference), with the same key. Answers 'skip' when it was recorded meanwhile;
 * throws when the provider does not answer this time either, so the job retries with backoff.
 */
export async function callRefundAgain(
  db: Kysely<DB>,
  provider: PaymentProvider,
  refundId: string,
): Promise<RefundAnswer | 'skip'> {
  const refund = await db
    .selectFrom('payment_refunds as r')
    .innerJoin('payments as p', 'p.id', 'r.payment_id')
    .select(['r.status', 'r.provider_reference', 'r.amount_minor', 'p.provider_reference as payment_reference'])
    .where('r.id', '=', refundId)
    .executeTakeFirst();
  if (!refund || refund.status !== 'pending' || !refund.provider_reference.startsWith('requested:')) return 'skip';
  const result = await callRefund(provider, {
    reference: refund.payment_reference,
    amountMinor: refund.amount_minor,
    refundId,
  });
  if (result === 'unanswered') throw new Error(`refund ${refundId}: the provider did not answer`);
  return result;
}

/**
 * Records a refund's answer under the payment's row lock; the first record wins (a refund already recorded by the
 * request, the retry job or a webhook is left as it is). A refusal gives the amount back; a success settles it;
 * a pending answer keeps the provider's reference for its webhook.
 */
export async function recordRefundAnswer(
  trx: Transaction<DB>,
  refundId: string,
  result: RefundAnswer | 'skip',
  now: number,
): Promise<void> {
  if (result === 'skip' || result === 'unanswered') return;
  const found = await trx
    .selectFrom('payment_refunds')
    .select('payment_id')
    .where('id', '=', refundId)
    .executeTakeFirst();
  if (!found) return;
  await lockPayment(trx, found.payment_id);
  const refund = await trx
    .selectFrom('payment_refunds')
    .select(['status', 'provider_reference'])
    .where('id', '=', refundId)
    .executeTakeFirstOrThrow();
  if (refund.status !== 'pending' || !refund.provider_reference.startsWith('requested:')) return;
  if (!result.ok) {
    await settleRefund(trx, refundId, 'failed', result.message, now);
    return;
  }
  await trx
    .updateTable('payment_refunds')
    .set({ provider_reference: result.refundReference, updated_at: new Date(now) })
    .where('id', '=', refundId)
    .execute();
  if (result.status === 'succeeded') await settleRefund(trx, refundId, 'succeeded', null, now);
}

function refundView(row: Selectable<PaymentRefundsTable>): RefundView {
  return {
    id: row.id,
    paymentId: row.payment_id,
    amountMinor: row.amount_minor,
    status: row.status,
    reason: row.reason,
    failureMessage: row.failure_message,
    createdAt: row.created_at.getTime(),
  };
}

/** The session split a payment's breakdown carries (`breakdown.split`), if it is one. */
function splitOf(breakdown: unknown): SessionSplit | null {
  const split = (breakdown as { split?: Partial<SessionSplit> } | null)?.split;
  if (!split || typeof split.amountMinor !== 'number' || typeof split.platformShareMinor !== 'number') return null;
  return {
    amountMinor: split.amountMinor,
    platformShareMinor: split.platformShareMinor,
    taxMinor: split.taxMinor ?? 0,
  };
}

/**
 * Ends a pending refund (the caller holds the payment's row lock): on success posts the business side and the
 * repayment; on failure gives the amount back to what can be refunded and keeps the provider's words.
 */
async function settleRefund(
  trx: Transaction<DB>,
  refundId: string,
  outcome: 'succeeded' | 'failed',
  failureMessage: string | null,
  now: number,
) {
  const refund = await trx.selectFrom('payment_refunds').selectAll().where('id', '=', refundId).executeTakeFirst();
  if (!refund || refund.status !== 'pending') return;
  const at = new Date(now);
  const payment = await trx
    .selectFrom('payments')
    .selectAll()
    .where('id', '=', refund.payment_id)
    .executeTakeFirstOrThrow();
  if (outcome === 'failed') {
    await trx
      .updateTable('payment_refunds')
      .set({ status: 'failed', failure_message: (failureMessage ?? 'The refund failed').slice(0, 500), updated_at: at })
      .where('id', '=', refundId)
      .execute();
    await trx
      .updateTable('payments')
      .set({ amount_refunded_minor: sql`amount_refunded_minor - ${refund.amount_minor}`, updated_at: at })
      .where('id', '=', payment.id)
      .execute();
    return;
  }
  const before = await trx
    .selectFrom('payment_refunds')
    .select(sql<string>`coalesce(sum(amount_minor), 0)`.as('sum'))
    .where('payment_id', '=', payment.id)
    .where('status', '=', 'succeeded')
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('payment_refunds')
    .set({ status: 'succeeded', updated_at: at })
    .where('id', '=', refundId)
    .execute();
  const context = {
    market: payment.market,
    currency: payment.currency,
    bookingId: payment.booking_id,
    occurredAt: now,
  };
  const split = splitOf(payment.breakdown);
  if ((payment.purpose === 'booking' || payment.purpose === 'fee') && split && payment.therapist_id) {
    // The cumulative share refunded so far, before and after this refund: partial refunds add up to the whole.
    const whole = split.amountMinor + split.taxMinor;
    const already = Math.min(Number(before.sum), whole);
    const upTo = Math.min(already + refund.amount_minor, whole);
    const a = proportionOf(split, already);
    const b = proportionOf(split, upTo);
    const part = {
      amountMinor: b.amountMinor - a.amountMinor,
      platformShareMinor: b.platformShareMinor - a.platformShareMinor,
      taxMinor: b.taxMinor - a.taxMinor,
    };
    if (part.amountMinor > 0) {
      await postMoneyEvent(
        trx,
        { kind: 'refund', clientId: payment.client_id, therapistId: payment.therapist_id, ...part },
        context,
      );
    }
  } else if (payment.purpose === 'tip' && payment.therapist_id) {
    await postMoneyEvent(
      trx,
      {
        kind: 'tip_refund',
        clientId: payment.client_id,
        therapistId: payment.therapist_id,
        amountMinor: refund.amount_minor,
      },
      context,
    );
  }
  await postMoneyEvent(
    trx,
    { kind: 'repayment', clientId: payment.client_id, amountMinor: refund.amount_minor },
    context,
  );
  await issueReceipt(trx, { refundId }, now);
}

// ---------------------------------------------------------------------------------------------------------------
// Webhooks

export type EventOutcome = 'applied' | 'ignored';

/**
 * Applies one verified webhook event in the caller's transaction (the caller records it in provider_events first, so
 * a redelivery never reaches here). An event about a payment or refund we do not know is ignored.
 */
export async function applyProviderEvent(
  trx: Transaction<DB>,
  providerName: string,
  event: ProviderEvent,
  now: number,
): Promise<EventOutcome> {
  const found = await trx
    .selectFrom('payments')
    .select('id')
    .where('provider', '=', providerName)
    .where('provider_reference', '=', event.reference)
    .executeTakeFirst();
  if (!found) return 'ignored';
  const payment = (await lockPayment(trx, found.id))!;
  const at = new Date(now);
  const context = {
    market: payment.market,
    currency: payment.currency,
    bookingId: payment.booking_id,
    occurredAt: now,
  };
  switch (event.type) {
    case 'payment.captured': {
      if (payment.status !== 'authorized') return 'ignored';
      const status = await recordCapture(
        trx,
        payment.id,
        { outcome: 'captured', capturedMinor: Math.min(event.amountMinor, payment.amount_authorized_minor) },
        now,
      );
      return status === 'captured' ? 'applied' : 'ignored';
    }
    case 'authorization.expired': {
      if (payment.status !== 'authorized') return 'ignored';
      await trx
        .updateTable('payments')
        .set({
          failure_code: 'authorization_expired',
          failure_message: 'The hold on the card expired; capturing will charge the saved card anew',
          updated_at: at,
        })
        .where('id', '=', payment.id)
        .execute();
      return 'applied';
    }
    case 'refund.succeeded':
    case 'refund.failed': {
      const refund = await trx
        .selectFrom('payment_refunds')
        .select(['id', 'status'])
        .where('payment_id', '=', payment.id)
        .where('provider_reference', '=', event.refundReference)
        .executeTakeFirst();
      if (!refund) {
        // The provider may answer before our record step has stored its refund reference: refuse for now (nothing
        // is kept), so the provider delivers the event again once the refund is recorded.
        const unrecorded = await trx
          .selectFrom('payment_refunds')
          .select('id')
          .where('payment_id', '=', payment.id)
          .where('status', '=', 'pending')
          .where('provider_reference', 'like', 'requested:%')
          .executeTakeFirst();
        if (unrecorded)
          throw new ProblemError('service_unavailable', 'The refund is not recorded yet; send it again', {
            extra: { retryAfterSeconds: REFUND_RECORDING_RETRY_SECONDS },
          });
        return 'ignored';
      }
      if (refund.status !== 'pending') return 'ignored';
      await settleRefund(
        trx,
        refund.id,
        event.type === 'refund.succeeded' ? 'succeeded' : 'failed',
        event.failureMessage ?? null,
        now,
      );
      return 'applied';
    }
    case 'dispute.opened':
    case 'dispute.won':
    case 'dispute.lost': {
      const status = event.type === 'dispute.opened' ? 'open' : event.type === 'dispute.won' ? 'won' : 'lost';
      const existing = await trx
        .selectFrom('disputes')
        .select(['id', 'status'])
        .where('provider_reference', '=', event.disputeReference)
        .forUpdate()
        .executeTakeFirst();
      if (existing && (existing.status !== 'open' || status === 'open')) return 'ignored';
      const closedAt = status === 'open' ? null : at;
      if (existing) {
        await trx.updateTable('disputes').set({ status, closed_at: closedAt }).where('id', '=', existing.id).execute();
      } else {
        await trx
          .insertInto('disputes')
          .values({
            payment_id: payment.id,
            provider_reference: event.disputeReference,
            amount_minor: event.amountMinor,
            reason: event.reason.slice(0, 500),
            status,
            opened_at: new Date(event.occurredAt),
            closed_at: closedAt,
          })
          .execute();
      }
      if (status === 'lost') {
        await postMoneyEvent(
          trx,
          { kind: 'chargeback', clientId: payment.client_id, amountMinor: event.amountMinor },
          context,
        );
      }
      return 'applied';
    }
  }
}

/**
 * Records a webhook event once (provider_events, by the provider's event id) and applies it in the same transaction;
 * a redelivery answers 'duplicate' and changes nothing.
 */
export async function receiveProviderEvent(
  db: Kysely<DB>,
  providerName: string,
  event: ProviderEvent,
  now: number,
): Promise<EventOutcome | 'duplicate'> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('provider_events')
      .values({
        provider: providerName,
        event_id: event.id,
        type: event.type,
        payload: JSON.stringify(event),
        received_at: new Date(now),
      })
      .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (!inserted) return 'duplicate';
    return applyProviderEvent(trx, providerName, event, now);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a payment

export interface PaymentView {
  id: string;
  market: string;
  currency: string;
  clientId: string;
  therapistId: string | null;
  purpose: PaymentPurpose;
  bookingId: string | null;
  paymentMethodId: string | null;
  status: PaymentsTable['status'];
  amountAuthorizedMinor: number;
  amountCapturedMinor: number;
  amountRefundedMinor: number;
  breakdown: Record<string, unknown>;
  failureCode: string | null;
  failureMessage: string | null;
  authorizedAt: number;
  capturedAt: number | null;
  refunds: RefundView[];
  disputes: {
    id: string;
    amountMinor: number;
    reason: string | null;
    status: 'open' | 'won' | 'lost';
    openedAt: number;
    closedAt: number | null;
  }[];
}

/** One payment with its refunds and disputes, or undefined. */
export async function paymentById(db: Db, paymentId: string): Promise<PaymentView | undefined> {
  const p = await db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirst();
  if (!p) return undefined;
  const refunds = await db
    .selectFrom('payment_refunds')
    .selectAll()
    .where('payment_id', '=', paymentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const disputes = await db
    .selectFrom('disputes')
    .selectAll()
    .where('payment_id', '=', paymentId)
    .orderBy('opened_at')
    .execute();
  return {
    id: p.id,
    market: p.market,
    currency: p.currency,
    clientId: p.client_id,
    therapistId: p.therapist_id,
    purpose: p.purpose,
    bookingId: p.booking_id,
    paymentMethodId: p.payment_method_id,
    status: p.status,
    amountAuthorizedMinor: p.amount_authorized_minor,
    amountCapturedMinor: p.amount_captured_minor,
    amountRefundedMinor: p.amount_refunded_minor,
    breakdown: p.breakdown,
    failureCode: p.failure_code,
    failureMessage: p.failure_message,
    authorizedAt: p.authorized_at.getTime(),
    capturedAt: p.captured_at?.getTime() ?? null,
    refunds: refunds.map(refundView),
    disputes: disputes.map((d) => ({
      id: d.id,
      amountMinor: d.amount_minor,
      reason: d.reason,
      status: d.status,
      openedAt: d.opened_at.getTime(),
      closedAt: d.closed_at?.getTime() ?? null,
    })),
  };
}
