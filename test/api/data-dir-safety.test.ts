import { type ChildProcess, spawn } from 'node:child_process';
import fs, { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, pgliteVersion } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrate.js';
import { trimTemplate } from '../../src/db/durable-nodefs.js';
import { seedDemoData } from '../../src/demo/seed.js';
import { BACKEND, TEST_NOW } from '../support/test-app.js';

// The embedded database's data directory (KNOTWORK_DATA_DIR): PostgreSQL has none, so these run in the PGlite pass.
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function scratchDir() {
  const dir = mkdtempSync(join(tmpdir(), 'knotwork-datadir-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'data');
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A real Node process running `script` with tsx, as `npm start` does; killed (SIGKILL) after the test at the latest. */
function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, output: () => output, exited };
}

/** Opening a new data directory runs initdb and the migrations: seconds, minutes on a 2-core machine under load. */
async function untilOpen(holder: Run) {
  await expect.poll(() => holder.output(), { timeout: 240_000, interval: 200 }).toMatch(/^open$/m);
}

const holdDataDir = (dataDir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  run('test/support/hold-data-dir.ts', [dataDir, ...args], env);

describe.skipIf(BACKEND !== 'pglite')('one server per data directory', () => {
  it('refuses a second server, naming the process that holds the directory, and takes over after a kill -9', async () => {
    const dataDir = scratchDir();
    const first = holdDataDir(dataDir);
    await untilOpen(first);

    // A second `npm start` on the same directory stops at once, saying who has it.
    const second = run('src/main.ts', [], {
      KNOTWORK_DATA_DIR: dataDir,
      DEMO_DATA: '0',
      PORT: '0',
      LOG_LEVEL: 'silent',
    });
    expect(await second.exited).toEqual({ code: 1, signal: null });
    expect(second.output()).toContain(`Knotwork cannot start: The data directory`);
    expect(second.output()).toMatch(new RegExp(`in use by process ${first.child.pid} \\(.*hold-data-dir\\.ts.*\\)`));
    expect(second.output()).not.toContain('is ready');

    // The holder is killed (no chance to clean up): its lock is left behind, stale, and the next server takes it.
    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(`${dataDir}.lock`)).toBe(true);
    const third = holdDataDir(dataDir);
    await untilOpen(third);

    // A clean stop releases the directory.
    third.child.kill('SIGTERM');
    expect(await third.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  }, 600_000);

  it('refuses a second open in the same process too', async () => {
    const dataDir = scratchDir();
    const database = await openDatabase({ dataDir });
    cleanups.push(() => database.close());
    await expect(openDatabase({ dataDir })).rejects.toThrow(`in use by process ${process.pid}`);
  }, 300_000);
});

describe.skipIf(BACKEND !== 'pglite')('commits on the embedded database', () => {
  it('are synced to the disk (fsync) before they are acknowledged', async () => {
    const fsync = vi.spyOn(fs, 'fsyncSync');
    cleanups.push(() => fsync.mockRestore());
    const database = await openDatabase({ dataDir: scratchDir() });
    cleanups.push(() => database.close());
    await migrate(database);
    const setting = async (name: string) =>
      (await sql<{ value: string }>`SELECT current_setting(${name}) AS value`.execute(database.db)).rows[0]!.value;
    expect(await setting('fsync')).toBe('on');
    expect(await setting('wal_sync_method')).toBe('fsync');
    expect(await setting('full_page_writes')).toBe('on');
    expect(await setting('synchronous_commit')).toBe('on');

    for (const n of [1, 2, 3]) {
      const before = fsync.mock.calls.length;
      await database.db
        .insertInto('markets')
        .values({
          id: `sync-${n}`,
          name: 'Sync',
          time_zone: 'UTC',
          center_lat: 0,
          center_lng: 0,
          note_retention_years: 7,
        })
        .execute();
      expect(fsync.mock.calls.length - before).toBeGreaterThanOrEqual(1);
    }
    // A read commits nothing and syncs nothing.
    const before = fsync.mock.calls.length;
    await database.db.selectFrom('markets').selectAll().execute();
    expect(fsync.mock.calls.length).toBe(before);
  }, 300_000);
});

describe.skipIf(BACKEND !== 'pglite')('the first start', () => {
  it('seeds the whole demo or nothing: killed mid-seed, the next start seeds it whole', async () => {
    // What the demo is when nothing goes wrong (same instant, same seeds).
    const reference = await openDatabase({ memory: true });
    cleanups.push(() => reference.close());
    await migrate(reference);
    await seedDemoData(reference.db, TEST_NOW, { stepMin: 15, graceMinutes: 10 });
    const census = async (database: typeof reference) =>
      (
        await sql<{ users: number; bookings: number; therapists: number; notes: number }>`
          SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM bookings) AS bookings,
                 (SELECT count(*)::int FROM therapists) AS therapists,
                 (SELECT count(*)::int FROM session_notes) AS notes`.execute(database.db)
      ).rows[0]!;
    const whole = await census(reference);
    expect(whole.bookings).toBeGreaterThan(60);

    // First start: killed (SIGKILL) as the seed writes its 40th booking.
    const dataDir = scratchDir();
    const first = holdDataDir(dataDir, [String(TEST_NOW)], { KILL_AT_BOOKING: '40' });
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(first.output()).not.toMatch(/seeded|open/);

    // Second start: it finds nothing seeded and seeds the whole demo.
    const second = holdDataDir(dataDir, [String(TEST_NOW)]);
    await untilOpen(second);
    expect(second.output()).toMatch(/^seeded$/m);
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });

    const database = await openDatabase({ dataDir });
    cleanups.push(() => database.close());
    expect(await census(database)).toEqual(whole);
  }, 600_000);
});

