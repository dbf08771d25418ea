/**
 * Runs every benchmark in sequence, each in its own Node process (`node --import tsx bench/<name>.bench.ts`),
 * forwarding its output, then writes bench/results/SUMMARY.md from the JSON results.
 *
 *   npm run bench                         # all of them (needs PostgreSQL, see bench/README.md)
 *   npx tsx bench/run.ts slot contended   # only those whose file name contains one of the words
 *
 * Exits non-zero when a benchmark crashed (a missed target is reported, not a crash).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchOutcome, machine } from './lib/record.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = join(benchDir, '..');
const resultsDir = join(benchDir, 'results');

/** The slot engine first (pure CPU, seconds), then the PostgreSQL benches; any other *.bench.ts after them. */
const ORDER = ['slot-engine', 'availability-search', 'contended-booking', 'booking-throughput'];

type Result = BenchOutcome & { date: string; machine: ReturnType<typeof machine> };

interface Run {
  name: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
}

function benchNames(filters: string[]): string[] {
  const found = readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.slice(0, -'.bench.ts'.length));
  const ordered = [...ORDER.filter((n) => found.includes(n)), ...found.filter((n) => !ORDER.includes(n)).sort()];
  return filters.length === 0 ? ordered : ordered.filter((n) => filters.some((f) => n.includes(f)));
}

let current: ReturnType<typeof spawn> | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // The child is in our process group and gets Ctrl-C itself; give it time to drop its scratch database.
    if (current) current.kill(signal);
    setTimeout(() => process.exit(130), 15_000).unref();
  });
}

function runBench(name: string): Promise<Run> {
  const started = performance.now();
  console.log(`\n=== ${name} ${'='.repeat(Math.max(0, 70 - name.length))}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(benchDir, `${name}.bench.ts`)], {
      cwd: repoDir,
      stdio: 'inherit',
    });
    current = child;
    child.on('error', (error) => {
      console.error(`could not start ${name}: ${error.message}`);
      resolve({ name, exitCode: 1, signal: null, seconds: (performance.now() - started) / 1000 });
    });
    child.on('exit', (exitCode, signal) => {
      current = undefined;
      resolve({ name, exitCode, signal, seconds: (performance.now() - started) / 1000 });
    });
  });
}

function readResults(): Result[] {
  if (!existsSync(resultsDir)) return [];
  return readdirSync(resultsDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as Result)
    .sort((a, b) => {
      const rank = (n: string) => (ORDER.includes(n) ? ORDER.indexOf(n) : ORDER.length);
      return rank(a.name) - rank(b.name) || a.name.localeCompare(b.name);
    });
}

const cell = (value: unknown) => String(value).replaceAll('|', '\\|');

function summary(results: Result[], runs: Run[], runStarted: Date): string {
  const m = machine();
  const lines = [
    '# Benchmark summary',
    '',
    `Generated ${new Date().toISOString()} by \`bench/run.ts\` from \`bench/results/*.json\`.`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node} (host ${m.hostname}).`,
    'The load generators, the app and PostgreSQL share this machine; see each JSON file for notes and all metrics.',
    '',
  ];
  if (runs.length > 0) {
    lines.push('## This run', '', '| Benchmark | Outcome | Seconds |', '|---|---|---|');
    for (const r of runs) {
      const outcome = r.exitCode === 0 ? 'ok' : r.signal ? `killed (${r.signal})` : `crashed (exit ${r.exitCode})`;
      lines.push(`| ${r.name} | ${outcome} | ${r.seconds.toFixed(0)} |`);
    }
    lines.push('');
  }
  lines.push('## Targets', '', '| Benchmark | Metric | Value | Target | Met | Measured |', '|---|---|---|---|---|---|');
  for (const result of results) {
    const stale = new Date(result.date) < runStarted && runs.length > 0 ? ' (earlier run)' : '';
    for (const t of result.targets) {
      lines.push(
        `| ${cell(result.name)} | ${cell(t.metric)} | ${cell(t.value)} ${cell(t.unit)} | <= ${cell(t.max)} ${cell(t.unit)} | ${t.met ? 'yes' : '**no**'} | ${result.date}${stale} |`,
      );
    }
  }
  const untargeted = results.filter((r) => r.targets.length === 0);
  if (untargeted.length > 0) {
    lines.push(
      '',
      '## Reported without a target',
      '',
      '| Benchmark | Metric | Value | Measured |',
      '|---|---|---|---|',
    );
    for (const result of untargeted) {
      const stale = new Date(result.date) < runStarted && runs.length > 0 ? ' (earlier run)' : '';
      for (const [metric, value] of Object.entries(result.metrics))
        lines.push(`| ${cell(result.name)} | ${cell(metric)} | ${cell(value)} | ${result.date}${stale} |`);
    }
  }
  const differentMachines = results.filter((r) => r.machine.hostname !== m.hostname || r.machine.cores !== m.cores);
  if (differentMachines.length > 0) {
    lines.push(
      '',
      `Measured on another machine: ${differentMachines.map((r) => `${r.name} (${r.machine.cpuModel}, ${r.machine.cores} cores, ${r.machine.hostname})`).join(', ')}.`,
    );
  }
  if (existsSync(join(resultsDir, 'COMPARISONS.md')))
    lines.push(
      '',
      'Before-and-after comparisons of each change, with their baselines, are kept by hand in [COMPARISONS.md](COMPARISONS.md).',
    );
  return `${lines.join('\n')}\n`;
}

const runStarted = new Date();
// `--summary`: rewrite SUMMARY.md from the recorded results without running anything.
const summaryOnly = process.argv.includes('--summary');
const names = summaryOnly ? [] : benchNames(process.argv.slice(2));
if (names.length === 0 && !summaryOnly) {
  console.error(`no benchmark matches ${process.argv.slice(2).join(' ')}`);
  process.exit(2);
}
const runs: Run[] = [];
for (const name of names) runs.push(await runBench(name));

const results = readResults();
writeFileSync(join(resultsDir, 'SUMMARY.md'), summary(results, runs, runStarted));
console.log(`\n=== summary ${'='.repeat(62)}`);
for (const r of runs)
  console.log(`  ${r.exitCode === 0 ? 'ok     ' : 'CRASHED'} ${r.name} (${r.seconds.toFixed(0)} s)`);
const missed = results.flatMap((r) =>
  r.targets.filter((t) => !t.met).map((t) => `${r.name}.${t.metric} = ${t.value} ${t.unit} (target <= ${t.max})`),
);
for (const m of missed) console.log(`  missed  ${m}`);
console.log(`  wrote ${join('bench', 'results', 'SUMMARY.md')}`);
process.exit(runs.some((r) => r.exitCode !== 0) ? 1 : 0);
