import { z } from 'zod';
import { writeAudit } from '../accounts/audit.js';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError } from '../domain/problems.js';
import { type DeadLetter, listDeadLetters, replayDeadLetter } from '../jobs/dead-letters.js';

const deadLetterSchema = z
  .object({
    id: z.int(),
    kind: z.string().describe('The job kind, e.g. `booking_notices.retry` (one booking event whose notice failed)'),
    payload: z.record(z.string(), z.unknown()).describe('What the job was given: ids, never health data'),
    attempts: z.int().describe('Attempts made before it was given up'),
    lastError: z.string().nullable(),
    createdAt: z.iso.datetime(),
    failedAt: z.iso.datetime(),
    replays: z.int().describe('How often an operator replayed it already'),
  })
  .meta({ id: 'DeadLetter' });

const view = (letter: DeadLetter) => ({
  ...letter,
  createdAt: new Date(letter.createdAt).toISOString(),
  failedAt: new Date(letter.failedAt).toISOString(),
});

/**
 * The operator's view of the jobs platform's dead letters: jobs whose last attempt failed (a booking event whose
 * notice could not be written, a reminder, a check-in step), and replaying one. Here, not in jobs/, because the
 * platform knows nothing of users and roles.
 */
export function registerDeadLetterRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;

  app.get(
    '/api/operator/dead-letters',
    {
      schema: {
        tags: ['operator'],
        summary: 'Background work that failed for good, latest first',
        description:
          'Jobs whose last attempt failed, with the error. A booking event whose notice cannot be written is retried on its own with backoff and ends here, without holding back later notices.',
        querystring: z
          .object({
            kind: z
              .string()
              .regex(/^[a-z][a-z0-9_.]{1,60}$/)
              .optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          })
          .strict(),
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: z.array(deadLetterSchema) },
      },
    },
    async (request) => {
      requireUser(request, 'operator');
      const { kind, limit } = request.query;
      return (await listDeadLetters(db, { limit, ...(kind ? { kind } : {}) })).map(view);
    },
  );

  app.post(
    '/api/operator/dead-letters/:id/replay',
    {
      schema: {
        tags: ['operator'],
        summary: 'Try a dead letter again',
        description:
          'Makes the job due now with its attempts counted afresh; the background work runs it on its next round. 404 when there is no dead letter with this id (also once it has been replayed).',
        params: z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }).strict(),
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: {
          200: z.object({ id: z.int(), kind: z.string(), status: z.literal('pending'), replays: z.int() }),
        },
      },
    },
    async (request) => {
      const operator = requireUser(request, 'operator');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const replayed = await replayDeadLetter(trx, request.params.id, now);
        if (!replayed) throw new ProblemError('not_found', 'No dead letter with this id');
        await writeAudit(
          trx,
          {
            actor: operator,
            action: 'job.replay',
            subjectType: 'job',
            subjectId: String(replayed.id),
            detail: { kind: replayed.kind, lastError: replayed.lastError },
          },
          now,
        );
        return { id: replayed.id, kind: replayed.kind, status: 'pending' as const, replays: replayed.replays };
      });
    },
  );
}
