import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PgliteDialect } from './pglite-dialect.js';
import { lockDataDir } from './data-dir-lock.js';
import { DURABLE_CONF, DURABLE_START_PARAMS, DurableNodeFS, copyTemplate, syncTree } from './durable-nodefs.js';
import type { DB } from '../schema.js';

export type Backend = 'pglite' | 'postgres';

export interface Database {
  readonly db: Kysely<DB>;
  readonly backend: Backend;
  /**
   * Runs `work` on one dedicated session that accepts multi-statement scripts (migrations, advisory locks).
   * `run` returns the rows of the script's last statement.
   */
  session<T>(work: (run: (script: string) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T>;
  /**
   * Subscribes to a NOTIFY channel; returns the unsubscribe function, which also has `notify`. `onLost` is called if
   * the listening connection is seen to end (PostgreSQL: an error or a close that was not the unsubscribe's); a
   * connection lost silently is not seen, so subscribers that must know send themselves heartbeats (`notify`).
   */
  listen(channel: string, onPayload: (payload: string) => void, onLost?: () => void): Promise<Unlisten>;
  close(): Promise<void>;
}

export interface Unlisten {
  (): Promise<void>;
  /**
   * Sends `payload` on the channel from the listening connection itself (not the pool): once it resolves, the listener
   * has been handed the notification, and every one committed before it. A heartbeat that proves the connection works.
   */
  notify(payload: string): Promise<void>;
}

export type DatabaseLocation = { url: string } | { dataDir: string } | { memory: true };

/**
 * Both backends return the same JavaScript shapes: timestamptz as Date, date as 'YYYY-MM-DD' text (pg's default
 * would shift it to local midnight), bigint as number (our counters stay far below 2^53), numeric as number.
 */
const keepText = (value: string) => value;
const toNumber = (value: string) => Number(value);

pg.types.setTypeParser(pg.types.builtins.DATE, keepText);
pg.types.setTypeParser(pg.types.builtins.INT8, toNumber);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, toNumber);

export interface OpenOptions {
  poolSize?: number;
  /**
   * PostgreSQL: how long a checkout waits for a pool connection (all busy) or for a new connection before it fails,
   * which the app answers 503 `service_unavailable` with Retry-After instead of a request that waits without end.
   * Default 10 s, well above the contended bench's slowest attempt (about 3 s with 500 at once).
   */
  poolWaitMs?: number;
  /**
   * PGlite on disk: called if this process loses its hold on the data directory (another process took the lock
   * over, or it could not be refreshed for 60 s). It must stop the process's writes; by default it throws, which
   * crashes the process.
   */
  onLockLost?: (error: Error) => void;
  /**
   * PGlite on disk: skip the fsync at commit (the old behaviour). Only for bench/pglite-durability.bench.ts and for
   * building the template below (scripts/build-server.ts), which is synced whole where it is copied to.
   */
  unsyncedForBench?: boolean;
  /**
   * PGlite on disk: an empty, migrated data directory (scripts/build-server.ts writes one to dist/pglite-template)
   * copied into a new data directory instead of running initdb, which takes seconds. Used only if the PGlite that
   * wrote it (`<template>.json`) is the one installed; otherwise the directory is created as usual.
   */
  template?: string;
}

/** The installed PGlite's version. */
export function pgliteVersion(): string {
  const manifest = resolve(fileURLToPath(import.meta.resolve('@electric-sql/pglite')), '../../package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function usableTemplate(template: string | undefined): template is string {
  if (!template || !existsSync(join(template, 'PG_VERSION'))) return false;
  try {
    return (JSON.parse(readFileSync(`${template}.json`, 'utf8')) as { pglite?: string }).pglite === pgliteVersion();
  } catch {
    return false;
  }
}

export async function openDatabase(location: DatabaseLocation, options: OpenOptions = {}): Promise<Database> {
  return 'url' in location
    ? openPostgres(location.url, options.poolSize ?? 20, options.poolWaitMs ?? DEFAULT_POOL_WAIT_MS)
    : openPglite(location, options);
}

const DEFAULT_POOL_WAIT_MS = 10_000;

async function openPostgres(url: string, poolSize: number, poolWaitMs: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: poolWaitMs });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on the next checkout.
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    backend: 'postgres',
    async session(work) {
      const client = await pool.connect();
      try {
        return await work(async (script) => {
          const result = (await client.query(script)) as
            pg.QueryResult<Record<string, unknown>> | pg.QueryResult<Record<string, unknown>>[];
          return (Array.isArray(result) ? result.at(-1)?.rows : result.rows) ?? [];
        });
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload, onLost) {
      // A connection of its own, not the pool's: a listener keeps it for the app's life, so listeners (search's
      // calendar cache, the live hub) would otherwise leave a small pool (DB_POOL_SIZE) none for queries.
      const client = new pg.Client({ connectionString: url });
      const handler = (msg: pg.Notification) => {
        if (msg.channel === channel && msg.payload !== undefined) onPayload(msg.payload);
      };
      // A listening connection that dies (server restart, terminated backend) emits 'error'; unhandled, that would
      // crash the process. The subscriber notices the silence instead (its barrier or heartbeat does not come back)
      // and listens again; the handler stays attached until the dead client is ended.
      let ended = false;
      const lost = () => {
        if (ended) return;
        ended = true;
        onLost?.();
      };
      client.on('error', lost);
      client.on('end', lost);
      client.on('notification', handler);
      try {
        await client.connect();
        await client.query(`LISTEN ${quoteIdentifier(channel)}`);
      } catch (error) {
        ended = true;
        await client.end().catch(() => {});
        throw error;
      }
      return Object.assign(
        async () => {
          ended = true;
          client.off('notification', handler);
          await client.end().catch(() => {});
        },
        {
          async notify(payload: string) {
            await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
          },
        },
      );
    },
    async close() {
      await db.destroy();
    },
  };
}

