import { z } from 'zod';
import { writeAudit } from '../accounts/audit.js';
import { requireUser } from '../accounts/request-user.js';
import type { SignedInUser } from '../accounts/sessions.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError } from '../domain/problems.js';
import { notifyConsultationWithdrawn, rescreenUpcomingBookings } from '../screening/booking-screening.js';
import type { Pressure } from '../domain/screening-vocabulary.js';
import { OUTCOMES, defaultFocusRegions, screen } from '../screening/engine/screening-engine.js';
import { clientScreeningSchema, documentSchema, screeningDecisionSchema, toClientView, toDecisionView } from '../screening/engine/screening-views.js';
import { todayIn } from '../therapists/today.js';
import { BODY_REGIONS, refsOfRegion } from '../domain/body-regions.js';
import { registerBriefRoutes } from './brief-routes.js';
import { eraseSessionRecords, exportSessionRecords, sessionRecordsExportShape } from '../records/health-records.js';
import { authorizeHealthRead } from './health-access.js';
import { intakeDateProblems, intakeSchema, normalizeIntake } from './engine/intake-schema.js';
import { loadIntake, saveIntakeVersion } from './intake-store.js';

/**
 * The latest calendar date anywhere on Earth (UTC+14). A date the client gives is "in the future" only past it,
 * so nobody's own today is refused, whatever their zone.
 */
const latestDateOnEarth = (now: number) => todayIn('Pacific/Kiritimati', now);

const versionQuery = z.object({ version: z.coerce.number().int().min(1).max(100_000).optional().describe('A past version; default the latest') }).strict();
const noQuery = z.object({}).strict();

export const intakeVersionSchema = z
  .object({ clientId: z.uuid(), version: z.number(), createdAt: z.iso.datetime(), intake: intakeSchema })
  .meta({ id: 'IntakeVersion' });

const bodyRegionsSchema = z.array(
  z.object({
    id: z.string(),
    label: z.string(),
    view: z.enum(['front', 'back']),
    lateral: z.boolean(),
    refs: z.array(z.string()).describe('What an intake or a booking names: the id, or id.left / id.right'),
    muscles: z.array(z.object({ id: z.string(), name: z.string() })),
    endangerment: z.object({ structures: z.string(), sources: z.array(z.string()) }).nullable(),
  }),
);

const exportSchema = z.object({
  exportedAt: z.iso.datetime(),
  client: z.object({ id: z.uuid(), email: z.string(), displayName: z.string() }),
  intakeVersions: z.array(intakeVersionSchema),
  screenings: z.array(
    z.object({ bookingId: z.uuid(), stage: z.string(), intakeVersion: z.number(), outcome: z.enum(OUTCOMES), screenedAt: z.iso.datetime(), decision: screeningDecisionSchema }),
  ),
  overrides: z.array(z.object({ bookingId: z.uuid(), ruleId: z.string(), reason: z.string(), therapistId: z.uuid(), createdAt: z.iso.datetime() })),
  clearanceDocuments: z.array(documentSchema.omit({ covers: true })),
  accessLog: z
    .array(
      z.object({
        at: z.iso.datetime(),
        actor: z.object({ id: z.uuid(), role: z.string(), displayName: z.string() }).nullable(),
        action: z.string(),
        record: z.string(),
        subjectId: z.string(),
      }),
    )
    .describe('Who read or changed your health information, and when'),
  ...sessionRecordsExportShape,
});

/** What erasure keeps, and why; returned to the client and documented in docs/ARCHITECTURE.md. */
const KEPT_AFTER_ERASURE = [
  'Your account (name, e-mail), so you can still sign in.',
  'Your bookings and their history (therapist, time, place, price, status), which the therapist’s calendar and the ledger need.',
  'Ledger entries (charges, fees, refunds), which bookkeeping law requires.',
  'Messages already sent to you; they never contain health details.',
  'The access log (who read or changed your health information, and when, without its content), so access stays accountable.',
  'Attendance (check-in and check-out times, no-shows) as part of the bookings, and ratings and prefer/never choices, which are not health information.',
];

