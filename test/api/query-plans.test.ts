import {
  CompiledQuery,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type QueryId,
} from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedInUser } from '../../src/accounts/sessions.js';
import { loadCachedTherapists } from '../../src/availability/calendar-loader.js';
import { loadPair } from '../../src/booking/booking-pairs.js';
import { loadBusy, upcomingBookingsOfClient } from '../../src/booking/booking-reads.js';
import { bookingRows, loadVisibleBooking, toBookingViews } from '../../src/booking/booking-view.js';
import { placeBooking } from '../../src/booking/place-booking.js';
import type { Database } from '../../src/db/connection.js';
import type { DB } from '../../src/schema.js';
import { screeningSummaries } from '../../src/screening/booking-screening-ports.js';
import { offerFreedTime } from '../../src/waitlist/waitlist.js';
import { DAILY_START_MIN, insertBookableTherapists, newYorkInstant } from '../../bench/lib/booking-fixture.js';
import { insertClients } from '../../bench/lib/market.js';
import { fillBookingHistory, fillWaitlistHistory } from '../support/large-market.js';
import { BACKEND, TEST_NOW, freshDatabase } from '../support/test-app.js';

/**
 * Issue 19: no hot query's cost grows with the whole table. On a market with 60,000 bookings (and 20,000 waitlist
 * entries, mostly closed), each hot read runs through the app's own functions with a plugin that records every
 * statement; each statement is then EXPLAINed, and no plan may scan bookings or waitlist_entries sequentially.
 * This checks plan shapes, never timings (bench/booking-list.bench.ts measures them).
 */

const LARGE_TABLES = new Set(['bookings', 'waitlist_entries']);
const THERAPISTS = 500;
const PER_THERAPIST = 120;
const CLIENTS = 2_000;
const FUTURE_DAYS = 10;
const now = TEST_NOW;

class StatementRecorder implements KyselyPlugin {
  statements: { node: RootOperationNode; queryId: QueryId }[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.statements.push({ node: args.node, queryId: args.queryId });
    return args.node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function sequentialScans(plan: PlanNode): string[] {
  const own =
    plan['Node Type'] === 'Seq Scan' && LARGE_TABLES.has(plan['Relation Name'] ?? '') ? [plan['Relation Name']!] : [];
  return [...own, ...(plan.Plans ?? []).flatMap(sequentialScans)];
}

let database: Database;
let drop: () => Promise<void>;
let therapists: { id: string; studioId: string }[];
let clientIds: string[];

/** Every statement `run` sends, each with the tables it scans sequentially (among the large ones). */
async function plansOf(run: (db: Kysely<DB>) => Promise<unknown>) {
  const recorder = new StatementRecorder();
  await run(database.db.withPlugin(recorder));
  const executor = database.db.getExecutor();
  const plans: { sql: string; seqScans: string[] }[] = [];
  for (const { node, queryId } of recorder.statements) {
    const compiled = executor.compileQuery(node, queryId);
    const result = await database.db.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, [...compiled.parameters]),
    );
    const raw = Object.values(result.rows[0]!)[0];
    const [top] = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
    plans.push({ sql: compiled.sql, seqScans: sequentialScans(top!.Plan) });
  }
  expect(plans.length).toBeGreaterThan(0);
  return plans;
}

async function expectIndexBacked(run: (db: Kysely<DB>) => Promise<unknown>) {
  const plans = await plansOf(run);
  expect(plans.filter((p) => p.seqScans.length > 0)).toEqual([]);
}

const operator: SignedInUser = {
  id: '00000000-0000-4000-8000-000000000000',
  email: 'op@x.test',
  role: 'operator',
  displayName: 'Op',
};
const therapistViewer = () =>
  ({ id: therapists[7]!.id, email: 't@x.test', role: 'therapist', displayName: 'T' }) satisfies SignedInUser;

/** As GET /api/bookings builds it (booking-routes.ts listBookings): one page and the count. */
async function listPage(db: Kysely<DB>, filter: { therapistId?: string; clientId?: string }, pageSize: number) {
  let query = bookingRows(db);
  if (filter.therapistId) query = query.where('b.therapist_id', '=', filter.therapistId);
  if (filter.clientId) query = query.where('b.client_id', '=', filter.clientId);
  const rows = await query.orderBy('b.starts_at').orderBy('b.id').limit(pageSize).offset(0).execute();
  await query
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return toBookingViews(db, rows, therapistViewer(), screeningSummaries);
}

