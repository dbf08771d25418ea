import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import { BACKEND, freshDatabase } from '../support/test-app.js';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { intakeSchema } from '../../src/intake/engine/intake-schema.js';
import { loadIntake } from '../../src/intake/intake-store.js';
import { screen } from '../../src/screening/engine/screening-engine.js';

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

describe(`migration 0012 (a wrist of its own) on ${BACKEND}`, () => {
  it('reads an intake saved when "hand" meant "Hand and wrist" as marking the hand and the wrist', async () => {
    const before = loadMigrations().filter((m) => m.version < '0012');
    const { database, drop } = await freshDatabase({ migrations: before });
    cleanups.push(drop);
    const client = await database.db
      .insertInto('users')
      .values({ email: 'old-intake@example.test', password_hash: 'x', role: 'client', display_name: 'Old intake' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const old = deskWorkerIntake({
      bodyMap: [
        { region: 'hand.left', tightness: 3, pain: 6, note: 'Aches after typing' },
        { region: 'low_back.left', tightness: 6, pain: 5 },
      ],
      injuries: [{ kind: 'fracture', regions: ['forearm.right', 'hand.right'], date: '2026-11-20' }],
      conditions: {
        openWounds: { regions: ['hand.left'] },
        rheumatoidArthritis: { flare: false, joints: ['hand.left', 'hand.right'] },
      },
      pressure: { preference: 3, avoidRegions: ['hand.right', 'feet.left'] },
    });
    const untouched = deskWorkerIntake({ pressure: { preference: 2, avoidRegions: ['feet.left'] } });
    await database.db
      .insertInto('intake_versions')
      .values([
        { client_id: client.id, version: 1, data: JSON.stringify(untouched), created_at: new Date(0) },
        { client_id: client.id, version: 2, data: JSON.stringify(old), created_at: new Date(0) },
      ])
      .execute();

    // 0012 first; later migrations follow it.
    expect((await migrate(database))[0]).toBe('0012_body_map_wrist');

    const intake = (await loadIntake(database.db, client.id))!.intake;
    expect(intakeSchema.safeParse(intake).success).toBe(true);
    expect(intake.bodyMap).toEqual([
      { region: 'hand.left', tightness: 3, pain: 6, note: 'Aches after typing' },
      { region: 'wrist.left', tightness: 3, pain: 6, note: 'Aches after typing' },
      { region: 'low_back.left', tightness: 6, pain: 5 },
    ]);
    expect(intake.injuries[0]!.regions).toEqual(['forearm.right', 'hand.right', 'wrist.right']);
    expect(intake.conditions.openWounds!.regions).toEqual(['hand.left', 'wrist.left']);
    expect(intake.conditions.rheumatoidArthritis!.joints).toEqual([
      'hand.left',
      'wrist.left',
      'hand.right',
      'wrist.right',
    ]);
    expect(intake.pressure.avoidRegions).toEqual(['hand.right', 'wrist.right', 'feet.left']);
    expect((await loadIntake(database.db, client.id, 1))!.intake).toEqual(untouched);

    // What the wrist is now: the fracture marked on "Hand and wrist" keeps the wrist out of the session.
    const decision = screen(intake, { date: '2026-11-24', regions: ['wrist.right', 'hand.left'], pressure: 4 });
    const wrist = decision.restrictions.find((r) => r.region === 'wrist.right');
    expect(wrist).toMatchObject({ excluded: true });
    expect(decision.outcome).toBe('not_today');
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
      .values({
        id: 'disk-test',
        name: 'Disk',
        time_zone: 'UTC',
        center_lat: 0,
        center_lng: 0,
        note_retention_years: 7,
      })
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
