import { randomBytes } from 'node:crypto';
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import { fieldProblem } from '../../domain/problems.js';
import { type RetryPolicy, nextRetry } from '../../jobs/engine/retry-backoff.js';
import type { DB } from '../../schema.js';
import {
  type CardDetails,
  type MoneyRequest,
  type PaymentProvider,
  type ProviderEvent,
  type ProviderFailure,
  type ProviderFailureCode,
  type ProviderResult,
  WebhookRejected,
} from '../engine/payment-provider.js';
import type { TestCardBehaviour } from '../money-tables.js';
import { SIGNATURE_HEADER, headerValue, signWebhook, verifyWebhookSignature } from '../webhook-signature.js';
import { cardBehaviour, cardBrand, cardDigits, passesLuhn } from './test-cards.js';

/**
 * Knotwork's built-in card processor, in-process, behaving like a real processor's test mode (test cards in
 * test-cards.ts and docs/PAYMENTS.md). It is "another system": its state is its own tables (migration 0023), written
 * with its own `db` in its own short transactions, and Knotwork's code reaches it only through `PaymentProvider`.
 *
 * NEVER call it while holding a database transaction: on PGlite there is one connection, so a processor call made
 * inside a caller's transaction waits for that transaction forever (a deadlock); on PostgreSQL it would hold the
 * caller's locks across a call to another system. Call it between transactions (read, call, record), or in a job's
 * `call` phase.
 */

/** Authorisations are held this long; capturing later answers authorization_expired. */
export const AUTHORIZATION_VALID_MS = 7 * 24 * 3_600_000;
/** The largest amount one call may move, in minor units (above: amount_too_large). */
export const MAX_AMOUNT_MINOR = 1_000_000;
/** Where the processor POSTs its webhooks, under the base URL it is given. */
export const WEBHOOK_PATH = '/api/payments/webhooks/test';

export const WEBHOOK_RETRY: RetryPolicy = { maxAttempts: 12, firstDelayMs: 30_000, maxDelayMs: 3_600_000 };
/** A claimed webhook is not claimed again by another round for this long (a round that died mid-delivery). */
const DELIVERY_LEASE_MS = 60_000;
const DELIVERY_TIMEOUT_MS = 10_000;

export interface TestProcessorOptions {
  db: Kysely<DB>;
  clock: Clock;
  /** The HMAC key webhooks are signed with (PAYMENT_WEBHOOK_SECRET); the receiving side verifies with the same. */
  webhookSecret: string;
  /** Backoff of webhook deliveries that fail. */
  webhookRetry?: RetryPolicy;
  /** The HTTP client deliveries use (tests may pass their own). */
  fetch?: typeof fetch;
}

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

export interface TokenizedCard extends CardDetails {
  token: string;
}

type EventDraft = ProviderEvent extends infer E
  ? E extends ProviderEvent
    ? Omit<E, 'id' | 'occurredAt'>
    : never
  : never;

interface Outcome<T> {
  result: ProviderResult<T>;
  events?: EventDraft[];
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const fail = (code: ProviderFailureCode, message: string): ProviderFailure => ({ ok: false, code, message });

const DECLINES: Partial<Record<TestCardBehaviour, ProviderFailure>> = {
  card_declined: fail('card_declined', 'The card was declined. Try another card.'),
  insufficient_funds: fail('insufficient_funds', 'The card has insufficient funds. Try another card.'),
  expired_card: fail('expired_card', 'The card has expired. Try another card.'),
};

function checkAmount(amountMinor: number, currency?: string): ProviderFailure | null {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0)
    return fail('processing_error', 'The amount must be a positive whole number of minor units');
  if (amountMinor > MAX_AMOUNT_MINOR)
    return fail(
      'amount_too_large',
      `The amount is above the most one payment may move (${MAX_AMOUNT_MINOR} minor units)`,
    );
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency))
    return fail('processing_error', 'The currency must be a three-letter ISO 4217 code');
  return null;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** The end of a card's expiry month, by UTC. */
