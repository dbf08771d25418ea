import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrate.js';
import { BACKEND, freshDatabase } from './test-app.js';

/**
 * A database that outlives the app using it, for restart tests: a PGlite data directory on disk, or a PostgreSQL
 * database that is reopened by URL. `open` starts a new "process life" on it; `remove` deletes it.
 */
export async function durableDatabase(): Promise<{ open(): Promise<Database>; remove(): Promise<void> }> {
  if (BACKEND === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'knotwork-restart-'));
    return {
      open: async () => {
        const database = await openDatabase({ dataDir });
        await migrate(database);
        return database;
      },
      remove: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const scratch = await freshDatabase();
  await scratch.database.close();
  return {
    open: async () => openDatabase({ url: scratch.url! }, { poolSize: 3 }),
    remove: async () => {
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${new URL(scratch.url!).pathname.slice(1)} WITH (FORCE)`);
      await admin.end();
    },
  };
}
