import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import { defineJob } from '../jobs/job-runner.js';
import { scheduleJob } from '../jobs/job-scheduler.js';
import type { DB } from '../schema.js';
import type { PaymentProvider } from './engine/payment-provider.js';
import {
  type ExistingTip,
  type TipChoice,
  type TipState,
  canWithdrawTip,
  decideTip,
  tipAmount,
  tipClosesAt,
  tipPresets,
  tipState,
} from './engine/tips.js';
import { postMoneyEvent } from './ledger-store.js';
import { chargeSavedMethod, defaultPaymentMethod, paymentMethodOf } from './payment-service.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Tips (issue 16): a client tips a session once, within 72 hours of check-out (rules in engine/tips.ts). The tip is
 * recorded pending and charged on a saved card by the `money.tip_charge` job when it stops being changeable, 15
 * minutes after it was given; the whole tip is owed to the therapist (ledger `tip`: client -> tips_payable, and
 * `payment`: provider clearing -> client).
 *
 * Money knows no booking: the booking's facts come from the caller above (booking/tip-routes.ts), which also holds
 * the booking's row lock in the transaction it hands in, so two tips for one session are one after the other.
 */

/** What a tip needs to know of the session it is for, as booking tells it. */
export interface TipSession {
  bookingId: string;
  clientId: string;
  therapistId: string;
  market: string;
  currency: string;
  priceMinor: number;
  /** The booking's status ('completed' once checked out). */
  status: string;
  /** When the booking was completed (checked out); null before. */
  completedAt: number | null;
}

export interface TipView {
  state: TipState;
  /** When tips close for this session; null before check-out. */
  closesAt: string | null;
  presets: { percent: number; amountMinor: number }[];
  currency: string;
  tip: {
    amountMinor: number;
    percent: number | null;
    status: 'pending' | 'charged' | 'failed';
    editableUntil: string;
    failureMessage: string | null;
    card: { brand: string; last4: string };
  } | null;
}

export const TIP_CHARGE_JOB = 'money.tip_charge';
/** Scheduled when a tip's charge fails, for notify to tell the client (money writes no messages). */
export const TIP_FAILED_NOTICE_JOB = 'notify.tip_failed';

async function tipOf(db: Db, bookingId: string, options: { forUpdate?: boolean } = {}) {
  let query = db
    .selectFrom('tips as t')
    .innerJoin('payment_methods as m', 'm.id', 't.payment_method_id')
    .select([
      't.id',
      't.amount_minor',
      't.percent',
      't.status',
      't.editable_until',
      't.failure_message',
      'm.brand',
      'm.last4',
    ])
    .where('t.booking_id', '=', bookingId);
  if (options.forUpdate) query = query.forUpdate('t');
  return query.executeTakeFirst();
}

const existing = (tip: Awaited<ReturnType<typeof tipOf>>): ExistingTip | null =>
  tip ? { status: tip.status, editableUntil: tip.editable_until.getTime() } : null;

/** Where tipping the session stands, its presets, and the tip if one was given. */
export async function tipView(db: Db, session: TipSession, now: number): Promise<TipView> {
  const tip = await tipOf(db, session.bookingId);
  return {
    state: tipState({ bookingStatus: session.status, completedAt: session.completedAt, tip: existing(tip), now }),
    closesAt: session.completedAt === null ? null : new Date(tipClosesAt(session.completedAt)).toISOString(),
    presets: tipPresets(session.priceMinor),
    currency: session.currency,
    tip: tip
      ? {
          amountMinor: tip.amount_minor,
          percent: tip.percent,
          status: tip.status,
          editableUntil: tip.editable_until.toISOString(),
          failureMessage: tip.failure_message,
          card: { brand: tip.brand, last4: tip.last4 },
        }
      : null,
  };
}

const paymentMethodMissing = (message: string) =>
  new ProblemError('payment_method_required', message, {
    errors: [{ field: 'paymentMethodId', in: 'body', code: 'payment_method_required', message }],
  });

/**
 * The card a tip is charged to: the one named (the client's own, not removed: 404 naming `paymentMethodId`
 * otherwise), else the one the session was paid with, else the client's newest card.
 */
