import { z } from 'zod';
import type { App, AppContext } from '../app-context.js';
import { readsOf } from '../db/read-replicas.js';
import { listMarkets, marketSchema } from './markets.js';

export function registerMarketRoutes(app: App, ctx: AppContext) {
  // On a replica that may lag by the bound (`within-lag`), for everybody: markets are written by the seed, never
  // through the API, so no reader can have just written one; a new one shows within the bound.
  const reads = readsOf(ctx);
  app.get(
    '/api/markets',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Markets (metro areas) Knotwork serves, with their neighbourhoods',
        response: { 200: z.array(marketSchema) },
      },
    },
    async () => reads.readWithinLag(listMarkets),
  );
}
