import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from '../schema.js';

/**
 * PostgreSQL streaming replicas (hot standbys, DATABASE_READ_URLS) that take reads off the primary.
 *
 * A replica is used only when it has replayed every commit the primary had flushed when the read began (its
 * `pg_last_wal_replay_lsn()` has reached the primary's `pg_current_wal_flush_lsn()`), so what it returns is what the
 * primary would have returned a moment earlier: nothing committed before the read is missing. A replica that is just
 * behind is asked again for up to maxWaitMs. A replica that lags further, stopped, cannot be reached or is not in
 * recovery (promoted, so possibly diverged) is passed over and the read runs on the primary: slower for the primary,
 * never staler. One that fails is left alone for a few seconds. Replicas are taken in turn. Writes never come here: a read that must see its own transaction's writes uses the primary.
 */
export interface ReadReplicas {
  /** Runs `work` on a replica that has caught up with the primary as of now, else (or if it fails there) on the primary. */
  read<T>(work: (db: Kysely<DB>) => Promise<T>): Promise<T>;
  /** Reads run so far: on each replica (in DATABASE_READ_URLS' order), and on the primary in their place. */
  stats(): { replicas: number[]; primary: number };
  close(): Promise<void>;
}

interface Replica {
  db: Kysely<DB>;
  /** performance.now() before which it is not tried again, after it failed. */
  downUntil: number;
  reads: number;
}

/** How often a replica that is just behind is asked again. */
const POLL_MS = 2;

interface ReadReplicaOptions {
  poolSize?: number;
  /** How long a replica that failed is left alone (default 5 s). */
  retryAfterMs?: number;
  /** How long a read waits for a replica to replay up to the primary before it goes to the primary (default 50 ms). */
  maxWaitMs?: number;
  /** How long to wait for a replica's connection before passing it over (default 2 s). */
  connectTimeoutMs?: number;
}

export function openReadReplicas(
  urls: readonly string[],
  primary: Kysely<DB>,
  options: ReadReplicaOptions = {},
): ReadReplicas {
  const retryAfterMs = options.retryAfterMs ?? 5_000;
  const maxWaitMs = options.maxWaitMs ?? 50;
  const replicas: Replica[] = urls.map((url) => {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 2_000,
    });
    pool.on('error', () => {
      // An idle client lost its connection (the standby restarted); the pool replaces it on the next checkout.
    });
    return { db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), downUntil: 0, reads: 0 };
  });
  let next = 0;
  let onPrimary = 0;

  /**
   * A replica that has replayed up to the primary's current WAL position, taken in turn; undefined if none has within
   * maxWaitMs. The wait matters: the search that asks has just committed a barrier notification on the primary (a
   * NOTIFY takes a transaction id, so a commit record), which a replica streams and replays a moment later.
   */
  async function caughtUpReplica(): Promise<Replica | undefined> {
    if (replicas.length === 0) return undefined;
    // Flushed, not written or inserted: every commit a read must see is flushed (synchronous commit), and the written
    // position can end inside a record that a replica cannot replay until the rest of it is flushed.
    const { rows } = await sql<{ lsn: string }>`SELECT pg_current_wal_flush_lsn()::text AS lsn`.execute(primary);
    const lsn = rows[0]!.lsn;
    const deadline = performance.now() + maxWaitMs;
    for (;;) {
      for (let tried = 0; tried < replicas.length; tried++) {
        const replica = replicas[next]!;
        next = (next + 1) % replicas.length;
        if (replica.downUntil > performance.now()) continue;
        try {
          // NULL (so not true) on a server that is not replaying: a promoted standby is no copy of the primary now.
          const { rows: replayed } = await sql<{ ok: boolean | null }>`
            SELECT pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn AS ok`.execute(replica.db);
          if (replayed[0]?.ok === true) return replica;
        } catch {
          replica.downUntil = performance.now() + retryAfterMs;
        }
      }
      if (performance.now() >= deadline || replicas.every((r) => r.downUntil > performance.now())) return undefined;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  return {
    async read(work) {
      const replica = await caughtUpReplica();
      if (replica) {
        try {
          const result = await work(replica.db);
          replica.reads++;
          return result;
        } catch {
          // A replica that went away mid-read (or cancelled the query for replay) hands it back to the primary;
          // an error of the work itself comes back from the primary too.
          replica.downUntil = performance.now() + retryAfterMs;
        }
      }
      onPrimary++;
      return work(primary);
    },
    stats: () => ({ replicas: replicas.map((r) => r.reads), primary: onPrimary }),
    async close() {
      await Promise.all(replicas.map((r) => r.db.destroy()));
    },
  };
}
