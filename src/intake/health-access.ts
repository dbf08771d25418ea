import type { Kysely, Transaction } from 'kysely';
import { writeAudit, writeAudits } from '../accounts/audit.js';
import { userById } from '../accounts/accounts-reads.js';
import type { SignedInUser } from '../accounts/sessions.js';
import type { BookingStatus } from '../booking/engine/booking-states.js';
import { findBooking, hasBookingBetween } from '../booking/booking-reads.js';
import { canSeeBooking } from '../booking/booking-view.js';
import type { DB } from '../schema.js';
import { ProblemError } from '../domain/problems.js';
import { HEALTH_ACCESS_STATUSES } from './engine/health-access-rule.js';

type Db = Kysely<DB> | Transaction<DB>;

export type HealthRecord =
  | 'intake'
  | 'screening'
  | 'brief'
  | 'clearance_document'
  | 'health_data_export'
  | 'session_record'
  | 'session_note'
  | 'restricted_notes'
  | 'outcomes'
  | 'treatment_plan'
  | 'live_signals'
  | 'aftercare'
  | 'check_in'
  | 'care_alert'
  | 'incident';
export type AccessBasis = 'self' | 'operator' | 'booked_therapist';

export interface HealthRead {
  /** Whose health data is read. */
  clientId: string;
  record: HealthRecord;
  /** The id of what is read: the client, a booking or a document. */
  subjectId: string;
  detail?: Record<string, unknown>;
}

/** Why `viewer` may read `clientId`'s health data, or undefined when they may not. */
export async function healthAccessBasis(
  db: Db,
  viewer: SignedInUser,
  clientId: string,
): Promise<AccessBasis | undefined> {
  if (viewer.role === 'operator') return 'operator';
  if (viewer.role === 'client') return viewer.id === clientId ? 'self' : undefined;
  return (await hasBookingBetween(db, viewer.id, clientId, HEALTH_ACCESS_STATUSES)) ? 'booked_therapist' : undefined;
}

/**
 * The one gate for reading health data (intake, screening, brief, clearance documents, exports): the client
 * themselves, a therapist with a qualifying booking with them, or an operator. Anybody else gets 401 or 403
 * and nothing is written. An allowed read writes its audit row (who, what, when) in the caller's transaction, so
 * the data is never returned without the row.
 */
export async function authorizeHealthRead(
  trx: Transaction<DB>,
  viewer: SignedInUser | null,
  read: HealthRead,
  now: number,
): Promise<AccessBasis> {
  if (!viewer) throw new ProblemError('unauthenticated');
  const basis = await healthAccessBasis(trx, viewer, read.clientId);
  // An operator may read any client's record, so an id that is not a client's is told as such (and nothing is
  // written: the audit row would name nobody). Clients and therapists never reach this for an unknown id.
  if (basis === 'operator' && (await userById(trx, read.clientId))?.role !== 'client') {
    throw new ProblemError('not_found', 'No such client');
  }
  if (!basis) {
    throw new ProblemError(
      'forbidden',
      viewer.role === 'therapist'
        ? 'Only a therapist the client has booked can see their health information'
        : 'This is another person’s health information',
    );
  }
  await writeAudit(
    trx,
    {
      actor: viewer,
      action: 'health.read',
      subjectType: read.record,
      subjectId: read.subjectId,
      subjectUserId: read.clientId,
      detail: { basis, ...read.detail },
    },
    now,
  );
  return basis;
}

/**
 * Audit rows for health reads the caller has already allowed by its own rule (a booking's incidents: operators,
 * and each reporter for what they reported), in one insert in the caller's transaction.
 */
export async function auditHealthReads(
  trx: Transaction<DB>,
  viewer: SignedInUser,
  reads: readonly HealthRead[],
  now: number,
): Promise<void> {
  await writeAudits(
    trx,
    reads.map((read) => ({
      actor: viewer,
      action: 'health.read',
      subjectType: read.record,
      subjectId: read.subjectId,
      subjectUserId: read.clientId,
      detail: read.detail ?? {},
    })),
    now,
  );
}

/**
 * The same gate for health data attached to a booking (its screening, brief or clearance documents): the booking
 * must be visible to the viewer (404 otherwise, so its existence is not revealed) and the client's health data
 * readable by them. Returns the booking's parties.
 */
export async function authorizeBookingHealthRead(
  trx: Transaction<DB>,
  viewer: SignedInUser | null,
  bookingId: string,
  record: HealthRecord,
  now: number,
  detail: Record<string, unknown> = {},
): Promise<{ id: string; client_id: string; therapist_id: string; status: BookingStatus }> {
  if (!viewer) throw new ProblemError('unauthenticated');
  const booking = await findBooking(trx, bookingId);
  if (!booking || !canSeeBooking(viewer, booking)) throw new ProblemError('not_found', 'No such booking');
  await authorizeHealthRead(trx, viewer, { clientId: booking.client_id, record, subjectId: bookingId, detail }, now);
  return { id: booking.id, client_id: booking.client_id, therapist_id: booking.therapist_id, status: booking.status };
}
