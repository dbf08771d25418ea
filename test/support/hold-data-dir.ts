/**
 * A server's database life in its own process, for tests that kill processes: opens the PGlite data directory
 * argv[2] (taking its lock), migrates it, optionally seeds the demo at the instant argv[3] (ms), prints `open`
 * and holds the directory until SIGTERM (closes cleanly) or SIGKILL. With KILL_AT_BOOKING=n it SIGKILLs itself
 * as the seed sends the statement that writes its n-th booking, a `kill -9` in the middle of the first start.
 *
 *   node --import tsx test/support/hold-data-dir.ts <dataDir> [seedAtMs]
 */
import { type KyselyPlugin } from 'kysely';
import { openDatabase } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrate.js';
import { seedDemoData } from '../../src/demo/seed.js';

const [dataDir, seedAt] = process.argv.slice(2);

/** How many rows any part of a query's tree inserts into `bookings` (a multi-row insert counts each row). */
function bookingsInserted(node: unknown): number {
  if (typeof node !== 'object' || node === null) return 0;
  const n = node as {
    kind?: string;
    into?: { table?: { identifier?: { name?: string } } };
    values?: { kind?: string; values?: unknown[] };
  };
  if (n.kind === 'InsertQueryNode' && n.into?.table?.identifier?.name === 'bookings') {
    return n.values?.kind === 'ValuesNode' ? (n.values.values?.length ?? 1) : 1;
  }
  return Object.values(node).reduce<number>((sum, child) => sum + bookingsInserted(child), 0);
}
const killAt = Number(process.env.KILL_AT_BOOKING ?? 0);

const database = await openDatabase({ dataDir: dataDir! });
await migrate(database);
if (seedAt) {
  let bookings = 0;
  const killer: KyselyPlugin = {
    transformQuery(args) {
      // A booking may be inserted by the statement itself or inside one of its CTEs (the booking and its first event
      // are one statement), and many at once (the demo's upcoming sessions are one multi-row insert): look through
      // the whole query, and kill before the statement that writes the n-th.
      const rows = bookingsInserted(args.node);
      if (bookings < killAt && bookings + rows >= killAt) process.kill(process.pid, 'SIGKILL');
      bookings += rows;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const logins = await seedDemoData(killAt ? database.db.withPlugin(killer) : database.db, Number(seedAt), {
    stepMin: 15,
    graceMinutes: 10,
  });
  process.stdout.write(logins ? 'seeded\n' : 'not seeded\n');
}
process.stdout.write('open\n');
process.once('SIGTERM', () => {
  void database.close().then(() => process.exit(0));
});
setInterval(() => {}, 60_000);
