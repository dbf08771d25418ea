import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type AnyJobHandler, defineJob } from '../jobs/job-runner.js';
import type { DB } from '../schema.js';
import type { PaymentProvider } from './engine/payment-provider.js';
import {
  CAPTURE_JOB,
  type CaptureCall,
  REFUND_JOB,
  type RefundAnswer,
  VOID_JOB,
  callCapture,
  callRefundAgain,
  callVoid,
  recordCapture,
  recordRefundAnswer,
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
 */
/** A refund's retries: patient, since until the provider answers the refund is in doubt and its amount reserved. */
const REFUND_RETRY = { maxAttempts: 20, firstDelayMs: 60_000, maxDelayMs: 3_600_000 };

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
  return [capture, release, refund];
}
