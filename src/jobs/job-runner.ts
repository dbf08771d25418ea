import { randomUUID } from 'node:crypto';
import { type Kysely, type Transaction, sql } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../schema.js';
import { type RetryPolicy, nextRetry } from './engine/retry-backoff.js';

export interface JobHandler<Payload, Called = undefined> {
  kind: string;
  payload: z.ZodType<Payload>;
  retry?: RetryPolicy;
  /**
   * Work with another system that answers at once (a payment provider), done BEFORE the job's transaction and never
   * inside it, so no lock is held while it waits; its answer is handed to `run`. A failed run retries the job and so
   * calls again: the call must be idempotent (an idempotency key made from the job's payload).
   */
  call?(payload: Payload, job: { id: number; attempt: number; now: number }): Promise<Called>;
  /**
   * Does the job's work with `trx` only. The runner marks the job done in the same transaction, so the work
   * commits exactly once; anything that must reach the outside world is written as a row (a message in the
   * outbox) that its own worker delivers, or done by `call` first.
   */
  run(
    trx: Transaction<DB>,
    payload: Payload,
    job: { id: number; attempt: number; now: number },
    called: Called,
  ): Promise<void>;
}

/** A handler of any payload type, as a list of handlers holds them; each checks its payload with its own schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobHandler = JobHandler<any, any>;

/** Keeps the payload type between the schema and `run` when handlers are listed together. */
export function defineJob<Payload, Called = undefined>(
  handler: JobHandler<Payload, Called>,
): JobHandler<Payload, Called> {
  return handler;
}

export interface JobRunReport {
  done: number;
  retrying: number;
  failed: number;
}

export interface JobRunnerOptions {
  /** How long a claim keeps other runners off a job; a runner that died lets it go when this ends. */
  leaseMs?: number;
  batchSize?: number;
  /** Batches per call, so one call cannot run forever while jobs keep coming due. */
  maxBatches?: number;
  onError?: (job: { id: number; kind: string; attempt: number }, error: unknown) => void;
}

export const DEFAULT_JOB_RETRY: RetryPolicy = { maxAttempts: 10, firstDelayMs: 30_000, maxDelayMs: 3_600_000 };

type Outcome = 'done' | 'retrying' | 'failed' | 'lost';

/**
 * Runs due jobs from the `jobs` table. Safe with any number of runners on one database:
 *
 * 1. Claim: one UPDATE takes due, unleased jobs of the kinds this runner knows (FOR UPDATE SKIP LOCKED, so
 *    runners never wait on each other), counts the attempt and sets a lease. It commits at once, so an attempt
 *    that kills the process still counts and a poison job ends up failed instead of looping.
 * 2. Run: a transaction locks the job row again, checks it is still pending and still ours, runs the handler
 *    with that transaction and marks the job done before committing. A crash rolls both back; a second runner
 *    that took the job after an expired lease waits on the row lock and then finds it done.
 * 3. On error the transaction rolls back and the job is scheduled again with exponential backoff, or marked
 *    failed after its last attempt.
 */
export class JobRunner {
  readonly #handlers: Map<string, AnyJobHandler>;
  readonly #leaseMs: number;
  readonly #batchSize: number;
  readonly #maxBatches: number;
  readonly #onError: NonNullable<JobRunnerOptions['onError']>;

  constructor(
    private readonly db: Kysely<DB>,
    handlers: AnyJobHandler[],
    options: JobRunnerOptions = {},
  ) {
    this.#handlers = new Map(handlers.map((h) => [h.kind, h]));
    this.#leaseMs = options.leaseMs ?? 300_000;
    this.#batchSize = options.batchSize ?? 20;
    this.#maxBatches = options.maxBatches ?? 10;
    this.#onError = options.onError ?? (() => {});
  }

  async runDueJobs(now: number): Promise<JobRunReport> {
    const report: JobRunReport = { done: 0, retrying: 0, failed: 0 };
    if (this.#handlers.size === 0) return report;
    for (let batch = 0; batch < this.#maxBatches; batch++) {
      const claim = randomUUID();
      const jobs = await this.#claim(claim, now);
      for (const job of jobs) {
        const outcome = await this.#run(job, claim, now);
        if (outcome !== 'lost') report[outcome]++;
      }
      if (jobs.length < this.#batchSize) break;
    }
    return report;
  }

  async #claim(claim: string, now: number) {
    const at = new Date(now);
    return this.db
      .updateTable('jobs')
      .set({ claim, locked_until: new Date(now + this.#leaseMs), attempts: sql`attempts + 1`, updated_at: at })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('jobs')
          .select('id')
          .where('status', '=', 'pending')
          .where('run_at', '<=', at)
          .where('kind', 'in', [...this.#handlers.keys()])
          .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', at)]))
          .orderBy('run_at')
          .orderBy('id')
          .limit(this.#batchSize)
          .forUpdate()
          .skipLocked(),
      )
      .returning(['id', 'kind', 'payload', 'attempts'])
      .execute();
  }

  async #run(
    job: { id: number; kind: string; payload: unknown; attempts: number },
    claim: string,
    now: number,
  ): Promise<Outcome> {
    const handler = this.#handlers.get(job.kind)!;
    const payload = handler.payload.safeParse(job.payload);
    if (!payload.success) {
      return this.#fail(job, claim, now, new Error(`Invalid payload: ${payload.error.message}`), { permanent: true });
    }
    try {
      const jobInfo = { id: job.id, attempt: job.attempts, now };
      const called: unknown = handler.call ? await handler.call(payload.data, jobInfo) : undefined;
      return await this.db.transaction().execute(async (trx): Promise<Outcome> => {
        const current = await trx
          .selectFrom('jobs')
          .select(['status', 'claim'])
          .where('id', '=', job.id)
          .forUpdate()
          .executeTakeFirst();
        if (!current || current.status !== 'pending' || current.claim !== claim) return 'lost';
        await handler.run(trx, payload.data, jobInfo, called);
        await trx
          .updateTable('jobs')
          .set({
            status: 'done',
            finished_at: new Date(now),
            updated_at: new Date(now),
            claim: null,
            locked_until: null,
            last_error: null,
          })
          .where('id', '=', job.id)
          .execute();
        return 'done';
      });
    } catch (error) {
      return this.#fail(job, claim, now, error, { permanent: false });
    }
  }

  async #fail(
    job: { id: number; kind: string; attempts: number },
    claim: string,
    now: number,
    error: unknown,
    options: { permanent: boolean },
  ): Promise<Outcome> {
    this.#onError({ id: job.id, kind: job.kind, attempt: job.attempts }, error);
    const handler = this.#handlers.get(job.kind)!;
    const decision = options.permanent
      ? ({ retry: false } as const)
      : nextRetry(handler.retry ?? DEFAULT_JOB_RETRY, job.attempts, now);
    const message = error instanceof Error ? error.message : String(error);
    const updated = await this.db
      .updateTable('jobs')
      .set({
        status: decision.retry ? 'pending' : 'failed',
        run_at: decision.retry ? new Date(decision.at) : undefined,
        finished_at: decision.retry ? null : new Date(now),
        claim: null,
        locked_until: null,
        last_error: message.slice(0, 2000),
        updated_at: new Date(now),
      })
      .where('id', '=', job.id)
      .where('claim', '=', claim)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) return 'lost';
    return decision.retry ? 'retrying' : 'failed';
  }
}