const cardExpiresAt = (expMonth: number, expYear: number) => Date.UTC(expYear, expMonth, 1);

const eventSchema = z.discriminatedUnion('type', [
  z.object({
    id: z.string().min(1).max(200),
    type: z.literal('payment.captured'),
    reference: z.string().min(1),
    amountMinor: z.number().int().positive(),
    occurredAt: z.number().int(),
  }),
  z.object({
    id: z.string().min(1).max(200),
    type: z.literal('authorization.expired'),
    reference: z.string().min(1),
    occurredAt: z.number().int(),
  }),
  z.object({
    id: z.string().min(1).max(200),
    type: z.enum(['refund.succeeded', 'refund.failed']),
    reference: z.string().min(1),
    refundReference: z.string().min(1),
    amountMinor: z.number().int().positive(),
    failureMessage: z.string().optional(),
    occurredAt: z.number().int(),
  }),
  z.object({
    id: z.string().min(1).max(200),
    type: z.enum(['dispute.opened', 'dispute.won', 'dispute.lost']),
    reference: z.string().min(1),
    disputeReference: z.string().min(1),
    amountMinor: z.number().int().positive(),
    reason: z.string(),
    occurredAt: z.number().int(),
  }),
]);

export class TestProcessor implements PaymentProvider {
  readonly name = 'test';
  private readonly db: Kysely<DB>;
  private readonly clock: Clock;
  private readonly secret: string;
  private readonly retry: RetryPolicy;
  private readonly fetch: typeof fetch;

  constructor(options: TestProcessorOptions) {
    if (options.webhookSecret.length < 16) throw new Error('The webhook secret must be at least 16 characters');
    this.db = options.db;
    this.clock = options.clock;
    this.secret = options.webhookSecret;
    this.retry = options.webhookRetry ?? WEBHOOK_RETRY;
    this.fetch = options.fetch ?? fetch;
  }