export function registerIntakeRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;
  registerBriefRoutes(app, ctx);

  app.get(
    '/api/body-regions',
    {
      schema: {
        tags: ['intake'],
        summary: 'The body map: regions front and back, their muscles, and the endangerment sites',
        querystring: noQuery,
        response: { 200: bodyRegionsSchema },
      },
    },
    async () =>
      BODY_REGIONS.map((r) => ({
        id: r.id,
        label: r.label,
        view: r.view,
        lateral: r.lateral,
        refs: refsOfRegion(r.id),
        muscles: [...r.muscles],
        endangerment: 'endangerment' in r ? { structures: r.endangerment.structures, sources: [...r.endangerment.sources] } : null,
      })),
  );

  app.put(
    '/api/me/intake',
    {
      schema: {
        tags: ['intake'],
        summary: 'Save your consultation (a new version)',
        description:
          'Saves the whole intake as your next version; earlier versions are kept and bookings record the version they were screened on. Both consents are needed (422 consent_required): without consent to data processing Knotwork may not keep the answers, and without consent to treatment there is no session to screen. Your upcoming bookings are screened again; where the outcome changes, you and the therapist are told. The response previews the screening for a general session today.',
        querystring: noQuery,
        body: intakeSchema,
        problems: ['unauthenticated', 'forbidden', 'consent_required'],
        response: {
          200: z.object({
            version: intakeVersionSchema,
            preview: clientScreeningSchema,
            rescreened: z.array(z.object({ bookingId: z.uuid(), from: z.enum(OUTCOMES).nullable(), to: z.enum(OUTCOMES) })),
          }),
        },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      const now = clock.now();
      const dateProblems = intakeDateProblems(request.body, latestDateOnEarth(now));
      if (dateProblems.length > 0) throw new ProblemError('validation_failed', dateProblems.map((p) => `${p.field}: ${p.message}`).join('; '), { errors: dateProblems });
      const missingConsent = (['treatment', 'dataProcessing'] as const).filter((k) => !request.body.consent[k]);
      if (missingConsent.length > 0) {
        throw new ProblemError('consent_required', 'Both consents are needed to save your consultation and to book deep tissue massage', {
          errors: missingConsent.map((k) => ({ field: `consent.${k}`, in: 'body' as const, code: 'consent_required', message: 'Consent is needed' })),
        });
      }
      const today = todayIn('UTC', now);
      const intake = normalizeIntake(request.body, today);
      return db.transaction().execute(async (trx) => {
        const saved = await saveIntakeVersion(trx, client.id, intake, now);
        const rescreened = await rescreenUpcomingBookings(trx, client.id, now);
        const preview = screen(intake, { date: today, regions: defaultFocusRegions(intake), pressure: intake.pressure.preference as Pressure });
        return {
          version: { clientId: client.id, version: saved.version, createdAt: saved.createdAt.toISOString(), intake: saved.intake },
          preview: toClientView(preview),
          rescreened,
        };
      });
    },
  );

  const readIntake = async (viewer: SignedInUser | null, clientId: string, version: number | undefined) =>
    db.transaction().execute(async (trx) => {
      await authorizeHealthRead(trx, viewer, { clientId, record: 'intake', subjectId: clientId, detail: { version: version ?? 'latest' } }, clock.now());
      const found = await loadIntake(trx, clientId, version);
      if (!found) throw new ProblemError('not_found', version ? `No intake version ${version}` : 'No consultation has been saved yet');
      return { clientId, version: found.version, createdAt: found.createdAt.toISOString(), intake: found.intake };
    });

  app.get(
    '/api/me/intake',
    {
      schema: {
        tags: ['intake'],
        summary: 'Your consultation (latest version, or ?version=)',
        querystring: versionQuery,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: intakeVersionSchema },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      return readIntake(client, client.id, request.query.version);
    },
  );

  app.get(
    '/api/clients/:clientId/intake',
    {
      schema: {
        tags: ['intake'],
        summary: 'A client’s consultation: for the client, their booked therapists and operators (audited)',
        description: 'A therapist may read it while they have a held, confirmed, checked-in, completed or no-show booking with the client. Every read is recorded in the client’s access log.',
        params: z.object({ clientId: z.uuid() }).strict(),
        querystring: versionQuery,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: intakeVersionSchema },
      },
    },
    async (request) => readIntake(request.user, request.params.clientId, request.query.version),
  );

  app.get(
    '/api/me/health-data',
    {
      schema: {
        tags: ['intake'],
        summary: 'Export all your health information',
        description:
          'Every intake version, every screening of your bookings, therapist overrides, clearance documents (metadata; download each from its booking), session notes with their amendments, outcome measurements, treatment plans, and who read or changed your health information.',
        querystring: noQuery,
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: exportSchema },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        await authorizeHealthRead(trx, client, { clientId: client.id, record: 'health_data_export', subjectId: client.id }, now);
        const [versions, screenings, overrides, documents, log] = await Promise.all([
          trx.selectFrom('intake_versions').selectAll().where('client_id', '=', client.id).orderBy('version').execute(),
          trx.selectFrom('booking_screenings').selectAll().where('client_id', '=', client.id).orderBy('id').execute(),
          trx
            .selectFrom('screening_overrides as o')
            .innerJoin('bookings as b', 'b.id', 'o.booking_id')
            .selectAll('o')
            .where('b.client_id', '=', client.id)
            .orderBy('o.created_at')
            .execute(),
          trx
            .selectFrom('clearance_documents')
            .select(['id', 'booking_id', 'filename', 'content_type', 'size_bytes', 'sha256', 'status', 'uploaded_at', 'reviewed_at', 'review_note'])
            .where('client_id', '=', client.id)
            .orderBy('uploaded_at')
            .execute(),
          trx
            .selectFrom('audit_log as a')
            .leftJoin('users as u', 'u.id', 'a.actor_id')
            .select(['a.at', 'a.actor_id', 'a.actor_role', 'u.display_name', 'a.action', 'a.subject_type', 'a.subject_id'])
            .where('a.subject_user_id', '=', client.id)
            .orderBy('a.id')
            .execute(),
        ]);
        return {
          exportedAt: new Date(now).toISOString(),
          client: { id: client.id, email: client.email, displayName: client.displayName },
          intakeVersions: versions.map((v) => ({ clientId: client.id, version: v.version, createdAt: v.created_at.toISOString(), intake: v.data })),
          screenings: screenings.map((s) => ({
            bookingId: s.booking_id,
            stage: s.stage,
            intakeVersion: s.intake_version,
            outcome: s.outcome,
            screenedAt: s.created_at.toISOString(),
            decision: toDecisionView(s.decision),
          })),
          overrides: overrides.map((o) => ({ bookingId: o.booking_id, ruleId: o.rule_id, reason: o.reason, therapistId: o.therapist_id, createdAt: o.created_at.toISOString() })),
          clearanceDocuments: documents.map((d) => ({
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
          })),
          ...(await exportSessionRecords(trx, client.id)),
          accessLog: log.map((a) => ({
            at: a.at.toISOString(),
            actor: a.actor_id && a.actor_role ? { id: a.actor_id, role: a.actor_role, displayName: a.display_name ?? '' } : null,
            action: a.action,
            record: a.subject_type,
            subjectId: a.subject_id,
          })),
        };
      });
    },
  );

  app.delete(
    '/api/me/health-data',
    {
      schema: {
        tags: ['intake'],
        summary: 'Erase your health information',
        description:
          'Erases every intake version, every screening of your bookings, therapist overrides, clearance documents, session notes (signed ones and their amendments too), outcome measurements, treatment plans, aftercare (sent too), check-ins and care alerts, in one transaction. Kept (and listed in the response): your account, bookings and their history (attendance included), the ledger, messages (which never hold health details), ratings and the access log. Upcoming sessions cannot start until you complete the consultation again; their therapists are told.',
        querystring: noQuery,
        problems: ['unauthenticated', 'forbidden'],
        response: {
          200: z.object({
            erased: z.object({
              intakeVersions: z.number(),
              screenings: z.number(),
              overrides: z.number(),
              clearanceDocuments: z.number(),
              sessionNotes: z.number(),
              noteAmendments: z.number(),
              outcomeMeasurements: z.number(),
              treatmentPlans: z.number(),
              liveSignals: z.number(),
              aftercare: z.number(),
              checkIns: z.number(),
              careAlerts: z.number(),
            }),
            kept: z.array(z.string()),
          }),
        },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const bookingIds = trx.selectFrom('bookings').select('id').where('client_id', '=', client.id);
        const overrides = await trx.deleteFrom('screening_overrides').where('booking_id', 'in', bookingIds).executeTakeFirst();
        const documents = await trx.deleteFrom('clearance_documents').where('client_id', '=', client.id).executeTakeFirst();
        const screenings = await trx.deleteFrom('booking_screenings').where('client_id', '=', client.id).executeTakeFirst();
        const versions = await trx.deleteFrom('intake_versions').where('client_id', '=', client.id).executeTakeFirst();
        const records = await eraseSessionRecords(trx, client.id);
        const erased = {
          intakeVersions: Number(versions.numDeletedRows),
          screenings: Number(screenings.numDeletedRows),
          overrides: Number(overrides.numDeletedRows),
          clearanceDocuments: Number(documents.numDeletedRows),
          ...records,
        };
        await writeAudit(trx, { actor: client, action: 'health.erased', subjectType: 'health_data', subjectId: client.id, subjectUserId: client.id, detail: erased }, now);
        await notifyConsultationWithdrawn(trx, client.id, now);
        return { erased, kept: KEPT_AFTER_ERASURE };
      });
    },
  );
}
