import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_DIR } from '../config.js';
import type { Database } from './connection.js';

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

/** src/db/migrations, or its copy beside the built server (dist/db/migrations). */
const migrationsDir = join(CODE_DIR, 'db', 'migrations');
/** Any constant works; it only has to be the same for every Knotwork instance sharing a database. */
const MIGRATION_LOCK_KEY = 7_318_204;

export function loadMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return {
        version: file.slice(0, 4),
        name: file.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock so that several
 * instances starting together apply each migration once. Applied migrations are recorded with a checksum: an
 * edited migration is an error, never silently skipped or re-run.
 */
export async function migrate(database: Database, migrations = loadMigrations()): Promise<string[]> {
  return database.session(async (run) => {
    await run(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await run(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version text PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const applied = new Map(
        (await run('SELECT version, checksum FROM schema_migrations')).map((row) => [
          String(row.version),
          String(row.checksum),
        ]),
      );
      const newlyApplied: string[] = [];
      for (const migration of migrations) {
        const recorded = applied.get(migration.version);
        if (recorded !== undefined) {
          if (recorded !== migration.checksum) {
            throw new Error(
              `Migration ${migration.version}_${migration.name} was edited after it was applied; add a new migration instead.`,
            );
          }
          continue;
        }
        try {
          await run(
            `BEGIN;\n${migration.sql}\n;INSERT INTO schema_migrations (version, name, checksum) VALUES ('${migration.version}', '${migration.name}', '${migration.checksum}');\nCOMMIT;`,
          );
        } catch (error) {
          await run('ROLLBACK').catch(() => {});
          throw new Error(`Migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`, {
            cause: error,
          });
        }
        newlyApplied.push(`${migration.version}_${migration.name}`);
      }
      return newlyApplied;
    } finally {
      await run(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  });
}
