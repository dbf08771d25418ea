import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type AnyJobHandler, defineJob } from '../jobs/job-runner.js';
import type { DB } from '../schema.js';
import type { PaymentProvider } from './engine/payment-provider.js';
import {
  type AuthorizationRecord,
  CAPTURE_JOB,
  type CaptureCall,
  REFUND_JOB,
  RELEASE_JOB,
  type RefundAnswer,
  VOID_JOB,
  callCapture,
  callRefundAgain,
  callRelease,
  callVoid,
  recordCapture,
  recordRefundAnswer,
  recordReleasedAuthorization,
  recordVoid,
} from './payment-service.js';

/**
 * The durable payment jobs (scheduled by `scheduleCapture` / `scheduleVoid` in payment-service.ts). Each talks to the
 * provider in the runner's `call` phase, outside any transaction, with an idempotency key made from the payment's id,
 * and records the answer in `run` under the payment's row lock; a retry calls again and the provider answers the
 * same.
 *
 * - money.capture {paymentId, amountMinor, description?}: captures (and issues the receipt, saying `description`); an authorisation the provider let expire is charged anew on the
 *   saved card for the amount. A refusal marks the payment failed (no retry); a processing error retries.
 * - money.void {paymentId}: releases an authorisation that was not captured.
 * - money.refund {refundId}: scheduled with every refund, due a minute later: if the refund's answer was never
 *   recorded (the call timed out, or the process died between the call and the record), asks the provider again
 *   with the refund's own key (`refund:<refundId>`), so the provider answers what it did and refunds once. No answer
 *   again: retries with backoff (the amount stays reserved meanwhile). Recorded already: does nothing.
 * - money.release_unrecorded {authorization}: an authorisation no payment records (its confirm failed) whose void
 *   failed at once (`scheduleRelease`): voided again with backoff, then recorded as a voided payment. One that a
 *   payment recorded meanwhile is left standing.
 */
/** A refund's retries: patient, since until the provider answers the refund is in doubt and its amount reserved. */
const REFUND_RETRY = { maxAttempts: 20, firstDelayMs: 60_000, maxDelayMs: 3_600_000 };

/** An authorisation as `AuthorizationRecord` holds it, in a job's payload. */
const AUTHORIZATION_RECORD: z.ZodType<AuthorizationRecord> = z.object({
  provider: z.string().min(1),
  reference: z.string().min(1),
  expiresAt: z.number(),
  paymentMethodId: z.uuid(),
  purpose: z.enum(['booking', 'fee', 'tip', 'package', 'membership', 'gift_card']),
  market: z.string().min(1),
  currency: z.string().length(3),
  clientId: z.uuid(),
  therapistId: z.uuid().nullable(),
  bookingId: z.uuid().nullable(),
  amountMinor: z.int().min(0),
  breakdown: z.record(z.string(), z.unknown()),
  now: z.number(),
});

export function paymentJobs(db: Kysely<DB>, provider: PaymentProvider): AnyJobHandler[] {
  const capture = defineJob<{ paymentId: string; amountMinor: number; description?: string }, CaptureCall>({
    kind: CAPTURE_JOB,
    payload: z.object({
      paymentId: z.uuid(),
      amountMinor: z.int().min(1),
      description: z.string().min(1).max(200).optional(),
    }),
    call: (payload) => callCapture(db, provider, payload.paymentId, payload.amountMinor),
    run: async (trx, payload, job, called) => {
      await recordCapture(trx, payload.paymentId, called, job.now, payload.description);
    },
  });
  const release = defineJob<{ paymentId: string }, boolean>({
    kind: VOID_JOB,
    payload: z.object({ paymentId: z.uuid() }),
    call: (payload) => callVoid(db, provider, payload.paymentId),
    run: (trx, payload, job, released) => recordVoid(trx, payload.paymentId, released, job.now),
  });
  const refund = defineJob<{ refundId: string }, RefundAnswer | 'skip'>({
    kind: REFUND_JOB,
    payload: z.object({ refundId: z.uuid() }),
    retry: REFUND_RETRY,
    call: (payload) => callRefundAgain(db, provider, payload.refundId),
    run: (trx, payload, job, answer) => recordRefundAnswer(trx, payload.refundId, answer, job.now),
  });
  const releaseUnrecorded = defineJob<{ authorization: AuthorizationRecord }, 'recorded' | 'released'>({
    kind: RELEASE_JOB,
    payload: z.object({ authorization: AUTHORIZATION_RECORD }),
    call: (payload) => callRelease(db, provider, payload.authorization),
    run: async (trx, payload, _job, outcome) => {
      if (outcome === 'released') await recordReleasedAuthorization(trx, payload.authorization);
    },
  });
  return [capture, release, refund, releaseUnrecorded];
}