describe.skipIf(BACKEND !== 'pglite')('a new data directory from the built template', () => {
  /** An empty migrated database, as scripts/build-server.ts writes to dist/pglite-template, stamped with `pglite`. */
  async function template(pglite: string) {
    const dir = scratchDir();
    const database = await openDatabase({ dataDir: dir });
    await migrate(database);
    await trimTemplate(database);
    await database.close();
    writeFileSync(`${dir}.json`, JSON.stringify({ pglite }));
    cleanups.push(() => rmSync(`${dir}.json`, { force: true }));
    return dir;
  }

  it('is a copy of it, migrated, synced, and a database that takes writes', async () => {
    const dir = await template(pgliteVersion());
    const sync = vi.spyOn(fs.promises, 'open');
    cleanups.push(() => sync.mockRestore());
    const dataDir = scratchDir();
    const database = await openDatabase({ dataDir }, { template: dir });
    cleanups.push(() => database.close());
    // Every file of the copy was opened to be synced (PG_VERSION last), and no migration is left to apply.
    expect(sync.mock.calls.map(([path]) => String(path)).at(-2)).toBe(join(dataDir, 'PG_VERSION'));
    expect(sync.mock.calls.length).toBeGreaterThan(100);
    // One database (postgres, base/5) and one WAL segment, copied with its unused tail as a hole.
    expect(fs.readdirSync(join(dataDir, 'base'))).toEqual(['5']);
    const segments = fs.readdirSync(join(dataDir, 'pg_wal')).filter((name) => /^[0-9A-F]{24}$/.test(name));
    expect(segments).toHaveLength(1);
    const segment = fs.statSync(join(dataDir, 'pg_wal', segments[0]!));
    expect(segment.size).toBe(16 * 1024 * 1024);
    expect(segment.blocks * 512).toBeLessThan(1024 * 1024);
    expect(await migrate(database)).toEqual([]);
    await seedDemoData(database.db, TEST_NOW, { stepMin: 15, graceMinutes: 10 });
    const { n } = await database.db
      .selectFrom('bookings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(n).toBeGreaterThan(60);
  }, 600_000);

  it('is not used when another PGlite wrote it: the directory is created and migrated as usual', async () => {
    const dir = await template('0.0.0-other');
    const database = await openDatabase({ dataDir: scratchDir() }, { template: dir });
    cleanups.push(() => database.close());
    expect((await migrate(database)).length).toBeGreaterThan(0);
  }, 600_000);
});
