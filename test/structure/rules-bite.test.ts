import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The rules are broken on purpose, once each, in a small tree written for the purpose: each break must be reported
 * under its rule's name, and the clean file beside them must not be. A rule that stopped matching (a renamed folder,
 * a regular expression gone wrong) would let the floor-plan test pass over anything; this test fails instead.
 */
const TREE: Record<string, string> = {
  'src/domain/words.ts': `export const word = 'knot';\n`,
  // ground-floor-stands-alone: the ground floor reaching up into a capability
  'src/domain/reaches-up.ts': `import { hold } from '../booking/booking-service.js';\nexport const x = hold;\n`,
  // engines-are-pure: a core importing the database library and an edge module of its capability
  'src/screening/engine/impure.ts': `import { sql } from 'kysely';\nimport { db } from '../screening-store.js';\nexport const y = [sql, db];\n`,
  // engines-use-no-node-io
  'src/screening/engine/reads-files.ts': `import { readFileSync } from 'node:fs';\nexport const z = readFileSync;\n`,
  // engine-order-scheduling: the lowest core importing a higher one
  'src/scheduling/engine/looks-up.ts': `import { rule } from '../../screening/engine/clean.js';\nexport const r = rule;\n`,
  'src/screening/engine/clean.ts': `import { word } from '../../domain/words.js';\nexport const rule = word;\n`,
  'src/screening/screening-store.ts': `export const db = 1;\n`,
  'src/screening/screening-tables.ts': `export interface ScreeningTables { booking_screenings: { id: string } }\n`,
  // tables-are-private and capability-order-booking: booking importing screening's tables (booking is lower)
  'src/booking/booking-service.ts': `import type { ScreeningTables } from '../screening/screening-tables.js';\nexport const hold = (t?: ScreeningTables) => t;\n`,
  // platform-knows-no-capability: db/ importing a capability
  'src/db/connection.ts': `import { hold } from '../booking/booking-service.js';\nexport const c = hold;\n`,
  // http-only-assembles and demo-on-top
  'src/http/app.ts': `export const app = 1;\n`,
  'src/demo/seed.ts': `export const seed = 1;\n`,
  'src/accounts/account-routes.ts': `import { app } from '../http/app.js';\nimport { seed } from '../demo/seed.js';\nexport const a = [app, seed];\n`,
  // no-circular
  'src/notify/ping.ts': `import { pong } from './pong.js';\nexport const ping = () => pong;\n`,
  'src/notify/pong.ts': `import { ping } from './ping.js';\nexport const pong = () => ping;\n`,
  // web-talks-http, web-features-apart, web-shared-below-features
  'web/src/features/search/search-page.ts': `import { hold } from '../../../../src/booking/booking-service.js';\nimport { word } from '../../../../src/domain/words.js';\nimport { other } from '../booking/booking-page.js';\nexport const s = [hold, word, other];\n`,
  'web/src/features/booking/booking-page.ts': `export const other = 1;\n`,
  'web/src/shared/button.ts': `import { other } from '../features/booking/booking-page.js';\nexport const b = other;\n`,
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
  }),
};

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'floor-plan-'));
  for (const [path, text] of Object.entries(TREE)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the floor-plan rules', () => {
  it('each report its own break, and leave the clean files alone', async () => {
    const { stdout } = await promisify(execFile)(
      join(ROOT, 'node_modules/.bin/depcruise'),
      ['src', 'web/src', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const violations = (
      JSON.parse(stdout) as { summary: { violations: { from: string; to: string; rule: { name: string } }[] } }
    ).summary.violations;
    const found = new Set(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`));
    const expected = [
      'ground-floor-stands-alone: src/domain/reaches-up.ts → src/booking/booking-service.ts',
      'engines-are-pure: src/screening/engine/impure.ts → src/screening/screening-store.ts',
      'engines-use-no-node-io: src/screening/engine/reads-files.ts → fs',
      'engine-order-scheduling: src/scheduling/engine/looks-up.ts → src/screening/engine/clean.ts',
      'tables-are-private: src/booking/booking-service.ts → src/screening/screening-tables.ts',
      'capability-order-booking: src/booking/booking-service.ts → src/screening/screening-tables.ts',
      'platform-knows-no-capability: src/db/connection.ts → src/booking/booking-service.ts',
      'http-only-assembles: src/accounts/account-routes.ts → src/http/app.ts',
      'demo-on-top: src/accounts/account-routes.ts → src/demo/seed.ts',
      'web-talks-http: web/src/features/search/search-page.ts → src/booking/booking-service.ts',
      'web-features-apart: web/src/features/search/search-page.ts → web/src/features/booking/booking-page.ts',
      'web-shared-below-features: web/src/shared/button.ts → web/src/features/booking/booking-page.ts',
    ];
    expect(
      expected.filter((v) => !found.has(v)),
      'breaks that no rule reported',
    ).toEqual([]);
    expect(
      violations.some(
        (v) => v.rule.name === 'engines-are-pure' && v.from === 'src/screening/engine/impure.ts' && /kysely/.test(v.to),
      ),
    ).toBe(true);
    expect(violations.some((v) => v.rule.name === 'no-circular' && v.from.startsWith('src/notify/'))).toBe(true);
    const clean = ['src/screening/engine/clean.ts', 'src/domain/words.ts', 'web/src/features/booking/booking-page.ts'];
    expect(
      violations.filter((v) => clean.includes(v.from)),
      'clean files reported',
    ).toEqual([]);
  }, 60_000);
});
