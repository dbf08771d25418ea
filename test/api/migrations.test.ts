import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import { BACKEND, freshDatabase } from '../support/test-app.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe(`migrations on ${BACKEND}`, () => {
  it('apply once; running them again, even concurrently, changes nothing', async () => {
    const { database, drop } = await freshDatabase();
    cleanups.push(drop);
    const versions = async () =>
      (
        await sql<{ version: string }>`SELECT version FROM schema_migrations ORDER BY version`.execute(database.db)
      ).rows.map((r) => r.version);
    const first = await versions();
    expect(first).toEqual(loadMigrations().map((m) => m.version));
    expect(await migrate(database)).toEqual([]);
    await Promise.all([migrate(database), migrate(database)]);
    expect(await versions()).toEqual(first);
  });

  it('refuse to run when an applied migration was edited', async () => {
    const { database, drop } = await freshDatabase();
    cleanups.push(drop);
    const edited = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'tampered' } : m));
    await expect(migrate(database, edited)).rejects.toThrow(/was edited after it was applied/);
  });

  it('roll back a failing migration completely', async () => {
    const { database, drop } = await freshDatabase();
    cleanups.push(drop);
    const dir = mkdtempSync(join(tmpdir(), 'knotwork-migrations-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(
      join(dir, '9001_half_written.sql'),
      'CREATE TABLE half_written (id int);\nSELECT no_such_function();',
    );
    await expect(migrate(database, [...loadMigrations(), ...loadMigrations(dir)])).rejects.toThrow(
      /9001_half_written failed/,
    );
    const table = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'half_written'`.execute(database.db);
    expect(table.rows[0]!.n).toBe(0);
  });
});

describe('the embedded database on disk', () => {
  it('keeps data across restarts in its data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'knotwork-pglite-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    mkdirSync(dataDir, { recursive: true });
    const first = await openDatabase({ dataDir });
    await migrate(first);
    await first.db
      .insertInto('markets')
      .values({ id: 'disk-test', name: 'Disk', time_zone: 'UTC', center_lat: 0, center_lng: 0 })
      .execute();
    await first.close();
    const second = await openDatabase({ dataDir });
    expect(await migrate(second)).toEqual([]);
    const market = await second.db
      .selectFrom('markets')
      .select('name')
      .where('id', '=', 'disk-test')
      .executeTakeFirst();
    expect(market).toEqual({ name: 'Disk' });
    await second.close();
  });
});
