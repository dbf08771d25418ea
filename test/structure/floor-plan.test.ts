import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** dependency-cruiser over the server and the web app with the repository's rules (.dependency-cruiser.cjs). */
async function cruise(): Promise<Violation[]> {
  const { stdout } = await promisify(execFile)(
    resolve(ROOT, 'node_modules/.bin/depcruise'),
    ['src', 'web/src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const result = JSON.parse(stdout) as { summary: { violations: Violation[] } };
  return result.summary.violations;
}

const key = (v: Violation) => `${v.rule.name}: ${v.from} → ${v.to}`;

describe('the floor plan', () => {
  it('holds: no import breaks a layer rule (.dependency-cruiser.cjs; test/structure/rules-bite.test.ts shows each rule bites)', async () => {
    expect((await cruise()).map(key)).toEqual([]);
  }, 120_000);
});
