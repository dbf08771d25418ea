import fs from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

/**
 * PGlite's file system for a data directory on disk, with fsync that reaches the disk.
 *
 * PGlite (0.5) runs Postgres compiled to WASM on Emscripten's NODEFS, which maps each file to a Node file
 * descriptor. Out of the box nothing is ever synced:
 *  - PGlite starts Postgres with `-F` (fsync = off), so Postgres does not even ask;
 *  - NODEFS has no `fsync` stream operation, so Emscripten's `fsync()` (`fd_sync`) does nothing; and
 *  - Emscripten's `fdatasync()` is a stub that returns 0 without looking at the file at all.
 * A commit is then in the OS page cache only: safe from a process kill, lost (or the directory corrupted) by an
 * OS crash or power cut. This file system gives NODEFS an `fsync` that calls fsync(2) on the real descriptor;
 * together with DURABLE_START_PARAMS (fsync on) and DURABLE_CONF (wal_sync_method = fsync, because
 * fdatasync stays a stub) every commit's WAL flush, every checkpoint's data file flush and every directory sync
 * Postgres asks for reaches the disk before the commit is acknowledged.
 */
export class DurableNodeFS extends NodeFS {
  override async init(pg: PGlite, opts: Parameters<NodeFS['init']>[1]) {
    const result = await super.init(pg, opts);
    result.emscriptenOpts.preRun = [
      ...(result.emscriptenOpts.preRun ?? []),
      (mod: { NODEFS: { stream_ops: Record<string, unknown> } }) => {
        mod.NODEFS.stream_ops.fsync = (stream: { nfd?: number }) => {
          // A failed fsync throws: Postgres sees the error and stops rather than acknowledge the commit.
          if (stream.nfd !== undefined) fs.fsyncSync(stream.nfd);
          return 0;
        };
      },
    ];
    return result;
  }
}

/** PGlite's start parameters without `-F` (which turns fsync off). */
export const DURABLE_START_PARAMS = PGlite.defaultStartParams.filter((param) => param !== '-F');

/** fsync, not the default fdatasync: Emscripten's fdatasync never reaches the file system. */
export const DURABLE_CONF = ['wal_sync_method = fsync'];

/**
 * Syncs every file and directory under `dir` (and `dir`). initdb writes a new data directory with fsync off, and a
 * directory copied from a template is in the page cache only; Postgres never syncs those files again (only files
 * it changes later are flushed at checkpoints), so a new directory is synced whole after it is created. The files
 * are synced 16 at a time: one by one, the 1,300 files of an empty cluster took 2 s; together, about 0.1 s.
 */
export async function syncTree(dir: string): Promise<void> {
  const paths = fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() || entry.isDirectory())
    .map((entry) => join(entry.parentPath, entry.name));
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < paths.length) await syncPath(paths[next++]!);
    }),
  );
  await syncPath(dir);
}

async function syncPath(path: string) {
  const handle = await fs.promises.open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** What trimTemplate needs of connection.ts's Database (not imported: connection.ts imports this file). */
interface Sessions {
  session<T>(work: (run: (script: string) => Promise<unknown>) => Promise<T>): Promise<T>;
}

/**
 * Leaves a template (scripts/build-server.ts, before it closes the database) as little to copy at each first start as it can: the app uses only the database `postgres`
 * (PGlite connects to nothing else), so template0 and template1 are dropped (1,368 files and 43 MB become 768 files
 * and 29 MB); and the WAL is switched to a new segment and checkpointed with recycling off, so the template holds one
 * segment with the checkpoint at its start. Otherwise the copy held a segment 80% full, and Postgres preallocated
 * the next one (16 MB written and synced) at every first start. The segment's unused tail is zeros, which
 * copyTemplate copies as a hole. Each statement on its own: DROP DATABASE refuses to run
 * in a transaction block, which a multi-statement script is.
 */
export async function trimTemplate(database: Sessions) {
  for (const statement of [
    'ALTER DATABASE template0 IS_TEMPLATE false',
    'DROP DATABASE template0',
    'ALTER DATABASE template1 IS_TEMPLATE false',
    'DROP DATABASE template1',
    'SET wal_recycle = off',
    'SELECT pg_switch_wal()',
    'CHECKPOINT',
  ])
    await database.session((run) => run(statement));
}

/**
 * Copies `template` (a cleanly shut down data directory) into the empty `dataDir`, durably: every file but
 * PG_VERSION, synced, and then PG_VERSION, synced. PG_VERSION is what marks a directory as a database (PGlite
 * resumes it, src/db/connection.ts does not create it again), so a copy cut short by a crash or power cut leaves a
 * directory without it, which the next start copies into again. The WAL segments (16 MB each, mostly zeros in a
 * template: scripts/build-server.ts checkpoints it at the start of one) are copied as sparse files, their zero
 * blocks left as holes: Postgres reads a hole as the zeros it is (its own `wal_init_zero = off` makes segments so),
 * and there is 16 MB less to write and sync.
 */
export async function copyTemplate(template: string, dataDir: string): Promise<void> {
  const wal = join(template, 'pg_wal');
  const isWalSegment = (source: string) => dirname(source) === wal && fs.statSync(source).isFile();
  fs.cpSync(template, dataDir, {
    recursive: true,
    force: true,
    filter: (source) => source !== join(template, 'PG_VERSION') && !isWalSegment(source),
  });
  for (const entry of fs.readdirSync(wal, { withFileTypes: true }))
    if (entry.isFile()) copySparse(join(wal, entry.name), join(dataDir, 'pg_wal', entry.name));
  await syncTree(dataDir);
  fs.copyFileSync(join(template, 'PG_VERSION'), join(dataDir, 'PG_VERSION'));
  await syncPath(join(dataDir, 'PG_VERSION'));
  await syncPath(dataDir);
}

const BLOCK = 64 * 1024;
const ZEROS = Buffer.alloc(BLOCK);

/** Copies `source` to `target`, leaving each 64 KiB block of zeros a hole (the file keeps its length). */
function copySparse(source: string, target: string) {
  const buffer = Buffer.alloc(BLOCK);
  const from = fs.openSync(source, 'r');
  try {
    const to = fs.openSync(target, 'w', fs.fstatSync(from).mode);
    try {
      let offset = 0;
      for (;;) {
        const read = fs.readSync(from, buffer, 0, BLOCK, offset);
        if (read === 0) break;
        const block = buffer.subarray(0, read);
        if (!block.equals(ZEROS.subarray(0, read))) fs.writeSync(to, block, 0, read, offset);
        offset += read;
      }
      fs.ftruncateSync(to, offset);
    } finally {
      fs.closeSync(to);
    }
  } finally {
    fs.closeSync(from);
  }
}
