import { createHash } from 'node:crypto';
import { z } from 'zod';
import { writeAudit } from '../accounts/audit.js';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError } from '../domain/problems.js';
import { authorizeBookingHealthRead } from '../intake/health-access.js';
import { enqueueMessages } from '../notify/outbox.js';
import { latestScreening, settleClearance } from './booking-screening.js';
import { lockedBookingForChange } from './booking-screening-view.js';
import {
  MAX_DOCUMENT_BYTES,
  attachmentDisposition,
  safeFilename,
  sniffDocumentType,
} from './engine/clearance-document.js';
import { documentSchema, toDocumentView } from './engine/screening-views.js';
import { documentColumns } from './screening-reads.js';

const bookingParams = z.object({ id: z.uuid() }).strict();
const documentParams = z.object({ id: z.uuid(), documentId: z.uuid() }).strict();
const noQuery = z.object({}).strict();
/** Documents are uploaded and reviewed for sessions still to come, including one that waits for them to be confirmed. */
const STILL_TO_COME: readonly string[] = ['held', 'awaiting_clearance', 'confirmed'];

const uploadBody = z
  .object({
    filename: z.string().trim().min(1).max(200),
    contentBase64: z
      .string()
      .min(4)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Send the file as standard base64')
      .describe(`The file, base64-encoded: a PDF, PNG or JPEG of at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`),
  })
  .strict();

const reviewBody = z
  .object({ decision: z.enum(['verify', 'reject']), note: z.string().trim().max(500).optional() })
  .strict()
  .refine((b) => b.decision === 'verify' || (b.note !== undefined && b.note.length > 0), {
    message: 'Say why the document is rejected',
    path: ['note'],
    params: { code: 'required' },
  });

