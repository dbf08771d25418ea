import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serverScript = join(dirname(fileURLToPath(import.meta.url)), 'app-server.ts');
const clusterScript = join(dirname(fileURLToPath(import.meta.url)), 'app-cluster.ts');

export interface ServerStats {
  cpuUserMs: number;
  cpuSystemMs: number;
  rssMiB: number;
  /** SQL statements the app has sent so far. */
  queries: number;
}

export interface AppProcess {
  url: string;
  pid: number;
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
}

/**
 * Starts bench/lib/app-server.ts (the real app) against `databaseUrl` with a pg pool of `poolSize`; with `workers`
 * above 1, bench/lib/app-cluster.ts instead: a node:cluster primary with that many app-server workers on one port,
 * each with a pool of `poolSize` (its stats are the workers' summed, plus the primary's CPU).
 */
export async function startAppServer(
  databaseUrl: string,
  poolSize: number,
  env: Record<string, string> = {},
  workers = 1,
): Promise<AppProcess> {
  const child: ChildProcess = fork(workers > 1 ? clusterScript : serverScript, [], {
    // BENCH_CPU_PROF_DIR=dir writes a V8 CPU profile of the server there when it stops (for diagnosis).
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : []),
    ],
    env: {
      ...process.env,
      ...env,
      DATABASE_URL: databaseUrl,
      DB_POOL_SIZE: String(poolSize),
      LOG_LEVEL: 'silent',
      DEMO_DATA: '0',
      ...(workers > 1 ? { BENCH_WORKERS: String(workers) } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const url = await new Promise<string>((resolve, reject) => {
    const onMessage = (message: { url?: string }) => {
      if (message.url) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message.url);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`app server exited with ${code} before listening`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
  return {
    url,
    pid: child.pid!,
    stats: () =>
      new Promise<ServerStats>((resolve) => {
        const onMessage = (message: { stats?: ServerStats }) => {
          if (message.stats) {
            child.off('message', onMessage);
            resolve(message.stats);
          }
        };
        child.on('message', onMessage);
        child.send('stats');
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          process.off('exit', killOnExit);
          resolve();
        });
        child.send('stop');
      }),
  };
}
