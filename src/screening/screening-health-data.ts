import type { Kysely, Transaction } from 'kysely';
import { bookingIdsOfClient } from '../booking/booking-reads.js';
import type { DB } from '../schema.js';
import { toDecisionView, toDocumentMeta } from './engine/screening-views.js';

type Db = Kysely<DB> | Transaction<DB>;

/** A client's screenings, therapist overrides and clearance documents (metadata), for their health-data export. */
export async function exportClientScreenings(db: Db, clientId: string) {
  const bookingIds = await bookingIdsOfClient(db, clientId);
  const [screenings, overrides, documents] = await Promise.all([
    db.selectFrom('booking_screenings').selectAll().where('client_id', '=', clientId).orderBy('id').execute(),
    bookingIds.length === 0
      ? Promise.resolve([])
      : db.selectFrom('screening_overrides').selectAll().where('booking_id', 'in', bookingIds).orderBy('created_at').execute(),
    db
      .selectFrom('clearance_documents')
      .select(['id', 'booking_id', 'filename', 'content_type', 'size_bytes', 'sha256', 'status', 'uploaded_at', 'reviewed_at', 'review_note'])
      .where('client_id', '=', clientId)
      .orderBy('uploaded_at')
      .execute(),
  ]);
  return {
    screenings: screenings.map((s) => ({
      bookingId: s.booking_id,
      stage: s.stage,
      intakeVersion: s.intake_version,
      outcome: s.outcome,
      screenedAt: s.created_at.toISOString(),
      decision: toDecisionView(s.decision),
    })),
    overrides: overrides.map((o) => ({ bookingId: o.booking_id, ruleId: o.rule_id, reason: o.reason, therapistId: o.therapist_id, createdAt: o.created_at.toISOString() })),
    clearanceDocuments: documents.map(toDocumentMeta),
  };
}

/** Erases a client's therapist overrides, clearance documents and screenings, in the caller's transaction; returns the counts. */
export async function eraseClientScreenings(trx: Transaction<DB>, clientId: string) {
  const bookingIds = await bookingIdsOfClient(trx, clientId);
  const overrides = bookingIds.length === 0 ? 0 : Number((await trx.deleteFrom('screening_overrides').where('booking_id', 'in', bookingIds).executeTakeFirst()).numDeletedRows);
  const documents = await trx.deleteFrom('clearance_documents').where('client_id', '=', clientId).executeTakeFirst();
  const screenings = await trx.deleteFrom('booking_screenings').where('client_id', '=', clientId).executeTakeFirst();
  return { screenings: Number(screenings.numDeletedRows), overrides, clearanceDocuments: Number(documents.numDeletedRows) };
}