/** Medical clearance documents of a booking: upload, list and download (audited), and review by the therapist or an operator. */
export function registerClearanceDocumentRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;

  app.post(
    '/api/bookings/:id/clearance-documents',
    {
      bodyLimit: Math.ceil((MAX_DOCUMENT_BYTES * 4) / 3) + 64 * 1024,
      schema: {
        tags: ['screening'],
        summary: 'Upload a medical clearance document for a booking (PDF, PNG or JPEG, at most 5 MB)',
        description:
          'By the client, the booked therapist or an operator. The type is recognised from the file’s content (415 unsupported_document_type otherwise); larger files are refused with 413. The booked therapist or an operator then verifies it; check-in waits until every required clearance is covered.',
        params: bookingParams,
        body: uploadBody,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'invalid_transition', 'unsupported_document_type'],
        response: { 201: documentSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const content = Buffer.from(request.body.contentBase64, 'base64');
      if (content.length > MAX_DOCUMENT_BYTES) {
        throw new ProblemError(
          'payload_too_large',
          `The document is ${(content.length / 1024 / 1024).toFixed(1)} MB; the limit is 5 MB`,
          {
            errors: [{ field: 'contentBase64', in: 'body', code: 'too_large', message: 'At most 5 MB' }],
          },
        );
      }
      const type = sniffDocumentType(content);
      if (!type) {
        throw new ProblemError('unsupported_document_type', 'The file is not a PDF, PNG or JPEG', {
          errors: [
            { field: 'contentBase64', in: 'body', code: 'unsupported_type', message: 'Send a PDF, PNG or JPEG' },
          ],
        });
      }
      const now = clock.now();
      const created = await db.transaction().execute(async (trx) => {
        const booking = await lockedBookingForChange(trx, user, request.params.id);
        if (!STILL_TO_COME.includes(booking.status))
          throw new ProblemError('invalid_transition', 'Clearance documents are for sessions still to come');
        const row = await trx
          .insertInto('clearance_documents')
          .values({
            booking_id: booking.id,
            client_id: booking.client_id,
            filename: safeFilename(request.body.filename),
            content_type: type,
            size_bytes: content.length,
            sha256: createHash('sha256').update(content).digest('hex'),
            content,
            uploaded_by: user.id,
            uploaded_at: new Date(now),
          })
          .returning(documentColumns)
          .executeTakeFirstOrThrow();
        await writeAudit(
          trx,
          {
            actor: user,
            action: 'clearance.uploaded',
            subjectType: 'clearance_document',
            subjectId: row.id,
            subjectUserId: booking.client_id,
          },
          now,
        );
        if (user.id !== booking.therapist_id) {
          await enqueueMessages(
            trx,
            [
              {
                userId: booking.therapist_id,
                kind: 'clearance.uploaded',
                subject: 'A clearance document is waiting for your review',
                text: 'A medical clearance document was uploaded for an upcoming session. Review it in Knotwork before the session.',
                bookingId: booking.id,
              },
            ],
            now,
          );
        }
        return row;
      });
      return reply.code(201).send(toDocumentView(created));
    },
  );

  app.get(
    '/api/bookings/:id/clearance-documents',
    {
      schema: {
        tags: ['screening'],
        summary: 'The clearance documents of a booking (audited)',
        params: bookingParams,
        querystring: noQuery,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: z.array(documentSchema) },
      },
    },
    async (request) =>
      db.transaction().execute(async (trx) => {
        await authorizeBookingHealthRead(trx, request.user, request.params.id, 'clearance_document', clock.now(), {
          list: true,
        });
        const rows = await trx
          .selectFrom('clearance_documents')
          .select(documentColumns)
          .where('booking_id', '=', request.params.id)
          .orderBy('uploaded_at')
          .execute();
        return rows.map(toDocumentView);
      }),
  );

  app.get(
    '/api/bookings/:id/clearance-documents/:documentId',
    {
      schema: {
        tags: ['screening'],
        summary: 'Download a clearance document (audited; always as an attachment)',
        params: documentParams,
        querystring: noQuery,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        produces: ['application/pdf', 'image/png', 'image/jpeg'],
        response: { 200: z.unknown().describe('The file: application/pdf, image/png or image/jpeg') },
      },
    },
    async (request, reply) => {
      const document = await db.transaction().execute(async (trx) => {
        await authorizeBookingHealthRead(trx, request.user, request.params.id, 'clearance_document', clock.now(), {
          documentId: request.params.documentId,
        });
        const row = await trx
          .selectFrom('clearance_documents')
          .select(['filename', 'content_type', 'content'])
          .where('id', '=', request.params.documentId)
          .where('booking_id', '=', request.params.id)
          .executeTakeFirst();
        if (!row) throw new ProblemError('not_found', 'No such document');
        return row;
      });
      return reply
        .header('content-type', document.content_type)
        .header('content-disposition', attachmentDisposition(document.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(Buffer.from(document.content));
    },
  );

  app.post(
    '/api/bookings/:id/clearance-documents/:documentId/review',
    {
      schema: {
        tags: ['screening'],
        summary: 'Verify or reject a clearance document (the booked therapist or an operator)',
        description:
          'Verifying records which clearance requirements of the booking’s current screening the document covers. A booking awaiting clearance whose requirements are then all covered is confirmed and charged (released free of charge if its deadline has passed).',
        params: documentParams,
        body: reviewBody,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'invalid_transition', 'already_reviewed'],
        response: { 200: documentSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist', 'operator');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const booking = await lockedBookingForChange(trx, user, request.params.id);
        if (!STILL_TO_COME.includes(booking.status))
          throw new ProblemError('invalid_transition', 'Clearance documents are reviewed for sessions still to come');
        const document = await trx
          .selectFrom('clearance_documents')
          .select(['id', 'status'])
          .where('id', '=', request.params.documentId)
          .where('booking_id', '=', booking.id)
          .forUpdate()
          .executeTakeFirst();
        if (!document) throw new ProblemError('not_found', 'No such document');
        if (document.status !== 'submitted') throw new ProblemError('already_reviewed');
        const covers =
          request.body.decision === 'verify' ? ((await latestScreening(trx, booking.id))?.clearanceRuleIds ?? []) : [];
        const updated = await trx
          .updateTable('clearance_documents')
          .set({
            status: request.body.decision === 'verify' ? 'verified' : 'rejected',
            covers: JSON.stringify(covers),
            reviewed_by: user.id,
            reviewed_at: new Date(now),
            review_note: request.body.note ?? null,
          })
          .where('id', '=', document.id)
          .returning(documentColumns)
          .executeTakeFirstOrThrow();
        await writeAudit(
          trx,
          {
            actor: user,
            action: `clearance.${request.body.decision === 'verify' ? 'verified' : 'rejected'}`,
            subjectType: 'clearance_document',
            subjectId: document.id,
            subjectUserId: booking.client_id,
          },
          now,
        );
        await enqueueMessages(
          trx,
          [
            {
              userId: booking.client_id,
              kind: 'clearance.reviewed',
              subject:
                request.body.decision === 'verify'
                  ? 'Your clearance document was accepted'
                  : 'Your clearance document was not accepted',
              text:
                request.body.decision === 'verify'
                  ? 'Your medical clearance document was checked and accepted for your upcoming session.'
                  : 'Your medical clearance document could not be accepted. Open Knotwork to see why and upload another one before your session.',
              bookingId: booking.id,
            },
          ],
          now,
        );
        // A booking that waited for this clearance is confirmed (and charged) now, or released past its deadline.
        if (request.body.decision === 'verify') await settleClearance(trx, booking, user, now);
        return toDocumentView(updated);
      });
    },
  );
}