  /**
   * The processor's hosted tokenisation (POST /test-processor/v1/payment-methods): checks the card as a processor
   * would and keeps only a token, brand, last four digits, expiry and the test card's behaviour. Never the number or
   * the security code. Bad input throws validation_failed naming the field.
   */
  async tokenizeCard(card: CardInput): Promise<TokenizedCard> {
    const digits = cardDigits(card.number);
    if (!digits || !passesLuhn(digits))
      throw fieldProblem('number', 'card_number_invalid', 'This card number is not valid: check the digits');
    if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12)
      throw fieldProblem('expMonth', 'card_expiry_invalid', 'The expiry month must be 1 to 12');
    if (!Number.isInteger(card.expYear) || card.expYear < 2000 || card.expYear > 2200)
      throw fieldProblem('expYear', 'card_expiry_invalid', 'The expiry year must be four digits, e.g. 2030');
    const now = this.clock.now();
    if (cardExpiresAt(card.expMonth, card.expYear) <= now) {
      const thisYear = new Date(now).getUTCFullYear();
      throw fieldProblem(
        card.expYear < thisYear ? 'expYear' : 'expMonth',
        'card_expired',
        'This card has expired: check the expiry date',
      );
    }
    if (!/^\d{3,4}$/.test(card.cvc))
      throw fieldProblem('cvc', 'card_cvc_invalid', 'The security code is 3 or 4 digits');
    const row = {
      token: newId('pm'),
      brand: cardBrand(digits),
      last4: digits.slice(-4),
      exp_month: card.expMonth,
      exp_year: card.expYear,
      behaviour: cardBehaviour(digits),
      created_at: new Date(now),
    };
    await this.db.insertInto('test_processor_cards').values(row).execute();
    return { token: row.token, brand: row.brand, last4: row.last4, expMonth: row.exp_month, expYear: row.exp_year };
  }

  async describePaymentMethod(token: string): Promise<ProviderResult<CardDetails>> {
    const card = await this.db
      .selectFrom('test_processor_cards')
      .select(['brand', 'last4', 'exp_month', 'exp_year'])
      .where('token', '=', token)
      .executeTakeFirst();
    if (!card) return fail('invalid_payment_method', 'This card is not known to the payment processor');
    return { ok: true, brand: card.brand, last4: card.last4, expMonth: card.exp_month, expYear: card.exp_year };
  }

  /**
   * Authorises in one data-modifying statement and no transaction of its own (the booking path's hottest call): it
   * reads the key's answer as it stood and the card, writes under the key (INSERT ... ON CONFLICT DO NOTHING) the
   * answer `holdOf` gives for that card (worked out here beforehand for every kind of card the read can find: the
   * statement only picks one by the card's class, `cardClass`) and, only if that write won, the held payment. So the
   * same key and request answer what was answered and hold once; the same key with another request is refused; a
   * declined card declines (its answer kept under the key). Two at once with one key: the loser writes nothing and
   * reads the winner's answer on its next turn.
   */
  async authorize(request: MoneyRequest): Promise<ProviderResult<{ reference: string; expiresAt: number }>> {
    type Held = { reference: string; expiresAt: number };
    const key = request.idempotencyKey;
    if (typeof key !== 'string' || key.length < 1 || key.length > 255)
      return fail('processing_error', 'Every money call needs an idempotency key of 1 to 255 characters');
    const fingerprint = JSON.stringify(['authorize', moneyFingerprint(request)]);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const now = this.clock.now();
      const { answers, expiring, payment } = answersByClass(request, now);
      const nowMonth = monthIndex(now);
      const { rows } = await sql<{
        seen: { fingerprint: string; response: unknown } | null;
        class: string;
        written: boolean;
      }>`
        WITH card AS (
          SELECT behaviour || CASE WHEN exp_year * 12 + exp_month <= ${nowMonth}::integer THEN ${EXPIRED} ELSE '' END
            AS class
          FROM test_processor_cards WHERE token = ${request.paymentMethod}
        ), verdict AS (
          SELECT coalesce((SELECT class FROM card), ${NO_CARD}) AS class
        ), answered AS (
          INSERT INTO test_processor_idempotency (idempotency_key, fingerprint, response, created_at)
          SELECT ${key}, ${fingerprint}, ${JSON.stringify(answers)}::jsonb -> verdict.class, ${new Date(now)}::timestamptz
          FROM verdict
          ON CONFLICT (idempotency_key) DO NOTHING
          RETURNING idempotency_key
        ), held AS (
          INSERT INTO test_processor_payments
            (reference, token, currency, description, status, amount_authorized_minor, authorized_at, expires_at)
          SELECT ${payment.reference}, ${payment.token}, ${payment.currency}, ${payment.description}, 'authorized',
            ${payment.amount_authorized_minor}::integer, ${payment.authorized_at}::timestamptz,
            (${JSON.stringify(expiring)}::jsonb ->> verdict.class)::timestamptz
          FROM answered, verdict
          WHERE ${JSON.stringify(expiring)}::jsonb ->> verdict.class IS NOT NULL
          RETURNING reference
        )
        SELECT
          (SELECT to_json(obj) FROM (
            SELECT fingerprint, response FROM test_processor_idempotency WHERE idempotency_key = ${key}
          ) AS obj) AS seen,
          (SELECT class FROM verdict) AS class,
          EXISTS (SELECT 1 FROM answered) AS written
      `.execute(this.db);
      const read = rows[0]!;
      if (read.seen) return answerSeen<Held>(read.seen, fingerprint, key);
      if (read.written) return answers[read.class] as ProviderResult<Held>;
      // Another request wrote this key between the statement's snapshot and its write: its answer is read next turn.
    }
    return fail('processing_error', `The idempotency key ${key} is busy; try again`);
  }

  /**
   * `authorize` for many requests at once, answering in their order, for the demo seed's upcoming sessions: the same
   * rows `authorize` writes for each (its answer under its key, and the held payment), in one read and one
   * transaction of two statements instead of two statements per request. A key answered before, a key repeated in
   * `requests` or a bad one goes through `authorize` itself, which answers it as it always does.
   */
  async authorizeMany(requests: MoneyRequest[]): Promise<ProviderResult<{ reference: string; expiresAt: number }>[]> {
    type Held = { reference: string; expiresAt: number };
    const keys = requests.map((r) => r.idempotencyKey);
    const valid = (key: unknown): key is string => typeof key === 'string' && key.length >= 1 && key.length <= 255;
    const once = new Set(keys.filter((key, i) => valid(key) && keys.indexOf(key) === i && keys.lastIndexOf(key) === i));
    const [seen, cards] = once.size
      ? await Promise.all([
          this.db
            .selectFrom('test_processor_idempotency')
            .select('idempotency_key')
            .where('idempotency_key', 'in', [...once])
            .execute(),
          this.db
            .selectFrom('test_processor_cards')
            .select(['token', 'behaviour', 'exp_month', 'exp_year'])
            .where('token', 'in', [...new Set(requests.map((r) => r.paymentMethod))])
            .execute(),
        ])
      : [[], []];
    for (const row of seen) once.delete(row.idempotency_key);
    const cardOf = new Map(cards.map((card) => [card.token, card]));
    const now = this.clock.now();
    const answers: (ProviderResult<Held> | undefined)[] = [];
    const answered: Insertable<DB['test_processor_idempotency']>[] = [];
    const held: Insertable<DB['test_processor_payments']>[] = [];
    for (const request of requests) {
      if (!once.has(request.idempotencyKey)) {
        answers.push(undefined);
        continue;
      }
      const hold = holdOf(request, cardOf.get(request.paymentMethod), now);
      const result: ProviderResult<Held> = hold.ok
        ? { ok: true, reference: hold.payment.reference, expiresAt: hold.expiresAt }
        : hold;
      answers.push(result);
      answered.push({
        idempotency_key: request.idempotencyKey,
        fingerprint: JSON.stringify(['authorize', moneyFingerprint(request)]),
        response: JSON.stringify(result),
        created_at: new Date(now),
      });
      if (hold.ok) held.push(hold.payment);
    }
    if (answered.length) {
      // All or none: a key written meanwhile by another request fails the whole write, and each is then answered
      // by `authorize` (which reads the winner's answer).
      const wrote = await this.db
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('test_processor_idempotency').values(answered).execute();
          if (held.length) await trx.insertInto('test_processor_payments').values(held).execute();
          return true;
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) return false;
          throw error;
        });
      if (!wrote) answers.fill(undefined);
    }
    const results: ProviderResult<Held>[] = [];
    for (const [i, request] of requests.entries()) results.push(answers[i] ?? (await this.authorize(request)));
    return results;
  }

  capture(request: {
    reference: string;
    amountMinor: number;
    idempotencyKey: string;
  }): Promise<ProviderResult<{ capturedMinor: number }>> {
    const fingerprint = { reference: request.reference, amountMinor: request.amountMinor };
    return this.idempotent<{ capturedMinor: number }>(
      'capture',
      request.idempotencyKey,
      fingerprint,
      async (trx, now) => {
        const invalid = checkAmount(request.amountMinor);
        if (invalid) return { result: invalid };
        const payment = await this.lockPayment(trx, request.reference);
        if (!payment) return { result: fail('processing_error', `No payment ${request.reference} at the processor`) };
        if (payment.status === 'captured')
          return { result: fail('already_captured', 'This payment was already captured') };
        if (payment.status === 'voided')
          return { result: fail('processing_error', 'This authorisation was voided and cannot be captured') };
        if (payment.status === 'expired' || payment.expires_at.getTime() <= now) {
          const events: EventDraft[] = [];
          if (payment.status !== 'expired') {
            await trx
              .updateTable('test_processor_payments')
              .set({ status: 'expired' })
              .where('reference', '=', payment.reference)
              .execute();
            events.push({ type: 'authorization.expired', reference: payment.reference });
          }
          return {
            result: fail(
              'authorization_expired',
              'The authorisation has expired: the money is no longer held. Charge the card again.',
            ),
            events,
          };
        }
        if (request.amountMinor > payment.amount_authorized_minor)
          return {
            result: fail(
              'amount_too_large',
              `The capture is more than the ${payment.amount_authorized_minor} minor units authorised`,
            ),
          };
        // A partial capture releases the rest of the hold: the authorised amount is what was captured.
        await trx
          .updateTable('test_processor_payments')
          .set({
            status: 'captured',
            amount_authorized_minor: request.amountMinor,
            amount_captured_minor: request.amountMinor,
            captured_at: new Date(now),
          })
          .where('reference', '=', payment.reference)
          .execute();
        return {
          result: { ok: true, capturedMinor: request.amountMinor },
          events: await this.capturedEvents(trx, payment.token, payment.reference, request.amountMinor),
        };
      },
    );
  }

  void(request: { reference: string; idempotencyKey: string }): Promise<ProviderResult<object>> {
    return this.idempotent<object>('void', request.idempotencyKey, { reference: request.reference }, async (trx) => {
      const payment = await this.lockPayment(trx, request.reference);
      if (!payment) return { result: fail('processing_error', `No payment ${request.reference} at the processor`) };
      if (payment.status === 'captured')
        return { result: fail('already_captured', 'This payment was captured: refund it instead of voiding it') };
      // Voiding what is voided or expired holds nothing either way: the answer is the same.
      if (payment.status === 'authorized')
        await trx
          .updateTable('test_processor_payments')
          .set({ status: 'voided' })
          .where('reference', '=', payment.reference)
          .execute();
      return { result: { ok: true } };
    });
  }

  charge(request: MoneyRequest): Promise<ProviderResult<{ reference: string }>> {
    return this.idempotent<{ reference: string }>(
      'charge',
      request.idempotencyKey,
      moneyFingerprint(request),
      async (trx, now) => {
        const held = await this.hold(trx, request, now);
        if (!held.ok) return { result: held };
        await trx
          .updateTable('test_processor_payments')
          .set({ status: 'captured', amount_captured_minor: request.amountMinor, captured_at: new Date(now) })
          .where('reference', '=', held.reference)
          .execute();
        return {
          result: { ok: true, reference: held.reference },
          events: await this.capturedEvents(trx, held.token, held.reference, request.amountMinor),
        };
      },
    );
  }

  refund(request: {
    reference: string;
    amountMinor: number;
    idempotencyKey: string;
  }): Promise<ProviderResult<{ refundReference: string; status: 'pending' | 'succeeded' }>> {
    const fingerprint = { reference: request.reference, amountMinor: request.amountMinor };
    return this.idempotent<{ refundReference: string; status: 'pending' | 'succeeded' }>(
      'refund',
      request.idempotencyKey,
      fingerprint,
      async (trx, now) => {
        const invalid = checkAmount(request.amountMinor);
        if (invalid) return { result: invalid };
        const payment = await this.lockPayment(trx, request.reference);
        if (!payment) return { result: fail('processing_error', `No payment ${request.reference} at the processor`) };
        if (payment.status !== 'captured')
          return { result: fail('processing_error', 'Only captured money can be refunded; void an authorisation') };
        const left = payment.amount_captured_minor - payment.amount_refunded_minor;
        if (request.amountMinor > left)
          return { result: fail('amount_too_large', `The refund is more than the ${left} minor units left to refund`) };
        const card = await trx
          .selectFrom('test_processor_cards')
          .select('behaviour')
          .where('token', '=', payment.token)
          .executeTakeFirstOrThrow();
        const refundReference = newId('re');
        const fails = card.behaviour === 'refund_fails';
        // A refund that will fail answers pending, like a real one, and the processor's books give its amount back at
        // once; the refund.failed webhook tells the merchant.
        await trx
          .insertInto('test_processor_refunds')
          .values({
            reference: refundReference,
            payment_reference: payment.reference,
            amount_minor: request.amountMinor,
            status: fails ? 'failed' : 'succeeded',
            created_at: new Date(now),
          })
          .execute();
        if (!fails)
          await trx
            .updateTable('test_processor_payments')
            .set({ amount_refunded_minor: sql<number>`amount_refunded_minor + ${request.amountMinor}` })
            .where('reference', '=', payment.reference)
            .execute();
        const base = { reference: payment.reference, refundReference, amountMinor: request.amountMinor };
        return {
          result: { ok: true, refundReference, status: fails ? 'pending' : 'succeeded' },
          events: [
            fails
              ? {
                  type: 'refund.failed',
                  ...base,
                  failureMessage: 'The card issuer refused the refund: the card account is closed',
                }
              : { type: 'refund.succeeded', ...base },
          ],
        };
      },
    );
  }

  parseWebhook(rawBody: string, headers: Record<string, string | string[] | undefined>, now: number): ProviderEvent {
    verifyWebhookSignature(this.secret, rawBody, headerValue(headers, SIGNATURE_HEADER), now);
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      throw new WebhookRejected('malformed', 'The body is not JSON');
    }
    const parsed = eventSchema.safeParse(json);
    if (!parsed.success) throw new WebhookRejected('malformed', 'The body is not an event of the test processor');
    return parsed.data;
  }

  /**
   * POSTs every due webhook, oldest first, to `${targetBaseUrl}/api/payments/webhooks/test`, signed at the moment of
   * sending. A 2xx answer marks it delivered; anything else (or no answer) retries with backoff by the clock, up to
   * WEBHOOK_RETRY.maxAttempts (then it stays undelivered, its last error kept). Safe to run on several instances at
   * once (each claims its rows with a lease). Returns how many were delivered.
   */
  async deliverWebhooks(targetBaseUrl: string, options: { batchSize?: number } = {}): Promise<number> {
    let delivered = 0;
    const url = `${targetBaseUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}`;
    const now = this.clock.now();
    const at = new Date(now);
    const claimed = await this.db
      .updateTable('test_processor_webhooks')
      .set({ next_attempt_at: new Date(now + DELIVERY_LEASE_MS), attempts: sql<number>`attempts + 1` })
      .where('event_id', 'in', (eb) =>
        eb
          .selectFrom('test_processor_webhooks')
          .select('event_id')
          .where('next_attempt_at', '<=', at)
          .orderBy('seq')
          .limit(options.batchSize ?? 50)
          .forUpdate()
          .skipLocked(),
      )
      .returning(['event_id', 'seq', 'body', 'attempts'])
      .execute();
    claimed.sort((a, b) => Number(a.seq) - Number(b.seq));
    for (const hook of claimed) {
      let error: string | null = null;
      try {
        const response = await this.fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(this.secret, hook.body, now) },
          body: hook.body,
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (!response.ok) error = `HTTP ${response.status}`;
      } catch (cause) {
        error = cause instanceof Error ? cause.message : String(cause);
      }
      const decision = error === null ? null : nextRetry(this.retry, hook.attempts, now);
      await this.db
        .updateTable('test_processor_webhooks')
        .set(
          error === null
            ? { delivered_at: at, next_attempt_at: null, last_error: null }
            : { next_attempt_at: decision?.retry ? new Date(decision.at) : null, last_error: error.slice(0, 500) },
        )
        .where('event_id', '=', hook.event_id)
        .execute();
      if (error === null) delivered++;
    }
    return delivered;
  }

  /** The webhooks written so far, oldest first (tests and the operator's eyes). */
  async webhookOutbox() {
    return this.db
      .selectFrom('test_processor_webhooks')
      .select(['event_id', 'type', 'body', 'attempts', 'next_attempt_at', 'delivered_at', 'last_error'])
      .orderBy('seq')
      .execute();
  }

  // --- inside the processor's own transactions

  /**
   * Runs one money call once per idempotency key, in the processor's own transaction: the same key and request
   * answer what was answered and move nothing; the same key with another request is refused.
   */
  private async idempotent<T>(
    operation: string,
    key: string,
    request: object,
    work: (trx: Transaction<DB>, now: number) => Promise<Outcome<T>>,
  ): Promise<ProviderResult<T>> {
    if (typeof key !== 'string' || key.length < 1 || key.length > 255)
      return fail('processing_error', 'Every money call needs an idempotency key of 1 to 255 characters');
    const fingerprint = JSON.stringify([operation, request]);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          const now = this.clock.now();
          const seen = await trx
            .selectFrom('test_processor_idempotency')
            .select(['fingerprint', 'response'])
            .where('idempotency_key', '=', key)
            .executeTakeFirst();
          if (seen) return answerSeen<T>(seen, fingerprint, key);
          const outcome = await work(trx, now);
          await trx
            .insertInto('test_processor_idempotency')
            .values({
              idempotency_key: key,
              fingerprint,
              response: JSON.stringify(outcome.result),
              created_at: new Date(now),
            })
            .execute();
          for (const draft of outcome.events ?? []) {
            const event = { id: newId('evt'), ...draft, occurredAt: now };
            await trx
              .insertInto('test_processor_webhooks')
              .values({
                event_id: event.id,
                type: event.type,
                body: JSON.stringify(event),
                created_at: new Date(now),
                next_attempt_at: new Date(now),
              })
              .execute();
          }
          return outcome.result;
        });
      } catch (error) {
        // The same key sent twice at once: the second waits on the first's row, fails, and reads its answer.
        if (attempt < 3 && isUniqueViolation(error)) continue;
        throw error;
      }
    }
  }

  /** Authorises `request` on its card: a new payment held for AUTHORIZATION_VALID_MS, or the card's refusal. */
  private async hold(
    trx: Transaction<DB>,
    request: MoneyRequest,
    now: number,
  ): Promise<ProviderFailure | { ok: true; reference: string; expiresAt: number; token: string }> {
    const invalid = checkAmount(request.amountMinor, request.currency);
    if (invalid) return invalid;
    const card = await trx
      .selectFrom('test_processor_cards')
      .select(['token', 'behaviour', 'exp_month', 'exp_year'])
      .where('token', '=', request.paymentMethod)
      .executeTakeFirst();
    const held = holdOf(request, card, now);
    if (!held.ok) return held;
    await trx.insertInto('test_processor_payments').values(held.payment).execute();
    return { ok: true, reference: held.payment.reference, expiresAt: held.expiresAt, token: held.payment.token };
  }

  private lockPayment(trx: Transaction<DB>, reference: string) {
    return trx
      .selectFrom('test_processor_payments')
      .selectAll()
      .where('reference', '=', reference)
      .forUpdate()
      .executeTakeFirst();
  }

  /** payment.captured, and for the dispute card a dispute.opened after it. */
  private async capturedEvents(
    trx: Transaction<DB>,
    token: string,
    reference: string,
    amountMinor: number,
  ): Promise<EventDraft[]> {
    const card = await trx
      .selectFrom('test_processor_cards')
      .select('behaviour')
      .where('token', '=', token)
      .executeTakeFirstOrThrow();
    const events: EventDraft[] = [{ type: 'payment.captured', reference, amountMinor }];
    if (card.behaviour === 'dispute')
      events.push({
        type: 'dispute.opened',
        reference,
        disputeReference: newId('dp'),
        amountMinor,
        reason: 'fraudulent',
      });
    return events;
  }
}

