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
   * Reads that may go to a PostgreSQL replica (DATABASE_READ_URLS) when it has caught up with the primary; buildApp
   * opens them from the configuration when the context has none. Only routes that chose to read there use it (search).
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
