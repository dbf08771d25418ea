import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export interface BenchTarget {
  metric: string;
  /** Upper bound the measured value must stay at or under. */
  max: number;
  unit: string;
}

export interface BenchOutcome {
  name: string;
  metrics: Record<string, number | string>;
  targets: (BenchTarget & { value: number; met: boolean })[];
  notes?: string[];
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    hostname: os.hostname(),
  };
}

export function checkTarget(target: BenchTarget, value: number) {
  return { ...target, value, met: value <= target.max };
}

/** Writes bench/results/<name>.json with the date and the machine, and prints a one-line summary per target. */
export function record(outcome: BenchOutcome): void {
  mkdirSync(resultsDir, { recursive: true });
  const doc = { date: new Date().toISOString(), machine: machine(), ...outcome };
  writeFileSync(join(resultsDir, `${outcome.name}.json`), `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`\n# ${outcome.name}`);
  for (const [k, v] of Object.entries(outcome.metrics)) console.log(`  ${k}: ${v}`);
  for (const t of outcome.targets) {
    console.log(`  ${t.met ? 'MET ' : 'MISS'} ${t.metric} = ${t.value} ${t.unit} (target <= ${t.max} ${t.unit})`);
  }
}
