/**
 * Start-up and memory benchmark: `npx tsx bench/startup.bench.ts`.
 *
 * Runs the README's run command (`npm start`) on PGlite in a fresh data directory, as a user would, and times it
 * from spawn to the "Knotwork is ready" line: first on an empty directory (the embedded database is created,
 * migrated and filled with the demo market) and then again on the same directory (a restart). The web app is
 * built beforehand so the build is not counted (it happens once per change of the sources). While the restarted
 * server runs, it is loaded with searches and sign-ins for 20 s and its resident memory is read from its own
 * /metrics (process_resident_memory_bytes) every half second. Targets: ready <= 6 s; RSS <= 300 MB under load.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient, round, runForDuration } from './lib/http-load.js';
import { loadAverage, waitForQuietMachine } from './lib/machine-load.js';
import { checkTarget, record } from './lib/record.js';

const ROOT = join(import.meta.dirname, '..');
const LOAD_SECONDS = 20;

interface Started {
  child: ChildProcess;
  url: string;
  seconds: number;
}

function startKnotwork(dataDir: string): Promise<Started> {
  const started = performance.now();
  // The embedded database, whatever the caller's environment says.
  const { DATABASE_URL: _postgres, ...env } = process.env;
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { ...env, KNOTWORK_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /Knotwork is ready at (http:\/\/\S+)/.exec(output);
      if (ready) resolve({ child, url: ready[1]!, seconds: (performance.now() - started) / 1000 });
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code} before it was ready:\n${output}`)));
  });
}

async function stopKnotwork(started: Started) {
  const exited = new Promise((resolve) => started.child.once('exit', resolve));
  process.kill(-started.child.pid!, 'SIGTERM');
  await exited;
}

async function residentMiB(http: HttpClient): Promise<number> {
  const metrics = await http.send({ method: 'GET', path: '/metrics' });
  const match = /^process_resident_memory_bytes (\d+)/m.exec(metrics.body);
  return match ? Number(match[1]) / 2 ** 20 : Number.NaN;
}

execFileSync('npx', ['tsx', 'scripts/build-web.ts'], { cwd: ROOT, stdio: 'inherit' });
const dataDir = mkdtempSync(join(tmpdir(), 'knotwork-startup-'));
try {
  const busyBefore = await waitForQuietMachine();
  const first = await startKnotwork(dataDir);
  await stopKnotwork(first);
  const restart = await startKnotwork(dataDir);

  const http = new HttpClient(restart.url, 20);
  const today = new Date();
  const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const rss: number[] = [await residentMiB(http)];
  const sampler = setInterval(() => {
    residentMiB(http).then(
      (value) => rss.push(value),
      () => {},
    );
  }, 500);
  let requests = 0;
  let failures = 0;
  await runForDuration(LOAD_SECONDS * 1000, 20, async (i) => {
    const mode = i % 2 === 0 ? 'studio' : 'home';
    const answer = await http.send({
      method: 'GET',
      path: `/api/availability?durationMin=60&from=${day(1)}&to=${day(3)}&zone=America/New_York&mode=${mode}&lat=${40.7 + (i % 10) * 0.01}&lng=${-73.98 + (i % 7) * 0.01}&radiusKm=5`,
    });
    requests++;
    if (answer.status !== 200) failures++;
  });
  clearInterval(sampler);
  rss.push(await residentMiB(http));
  await stopKnotwork(restart);

  const peakRss = round(Math.max(...rss));
  record({
    name: 'startup',
    metrics: {
      firstStartSeconds: round(first.seconds, 2),
      restartSeconds: round(restart.seconds, 2),
      rssIdleMiB: round(rss[0]!),
      rssPeakUnderLoadMiB: peakRss,
      loadRequests: requests,
      loadFailures: failures,
      machineBusyShareBefore: busyBefore,
      loadAverageAfter: loadAverage(),
    },
    targets: [
      checkTarget({ metric: 'firstStartSeconds', max: 6, unit: 's' }, round(first.seconds, 2)),
      checkTarget({ metric: 'restartSeconds', max: 6, unit: 's' }, round(restart.seconds, 2)),
      checkTarget({ metric: 'rssPeakUnderLoadMiB', max: 300, unit: 'MiB' }, peakRss),
    ],
    notes: [
      '`npm start` on PGlite in a fresh data directory: the first start creates the database, migrates it and seeds the demo market (64 approved therapists, bookings, intakes); the restart reuses it.',
      'The web app was built beforehand; a build happens only when its sources change.',
      `Under load: ${LOAD_SECONDS} s of availability searches from 20 connections against the restarted server; RSS read from its /metrics.`,
    ],
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
