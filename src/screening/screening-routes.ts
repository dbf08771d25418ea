import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { writeAudit } from '../accounts/audit.js';
import { requireUser } from '../accounts/request-user.js';
import type { SignedInUser } from '../accounts/sessions.js';
import { canSeeBooking } from '../booking/booking-view.js';
import type { DB } from '../schema.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import { regionRefLabel } from '../domain/body-regions.js';
import { authorizeBookingHealthRead, authorizeHealthRead, healthAccessBasis } from '../intake/health-access.js';
import { regionRef } from '../intake/engine/intake-schema.js';
import { loadIntake } from '../intake/intake-store.js';
import { enqueueMessages } from '../notify/outbox.js';
import { isoDate } from '../therapists/engine/therapist-schemas.js';
import { todayIn } from '../therapists/today.js';
import { type BookingScreening, clearanceStatus, latestScreening, notifyScreeningChanged, screenBooking } from './booking-screening.js';
import { registerFlaggedScreeningRoutes } from './flagged-screenings-routes.js';
import { MAX_DOCUMENT_BYTES, attachmentDisposition, safeFilename, sniffDocumentType } from './engine/clearance-document.js';
import { CONTRAINDICATIONS, ENDANGERMENT_ENTRY, type Effect, FOCUS_REGIONS_EXCLUDED, type RegionScope, WINDOWS } from './engine/contraindication-catalogue.js';
import { PRESSURE_LABELS, type Pressure } from '../domain/screening-vocabulary.js';
import { REFERRAL_PATTERNS } from './engine/referred-pain.js';
import { defaultFocusRegions, screen } from './engine/screening-engine.js';
import { clientScreeningSchema, documentSchema, screeningDecisionSchema, sourcesOf, toClientView, toDecisionView } from './engine/screening-views.js';

type Trx = Transaction<DB>;
const DAY = 86_400_000;

const bookingParams = z.object({ id: z.uuid() }).strict();
const documentParams = z.object({ id: z.uuid(), documentId: z.uuid() }).strict();
const noQuery = z.object({}).strict();

const clearanceStatusSchema = z.enum(['not_required', 'pending', 'verified']);

export const bookingScreeningSchema = z
  .object({
    bookingId: z.uuid(),
    intakeVersion: z.number(),
    stage: z.string(),
    screenedAt: z.iso.datetime(),
    clearance: z.object({ status: clearanceStatusSchema, requiredFor: z.array(z.string()).describe('Rule ids a verified document must cover') }),
    forClient: clientScreeningSchema,
    decision: screeningDecisionSchema,
    overrides: z.array(z.object({ ruleId: z.string(), reason: z.string(), therapistId: z.uuid(), createdAt: z.iso.datetime() })),
  })
  .meta({ id: 'BookingScreening' });


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

const overrideBody = z
  .object({
    ruleId: z.string().min(1).max(80),
    reason: z.string().trim().min(10, 'Say why, in at least 10 characters').max(500),
  })
  .strict();

const previewQuery = z
  .object({
    date: isoDate.optional().describe('The session day; default today (UTC)'),
    focusRegions: z
      .string()
      .transform((s) => s.split(',').map((x) => x.trim()))
      .pipe(z.array(regionRef).max(20))
      .optional()
      .describe('Comma-separated body-map regions; default the regions marked on your intake'),
  })
  .strict();

function describeScope(scope: RegionScope): string {
  switch (scope.kind) {
    case 'whole_body':
      return 'the whole body';
    case 'group':
      return scope.group;
    case 'sites':
      return 'the client’s sites';
    case 'sites_and_distal':
      return 'the sites and everything distal on the same limb';
    case 'refs':
      return scope.refs.map(regionRefLabel).join(', ');
  }
}

function describeEffect(effect: Effect): string {
  switch (effect.kind) {
    case 'block':
      return 'No massage: the booking cannot go ahead';
    case 'exclude':
      return `Excludes ${describeScope(effect.scope)}`;
    case 'cap':
      return `Caps pressure at ${effect.max} (${PRESSURE_LABELS[effect.max]}) on ${describeScope(effect.scope)}`;
    case 'clearance':
      return `Clearance ${effect.level} from ${effect.from}`;
    case 'advice':
      return `Advice (${effect.topic}): ${effect.text}`;
    case 'avoid_technique':
      return `No ${effect.technique.replaceAll('_', ' ')} on ${describeScope(effect.scope)}`;
  }
}

