import type { Kysely, Transaction } from 'kysely';
import { revisionOf } from '../booking/booking-reads.js';
import { type PartyNames, bookingRows, withPartyNames } from '../booking/booking-view.js';
import type { SessionFacts } from './engine/session-facts.js';
import type { DB } from '../schema.js';

/** Bookings with their revision; callers add their filters, then make facts of the rows (toSessionFacts, the plain type in engine/session-facts.ts). */
export function sessionQuery(db: Kysely<DB> | Transaction<DB>) {
  return bookingRows(db).select(revisionOf);
}

type SessionRow = Awaited<ReturnType<ReturnType<typeof sessionQuery>['executeTakeFirstOrThrow']>>;

/** The rows as SessionFacts, with the parties' names, the therapist's zone and the studio's name (three more queries). */
export async function toSessionFacts(
  db: Kysely<DB> | Transaction<DB>,
  rows: readonly SessionRow[],
): Promise<SessionFacts[]> {
  return (await withPartyNames(db, rows)).map(sessionFactsOf);
}

function sessionFactsOf(row: SessionRow & PartyNames): SessionFacts {
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
    clearanceDueAt: row.clearance_due_at?.getTime() ?? null,
    revision: Math.max(row.revision, 0),
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
  };
}

export async function loadSessionFacts(
  db: Kysely<DB> | Transaction<DB>,
  bookingId: string,
): Promise<SessionFacts | undefined> {
  const row = await sessionQuery(db).where('b.id', '=', bookingId).executeTakeFirst();
  return row && (await toSessionFacts(db, [row]))[0];
}
