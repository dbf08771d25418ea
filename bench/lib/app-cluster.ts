/**
 * The real app as `npm start` would run it on several cores: a node:cluster primary that forks BENCH_WORKERS
 * workers, each running bench/lib/app-server.ts (buildApp on PostgreSQL), all listening on one port (the primary
 * accepts the connections and hands them out round-robin, Node's default on Linux). Started by startAppServer()
 * with `workers` > 1; talks to the parent as app-server.ts does: { url } once every worker listens, 'stats' summed
 * over the workers plus the primary's own CPU, 'stop' closes every worker.
 */
import cluster, { type Worker } from 'node:cluster';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerStats } from './app-process.js';

const workers = Number(process.env.BENCH_WORKERS);
if (!Number.isInteger(workers) || workers < 2) throw new Error('app-cluster needs BENCH_WORKERS >= 2');

cluster.setupPrimary({
  exec: join(dirname(fileURLToPath(import.meta.url)), 'app-server.ts'),
  execArgv: ['--import', 'tsx'],
});

const forked: Worker[] = [];
const urls = await Promise.all(
  Array.from({ length: workers }, () => {
    const worker = cluster.fork();
    forked.push(worker);
    return new Promise<string>((resolve, reject) => {
      const onMessage = (message: { url?: string }) => {
        if (message.url) {
          worker.off('message', onMessage);
          worker.off('exit', onExit);
          resolve(message.url);
        }
      };
      const onExit = (code: number) => reject(new Error(`worker exited with ${code} before listening`));
      worker.on('message', onMessage);
      worker.once('exit', onExit);
    });
  }),
);
// Workers that listen on port 0 are given the same port by the primary: one address for all.
if (new Set(urls).size !== 1) throw new Error(`workers listen on different addresses: ${urls.join(', ')}`);

function askStats(worker: Worker) {
  return new Promise<ServerStats>((resolve) => {
    const onMessage = (message: { stats?: ServerStats }) => {
      if (message.stats) {
        worker.off('message', onMessage);
        resolve(message.stats);
      }
    };
    worker.on('message', onMessage);
    worker.send('stats');
  });
}

process.on('message', (message: unknown) => {
  if (message === 'stats') {
    void Promise.all(forked.map(askStats)).then((each) => {
      const own = process.cpuUsage();
      const sum = (pick: (s: ServerStats) => number) => each.reduce((total, s) => total + pick(s), 0);
      process.send!({
        stats: {
          cpuUserMs: sum((s) => s.cpuUserMs) + own.user / 1000,
          cpuSystemMs: sum((s) => s.cpuSystemMs) + own.system / 1000,
          rssMiB: sum((s) => s.rssMiB) + process.memoryUsage().rss / 2 ** 20,
          queries: sum((s) => s.queries),
        } satisfies ServerStats,
      });
    });
  } else if (message === 'stop') {
    void Promise.all(
      forked.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            worker.send('stop');
          }),
      ),
    ).then(() => process.exit(0));
  }
});
process.on('disconnect', () => {
  for (const worker of forked) worker.process.kill('SIGKILL');
  process.exit(0);
});
process.send!({ url: urls[0], workers });
