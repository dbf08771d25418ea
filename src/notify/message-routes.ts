import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError } from '../domain/problems.js';

export const messageSchema = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    subject: z.string(),
    text: z.string(),
    bookingId: z.uuid().nullable(),
    status: z
      .enum(['pending', 'sent', 'failed', 'in_app'])
      .describe(
        'pending: not e-mailed yet (or being retried); sent: e-mailed; failed: e-mailing gave up; in_app: only here, as e-mail is not configured or you turned e-mails of this kind off',
      ),
    createdAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable(),
    attachments: z
      .array(z.object({ filename: z.string(), contentType: z.string() }))
      .describe(
        'Files sent with the message (a calendar file with confirmations); GET /api/messages/{id}/attachments/{index}',
      ),
  })
  .meta({ id: 'Message' });

const attachmentParams = z.object({ id: z.uuid(), index: z.coerce.number().int().min(0).max(20) }).strict();

export function registerMessageRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/messages',
    {
      schema: {
        tags: ['messages'],
        summary: 'Messages Knotwork sent you (or is about to), newest first',
        querystring: z
          .object({
            page: z.coerce.number().int().min(1).max(10_000).default(1),
            pageSize: z.coerce.number().int().min(1).max(100).default(20),
          })
          .strict(),
        problems: ['unauthenticated'],
        response: { 200: z.object({ items: z.array(messageSchema), page: z.number(), pageSize: z.number() }) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { page, pageSize } = request.query;
      const rows = await ctx.db
        .selectFrom('messages')
        .select(['id', 'kind', 'subject', 'body_text', 'booking_id', 'status', 'created_at', 'sent_at', 'attachments'])
        .where('user_id', '=', user.id)
        // A new address's verification proves that mailbox: reading it here would verify an address one does not own.
        .where('kind', '<>', 'account.verify_email')
        // A message scheduled for later shows once due; a retry that moved next_attempt_at does not hide it.
        .where((w) => w.or([w('attempts', '>', 0), w('next_attempt_at', '<=', new Date(ctx.clock.now()))]))
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      return {
        page,
        pageSize,
        items: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          subject: r.subject,
          text: r.body_text,
          bookingId: r.booking_id,
          status: r.status,
          createdAt: r.created_at.toISOString(),
          sentAt: r.sent_at?.toISOString() ?? null,
          attachments: r.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType })),
        })),
      };
    },
  );

  app.get(
    '/api/messages/:id/attachments/:index',
    {
      schema: {
        tags: ['messages'],
        summary: 'A file sent with one of your messages, e.g. the calendar file of a confirmation',
        params: attachmentParams,
        problems: ['unauthenticated', 'not_found'],
        produces: ['text/calendar'],
        response: { 200: z.string().describe('The file, with its own content type (so far always a calendar file)') },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const message = await ctx.db
        .selectFrom('messages')
        .select('attachments')
        .where('id', '=', request.params.id)
        .where('user_id', '=', user.id)
        .executeTakeFirst();
      const attachment = message?.attachments[request.params.index];
      if (!attachment) throw new ProblemError('not_found', 'No such attachment');
      return reply
        .type(attachment.contentType)
        .header('content-disposition', `attachment; filename="${attachment.filename.replace(/[^\w.-]/g, '_')}"`)
        .send(attachment.content);
    },
  );
}