async function tipPaymentMethod(trx: Transaction<DB>, session: TipSession, named: string | undefined) {
  if (named !== undefined) return (await paymentMethodOf(trx, session.clientId, named)).id;
  const sessionCard = await trx
    .selectFrom('payments as p')
    .innerJoin('payment_methods as m', 'm.id', 'p.payment_method_id')
    .select('m.id')
    .where('p.booking_id', '=', session.bookingId)
    .where('p.purpose', '=', 'booking')
    .where('p.client_id', '=', session.clientId)
    .where('m.removed_at', 'is', null)
    .orderBy('p.created_at', 'desc')
    .executeTakeFirst();
  if (sessionCard) return sessionCard.id;
  const newest = await defaultPaymentMethod(trx, session.clientId);
  if (!newest) throw paymentMethodMissing('Add a card to tip with');
  return newest.id;
}

/**
 * Gives the session's tip, or changes it while it is still pending and changeable. `trx` must hold the booking's
 * row lock. A first tip (or one given again after a failed charge) schedules its charge at `editable_until`.
 */
export async function giveTip(
  trx: Transaction<DB>,
  session: TipSession,
  request: { choice: TipChoice; paymentMethodId?: string },
  now: number,
): Promise<TipView> {
  const current = await tipOf(trx, session.bookingId, { forUpdate: true });
  const decision = decideTip({
    bookingStatus: session.status,
    completedAt: session.completedAt,
    tip: existing(current),
    now,
  });
  if (decision.action === 'refuse') throw new ProblemError(decision.code, decision.message);
  const amount = tipAmount(request.choice, session.priceMinor);
  if (!amount.ok) throw fieldProblem(amount.field, 'invalid_tip', amount.message);
  const paymentMethodId = await tipPaymentMethod(trx, session, request.paymentMethodId);
  const at = new Date(now);
  if (decision.action === 'update') {
    await trx
      .updateTable('tips')
      .set({
        amount_minor: amount.amountMinor,
        percent: amount.percent,
        payment_method_id: paymentMethodId,
        updated_at: at,
      })
      .where('id', '=', current!.id)
      .execute();
    return tipView(trx, session, now);
  }
  const values = {
    amount_minor: amount.amountMinor,
    percent: amount.percent,
    payment_method_id: paymentMethodId,
    status: 'pending' as const,
    editable_until: new Date(decision.editableUntil),
    failure_message: null,
    updated_at: at,
  };
  // A tip whose charge failed is given again in its own row's place (one tip per session).
  const tip = current
    ? await trx.updateTable('tips').set(values).where('id', '=', current.id).returning('id').executeTakeFirstOrThrow()
    : await trx
        .insertInto('tips')
        .values({
          ...values,
          booking_id: session.bookingId,
          client_id: session.clientId,
          therapist_id: session.therapistId,
          market: session.market,
          currency: session.currency,
          created_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
  await scheduleJob(
    trx,
    {
      kind: TIP_CHARGE_JOB,
      payload: { tipId: tip.id, editableUntil: decision.editableUntil },
      runAt: decision.editableUntil,
    },
    now,
  );
  return tipView(trx, session, now);
}

/** Withdraws a pending tip while it is changeable (the row goes; its charge job then finds nothing to do). */
export async function withdrawTip(trx: Transaction<DB>, session: TipSession, now: number): Promise<void> {
  const current = await tipOf(trx, session.bookingId, { forUpdate: true });
  if (!current) throw new ProblemError('not_found', 'There is no tip for this session');
  if (!canWithdrawTip(existing(current)!, now)) {
    throw new ProblemError(
      'tip_not_editable',
      current.status === 'pending' ? 'This tip is being charged and can no longer change' : 'This tip was charged',
    );
  }
  await trx.deleteFrom('tips').where('id', '=', current.id).execute();
}

const tipChargePayload = z.object({ tipId: z.uuid(), editableUntil: z.number().int() }).strict();
type TipChargePayload = z.infer<typeof tipChargePayload>;

/** The tip as the charge job reads it, if it is still the pending tip the job was scheduled for. */
async function dueTip(db: Db, payload: TipChargePayload, options: { forUpdate?: boolean } = {}) {
  let query = db
    .selectFrom('tips')
    .select([
      'id',
      'booking_id',
      'client_id',
      'therapist_id',
      'market',
      'currency',
      'amount_minor',
      'payment_method_id',
    ])
    .where('id', '=', payload.tipId)
    .where('status', '=', 'pending')
    .where('editable_until', '=', new Date(payload.editableUntil));
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** What the call phase left for the job's transaction: a refusal to record, or nothing (charged and recorded). */
type Charged = { outcome: 'recorded' } | { outcome: 'failed'; message: string };

/**
 * Charges a tip once it stops being changeable, through the payment service's `chargeSavedMethod` in the job's `call`
 * phase (outside the job's transaction): the provider call with an idempotency key from the tip and its window, then
 * one transaction that records the payment, the ledger's `payment` and `tip` (client -> the therapist's tips
 * payable, in full), and the tip charged. A retried job finds the tip charged and does nothing; the provider answers
 * a repeated key with its first answer. A decline (or a card removed since) marks the tip failed in the job's
 * transaction, and the client may tip again while the window is open; a processing error retries the job.
 */
export function tipChargeJob(db: Kysely<DB>, provider: PaymentProvider) {
  return defineJob<TipChargePayload, Charged>({
    kind: TIP_CHARGE_JOB,
    payload: tipChargePayload,
    async call(payload, job) {
      const tip = await dueTip(db, payload);
      if (!tip || job.now < payload.editableUntil) return { outcome: 'recorded' };
      try {
        await chargeSavedMethod(
          db,
          provider,
          {
            purpose: 'tip',
            clientId: tip.client_id,
            therapistId: tip.therapist_id,
            market: tip.market,
            currency: tip.currency,
            paymentMethodId: tip.payment_method_id,
            amountMinor: tip.amount_minor,
            idempotencyKey: `tip:${tip.id}:${payload.editableUntil}`,
            description: 'Tip for your massage therapist',
            bookingId: tip.booking_id,
            breakdown: { tipMinor: tip.amount_minor },
          },
          job.now,
          async (trx, paymentId) => {
            const locked = await dueTip(trx, payload, { forUpdate: true });
            if (!locked || locked.amount_minor !== tip.amount_minor) {
              throw new Error(`Tip ${tip.id} changed while it was being charged`);
            }
            await postMoneyEvent(
              trx,
              { kind: 'tip', clientId: tip.client_id, therapistId: tip.therapist_id, amountMinor: tip.amount_minor },
              { market: tip.market, currency: tip.currency, bookingId: tip.booking_id, occurredAt: job.now },
            );
            await trx
              .updateTable('tips')
              .set({ status: 'charged', payment_id: paymentId, updated_at: new Date(job.now) })
              .where('id', '=', tip.id)
              .execute();
          },
        );
        return { outcome: 'recorded' };
      } catch (error) {
        if (error instanceof ProblemError && error.code === 'payment_declined') {
          return { outcome: 'failed', message: error.message };
        }
        if (error instanceof ProblemError && error.code === 'not_found') {
          return { outcome: 'failed', message: 'The card for this tip was removed' };
        }
        throw error;
      }
    },
    async run(trx, payload, job, charged) {
      if (charged.outcome === 'recorded') return;
      const tip = await dueTip(trx, payload, { forUpdate: true });
      if (!tip) return;
      await trx
        .updateTable('tips')
        .set({ status: 'failed', failure_message: charged.message.slice(0, 500), updated_at: new Date(job.now) })
        .where('id', '=', tip.id)
        .execute();
      await scheduleJob(
        trx,
        {
          kind: TIP_FAILED_NOTICE_JOB,
          payload: { tipId: tip.id },
          runAt: job.now,
          dedupeKey: `${TIP_FAILED_NOTICE_JOB}:${tip.id}:${payload.editableUntil}`,
        },
        job.now,
      );
    },
  });
}

/** A tip as its notices tell it (notify's tip-failed notice), or undefined. */
export async function tipForNotice(db: Db, tipId: string) {
  const row = await db
    .selectFrom('tips')
    .select(['booking_id', 'client_id', 'therapist_id', 'currency', 'amount_minor', 'status', 'failure_message'])
    .where('id', '=', tipId)
    .executeTakeFirst();
  return (
    row && {
      bookingId: row.booking_id,
      clientId: row.client_id,
      therapistId: row.therapist_id,
      currency: row.currency,
      amountMinor: row.amount_minor,
      status: row.status,
      failureMessage: row.failure_message,
    }
  );
}