async function openPglite(location: { dataDir: string } | { memory: true }, options: OpenOptions): Promise<Database> {
  const dataDir = 'dataDir' in location ? location.dataDir : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // One server per data directory: a second PGlite on the same files would overwrite the first's (DataDirInUseError).
  const unlock = dataDir
    ? await lockDataDir(
        dataDir,
        options.onLockLost ??
          ((error) => {
            throw error;
          }),
      )
    : undefined;
  const created = dataDir !== undefined && !existsSync(join(dataDir, 'PG_VERSION'));
  // A copy of a cleanly shut down cluster is a cluster: PGlite finds PG_VERSION and resumes it.
  const copied = dataDir !== undefined && created && usableTemplate(options.template);
  let client: PGlite;
  try {
    if (copied) await copyTemplate(options.template!, dataDir);
    client = await PGlite.create({
      // On disk, a commit is on the disk before it is acknowledged (see durable-nodefs.ts).
      ...(dataDir && !options.unsyncedForBench
        ? { fs: new DurableNodeFS(dataDir), startParams: DURABLE_START_PARAMS }
        : { dataDir }),
      extensions: { btree_gist },
      // The embedded database serves one practice's data, not a fleet's: PostgreSQL's default 128 MB of shared
      // buffers would be paged into the WASM heap and kept there, about a third of the process's memory.
      postgresqlconf: ['shared_buffers = 16MB', ...(dataDir && !options.unsyncedForBench ? DURABLE_CONF : [])],
      parsers: {
        [pgliteTypes.DATE]: keepText,
        [pgliteTypes.INT8]: toNumber,
        [pgliteTypes.NUMERIC]: toNumber,
      },
    });
  } catch (error) {
    await unlock?.();
    throw error;
  }
  try {
    if (dataDir && created && !copied) await syncTree(dataDir);
  } catch (error) {
    await client.close();
    await unlock?.();
    throw error;
  }
  const db = new Kysely<DB>({ dialect: new PgliteDialect(client) });
  return {
    db,
    backend: 'pglite',
    async session(work) {
      // Holding a Kysely connection takes the driver's lock, so nothing else runs on the PGlite session meanwhile.
      return db.connection().execute(() => work(async (script) => (await client.exec(script)).at(-1)?.rows ?? []));
    },
    async listen(channel, onPayload) {
      // LISTEN is a statement on the one session: take the driver's lock so it never lands inside a transaction.
      // The listener lives in this process with the database, so it cannot be lost apart from it (no `onLost`).
      const unlisten = await db.connection().execute(() => client.listen(channel, onPayload));
      return Object.assign(() => db.connection().execute(() => unlisten()), {
        async notify(payload: string) {
          await db.connection().execute(() => client.query('SELECT pg_notify($1, $2)', [channel, payload]));
        },
      });
    },
    async close() {
      await db.destroy();
      await client.close();
      await unlock?.();
    },
  };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
