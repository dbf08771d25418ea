import { z } from 'zod';
import { writeAudit } from '../accounts/audit.js';
import { requireUser } from '../accounts/request-user.js';
import type { SignedInUser } from '../accounts/sessions.js';
import type { Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { App, AppContext } from '../app-context.js';
import type { HealthDataRegistry } from '../health-data.js';
import { ProblemError } from '../domain/problems.js';
import type { Pressure } from '../domain/screening-vocabulary.js';
import { OUTCOMES, type Outcome, defaultFocusRegions, screen } from '../screening/engine/screening-engine.js';
import { clientScreeningSchema, toClientView } from '../screening/engine/screening-views.js';
import { todayIn } from '../therapists/today.js';
import { timeZone } from '../therapists/engine/therapist-schemas.js';
import { BODY_REGIONS, refsOfRegion } from '../domain/body-regions.js';
import { authorizeHealthRead } from './health-access.js';
import { injuryTimeProblems, intakeDateProblems, intakeSchema, normalizeIntake } from './engine/intake-schema.js';
import { loadIntake, saveIntakeVersion } from './intake-store.js';

/**
 * The latest calendar date anywhere on Earth (UTC+14). A date the client gives is "in the future" only past it,
 * so nobody's own today is refused, whatever their zone.
 */
const latestDateOnEarth = (now: number) => todayIn('Pacific/Kiritimati', now);

const versionQuery = z
  .object({
    version: z.coerce.number().int().min(1).max(100_000).optional().describe('A past version; default the latest'),
  })
  .strict();
const noQuery = z.object({}).strict();
const saveQuery = z
  .object({
    zone: timeZone
      .optional()
      .describe(
        'Your IANA zone (the web sends the browser’s): the preview screens a session on your today there, dates the intake fills in (a pregnancy’s "as of") are your day, and an injury’s time may not be still to come there. Default UTC.',
      ),
  })
  .strict();

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

/** The export: who and when, then every registered part of the client's health data (src/health-data.ts). */
const exportSchemaOf = (healthData: HealthDataRegistry) =>
  z.object({
    exportedAt: z.iso.datetime(),
    client: z.object({ id: z.uuid(), email: z.string(), displayName: z.string() }),
    ...healthData.exportShape,
  });

/** Records erasure keeps restricted for a while (signed session notes), told before and after. */
const keptRestrictedSchema = z
  .array(
    z.object({
      count: z.number().int(),
      until: z.iso.datetime().describe('When they are deleted'),
      lastDay: z.iso.date().describe('The last day they are kept, in the zone of the market whose rule keeps them'),
      sentence: z.string().describe('The rule in words: how many, how long and why, and the last day'),
    }),
  )
  .describe(
    'Signed session notes, kept restricted (read by no one) for the retention period of the market of the session, then deleted by a scheduled job',
  );

/** What erasure keeps, and why; returned to the client and documented in docs/ARCHITECTURE.md. */
const KEPT_AFTER_ERASURE = [
  'Your account (name, e-mail), so you can still sign in.',
  'Your bookings and their history (therapist, time, place, price, status), which the therapist’s calendar and the ledger need.',
  'Ledger entries (charges, fees, refunds, tips), payments, refunds and disputes at the card processor, your receipts, packages and gift cards, which bookkeeping law requires; and your saved cards (the processor’s tokens, never the card number), which you can remove yourself.',
  'Messages already sent to you; they never contain health details.',
  'The access log (who read or changed your health information, and when, without its content), so access stays accountable.',
  'Attendance (check-in and check-out times, no-shows) as part of the bookings, and ratings and prefer/never choices, which are not health information.',
];

/**
 * What intake asks of screening, which stands above it: src/http/app.ts wires screening's functions in, so intake
 * imports nothing of screening but its pure core. Each runs in the caller's transaction.
 */
export interface ScreeningPort {
  /** After a new intake version: screens the client's upcoming bookings again and tells both sides of any change. */
  rescreenUpcomingBookings(
    trx: Transaction<DB>,
    clientId: string,
    now: number,
  ): Promise<{ bookingId: string; from: Outcome | null; to: Outcome }[]>;
  /** After erasure: tells the client and therapists of upcoming sessions that a new consultation is needed. */
  notifyConsultationWithdrawn(trx: Transaction<DB>, clientId: string, now: number): Promise<void>;
}

export function registerIntakeRoutes(
  app: App,
  ctx: AppContext,
  screening: ScreeningPort,
  healthData: HealthDataRegistry,
) {
  const { db, clock } = ctx;

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
        endangerment:
          'endangerment' in r ? { structures: r.endangerment.structures, sources: [...r.endangerment.sources] } : null,
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
        querystring: saveQuery,
        body: intakeSchema,
        problems: ['unauthenticated', 'forbidden', 'consent_required'],
        response: {
          200: z.object({
            version: intakeVersionSchema,
            preview: clientScreeningSchema,
            rescreened: z.array(
              z.object({ bookingId: z.uuid(), from: z.enum(OUTCOMES).nullable(), to: z.enum(OUTCOMES) }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      const now = clock.now();
      const dateProblems = [
        ...intakeDateProblems(request.body, latestDateOnEarth(now)),
        ...(request.query.zone ? injuryTimeProblems(request.body, request.query.zone, now) : []),
      ];
      if (dateProblems.length > 0)
        throw new ProblemError('validation_failed', dateProblems.map((p) => `${p.field}: ${p.message}`).join('; '), {
          errors: dateProblems,
        });
      const missingConsent = (['treatment', 'dataProcessing'] as const).filter((k) => !request.body.consent[k]);
      if (missingConsent.length > 0) {
        throw new ProblemError(
          'consent_required',
          'Both consents are needed to save your consultation and to book deep tissue massage',
          {
            errors: missingConsent.map((k) => ({
              field: `consent.${k}`,
              in: 'body' as const,
              code: 'consent_required',
              message: 'Consent is needed',
            })),
          },
        );
      }
      const today = todayIn(request.query.zone ?? 'UTC', now);
      const intake = normalizeIntake(request.body, today);
      return db.transaction().execute(async (trx) => {
        const saved = await saveIntakeVersion(trx, client.id, intake, now);
        const rescreened = await screening.rescreenUpcomingBookings(trx, client.id, now);
        const preview = screen(intake, {
          date: today,
          startsAt: now,
          timeZone: request.query.zone ?? 'UTC',
          regions: defaultFocusRegions(intake),
          pressure: intake.pressure.preference as Pressure,
        });
        return {
          version: {
            clientId: client.id,
            version: saved.version,
            createdAt: saved.createdAt.toISOString(),
            intake: saved.intake,
          },
          preview: toClientView(preview),
          rescreened,
        };
      });
    },
  );

  const readIntake = async (viewer: SignedInUser | null, clientId: string, version: number | undefined) =>
    db.transaction().execute(async (trx) => {
      await authorizeHealthRead(
        trx,
        viewer,
        { clientId, record: 'intake', subjectId: clientId, detail: { version: version ?? 'latest' } },
        clock.now(),
      );
      const found = await loadIntake(trx, clientId, version);
      if (!found)
        throw new ProblemError(
          'not_found',
          version ? `No intake version ${version}` : 'No consultation has been saved yet',
        );
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
        description:
          'A therapist may read it while they have a held, confirmed, checked-in, completed or no-show booking with the client. Every read is recorded in the client’s access log.',
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
        response: { 200: exportSchemaOf(healthData) },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        await authorizeHealthRead(
          trx,
          client,
          { clientId: client.id, record: 'health_data_export', subjectId: client.id },
          now,
        );
        return {
          exportedAt: new Date(now).toISOString(),
          client: { id: client.id, email: client.email, displayName: client.displayName },
          ...(await healthData.export(trx, client.id)),
        };
      });
    },
  );

  app.get(
    '/api/me/health-data/erasure',
    {
      schema: {
        tags: ['intake'],
        summary: 'What erasing your health information deletes and what it keeps',
        description:
          'What `DELETE /api/me/health-data` would do now, for the confirmation before it: each kind of health information it deletes at once, the signed session notes it keeps restricted and until when, and what it keeps, with why. Reads no note’s content, only how many signed notes there are and the markets whose rules keep them.',
        querystring: noQuery,
        problems: ['unauthenticated', 'forbidden'],
        response: {
          200: z
            .object({
              erases: z.array(z.string()).describe('What goes at once, one kind of health information each'),
              keptRestricted: keptRestrictedSchema,
              kept: z.array(z.string()).describe('What stays, and why'),
            })
            .meta({ id: 'HealthDataErasurePlan' }),
        },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      return {
        erases: healthData.parts.filter((part) => part.erases.length > 0).map((part) => part.name),
        keptRestricted: await healthData.keptRestricted(db, client.id, clock.now()),
        kept: KEPT_AFTER_ERASURE,
      };
    },
  );

  app.delete(
    '/api/me/health-data',
    {
      schema: {
        tags: ['intake'],
        summary: 'Erase your health information',
        description:
          'Erases every intake version, every screening of your bookings, therapist overrides, clearance documents, draft session notes, outcome measurements, treatment plans, aftercare (sent too), check-ins and care alerts, in one transaction. Signed session notes (with their amendments) are kept restricted, read by no one, for the retention period of the market of the session, then deleted by a scheduled job (listed in keptRestricted, as the confirmation said). Kept (and listed in the response): your account, bookings and their history (attendance included), the ledger, messages (which never hold health details), ratings and the access log. Upcoming sessions cannot start until you complete the consultation again; their therapists are told.',
        querystring: noQuery,
        problems: ['unauthenticated', 'forbidden'],
        response: {
          200: z.object({
            erased: z.object(healthData.erasedShape),
            keptRestricted: keptRestrictedSchema,
            kept: z.array(z.string()),
          }),
        },
      },
    },
    async (request) => {
      const client = requireUser(request, 'client');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const keptRestricted = await healthData.keptRestricted(trx, client.id, now);
        const erased = await healthData.erase(trx, client.id, now);
        await writeAudit(
          trx,
          {
            actor: client,
            action: 'health.erased',
            subjectType: 'health_data',
            subjectId: client.id,
            subjectUserId: client.id,
            detail: { ...erased, keptRestrictedUntil: keptRestricted.map((k) => k.until) },
          },
          now,
        );
        await screening.notifyConsultationWithdrawn(trx, client.id, now);
        return { erased, keptRestricted, kept: KEPT_AFTER_ERASURE };
      });
    },
  );
}
