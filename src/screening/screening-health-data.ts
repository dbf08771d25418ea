import { z } from 'zod';
import { bookingIdsOfClient } from '../booking/booking-reads.js';
import { healthDataPart } from '../health-data.js';
import { OUTCOMES } from './engine/screening-engine.js';
import { documentSchema, screeningDecisionSchema, toDecisionView, toDocumentMeta } from './engine/screening-views.js';

/** Screenings of the client's bookings, therapists' overrides and clearance documents, in the health-data export and erasure. */
export const screeningHealthData = healthDataPart({
  name: 'screenings, overrides and clearance documents',
  exports: ['booking_screenings', 'screening_overrides', 'clearance_documents'],
  erases: ['booking_screenings', 'screening_overrides', 'clearance_documents'],
  exportShape: {
    screenings: z.array(
      z.object({
        bookingId: z.uuid(),
        stage: z.string(),
        intakeVersion: z.number(),
        outcome: z.enum(OUTCOMES),
        screenedAt: z.iso.datetime(),
        decision: screeningDecisionSchema,
      }),
    ),
    overrides: z.array(
      z.object({
        bookingId: z.uuid(),
        ruleId: z.string(),
        reason: z.string(),
        therapistId: z.uuid(),
        createdAt: z.iso.datetime(),
      }),
    ),
    clearanceDocuments: z.array(documentSchema.omit({ covers: true })),
  },
  async export(db, clientId) {
    const bookingIds = await bookingIdsOfClient(db, clientId);
    const [screenings, overrides, documents] = await Promise.all([
      db.selectFrom('booking_screenings').selectAll().where('client_id', '=', clientId).orderBy('id').execute(),
      bookingIds.length === 0
        ? []
        : db
            .selectFrom('screening_overrides')
            .selectAll()
            .where('booking_id', 'in', bookingIds)
            .orderBy('created_at')
            .execute(),
      db
        .selectFrom('clearance_documents')
        .select([
          'id',
          'booking_id',
          'filename',
          'content_type',
          'size_bytes',
          'sha256',
          'status',
          'uploaded_at',
          'reviewed_at',
          'review_note',
        ])
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
      overrides: overrides.map((o) => ({
        bookingId: o.booking_id,
        ruleId: o.rule_id,
        reason: o.reason,
        therapistId: o.therapist_id,
        createdAt: o.created_at.toISOString(),
      })),
      clearanceDocuments: documents.map(toDocumentMeta),
    };
  },
  counts: ['screenings', 'overrides', 'clearanceDocuments'],
  async erase(trx, clientId) {
    const bookingIds = await bookingIdsOfClient(trx, clientId);
    const overrides =
      bookingIds.length === 0
        ? 0
        : Number(
            (await trx.deleteFrom('screening_overrides').where('booking_id', 'in', bookingIds).executeTakeFirst())
              .numDeletedRows,
          );
    const documents = await trx.deleteFrom('clearance_documents').where('client_id', '=', clientId).executeTakeFirst();
    const screenings = await trx.deleteFrom('booking_screenings').where('client_id', '=', clientId).executeTakeFirst();
    return {
      screenings: Number(screenings.numDeletedRows),
      overrides,
      clearanceDocuments: Number(documents.numDeletedRows),
    };
  },
});
