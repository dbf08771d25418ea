import type { Selectable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CachedTherapist } from '../../src/availability/calendar-loader.js';
import { loadCalendarsFor, openingsOf } from '../../src/availability/open-slots.js';
import type { Database } from '../../src/db/connection.js';
import { therapistsKeptApartFrom } from '../../src/ratings/pair-preferences.js';
import { approvedTherapists } from '../../src/therapists/therapists-reads.js';
import { todayIn } from '../../src/therapists/today.js';
import { OFFER_STARTS, fitsWindow, windowSpan } from '../../src/waitlist/engine/waitlist-window.js';
import type { WaitlistEntriesTable } from '../../src/waitlist/waitlist-tables.js';
import { offerToNewEntry } from '../../src/waitlist/waitlist.js';
import {
  NEW_YORK,
  fillBookings,
  generateMarket,
  insertClients,
  insertGeneratedTherapists,
  newYorkDate,
  pointWithin,
  seededRandom,
} from '../../bench/lib/market.js';
import { BACKEND, TEST_NOW, freshDatabase } from '../support/test-app.js';

/**
 * Issue 19: a new "any therapist" waitlist entry looks only at the therapists who could serve it (one query bounded
 * by the studios' and travel areas' indexes) instead of every approved therapist in the market, several statements
 * each. The offers must be those of the old look: it tried every approved therapist in the order the table gave them
 * and offered the first one's opening (the engine's, in the entry's window). That order was unspecified; the new one
 * is by therapist id, so here the old look is run in that order (over every approved therapist, as it was written)
 * and must offer exactly what the new one offers, on a market where it matters: therapists spread over twenty
 * neighbourhoods, with studios and travel areas, three lengths, genders and specialties, hours and bookings of their
 * own; entries near and far, studio and home, narrow and wide, some nobody can serve.
 */

const now = TEST_NOW;
const STEP_MIN = 15;
let database: Database;
let drop: () => Promise<void>;
let clientIds: string[];
let allCalendars: Map<string, CachedTherapist> | undefined;

beforeAll(async () => {
  ({ database, drop } = await freshDatabase());
  await insertGeneratedTherapists(database.db, generateMarket({ count: 160, seed: 1919, now }), now);
  clientIds = await insertClients(database.db, 60, 'new-entry-client');
  await fillBookings(database.db, { perTherapist: 12, days: 10, now, stepMin: STEP_MIN, clientIds, seed: 1920 });
}, 300_000);
afterAll(async () => drop?.());

/** An any-therapist entry as its row holds it, with a length the therapists offer. */
type Entry = Pick<
  Selectable<WaitlistEntriesTable>,
  | 'client_id'
  | 'mode'
  | 'lat'
  | 'lng'
  | 'radius_km'
  | 'address'
  | 'gender'
  | 'specialty'
  | 'time_zone'
  | 'from_date'
  | 'to_date'
  | 'from_minute'
  | 'to_minute'
> & {
  duration_min: 60 | 90 | 120;
};

/** The old look (before issue 19's change), over every approved therapist in `order`: the first one's offer. */
async function oldLook(entry: Entry, order: (ids: string[]) => string[]) {
  return database.db.transaction().execute(async (trx) => {
    const ids = order(
      (await approvedTherapists(trx, { all: true }, todayIn(entry.time_zone, now))).map((t) => t.user_id),
    );
    const keptApart = await therapistsKeptApartFrom(trx, entry.client_id);
    // Nothing here changes the calendars (every new look is rolled back): read them once.
    allCalendars ??= new Map((await loadCalendarsFor(trx, ids, now)).map((t) => [t.id, t]));
    const calendars = allCalendars;
    const window = {
      fromDate: entry.from_date,
      toDate: entry.to_date,
      fromMinute: entry.from_minute,
      toMinute: entry.to_minute,
    };
    const offers: { therapistId: string; place: unknown; timeZone: string; starts: number[] }[] = [];
    for (const id of ids) {
      const therapist = calendars.get(id);
      if (!therapist) continue;
      const [opening] = openingsOf(
        therapist,
        {
          durationMin: entry.duration_min,
          mode: entry.mode,
          point: { lat: entry.lat, lng: entry.lng },
          radiusKm: entry.radius_km,
          gender: entry.gender,
          specialty: entry.specialty,
          keptApart,
        },
        (zone) => windowSpan(window, zone),
        (zone, start) => fitsWindow(window, zone, start, entry.duration_min),
        now,
        STEP_MIN,
      );
      if (opening)
        offers.push({
          therapistId: opening.therapistId,
          place: opening.place,
          timeZone: opening.timeZone,
          starts: opening.slots.slice(0, OFFER_STARTS),
        });
    }
    return offers;
  });
}

