import { type Kysely, type Transaction, sql } from 'kysely';
import { bookingViews } from '../booking/booking-view.js';
import type { SessionFacts } from './engine/session-facts.js';
import type { DB } from '../schema.js';

/** Bookings with everything SessionFacts (the plain type in engine/session-facts.ts) needs; callers add their filters. */
export function sessionQuery(db: Kysely<DB> | Transaction<DB>) {
  return bookingViews(db).select(sql<number>`(SELECT count(*)::int - 1 FROM booking_events e WHERE e.booking_id = b.id)`.as('revision'));
}

type SessionRow = Awaited<ReturnType<ReturnType<typeof sessionQuery>['executeTakeFirstOrThrow']>>;

export function toSessionFacts(row: SessionRow): SessionFacts {
  return {
    bookingId: row.id,
    status: row.status,
    startsAt: row.starts_at.getTime(),
    endsAt: row.ends_at.getTime(),
    zone: row.time_zone,
    durationMin: row.duration_min,
    mode: row.mode,
    studioName: row.studio_name,
    address: row.address,
    therapist: { id: row.therapist_id, name: row.therapist_name, zone: row.therapist_zone },
    client: { id: row.client_id, name: row.client_name },
    priceCents: row.price_cents,
    currency: row.currency,
    policy: row.cancellation_policy,
    cancellationFeeCents: row.cancellation_fee_cents,
    revision: Math.max(row.revision, 0),
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
  };
}

export async function loadSessionFacts(db: Kysely<DB> | Transaction<DB>, bookingId: string): Promise<SessionFacts | undefined> {
  const row = await sessionQuery(db).where('b.id', '=', bookingId).executeTakeFirst();
  return row && toSessionFacts(row);
}