type HeldCard = Pick<Selectable<DB['test_processor_cards']>, 'token' | 'behaviour' | 'exp_month' | 'exp_year'>;

/**
 * What authorising `request` on `card` (undefined: not known here) answers at `now`: the amount's or the card's
 * refusal, or the payment row to hold and when it expires. Writes nothing.
 */
function holdOf(
  request: MoneyRequest,
  card: HeldCard | undefined,
  now: number,
  reference = newId('ch'),
):
  | ProviderFailure
  | {
      ok: true;
      expiresAt: number;
      payment: Insertable<DB['test_processor_payments']> & { reference: string; token: string };
    } {
  const invalid = checkAmount(request.amountMinor, request.currency);
  if (invalid) return invalid;
  if (!card) return fail('invalid_payment_method', 'This card is not known to the payment processor');
  const decline = DECLINES[card.behaviour];
  if (decline) return decline;
  if (cardExpiresAt(card.exp_month, card.exp_year) <= now) return DECLINES.expired_card!;
  const expiresAt = card.behaviour === 'authorization_expires' ? now : now + AUTHORIZATION_VALID_MS;
  return {
    ok: true,
    expiresAt,
    payment: {
      reference,
      token: card.token,
      currency: request.currency,
      description: request.description.slice(0, 500),
      status: 'authorized',
      amount_authorized_minor: request.amountMinor,
      authorized_at: new Date(now),
      expires_at: new Date(expiresAt),
    },
  };
}

