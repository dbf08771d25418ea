import type { App, AppContext } from '../app-context.js';
import { selfCheckResult } from './engine/self-check.js';
import { selfCheckResultSchema, selfCheckSchema } from './engine/self-check-schema.js';

/**
 * The self-check (POST /api/self-check): open to everyone, no account. Stateless: it reads no table and writes none,
 * so nothing of what a visitor marks or answers is kept; the result is computed from the catalogues.
 */
export function registerSelfCheckRoutes(app: App, ctx: Pick<AppContext, 'clock'>) {
  app.post(
    '/api/self-check',
    {
      schema: {
        tags: ['guides'],
        summary:
          'A self-check without an account: where it hurts and a few answers in, what is likely going on, what a session would do, what to do yourself and when to see a doctor first (with sources). Nothing is stored.',
        body: selfCheckSchema,
        response: { 200: selfCheckResultSchema },
      },
    },
    async (request) => selfCheckResult(request.body, ctx.clock.now()),
  );
}