/** The new look, in a transaction rolled back: what it offered (undefined when nothing). */
async function newLook(entry: Entry) {
  const rollback = new Error('rollback');
  let offer: { therapistId: string; place: unknown; timeZone: string; starts: number[] } | undefined;
  await database.db
    .transaction()
    .execute(async (trx) => {
      const row = await trx
        .insertInto('waitlist_entries')
        .values({ ...entry, therapist_id: null, created_at: new Date(now), updated_at: new Date(now) })
        .returning('id')
        .executeTakeFirstOrThrow();
      const count = await offerToNewEntry(trx, row.id, now, STEP_MIN);
      const written = await trx
        .selectFrom('waitlist_entries')
        .select(['status', 'offer'])
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow();
      expect(count).toBe(written.status === 'offered' ? 1 : 0);
      if (written.offer) {
        const { therapistId, place, timeZone, starts } = written.offer;
        offer = { therapistId, place, timeZone, starts };
      }
      throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  return offer;
}

function entries(count: number): Entry[] {
  const random = seededRandom(77);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const far = i % 9 === 0;
    const centre = far ? { lat: 42.3601, lng: -71.0589 } : pick(NEW_YORK.neighbourhoods);
    const point = pointWithin(random, centre, 2);
    const mode = i % 3 === 0 ? 'home' : 'studio';
    const day = 1 + Math.floor(random() * 9);
    const fromMinute = pick([6 * 60, 9 * 60, 12 * 60, 17 * 60]);
    return {
      client_id: clientIds[i % clientIds.length]!,
      duration_min: pick([60, 90, 120] as const),
      mode,
      lat: point.lat,
      lng: point.lng,
      radius_km: pick([0.5, 1, 2, 5, 10]),
      address: mode === 'home' ? '1 Waiting Street, New York, NY' : null,
      gender: random() < 0.3 ? pick(['female', 'male', 'nonbinary'] as const) : null,
      specialty: random() < 0.2 ? pick(['low_back', 'sports', 'prenatal', 'myofascial']) : null,
      time_zone: NEW_YORK.timeZone,
      from_date: newYorkDate(now, day),
      to_date: newYorkDate(now, day + (random() < 0.3 ? 1 : 0)),
      from_minute: fromMinute,
      to_minute: Math.min(1440, fromMinute + pick([90, 120, 180, 300])),
    };
  });
}

describe(`a new "any therapist" waitlist entry (${BACKEND})`, () => {
  it('offers what the old look over every therapist offered, taking them by id', async () => {
    const byId = (ids: string[]) => [...ids].sort();
    const tally = { none: 0, one: 0, several: 0, homes: 0 };
    for (const entry of entries(90)) {
      const old = await oldLook(entry, byId);
      const found = await newLook(entry);
      expect(found, JSON.stringify(entry)).toEqual(old[0]);
      if (old.length === 0) tally.none++;
      else if (old.length === 1) tally.one++;
      else tally.several++;
      if (old.length > 0 && entry.mode === 'home') tally.homes++;
    }
    console.log(`entries nobody can serve: ${tally.none}, one therapist: ${tally.one}, several: ${tally.several}`);
    // The market is one where it matters: some entries nobody can serve, some only one therapist, most several.
    expect(tally.none).toBeGreaterThan(5);
    expect(tally.one).toBeGreaterThan(0);
    expect(tally.several).toBeGreaterThan(10);
    expect(tally.homes).toBeGreaterThan(0);
  }, 300_000);
});