/** Every behaviour a test card can have (a record, so a new behaviour fails to compile until it is listed). */
const BEHAVIOURS = Object.keys({
  succeed: true,
  card_declined: true,
  insufficient_funds: true,
  expired_card: true,
  authorization_expires: true,
  dispute: true,
  refund_fails: true,
} satisfies Record<TestCardBehaviour, true>) as TestCardBehaviour[];
/** cardClass: no card under the token; a card past its expiry month (its behaviour suffixed). */
const NO_CARD = 'none';
const EXPIRED = ':expired';

/** The month `at` falls in, counted from year 0 (UTC), as `exp_year * 12 + exp_month` counts a card's expiry's end. */
const monthIndex = (at: number) => new Date(at).getUTCFullYear() * 12 + new Date(at).getUTCMonth();

/**
 * authorize's answers, one for each class of card its statement can find (NO_CARD, a behaviour, a behaviour with
 * EXPIRED), each as `holdOf` gives it for such a card now; the expiry of the payment held where the answer holds one;
 * and the payment row they share (but for its expiry). A card's class is expired when its expiry month has ended:
 * cardExpiresAt(m, y) = Date.UTC(y, m, 1) <= now exactly when y * 12 + m <= monthIndex(now).
 */
function answersByClass(request: MoneyRequest, now: number) {
  const reference = newId('ch');
  const answers: Record<string, ProviderResult<{ reference: string; expiresAt: number }>> = {};
  const expiring: Record<string, string> = {};
  const live = new Date(now + 366 * 24 * 3_600_000);
  const ended = new Date(now - 366 * 24 * 3_600_000);
  const cases: [string, HeldCard | undefined][] = [[NO_CARD, undefined]];
  for (const behaviour of BEHAVIOURS) {
    for (const [suffix, at] of [
      ['', live],
      [EXPIRED, ended],
    ] as const)
      cases.push([
        behaviour + suffix,
        { token: request.paymentMethod, behaviour, exp_month: at.getUTCMonth() + 1, exp_year: at.getUTCFullYear() },
      ]);
  }
  for (const [cls, card] of cases) {
    const held = holdOf(request, card, now, reference);
    answers[cls] = held.ok ? { ok: true, reference, expiresAt: held.expiresAt } : held;
    if (held.ok) expiring[cls] = new Date(held.expiresAt).toISOString();
  }
  // Nothing of the request is sent as the payment's when no answer holds one (an amount that is no integer, say).
  const holds = Object.keys(expiring).length > 0;
  const payment = {
    reference,
    token: request.paymentMethod,
    currency: holds ? request.currency : null,
    description: holds ? request.description.slice(0, 500) : null,
    amount_authorized_minor: holds ? request.amountMinor : null,
    authorized_at: new Date(now),
  };
  return { answers, expiring, payment };
}

/** The answer kept under a key, for the same request again; another request under the key is refused. */
function answerSeen<T>(seen: { fingerprint: string; response: unknown }, fingerprint: string, key: string) {
  return seen.fingerprint === fingerprint
    ? (seen.response as ProviderResult<T>)
    : fail('processing_error', `The idempotency key ${key} was already used for a different request; use a new key`);
}

function moneyFingerprint(request: MoneyRequest) {
  return {
    paymentMethod: request.paymentMethod,
    amountMinor: request.amountMinor,
    currency: request.currency,
    description: request.description,
  };
}
