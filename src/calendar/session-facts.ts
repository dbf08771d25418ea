import type { Kysely, Transaction } from 'kysely';
import type { BookingStatus } from '../booking/engine/booking-states.js';
import { revisionOf } from '../booking/booking-reads.js';
import { type PartyNames, bookingRows, withPartyNames } from '../booking/booking-view.js';
import type { CancellationPolicy } from '../booking/engine/cancellation-policy.js';
import type { DB } from '../schema.js';

/** What calendars and notices say about one booked session: no health data, ever. */
export interface SessionFacts {
  bookingId: string;
  status: BookingStatus;
  startsAt: number;
  endsAt: number;
  /** The IANA zone of the place: the session's time is the wall-clock time there. */
  zone: string;
  durationMin: number;
  mode: 'studio' | 'home';
  studioName: string | null;
  address: string;
  therapist: { id: string; name: string; zone: string };
  client: { id: string; name: string };
  priceCents: number;
  currency: string;
  policy: CancellationPolicy;
  cancellationFeeCents: number | null;
  /** Status changes after the first: the iCalendar SEQUENCE, so every change supersedes the copy before it. */
  revision: number;
  createdAt: number;
  updatedAt: number;
}

/** Bookings with their revision; callers add their filters, then make facts of the rows (toSessionFacts). */
export function sessionQuery(db: Kysely<DB> | Transaction<DB>) {
  return bookingRows(db).select(revisionOf);
}

type SessionRow = Awaited<ReturnType<ReturnType<typeof sessionQuery>['executeTakeFirstOrThrow']>>;

/** The rows as SessionFacts, with the parties' names, the therapist's zone and the studio's name (three more queries). */
export async function toSessionFacts(db: Kysely<DB> | Transaction<DB>, rows: readonly SessionRow[]): Promise<SessionFacts[]> {
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
    revision: Math.max(row.revision, 0),
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
  };
}

export async function loadSessionFacts(db: Kysely<DB> | Transaction<DB>, bookingId: string): Promise<SessionFacts | undefined> {
  const row = await sessionQuery(db).where('b.id', '=', bookingId).executeTakeFirst();
  return row && (await toSessionFacts(db, [row]))[0];
}
