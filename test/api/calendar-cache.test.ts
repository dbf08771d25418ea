import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAvailability } from '../../src/availability/availability-search.js';
import { CalendarCache } from '../../src/availability/calendar-cache.js';
import { openDatabase } from '../../src/db/connection.js';
import { buildApp } from '../../src/http/app.js';
import { MIDTOWN, type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  BACKEND,
  type Session,
  type TestApp,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';

let t: TestApp;
let operator: Session;
beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
});
afterAll(() => t.close());

const query = (therapist: TherapistFixture) => ({
  durationMin: 60,
  from: '2026-11-24',
  to: '2026-11-24',
  zone: 'America/New_York',
  mode: 'studio' as const,
  point: MIDTOWN,
  radiusKm: 1,
  therapistId: therapist.id,
  sort: 'earliest' as const,
  page: 1,
  pageSize: 10,
  slotsPerTherapist: 100,
});

async function slotsOf(cache: CalendarCache, therapist: TherapistFixture): Promise<string[]> {
  const page = await searchAvailability(cache, query(therapist), t.clock.now(), 15);
  return (page.results[0]?.offers[0]?.slots ?? []).map((s) => new Date(s).toISOString());
}

const TEN = '2026-11-24T15:00:00.000Z';

describe(`search's calendar cache on ${BACKEND}`, () => {
  it('sees writes made behind the application’s back, through the database triggers', async () => {
    const cache = new CalendarCache(t.database);
    const therapist = await createTherapist(t, {}, operator);
    expect(await slotsOf(cache, therapist)).toContain(TEN);

    await t.database.db
      .insertInto('schedule_overrides')
      .values({ therapist_id: therapist.id, on_date: '2026-11-24', kind: 'off', intervals: '[]' })
      .execute();
    expect(await slotsOf(cache, therapist)).toEqual([]);
    await t.database.db.deleteFrom('schedule_overrides').where('therapist_id', '=', therapist.id).execute();
    expect(await slotsOf(cache, therapist)).toContain(TEN);

    await t.database.db
      .updateTable('studios')
      .set({ archived_at: new Date(t.clock.now()) })
      .where('therapist_id', '=', therapist.id)
      .execute();
    expect(await slotsOf(cache, therapist)).toEqual([]);
    await t.database.db
      .updateTable('studios')
      .set({ archived_at: null })
      .where('therapist_id', '=', therapist.id)
      .execute();
    await t.database.db
      .updateTable('therapists')
      .set({ licence_status: 'rejected' })
      .where('user_id', '=', therapist.id)
      .execute();
    expect(await slotsOf(cache, therapist)).toEqual([]);
    await t.database.db
      .updateTable('therapists')
      .set({ licence_status: 'approved' })
      .where('user_id', '=', therapist.id)
      .execute();
    await t.database.db
      .deleteFrom('therapist_services')
      .where('therapist_id', '=', therapist.id)
      .where('duration_min', '=', 60)
      .execute();
    expect(await slotsOf(cache, therapist)).toEqual([]);
    await cache.close();
  });

  it.runIf(BACKEND === 'postgres')(
    'reflects a booking made through another app instance on the same database, at once',
    async () => {
      const therapist = await createTherapist(t, {}, operator);
      const client = await signUp(t.app, 'client');
      const cache = new CalendarCache(t.database);
      expect(await slotsOf(cache, therapist)).toContain(TEN);
      const otherDatabase = await openDatabase({ url: t.databaseUrl! }, { poolSize: 3 });
      const otherApp = await buildApp(
        { database: otherDatabase, db: otherDatabase.db, config: t.config, clock: t.clock },
        { logger: false },
      );
      try {
        const held = await call(otherApp, client, {
          method: 'POST',
          url: '/api/bookings',
          payload: {
            therapistId: therapist.id,
            durationMin: 60,
            start: TEN,
            place: { mode: 'studio', studioId: therapist.studioId },
          },
        });
        expect(held.statusCode, held.body).toBe(201);
        expect(await slotsOf(cache, therapist)).not.toContain(TEN);
      } finally {
        await otherApp.close();
        await otherDatabase.close();
        await cache.close();
      }
    },
  );

  it.runIf(BACKEND === 'postgres')(
    'listens on connections of its own: an instance with a pool of one still searches and holds',
    async () => {
      const therapist = await createTherapist(t, {}, operator);
      const client = await signUp(t.app, 'client');
      const smallDatabase = await openDatabase({ url: t.databaseUrl! }, { poolSize: 1 });
      const smallApp = await buildApp(
        { database: smallDatabase, db: smallDatabase.db, config: t.config, clock: t.clock },
        { logger: false },
      );
      try {
        // The search starts the calendar cache's listener; were it the pool's one connection, the search's own
        // barrier and reads would wait for it for ever.
        const searched = await call(smallApp, null, {
          method: 'GET',
          url: `/api/availability?durationMin=60&from=2026-11-24&to=2026-11-24&zone=America/New_York&mode=studio&lat=${MIDTOWN.lat}&lng=${MIDTOWN.lng}&radiusKm=1&therapistId=${therapist.id}&slotsPerTherapist=100`,
        });
        expect(searched.statusCode, searched.body).toBe(200);
        const slots = searched
          .json()
          .results.flatMap((r: { offers: { slots: string[] }[] }) => r.offers.flatMap((o) => o.slots));
        expect(slots).toContain(TEN);
        const held = await call(smallApp, client, {
          method: 'POST',
          url: '/api/bookings',
          payload: {
            therapistId: therapist.id,
            durationMin: 60,
            start: TEN,
            place: { mode: 'studio', studioId: therapist.studioId },
          },
        });
        expect(held.statusCode, held.body).toBe(201);
      } finally {
        await smallApp.close();
        await smallDatabase.close();
      }
    },
    20_000,
  );

  it('rebuilds itself when its listener is lost', async () => {
    const cache = new CalendarCache(t.database, { barrierTimeoutMs: 300 });
    const therapist = await createTherapist(t, {}, operator);
    expect(await slotsOf(cache, therapist)).toContain(TEN);
    await cache.close();
    await t.database.db
      .insertInto('schedule_overrides')
      .values({ therapist_id: therapist.id, on_date: '2026-11-24', kind: 'off', intervals: '[]' })
      .execute();
    expect(await slotsOf(cache, therapist)).toEqual([]);
    await cache.close();
  });

  it('answers many concurrent searches, which share barriers', async () => {
    const cache = new CalendarCache(t.database);
    const therapist = await createTherapist(t, {}, operator);
    const pages = await Promise.all(Array.from({ length: 20 }, () => slotsOf(cache, therapist)));
    for (const slots of pages) expect(slots).toContain(TEN);
    await cache.close();
  });
});
