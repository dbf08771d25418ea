import { readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';

/** Who holds a data directory: written next to the lock so a second server can say whom it found. */
export interface DataDirHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirHolder | undefined,
  ) {
    super(
      `The data directory ${dataDir} is in use by ${
        holder
          ? `process ${holder.pid} (${holder.command}) on ${holder.host === hostname() ? 'this machine' : `host ${holder.host}`} since ${holder.since}`
          : 'another process (it has not said which yet)'
      }. Two servers on one embedded database overwrite each other's bookings and accounts: stop that one first, ` +
        `or give this one its own KNOTWORK_DATA_DIR.`,
    );
    this.name = 'DataDirInUseError';
  }
}

/**
 * A holder refreshes its lock every STALE_MS / 2; a lock older than STALE_MS is abandoned and anyone may take it.
 * Generous, because PGlite runs Postgres on the event loop: initdb on a new directory or a long statement delays
 * the refresh (initdb alone takes 7-9 s on a busy 2-core machine), and a lock that misses its refresh by STALE_MS
 * is reported compromised. A holder that is known to be dead does not make anyone wait this long (below).
 */
const STALE_MS = 60_000;
/** When the holder is known to be dead (same host, no such pid), a lock this old is taken over at once. */
const DEAD_HOLDER_STALE_MS = 2_000;

/**
 * Takes the data directory for this process, or throws DataDirInUseError naming the process that has it.
 *
 * The lock is proper-lockfile's: an atomic mkdir of `<dataDir>.lock`, whose mtime the holder refreshes; a lock
 * not refreshed for STALE_MS (its process was killed, the machine lost power) is stale and taken over. A lock
 * whose holder is a process of this machine that no longer exists is taken over as soon as it is 2 s old, so a
 * restart after `kill -9` does not wait. `onCompromised` is called if this process's lock is taken from it or
 * cannot be refreshed; the caller must then stop writing.
 */
export async function lockDataDir(
  dataDir: string,
  onCompromised: (error: Error) => void,
): Promise<() => Promise<void>> {
  const dir = realpathSync(dataDir);
  const holderFile = `${dir}.lock.json`;
  const options = { stale: STALE_MS, realpath: false, onCompromised };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, options);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOCKED') throw error;
    const holder = readHolder(holderFile);
    if (!holder || holder.host !== hostname() || isRunning(holder.pid)) throw new DataDirInUseError(dir, holder);
    // The holder is gone. Take the lock over once it is DEAD_HOLDER_STALE_MS old (a short stale threshold
    // would also make this process's own lock fragile, so it is dropped and taken again with the normal one;
    // if another server slips in between, it holds the lock and this one refuses, naming it).
    try {
      const takeOver = await lockfile.lock(dir, {
        stale: DEAD_HOLDER_STALE_MS,
        realpath: false,
        retries: { retries: 8, minTimeout: 250, maxTimeout: 500 },
        onCompromised: () => {},
      });
      await takeOver();
      release = await lockfile.lock(dir, options);
    } catch (again) {
      if ((again as { code?: string }).code !== 'ELOCKED') throw again;
      throw new DataDirInUseError(dir, readHolder(holderFile));
    }
  }
  const holder: DataDirHolder = {
    pid: process.pid,
    host: hostname(),
    command: process.argv
      .map((arg) => arg.replace(/^.*\/node_modules\//, ''))
      .join(' ')
      .slice(0, 200),
    since: new Date().toISOString(),
  };
  writeFileSync(`${holderFile}.${process.pid}`, JSON.stringify(holder));
  renameSync(`${holderFile}.${process.pid}`, holderFile);
  return async () => {
    rmSync(holderFile, { force: true });
    await release();
  };
}

function readHolder(file: string): DataDirHolder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DataDirHolder;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
