import os from 'node:os';

/** The 1-minute load average, rounded: how busy the machine was (other engineers' test runs count too). */
export function loadAverage(): number {
  return Math.round(os.loadavg()[0]! * 100) / 100;
}

function cpuTimes() {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, irq, idle } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busy, total };
}

/** Share of all cores busy over the next `ms` (0..1), whoever uses them. */
export async function busyShare(ms = 2_000): Promise<number> {
  const a = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = cpuTimes();
  return b.total === a.total ? 0 : (b.busy - a.busy) / (b.total - a.total);
}

/**
 * Call while this bench is idle: waits (up to `maxWaitMs`) until the cores are less than `threshold` busy over
 * 2 s, so a measurement does not start in the middle of somebody else's test run. Returns the busy share it
 * started at (0..1, rounded). BENCH_NO_WAIT=1 skips the wait.
 */
export async function waitForQuietMachine(threshold = 0.25, maxWaitMs = 120_000): Promise<number> {
  const started = Date.now();
  let share = await busyShare();
  if (process.env.BENCH_NO_WAIT === '1') return Math.round(share * 100) / 100;
  let announced = false;
  while (share >= threshold && Date.now() - started < maxWaitMs) {
    if (!announced) {
      console.log(
        `machine busy (${Math.round(share * 100)}% of ${os.cpus().length} cores); waiting up to ${maxWaitMs / 1000} s for it to quieten`,
      );
      announced = true;
    }
    share = await busyShare();
  }
  if (announced) console.log(`starting with the machine ${Math.round(share * 100)}% busy`);
  return Math.round(share * 100) / 100;
}
