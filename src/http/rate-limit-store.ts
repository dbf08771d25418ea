import { createRequire } from 'node:module';
import type { FastifyRateLimitStore } from '@fastify/rate-limit';

type Counted = { current: number; ttl: number };
type Inner = {
  incr(key: string, cb: (error: Error | null, result?: Counted) => void, timeWindow: number, max: number): void;
  read(key: string, cb: (error: Error | null, result?: Counted) => void, timeWindow: number, max: number): void;
  child(routeOptions: unknown): Inner;
};

const LocalStore = createRequire(import.meta.url)('@fastify/rate-limit/store/LocalStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  cache?: number,
) => Inner;

/**
 * @fastify/rate-limit's in-memory store, answering each request with the count AT its increment. The plugin's own
 * LocalStore hands every request the same live counter object and reads it after an await, so a burst that arrives
 * within one tick sees only the final count: 30 requests at once against a limit of 12 were all refused, not 18.
 */
export class SnapshotLocalStore implements FastifyRateLimitStore {
  readonly #inner: Inner;

  constructor(options: { continueExceeding?: boolean; exponentialBackoff?: boolean; cache?: number } | Inner) {
    this.#inner =
      'incr' in options
        ? options
        : new LocalStore(options.continueExceeding ?? false, options.exponentialBackoff ?? false, options.cache);
  }

  incr(key: string, cb: (error: Error | null, result?: Counted) => void, timeWindow: number, max: number) {
    this.#inner.incr(
      key,
      (error, result) => cb(error, result && { current: result.current, ttl: result.ttl }),
      timeWindow,
      max,
    );
  }

  read(key: string, cb: (error: Error | null, result?: Counted) => void, timeWindow: number, max: number) {
    this.#inner.read(key, cb, timeWindow, max);
  }

  child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
    return new SnapshotLocalStore(this.#inner.child(routeOptions));
  }
}
