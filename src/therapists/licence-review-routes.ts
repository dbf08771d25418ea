import { z } from 'zod';
import { writeAudit } from '../accounts/audit.js';
import { contactsOf } from '../accounts/accounts-reads.js';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError } from '../domain/problems.js';
import { todayIn } from './today.js';

const reviewBody = z
  .object({ decision: z.enum(['approve', 'reject']), note: z.string().trim().max(500).optional() })
  .strict()
  .refine((b) => b.decision === 'approve' || (b.note !== undefined && b.note.length > 0), {
    message: 'Say why the licence is rejected',
    path: ['note'],
    params: { code: 'required' },
  });

export const licenceRowSchema = z.object({
  therapistId: z.uuid(),
  displayName: z.string(),
  email: z.string(),
  market: z.string(),
  licenceNumber: z.string().nullable(),
  licenceRegion: z.string().nullable(),
  licenceExpiresOn: z.string().nullable(),
  licenceStatus: z.enum(['pending', 'approved', 'rejected']),
  reviewedAt: z.iso.datetime().nullable(),
  reviewNote: z.string().nullable(),
});

export function registerLicenceReviewRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;

  app.get(
    '/api/operator/licences',
    {
      schema: {
        tags: ['operator'],
        summary: 'Therapist licences, pending first',
        querystring: z.object({ status: z.enum(['pending', 'approved', 'rejected']).optional() }).strict(),
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: z.array(licenceRowSchema) },
      },
    },
    async (request) => {
      requireUser(request, 'operator');
      let query = db
        .selectFrom('therapists')
        .select([
          'user_id',
          'market',
          'licence_number',
          'licence_region',
          'licence_expires_on',
          'licence_status',
          'licence_reviewed_at',
          'licence_review_note',
        ]);
      if (request.query.status) query = query.where('licence_status', '=', request.query.status);
      const rows = new Map((await query.execute()).map((r) => [r.user_id, r]));
      // By status (descending), then by name: accounts returns the people in name order, the stable sort keeps it.
      const people = (await contactsOf(db, [...rows.keys()])).sort((a, b) => {
        const x = rows.get(a.id)!.licence_status;
        const y = rows.get(b.id)!.licence_status;
        return x === y ? 0 : x < y ? 1 : -1;
      });
      return people.map((person) => {
        const r = rows.get(person.id)!;
        return {
          therapistId: r.user_id,
          displayName: person.displayName,
          email: person.email,
          market: r.market,
          licenceNumber: r.licence_number,
          licenceRegion: r.licence_region,
          licenceExpiresOn: r.licence_expires_on,
          licenceStatus: r.licence_status,
          reviewedAt: r.licence_reviewed_at?.toISOString() ?? null,
          reviewNote: r.licence_review_note,
        };
      });
    },
  );

  app.post(
    '/api/operator/licences/:therapistId/review',
    {
      schema: {
        tags: ['operator'],
        summary: 'Approve or reject a therapist’s licence',
        description: 'Only an approved licence that has not expired makes the therapist appear in search.',
        params: z.object({ therapistId: z.uuid() }).strict(),
        body: reviewBody,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'profile_incomplete'],
        response: {
          200: licenceRowSchema.pick({ therapistId: true, licenceStatus: true, reviewedAt: true, reviewNote: true }),
        },
      },
    },
    async (request) => {
      const operator = requireUser(request, 'operator');
      const { decision, note } = request.body;
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const therapist = await trx
          .selectFrom('therapists')
          .select(['licence_expires_on'])
          .where('user_id', '=', request.params.therapistId)
          .forUpdate()
          .executeTakeFirst();
        if (!therapist) throw new ProblemError('not_found', 'No such therapist');
        if (decision === 'approve' && (therapist.licence_expires_on ?? '') < todayIn('UTC', now)) {
          throw new ProblemError(
            'profile_incomplete',
            'The licence has expired; the therapist must renew it before approval',
          );
        }
        const status = decision === 'approve' ? 'approved' : 'rejected';
        await trx
          .updateTable('therapists')
          .set({
            licence_status: status,
            licence_reviewed_by: operator.id,
            licence_reviewed_at: new Date(now),
            licence_review_note: note ?? null,
          })
          .where('user_id', '=', request.params.therapistId)
          .execute();
        await writeAudit(
          trx,
          {
            actor: operator,
            action: `licence.${decision}`,
            subjectType: 'therapist',
            subjectId: request.params.therapistId,
            subjectUserId: request.params.therapistId,
            detail: note ? { note } : {},
          },
          now,
        );
        return {
          therapistId: request.params.therapistId,
          licenceStatus: status,
          reviewedAt: new Date(now).toISOString(),
          reviewNote: note ?? null,
        };
      });
    },
  );
}
