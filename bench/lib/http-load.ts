/**
 * A small closed-loop HTTP load generator on node:http with a keep-alive agent: `concurrency` workers, each
 * sending its next request as soon as the previous answer is read. Latency is measured from sending the
 * request to having read the whole body.
 */
import http from 'node:http';

export interface HttpCall {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface HttpAnswer {
  /** 0 when the request failed below HTTP (connection refused or reset, timeout). */
  status: number;
  body: string;
  ms: number;
  error?: string;
}

export class HttpClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(
    baseUrl: string,
    maxSockets: number,
    private readonly timeoutMs = 60_000,
  ) {
    this.base = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  send(call: HttpCall): Promise<HttpAnswer> {
    const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
    const headers: Record<string, string> = { ...call.headers };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const started = performance.now();
    return new Promise((resolve) => {
      const request = http.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method: call.method ?? 'GET',
          path: call.path,
          headers,
          agent: this.agent,
          timeout: this.timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              ms: performance.now() - started,
            }),
          );
          response.on('error', (error) =>
            resolve({ status: 0, body: '', ms: performance.now() - started, error: error.message }),
          );
        },
      );
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', (error) =>
        resolve({ status: 0, body: '', ms: performance.now() - started, error: error.message }),
      );
      request.end(payload);
    });
  }

  close() {
    this.agent.destroy();
  }
}

/** Runs task(0..count-1) with at most `concurrency` in flight; returns the results in index order. */
export async function runClosedLoop<T>(count: number, concurrency: number, task: (i: number) => Promise<T>) {
  const results = new Array<T>(count);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { results, wallMs: performance.now() - started };
}

/** Like runClosedLoop, but for `durationMs`: workers stop taking new tasks once the time is up. */
export async function runForDuration<T>(durationMs: number, concurrency: number, task: (i: number) => Promise<T>) {
  const results: T[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() - started < durationMs) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { results: results.filter((r) => r !== undefined), wallMs: performance.now() - started };
}

/**
 * Open loop: task i is due at start + i / ratePerSecond whatever happened to earlier ones, with at most
 * `maxInFlight` outstanding (more wait for a free slot). `lateMs` is how long after its due time each task
 * started, to be added to its latency so that queueing in the generator is not hidden (coordinated omission).
 */
export async function runOpenLoop<T>(
  count: number,
  ratePerSecond: number,
  maxInFlight: number,
  task: (i: number) => Promise<T>,
) {
  const results = new Array<{ value: T; lateMs: number }>(count);
  const started = performance.now();
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const runs: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight >= maxInFlight) await new Promise<void>((resolve) => waiting.push(resolve));
    inFlight++;
    const lateMs = Math.max(0, performance.now() - due);
    runs.push(
      task(i).then((value) => {
        results[i] = { value, lateMs };
        inFlight--;
        waiting.shift()?.();
      }),
    );
  }
  await Promise.all(runs);
  return { results, wallMs: performance.now() - started };
}

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const round = (value: number, digits = 1) => Number(value.toFixed(digits));

export function summarise(latencies: readonly number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return {
    count: sorted.length,
    meanMs: round(mean),
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? NaN),
  };
}
