import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/connection.js';
import type { ReadReplicas } from './db/read-replicas.js';
import type { DB } from './schema.js';

/** What every capability's routes are given: the database, the configuration and the clock. */
export interface AppContext {
  database: Database;
  db: Kysely<DB>;
  /**
   * Reads that may go to a PostgreSQL replica (DATABASE_READ_URLS), as fresh as each route asks (caught up with the
   * primary, or at most a bound behind); buildApp opens them from the configuration when the context has none, and
   * otherwise sets a handle that reads the primary alone (routes take it with `readsOf(ctx)`). Only routes that chose to
   * read there use it: search, and public pages (profile, reviews, markets, package offers).
   */
  readReplicas?: ReadReplicas;
  config: Config;
  clock: Clock;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;
