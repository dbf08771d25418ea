/**
 * A realistic market for the benches to start from (issue 19.0): 5,000 generated therapists with a studio each,
 * 5,000 clients and 100,000 bookings of history (20 per therapist, one a day, the last 10 still ahead), a booking
 * event per confirmed booking and 50,000 each of finished jobs, sent messages, audit rows, expired sessions and
 * idempotency keys (all written by test/support/large-market.ts with generate_series), so a query whose cost grows
 * with the whole table cannot hide behind an empty one. The bench's own therapists and clients are added beside these and never meet them: the
 * market's people have their own e-mail domain and the bench books only its own therapists.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../src/schema.js';
import { fillBookingHistory, fillWorkHistory } from '../../test/support/large-market.js';
import { generateMarket, insertClients, insertGeneratedTherapists } from './market.js';

const REALISTIC_THERAPISTS = 5_000;
const REALISTIC_BOOKINGS_PER_THERAPIST = 20;
/** Finished jobs, sent messages, audit rows, expired sessions and idempotency keys each. */
const WORK_HISTORY = 50_000;

interface RealisticMarket {
  therapists: number;
  clients: number;
  bookings: number;
  seedSeconds: number;
}

/** Writes the market: about 10 s on PostgreSQL, 30 s on PGlite (2-core machine). */
export async function fillRealisticMarket(db: Kysely<DB>, now: number): Promise<RealisticMarket> {
  const started = performance.now();
  const count = REALISTIC_THERAPISTS;
  const generated = generateMarket({ count, seed: 1919, now, emailDomain: 'market.knotwork.test' }).map((t, i) => ({
    ...t,
    studios: [
      t.studios[0] ?? {
        name: `Market Studio ${i}`,
        address: `${i + 1} Market Street, New York, NY`,
        lat: 40.75,
        lng: -73.98,
      },
    ],
  }));
  const ids = await insertGeneratedTherapists(db, generated, now);
  const studios = await db
    .selectFrom('studios')
    .select(['id', 'therapist_id'])
    .where('therapist_id', 'in', ids)
    .execute();
  const studioOf = new Map(studios.map((s) => [s.therapist_id, s.id]));
  const therapists = ids.map((id) => ({ id, studioId: studioOf.get(id)! }));
  const clientIds = await insertClients(db, count, 'market-client');
  const bookings = await fillBookingHistory(db, {
    therapists,
    clientIds,
    perTherapist: REALISTIC_BOOKINGS_PER_THERAPIST,
    now,
    idSeed: 'kw-market-',
  });
  await fillWorkHistory(db, {
    userIds: clientIds,
    now,
    jobs: WORK_HISTORY,
    messages: WORK_HISTORY,
    audit: WORK_HISTORY,
    sessions: WORK_HISTORY,
    idempotency: WORK_HISTORY,
  });
  return { therapists: count, clients: count, bookings, seedSeconds: (performance.now() - started) / 1000 };
}
