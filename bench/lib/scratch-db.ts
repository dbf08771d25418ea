/**
 * Scratch PostgreSQL databases for benchmarks: each bench creates its own `knotwork_bench_<random>` database
 * through the admin URL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres) and drops it at the
 * end, also on Ctrl-C or a crash.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { quoteIdentifier } from '../../src/db/connection.js';

export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

const pendingDrops = new Set<() => Promise<void>>();
let handlersInstalled = false;

function installCleanupHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const cleanUp = async (signal: NodeJS.Signals) => {
    for (const drop of [...pendingDrops]) await drop().catch(() => {});
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', (s) => void cleanUp(s));
  process.once('SIGTERM', (s) => void cleanUp(s));
}

export async function adminQuery<T extends pg.QueryResultRow = Record<string, unknown>>(
  text: string,
  values?: unknown[],
) {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    return await admin.query<T>(text, values);
  } finally {
    await admin.end();
  }
}

export function urlFor(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates an empty database; the caller migrates it. */
export async function createScratchDatabase(prefix = 'knotwork_bench'): Promise<ScratchDatabase> {
  installCleanupHandlers();
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${quoteIdentifier(name)}`);
  const drop = async () => {
    pendingDrops.delete(drop);
    await adminQuery(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  };
  pendingDrops.add(drop);
  return { name, url: urlFor(name), drop };
}