const catalogueSchema = z.object({
  pressureScale: z.record(z.string(), z.string()),
  conditions: z.array(
    z.object({
      id: z.string(),
      condition: z.string(),
      referenceClass: z.string(),
      regionsAffected: z.string(),
      sources: z.array(z.object({ key: z.string(), where: z.string() })),
      rules: z.array(z.object({ id: z.string(), class: z.enum(['A', 'L', 'R']), overridable: z.boolean(), effects: z.array(z.string()), clientMessage: z.string(), therapistReason: z.string() })),
    }),
  ),
  combination: z.object({ id: z.string(), clientMessage: z.string(), therapistReason: z.string() }),
  windowsInDays: z.record(z.string(), z.number()),
  referredPain: z.array(z.object({ muscle: z.string(), muscleName: z.string(), locatedIn: z.string(), painFeltAt: z.array(z.string()), pattern: z.string(), sources: z.array(z.object({ key: z.string(), where: z.string() })) })),
});

export function registerScreeningRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;
  registerFlaggedScreeningRoutes(app, ctx);

  const screeningView = async (trx: Trx, screening: BookingScreening) => {
    const [overrides, verified] = await Promise.all([
      trx.selectFrom('screening_overrides').selectAll().where('booking_id', '=', screening.bookingId).orderBy('created_at').execute(),
      trx.selectFrom('clearance_documents').select('covers').where('booking_id', '=', screening.bookingId).where('status', '=', 'verified').execute(),
    ]);
    return {
      bookingId: screening.bookingId,
      intakeVersion: screening.intakeVersion,
      stage: screening.stage,
      screenedAt: screening.createdAt.toISOString(),
      clearance: { status: clearanceStatus(screening.clearanceRuleIds, verified.map((d) => d.covers)), requiredFor: screening.clearanceRuleIds },
      forClient: toClientView(screening.decision),
      decision: toDecisionView(screening.decision),
      overrides: overrides.map((o) => ({ ruleId: o.rule_id, reason: o.reason, therapistId: o.therapist_id, createdAt: o.created_at.toISOString() })),
    };
  };

  /** The booking under a row lock, for changes by someone who may read its client's health data. */
  const lockedBookingForChange = async (trx: Trx, user: SignedInUser, id: string) => {
    const booking = await trx.selectFrom('bookings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!booking || !canSeeBooking(user, booking)) throw new ProblemError('not_found', 'No such booking');
    if (!(await healthAccessBasis(trx, user, booking.client_id))) throw new ProblemError('forbidden', 'Only a therapist the client has booked can do this');
    return booking;
  };

  app.get(
    '/api/screening/catalogue',
    {
      schema: {
        tags: ['screening'],
        summary: 'The contraindication catalogue: conditions, classes, what each rule does, and sources',
        querystring: noQuery,
        response: { 200: catalogueSchema },
      },
    },
    async () => ({
      pressureScale: Object.fromEntries(Object.entries(PRESSURE_LABELS)),
      conditions: [...CONTRAINDICATIONS, ENDANGERMENT_ENTRY].map((e) => ({
        id: e.id,
        condition: e.condition,
        referenceClass: e.referenceClass,
        regionsAffected: e.regionsAffected,
        sources: sourcesOf(e.sources),
        rules: e.rules.map((r) => ({ id: r.id, class: r.class, overridable: r.overridable, effects: r.effects.map(describeEffect), clientMessage: r.clientMessage, therapistReason: r.therapistReason })),
      })),
      combination: { id: FOCUS_REGIONS_EXCLUDED.id, clientMessage: FOCUS_REGIONS_EXCLUDED.clientMessage, therapistReason: FOCUS_REGIONS_EXCLUDED.therapistReason },
      windowsInDays: Object.fromEntries(Object.entries(WINDOWS)),
      referredPain: REFERRAL_PATTERNS.map((p) => ({ ...p, painFeltAt: [...p.painFeltAt], sources: sourcesOf(p.sources) })),
    }),
  );

  app.get(
    '/api/me/screening',
    {
      schema: {
        tags: ['screening'],
        summary: 'Whether deep tissue massage suits you: your screening for a session on a given day',
        querystring: previewQuery,
        problems: ['unauthenticated', 'forbidden', 'intake_required'],
        response: { 200: z.object({ intakeVersion: z.number(), date: z.string(), forClient: clientScreeningSchema, decision: screeningDecisionSchema }) },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      const now = clock.now();
      const date = request.query.date ?? todayIn('UTC', now);
      const day = Date.parse(`${date}T00:00:00Z`);
      if (day < now - 2 * DAY || day > now + 400 * DAY) throw fieldProblem('date', 'out_of_range', 'Pick a day between today and about a year ahead', 'query');
      return db.transaction().execute(async (trx) => {
        await authorizeHealthRead(trx, client, { clientId: client.id, record: 'screening', subjectId: client.id, detail: { preview: date } }, now);
        const intake = await loadIntake(trx, client.id);
        if (!intake) throw new ProblemError('intake_required', 'Complete your consultation (PUT /api/me/intake) first');
        const decision = screen(intake.intake, {
          date,
          regions: request.query.focusRegions ?? defaultFocusRegions(intake.intake),
          pressure: intake.intake.pressure.preference as Pressure,
        }, { today: todayIn('UTC', now) });
        return { intakeVersion: intake.version, date, forClient: toClientView(decision), decision: toDecisionView(decision) };
      });
    },
  );

  app.get(
    '/api/bookings/:id/screening',
    {
      schema: {
        tags: ['screening'],
        summary: 'The health screening of a booking: outcome, flags with reasons and sources, caps, clearance (audited)',
        params: bookingParams,
        querystring: noQuery,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: bookingScreeningSchema },
      },
    },
    async (request) =>
      db.transaction().execute(async (trx) => {
        await authorizeBookingHealthRead(trx, request.user, request.params.id, 'screening', clock.now());
        const screening = await latestScreening(trx, request.params.id);
        if (!screening) throw new ProblemError('not_found', 'This booking has no current screening');
        return screeningView(trx, screening);
      }),
  );

  app.post(
    '/api/bookings/:id/screening/overrides',
    {
      schema: {
        tags: ['screening'],
        summary: 'Override a caution for this booking (the booked therapist, with a reason)',
        description:
          'Lifts the effects of one flag (class L or R) for this booking; the flag stays on record, marked overridden, with the reason. Absolute contraindications (A), endangerment sites and tumour sites cannot be overridden (422 override_not_allowed). The booking is screened again; if its outcome changes, client and therapist are told.',
        params: bookingParams,
        body: overrideBody,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'invalid_transition', 'already_overridden', 'override_not_allowed', 'intake_required'],
        response: { 201: bookingScreeningSchema },
      },
    },
    async (request, reply) => {
      const therapist = requireUser(request, 'therapist');
      const now = clock.now();
      const view = await db.transaction().execute(async (trx) => {
        const booking = await lockedBookingForChange(trx, therapist, request.params.id);
        if (booking.status !== 'held' && booking.status !== 'confirmed') {
          throw new ProblemError('invalid_transition', 'Flags can only be overridden before the session');
        }
        const current = await latestScreening(trx, booking.id);
        const flag = current?.decision.flags.find((f) => f.ruleId === request.body.ruleId);
        if (!current || !flag) throw fieldProblem('ruleId', 'not_flagged', 'This booking has no such flag');
        if (!flag.overridable) {
          throw new ProblemError('override_not_allowed', flag.class === 'A' ? 'An absolute contraindication can never be overridden' : 'This flag cannot be overridden', {
            errors: [{ field: 'ruleId', in: 'body', code: 'not_overridable', message: 'Not overridable' }],
          });
        }
        if (flag.overridden) throw new ProblemError('already_overridden');
        await trx
          .insertInto('screening_overrides')
          .values({ booking_id: booking.id, rule_id: flag.ruleId, therapist_id: therapist.id, reason: request.body.reason, created_at: new Date(now) })
          .execute();
        await writeAudit(trx, { actor: therapist, action: 'screening.override', subjectType: 'booking', subjectId: booking.id, subjectUserId: booking.client_id }, now);
        const { screening, previous } = await screenBooking(trx, booking.id, 'override', now);
        if (previous?.outcome !== screening.outcome) await notifyScreeningChanged(trx, booking.id, previous?.outcome ?? null, screening.outcome, now);
        return screeningView(trx, screening);
      });
      return reply.code(201).send(view);
    },
  );

  const documentView = (d: {
    id: string;
    booking_id: string;
    filename: string;
    content_type: string;
    size_bytes: number;
    sha256: string;
    status: 'submitted' | 'verified' | 'rejected';
    uploaded_at: Date;
    reviewed_at: Date | null;
    review_note: string | null;
    covers: string[];
  }) => ({
    id: d.id,
    bookingId: d.booking_id,
    filename: d.filename,
    contentType: d.content_type,
    sizeBytes: d.size_bytes,
    sha256: d.sha256,
    status: d.status,
    uploadedAt: d.uploaded_at.toISOString(),
    reviewedAt: d.reviewed_at?.toISOString() ?? null,
    reviewNote: d.review_note,
    covers: d.covers,
  });
  const documentColumns = ['id', 'booking_id', 'filename', 'content_type', 'size_bytes', 'sha256', 'status', 'uploaded_at', 'reviewed_at', 'review_note', 'covers'] as const;

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
        throw new ProblemError('payload_too_large', `The document is ${(content.length / 1024 / 1024).toFixed(1)} MB; the limit is 5 MB`, {
          errors: [{ field: 'contentBase64', in: 'body', code: 'too_large', message: 'At most 5 MB' }],
        });
      }
      const type = sniffDocumentType(content);
      if (!type) {
        throw new ProblemError('unsupported_document_type', 'The file is not a PDF, PNG or JPEG', {
          errors: [{ field: 'contentBase64', in: 'body', code: 'unsupported_type', message: 'Send a PDF, PNG or JPEG' }],
        });
      }
      const now = clock.now();
      const created = await db.transaction().execute(async (trx) => {
        const booking = await lockedBookingForChange(trx, user, request.params.id);
        if (booking.status !== 'held' && booking.status !== 'confirmed') throw new ProblemError('invalid_transition', 'Clearance documents are for sessions still to come');
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
        await writeAudit(trx, { actor: user, action: 'clearance.uploaded', subjectType: 'clearance_document', subjectId: row.id, subjectUserId: booking.client_id }, now);
        if (user.id !== booking.therapist_id) {
          await enqueueMessages(trx, [{ userId: booking.therapist_id, kind: 'clearance.uploaded', subject: 'A clearance document is waiting for your review', text: 'A medical clearance document was uploaded for an upcoming session. Review it in Knotwork before the session.', bookingId: booking.id }], now);
        }
        return row;
      });
      return reply.code(201).send(documentView(created));
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
        await authorizeBookingHealthRead(trx, request.user, request.params.id, 'clearance_document', clock.now(), { list: true });
        const rows = await trx.selectFrom('clearance_documents').select(documentColumns).where('booking_id', '=', request.params.id).orderBy('uploaded_at').execute();
        return rows.map(documentView);
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
        await authorizeBookingHealthRead(trx, request.user, request.params.id, 'clearance_document', clock.now(), { documentId: request.params.documentId });
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
        description: 'Verifying records which clearance requirements of the booking’s current screening the document covers.',
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
        if (booking.status !== 'held' && booking.status !== 'confirmed') throw new ProblemError('invalid_transition', 'Clearance documents are reviewed for sessions still to come');
        const document = await trx
          .selectFrom('clearance_documents')
          .select(['id', 'status'])
          .where('id', '=', request.params.documentId)
          .where('booking_id', '=', booking.id)
          .forUpdate()
          .executeTakeFirst();
        if (!document) throw new ProblemError('not_found', 'No such document');
        if (document.status !== 'submitted') throw new ProblemError('already_reviewed');
        const covers = request.body.decision === 'verify' ? ((await latestScreening(trx, booking.id))?.clearanceRuleIds ?? []) : [];
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
        await writeAudit(trx, { actor: user, action: `clearance.${request.body.decision === 'verify' ? 'verified' : 'rejected'}`, subjectType: 'clearance_document', subjectId: document.id, subjectUserId: booking.client_id }, now);
        await enqueueMessages(
          trx,
          [
            {
              userId: booking.client_id,
              kind: 'clearance.reviewed',
              subject: request.body.decision === 'verify' ? 'Your clearance document was accepted' : 'Your clearance document was not accepted',
              text:
                request.body.decision === 'verify'
                  ? 'Your medical clearance document was checked and accepted for your upcoming session.'
                  : 'Your medical clearance document could not be accepted. Open Knotwork to see why and upload another one before your session.',
              bookingId: booking.id,
            },
          ],
          now,
        );
        return documentView(updated);
      });
    },
  );
}
