import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from '../schema.js';

/**
 * How fresh a read must be; each screen chooses, by what its reader may have written (docs/ARCHITECTURE.md, scale-out):
 * - `caught-up`: everything the primary had committed when the read began (a replica that has replayed up to the
 *   primary's flushed WAL, waiting up to maxWaitMs for one, else the primary). As fresh as the primary, so a reader's
 *   own earlier writes are there; costs one round trip to the primary per read.
 * - `within-lag`: may miss the commits of the last maxLagMs, never more (a replica that has replayed a sample of the
 *   primary's flushed WAL taken at most maxLagMs ago, else the primary, at once). Only for readers who cannot have
 *   written what they read; costs the primary one round trip per maxLagMs / 4, not per read.
 * - `primary`: the primary itself (what its reader just wrote, private fields, anything audited).
 */
export type Freshness = 'caught-up' | 'within-lag' | 'primary';

/**
 * PostgreSQL streaming replicas (hot standbys, DATABASE_READ_URLS) that take reads off the primary.
 *
 * A replica is used only when its `pg_last_wal_replay_lsn()` has reached the primary's `pg_current_wal_flush_lsn()` as
 * the freshness asks: as of when the read began (`caught-up`, what the primary would have returned a moment earlier),
 * or as of a sample at most maxLagMs old (`within-lag`). A replica that is behind that, stopped, cannot be reached or
 * is not in recovery (promoted, so possibly diverged) is passed over and the read runs on the primary: slower for the
 * primary, never staler than asked. One that fails is left alone for a few seconds. Replicas are taken in turn. Writes
 * never come here. Without replicas (PGlite, or no DATABASE_READ_URLS) every read runs on the primary at no extra cost.
 */
export interface ReadReplicas {
  // `work` returns its expected outcomes (nothing found) rather than throwing them: whatever it throws on a replica is
  // taken for the replica failing (it is left alone for a while) and `work` runs again on the primary.
  /** Runs `work` on a replica that has caught up with the primary as of now, else (or if it fails there) on the primary. */
  read<T>(work: (db: Kysely<DB>) => Promise<T>): Promise<T>;
  /** Runs `work` on a replica at most maxLagMs behind the primary, else (or if it fails there) on the primary; never waits. */
  readWithinLag<T>(work: (db: Kysely<DB>) => Promise<T>): Promise<T>;
  /** Runs `work` as fresh as `freshness` asks: `read`, `readWithinLag`, or on the primary (not counted in stats). */
  readAs<T>(freshness: Freshness, work: (db: Kysely<DB>) => Promise<T>): Promise<T>;
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

export interface ReadReplicaOptions {
  poolSize?: number;
  /** How long a replica that failed is left alone (default 5 s). */
  retryAfterMs?: number;
  /** How long a read waits for a replica to replay up to the primary before it goes to the primary (default 50 ms). */
  maxWaitMs?: number;
  /** How long to wait for a replica's connection before passing it over (default 2 s). */
  connectTimeoutMs?: number;
  /** How far behind the primary a `within-lag` read may be (default 1 s). */
  maxLagMs?: number;
  /** The monotonic clock (ms) the lag is measured on (default performance.now; tests move it by hand). */
  now?: () => number;
}

/** The primary's flushed WAL position, and the time just before it was asked: every commit before `at` is at or before `lsn`. */
interface Sample {
  lsn: string;
  at: number;
}

export function openReadReplicas(
  urls: readonly string[],
  primary: Kysely<DB>,
  options: ReadReplicaOptions = {},
): ReadReplicas {
  const retryAfterMs = options.retryAfterMs ?? 5_000;
  const maxWaitMs = options.maxWaitMs ?? 50;
  const maxLagMs = options.maxLagMs ?? 1_000;
  const now = options.now ?? (() => performance.now());
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
  /** Samples of the primary's flushed WAL position no older than maxLagMs, oldest first (for `within-lag`). */
  const samples: Sample[] = [];
  let sampling: Promise<void> | undefined;

  async function flushedLsn(): Promise<string> {
    // Flushed, not written or inserted: every commit a read must see is flushed (synchronous commit), and the written
    // position can end inside a record that a replica cannot replay until the rest of it is flushed.
    const { rows } = await sql<{ lsn: string }>`SELECT pg_current_wal_flush_lsn()::text AS lsn`.execute(primary);
    return rows[0]!.lsn;
  }

  /**
   * A replica that has replayed up to `lsn`, taken in turn; undefined if none has within waitMs. The wait matters for
   * search: it has just committed a barrier notification on the primary (a NOTIFY takes a transaction id, so a commit
   * record), which a replica streams and replays a moment later.
   */
  async function replicaAt(lsn: string, waitMs: number): Promise<Replica | undefined> {
    const deadline = performance.now() + waitMs;
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

  /**
   * The position a `within-lag` read's replica must have replayed: the oldest sample no older than maxLagMs, so the
   * replica has every commit made before then, and lacks at most those of the last maxLagMs. A new sample is taken when
   * the newest is older than a quarter of the bound (one round trip to the primary, shared by the reads waiting for
   * it), so under steady reads a replica may trail by up to three quarters of the bound and still serve them.
   */
  async function lsnWithinLag(): Promise<string | undefined> {
    const dropOld = () => {
      while (samples.length > 0 && now() - samples[0]!.at > maxLagMs) samples.shift();
    };
    dropOld();
    const newest = samples.at(-1);
    if (!newest || now() - newest.at > maxLagMs / 4) {
      sampling ??= (async () => {
        const at = now();
        samples.push({ lsn: await flushedLsn(), at });
      })().finally(() => {
        sampling = undefined;
      });
      await sampling;
      dropOld();
    }
    // None kept only if the primary took longer than the bound to answer: then the primary serves the read.
    return samples[0]?.lsn;
  }

  /** Runs `work` on `replica` if there is one (counted), else, or if it fails there, on the primary. */
  async function runOn<T>(replica: Replica | undefined, work: (db: Kysely<DB>) => Promise<T>): Promise<T> {
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
  }

  const read = async <T>(work: (db: Kysely<DB>) => Promise<T>): Promise<T> =>
    runOn(replicas.length === 0 ? undefined : await replicaAt(await flushedLsn(), maxWaitMs), work);
  const readWithinLag = async <T>(work: (db: Kysely<DB>) => Promise<T>): Promise<T> => {
    const lsn = replicas.length === 0 ? undefined : await lsnWithinLag();
    return runOn(lsn === undefined ? undefined : await replicaAt(lsn, 0), work);
  };

  return {
    read,
    readWithinLag,
    readAs: (freshness, work) =>
      freshness === 'caught-up' ? read(work) : freshness === 'within-lag' ? readWithinLag(work) : work(primary),
    stats: () => ({ replicas: replicas.map((r) => r.reads), primary: onPrimary }),
    async close() {
      await Promise.all(replicas.map((r) => r.db.destroy()));
    },
  };
}

/** The read handle a route is given: the app's (buildApp always sets one), else one that reads the primary alone. */
export function readsOf(ctx: { db: Kysely<DB>; readReplicas?: ReadReplicas | undefined }): ReadReplicas {
  return ctx.readReplicas ?? openReadReplicas([], ctx.db);
}
