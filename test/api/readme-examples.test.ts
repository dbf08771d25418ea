import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/demo/seed.js';
import { todayIn } from '../../src/therapists/today.js';
import { TEST_NOW, type TestApp, startTestApp } from '../support/test-app.js';

const ROOT = resolve(import.meta.dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SCRIPTS: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;

/** The README's ```sh blocks, in order. */
const shellBlocks = (markdown: string) => [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);

/** Each curl run reports its answer on stderr, whatever the command does with the body. */
const REPORTING_CURL = `curl() { command curl --write-out '%{stderr}README-CURL %{http_code} %{method} %{url_effective}\\n' "$@"; }`;

/**
 * `date` as of the test's clock: what the README computes with `date -d tomorrow` and the like counts from
 * README_NOW, not from the wall clock (GNU date reads "<instant> tomorrow" as the day after that instant).
 */
const dateShim = (realDate: string) => `#!/bin/bash
when=''
args=()
while [ $# -gt 0 ]; do
  case $1 in
    -d | --date) when=$2; shift 2 ;;
    --date=*) when=\${1#--date=}; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
exec ${realDate} -d "$README_NOW $when" "\${args[@]}"
`;

function onPath(command: string): string {
  const found = (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, command))
    .find((path) => existsSync(path));
  if (!found) throw new Error(`${command} is not installed; the README's examples need it`);
  return found;
}

describe('the README’s command examples', () => {
  let t: TestApp;
  let port: number;
  let workDir: string;

  beforeAll(async () => {
    t = await startTestApp({ now: TEST_NOW });
    await seedDemoData(t.database.db, t.clock.now(), {
      stepMin: t.config.slotStepMin,
      graceMinutes: t.config.graceMinutes,
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
    workDir = mkdtempSync(join(tmpdir(), 'knotwork-readme-'));
    writeFileSync(join(workDir, 'date'), dateShim(onPath('date')));
    chmodSync(join(workDir, 'date'), 0o755);
  });
  afterAll(async () => {
    await t?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('names only npm scripts that exist', () => {
    const named = [...README.matchAll(/\bnpm (?:run )?([a-z][\w:-]*)/g)].map((m) => m[1]!);
    expect(named).toContain('test');
    const builtIn = new Set(['ci', 'install']);
    expect(named.filter((name) => !builtIn.has(name) && !(name in SCRIPTS))).toEqual([]);
  });

  it('runs every curl example, in order in one shell as a reader would paste them, against a server with the demo data, each answered 2xx', async () => {
    const blocks = shellBlocks(README).filter((block) => /\bcurl -/.test(block));
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const commands = blocks.join('\n').match(/\bcurl -/g)!.length;
    const script = ['set -euo pipefail', REPORTING_CURL, ...blocks]
      .join('\n')
      .replaceAll('localhost:3000', `127.0.0.1:${port}`);
    const env = {
      PATH: `${workDir}${delimiter}${process.env.PATH}`,
      HOME: workDir,
      TZ: 'America/New_York',
      README_NOW: new Date(t.clock.now()).toISOString(),
    };
    const run = await promisify(execFile)('bash', ['-c', script], {
      cwd: workDir,
      env,
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout: string; stderr: string; code: number }) => error);
    const answers = run.stderr.split('\n').filter((line) => line.startsWith('README-CURL '));
    const context = `stdout:\n${run.stdout.slice(-4000)}\nstderr:\n${run.stderr.slice(-4000)}`;
    expect(answers, context).toHaveLength(commands);
    expect(
      answers.filter((line) => !/^README-CURL 2\d\d /.test(line)),
      context,
    ).toEqual([]);
    // The searches' dates are relative, computed by the shell on the test's clock (not the wall clock): days to come.
    const today = todayIn('America/New_York', t.clock.now());
    const fortnight = todayIn('America/New_York', t.clock.now() + 14 * 86_400_000);
    const dates = answers.flatMap((line) =>
      [...line.matchAll(/[?&](?:from|to)=(\d{4}-\d{2}-\d{2})/g)].map((m) => m[1]!),
    );
    expect(dates.length).toBeGreaterThan(0);
    expect(dates.filter((date) => date < today || date > fortnight)).toEqual([]);
  });
});
