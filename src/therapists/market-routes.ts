import { z } from 'zod';
import type { App, AppContext } from '../app-context.js';
import { listMarkets, marketSchema } from './markets.js';

export function registerMarketRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/markets',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Markets (metro areas) Knotwork serves, with their neighbourhoods',
        response: { 200: z.array(marketSchema) },
      },
    },
    async () => listMarkets(ctx.db),
  );
}
