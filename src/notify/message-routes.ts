import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../http/app-context.js';

export const messageSchema = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    subject: z.string(),
    text: z.string(),
    bookingId: z.uuid().nullable(),
    status: z.enum(['pending', 'sent', 'failed']),
    createdAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Message' });

export function registerMessageRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/messages',
    {
      schema: {
        tags: ['messages'],
        summary: 'Messages Knotwork sent you (or is about to), newest first',
        querystring: z
          .object({ page: z.coerce.number().int().min(1).max(10_000).default(1), pageSize: z.coerce.number().int().min(1).max(100).default(20) })
          .strict(),
        response: { 200: z.object({ items: z.array(messageSchema), page: z.number(), pageSize: z.number() }) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { page, pageSize } = request.query;
      const rows = await ctx.db
        .selectFrom('messages')
        .select(['id', 'kind', 'subject', 'body_text', 'booking_id', 'status', 'created_at', 'sent_at'])
        .where('user_id', '=', user.id)
        .where('next_attempt_at', '<=', new Date(ctx.clock.now()))
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
        })),
      };
    },
  );
}
