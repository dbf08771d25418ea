import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const HOW_TO_FIX = 'see "Lint and format" in docs/ARCHITECTURE.md';

/** Runs a tool from node_modules/.bin in the repository; returns its exit code and what it printed. */
async function run(tool: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(resolve(ROOT, 'node_modules/.bin', tool), args, {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    };
  }
}

// The tools read files, not the database: they run in the PGlite pass only, like the browser tests.
describe.skipIf(process.env.DATABASE_URL)('lint and format (npm run lint)', () => {
  it('ESLint finds nothing', async () => {
    const { code, output } = await run('eslint', ['--max-warnings', '0', '.']);
    expect(code, `ESLint's findings (${HOW_TO_FIX}):\n${output}`).toBe(0);
  }, 900_000);

  it('knip finds no unused file, dependency or export', async () => {
    const { code, output } = await run('knip', ['--no-progress']);
    expect(code, `knip's findings (${HOW_TO_FIX}):\n${output}`).toBe(0);
  }, 300_000);

  it('every file is formatted as Prettier writes it', async () => {
    const { code, output } = await run('prettier', ['--check', '.']);
    expect(code, `Files to format with \`npm run format\`:\n${output}`).toBe(0);
  }, 300_000);
});