describe(`hot queries on a large market are index-backed (${BACKEND})`, () => {
  beforeAll(async () => {
    ({ database, drop } = await freshDatabase());
    therapists = await insertBookableTherapists(database.db, THERAPISTS, now);
    clientIds = await insertClients(database.db, CLIENTS, 'plans-client');
    await fillBookingHistory(database.db, {
      therapists,
      clientIds,
      perTherapist: PER_THERAPIST,
      now,
      futureDays: FUTURE_DAYS,
    });
    await fillWaitlistHistory(database.db, {
      therapistIds: therapists.map((t) => t.id),
      clientIds,
      count: 20_000,
      now,
    });
  }, 300_000);
  afterAll(async () => drop?.());

  it('the market is large: the planner knows it', async () => {
    const counted = await database.db
      .selectFrom('bookings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(counted.n)).toBe(THERAPISTS * PER_THERAPIST);
    const moved = await database.db
      .selectFrom('bookings')
      .select('id')
      .where('rescheduled_from', 'is not', null)
      .limit(1)
      .executeTakeFirst();
    expect(moved).toBeDefined();
  });

  it("a therapist's booking list, 20 and 100 rows (the booking view's rescheduled_to included)", async () => {
    const views = await listPage(database.db, { therapistId: therapists[7]!.id }, 100);
    expect(views.some((v) => v.rescheduledTo !== null)).toBe(true);
    await expectIndexBacked((db) => listPage(db, { therapistId: therapists[7]!.id }, 20));
    await expectIndexBacked((db) => listPage(db, { therapistId: therapists[7]!.id }, 100));
  });

  it("a client's My bookings, and their bookings to come", async () => {
    await expectIndexBacked((db) => listPage(db, { clientId: clientIds[11]! }, 20));
    await expectIndexBacked((db) => upcomingBookingsOfClient(db, clientIds[11]!, now));
  });

  it('one booking', async () => {
    const one = await database.db
      .selectFrom('bookings')
      .select('id')
      .where('rescheduled_from', 'is not', null)
      .limit(1)
      .executeTakeFirstOrThrow();
    await expectIndexBacked((db) => loadVisibleBooking(db, one.id, operator, screeningSummaries));
  });

  it("a hold's reads and writes (placement, then rolled back)", async () => {
    const therapist = therapists[3]!;
    const client = clientIds[3]!;
    const rollback = new Error('rollback');
    await expectIndexBacked(async (db) => {
      await db
        .transaction()
        .execute(async (trx) => {
          await placeBooking(
            trx,
            {
              therapistId: therapist.id,
              clientId: client,
              durationMin: 60,
              startsAt: newYorkInstant(now, FUTURE_DAYS + 3, DAILY_START_MIN),
              place: { mode: 'studio', studioId: therapist.studioId },
            },
            'held',
            { now, holdMinutes: 10, graceMinutes: 10, stepMin: 15 },
          );
          throw rollback;
        })
        .catch((error: unknown) => {
          if (error !== rollback) throw error;
        });
    });
    await expectIndexBacked((db) =>
      loadBusy(
        db,
        therapists.slice(0, 20).map((t) => t.id),
        now,
        now + 14 * 86_400_000,
        now,
      ),
    );
  });

  it("search's calendar loader, for all therapists and for a few", async () => {
    await expectIndexBacked((db) => loadCachedTherapists(db, { all: true }, now));
    await expectIndexBacked((db) => loadCachedTherapists(db, { ids: therapists.slice(0, 5).map((t) => t.id) }, now));
  });

  it("the waitlist's match read when a therapist's time frees", async () => {
    const rollback = new Error('rollback');
    await expectIndexBacked((db) =>
      db
        .transaction()
        .execute(async (trx) => {
          await offerFreedTime(trx, therapists[9]!.id, now, 15);
          throw rollback;
        })
        .catch((error: unknown) => {
          if (error !== rollback) throw error;
        }),
    );
  });

  it("a pair's parts and a course's sessions", async () => {
    const pair = await database.db
      .insertInto('booking_pairs')
      .values({ booker_id: clientIds[1]!, guest_id: clientIds[2]!, created_at: new Date(now) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expectIndexBacked((db) => loadPair(db, pair.id, operator));
    await expectIndexBacked((db) =>
      bookingRows(db)
        .where('b.course_id', '=', '00000000-0000-4000-8000-000000000001')
        .orderBy('b.starts_at')
        .execute(),
    );
  });
});
