import type { Transaction } from 'kysely';
import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { SignedInUser } from '../accounts/sessions.js';
import type { SourceKey } from '../domain/clinical-sources.js';
import type { DB } from '../schema.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import { REGION_REFS } from '../domain/body-regions.js';
import { authorizeHealthRead } from '../intake/health-access.js';
import { regionRef } from '../intake/engine/intake-schema.js';
import { sourcesOf } from '../screening/engine/screening-views.js';
import { todayIn } from '../therapists/today.js';
import { FLEXIBILITY_TESTS } from '../domain/flexibility-tests.js';
import { improvementShareByTherapist } from './engine/improvement-share.js';
import { SHARE_MEASURES, seriesForImprovementShare } from './engine/improvement-series.js';
import { describeMeaningfulChange, OUTCOME_MEASURES, outcomeMeasure } from '../domain/measure-catalogue.js';
import {
  type MeasurementTarget,
  loadClientMeasurements,
  replaceMeasurements,
  toStoredMeasurement,
} from './measurement-store.js';
import { NDI_INSTRUCTIONS, NDI_ITEMS } from './engine/neck-disability-questionnaire.js';
import { psfsActivitySet, scoreSubmission } from './engine/outcome-submission.js';
import { activityWordsOf, measurementSchema, seriesSchema, toMeasurementView, toSeriesView } from './outcome-views.js';
import { ODI_INSTRUCTIONS, ODI_SECTIONS } from './engine/oswestry-questionnaire.js';
import { bandsOf, progressReport } from './engine/progress-report.js';
import { PSFS_INSTRUCTIONS, PSFS_MAX_ACTIVITIES, PSFS_SCALE, psfsActivityKey } from './engine/psfs.js';
import type { QuestionnaireSection } from './engine/questionnaire.js';
import { bookingFacts, loadBookingFacts } from '../booking/booking-reads.js';
import { userNames } from '../accounts/accounts-reads.js';

type Trx = Transaction<DB>;

const clientParams = z.object({ clientId: z.uuid() }).strict();
const noQuery = z.object({}).strict();

const sectionScore = z.number().int().min(0).max(5).nullish();
const answersOf = (sections: readonly QuestionnaireSection[]) =>
  z.object(Object.fromEntries(sections.map((s) => [s.id, sectionScore]))).strict();

const bookingId = z
  .uuid()
  .optional()
  .describe('The session this belongs to (before or at it); without one it counts for the day of recording');

export const submissionBody = z.discriminatedUnion('measure', [
  z
    .object({
      measure: z.literal('odi'),
      bookingId,
      answers: answersOf(ODI_SECTIONS).describe(
        'The chosen statement’s score (0-5) per section; leave out or null a section that does not apply',
      ),
    })
    .strict(),
  z
    .object({
      measure: z.literal('ndi'),
      bookingId,
      answers: answersOf(NDI_ITEMS).describe(
        'The chosen statement’s score (0-5) per item; leave out or null an item that does not apply',
      ),
    })
    .strict(),
  z
    .object({
      measure: z.literal('psfs'),
      bookingId,
      ratings: z
        .array(
          z.object({ activity: z.string().trim().min(1).max(120), score: z.number().int().min(0).max(10) }).strict(),
        )
        .min(1)
        .max(PSFS_MAX_ACTIVITIES),
      changeActivities: z
        .boolean()
        .optional()
        .describe('Rate other activities than last time (the average starts again)'),
    })
    .strict(),
  z
    .object({
      measure: z.literal('nprs'),
      bookingId,
      ratings: z
        .array(z.object({ region: regionRef, score: z.number().int().min(0).max(10) }).strict())
        .min(1)
        .max(REGION_REFS.length),
    })
    .strict(),
  ...(['ake', 'slr', 'sit_and_reach'] as const).map((test) =>
    z
      .object({
        measure: z.literal(test),
        bookingId,
        side: z.enum(['left', 'right']).nullable().describe('left or right for AKE and SLR; null for sit-and-reach'),
        trials: z
          .array(z.number().finite())
          .min(1)
          .max(3)
          .describe('Degrees (AKE, SLR) or cm (sit-and-reach), one per trial of the protocol'),
      })
      .strict(),
  ),
]);

type SubmissionBody = z.infer<typeof submissionBody>;

/** What clients record themselves before a session; flexibility tests need the therapist. */
const CLIENT_MEASURES = new Set(['odi', 'ndi', 'psfs', 'nprs']);

const sourceList = z.array(z.object({ key: z.string(), where: z.string() }));
const questionnaireSchema = z.object({
  instructions: z.string(),
  sections: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      options: z.array(z.object({ score: z.number(), text: z.string() })),
    }),
  ),
});

export const catalogueSchema = z
  .object({
    measures: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        unit: z.string(),
        min: z.number(),
        max: z.number(),
        wholeNumbers: z.boolean(),
        better: z.enum(['lower', 'higher']),
        keyedBy: z.enum(['region', 'side', 'activity', 'none']),
        meaningfulChange: z.string(),
        bands: z.array(z.object({ id: z.string(), label: z.string(), upTo: z.number() })).nullable(),
        sources: sourceList,
      }),
    ),
    questionnaires: z.object({
      odi: questionnaireSchema,
      ndi: questionnaireSchema,
      psfs: z.object({
        instructions: z.string(),
        maxActivities: z.number(),
        scale: z.object({ 0: z.string(), 10: z.string() }),
      }),
    }),
    flexibilityTests: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        trials: z.number(),
        combine: z.string(),
        perSide: z.boolean(),
        unit: z.string(),
        sources: sourceList,
      }),
    ),
  })
  .meta({ id: 'OutcomeCatalogue' });

export const progressSchema = z
  .object({
    clientId: z.uuid(),
    psfsActivities: z
      .array(z.object({ key: z.string(), activity: z.string() }))
      .describe('The activities the client rates now (PSFS)'),
    series: z.array(seriesSchema),
  })
  .meta({ id: 'ClientProgress' });

export const improvementShareSchema = z
  .object({
    measure: z.enum(SHARE_MEASURES),
    sessions: z.number(),
    meaningfulChange: z.string(),
    therapists: z.array(
      z.object({
        therapist: z.object({ id: z.uuid(), displayName: z.string() }),
        eligible: z.number().describe('Clients measured N sessions after their baseline'),
        improved: z.number(),
        share: z.number().nullable().describe('improved / eligible; null when nobody is eligible yet'),
        tooFewSessions: z.number(),
      }),
    ),
  })
  .meta({ id: 'ImprovementShare' });

const shareQuery = z
  .object({
    measure: z.enum(SHARE_MEASURES).default('nprs'),
    sessions: z.coerce
      .number()
      .int()
      .min(1)
      .max(20)
      .default(3)
      .describe('Compare each client’s baseline with their value this many sessions later'),
    therapistId: z.uuid().optional().describe('Operators: one therapist; therapists always see their own'),
  })
  .strict();

const sources = (keys: readonly string[]) => sourcesOf(keys as readonly SourceKey[]);

/** The session a submission belongs to: the client's own booking, at or before the session (or the therapist's). */
async function targetOf(
  trx: Trx,
  user: SignedInUser,
  clientId: string,
  body: SubmissionBody,
  now: number,
): Promise<MeasurementTarget> {
  if (!body.bookingId) return { clientId, bookingId: null, sessionDate: todayIn('UTC', now) };
  const booking = await loadBookingFacts(trx, body.bookingId);
  const mine =
    booking && booking.client_id === clientId && (user.role === 'client' || booking.therapist_id === user.id);
  if (!booking || !mine)
    throw fieldProblem(
      'bookingId',
      'unknown_booking',
      user.role === 'client' ? 'No such session of yours' : 'No such session of this client with you',
    );
  const open = user.role === 'client' ? ['confirmed', 'checked_in'] : ['confirmed', 'checked_in', 'completed'];
  if (!open.includes(booking.status)) {
    throw fieldProblem(
      'bookingId',
      'session_closed',
      user.role === 'client'
        ? 'Questionnaires belong to a session that is still to come or under way'
        : 'Measurements belong to a session that takes place',
    );
  }
  return { clientId, bookingId: booking.id, sessionDate: todayIn(booking.time_zone, booking.starts_at.getTime()) };
}

/** The activities the client rated last time, in their words (none before their first PSFS). */
async function currentPsfsActivities(trx: Trx, clientId: string) {
  const latest = await trx
    .selectFrom('outcome_measurements')
    .select('detail')
    .where('client_id', '=', clientId)
    .where('measure', '=', 'psfs')
    .orderBy('session_date', 'desc')
    .orderBy('recorded_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return latest?.detail.ratings?.map((r) => r.activity) ?? [];
}

async function clientProgress(trx: Trx, clientId: string) {
  const rows = await loadClientMeasurements(trx, clientId);
  const words = activityWordsOf(rows);
  return {
    rows,
    words,
    series: progressReport(rows.map(toStoredMeasurement)).map((report) => toSeriesView(report, words)),
  };
}

export function registerOutcomeRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;

  app.get(
    '/api/outcomes/catalogue',
    {
      schema: {
        tags: ['outcomes'],
        summary: 'The outcome measures: ranges, bands, meaningful change, questionnaires and flexibility tests',
        querystring: noQuery,
        response: { 200: catalogueSchema },
      },
    },
    async () => ({
      measures: OUTCOME_MEASURES.map((m) => ({
        id: m.id,
        name: m.name,
        unit: m.unit,
        min: m.min,
        max: m.max,
        wholeNumbers: m.wholeNumbers,
        better: m.better,
        keyedBy: m.keyedBy,
        meaningfulChange: describeMeaningfulChange(m.meaningfulChange),
        bands: bandsOf(m.id)?.map((b) => ({ id: b.id, label: b.label, upTo: b.upTo })) ?? null,
        sources: sources(m.sources),
      })),
      questionnaires: {
        odi: {
          instructions: ODI_INSTRUCTIONS,
          sections: ODI_SECTIONS.map((s) => ({ id: s.id, title: s.title, options: [...s.options] })),
        },
        ndi: {
          instructions: NDI_INSTRUCTIONS,
          sections: NDI_ITEMS.map((s) => ({ id: s.id, title: s.title, options: [...s.options] })),
        },
        psfs: { instructions: PSFS_INSTRUCTIONS, maxActivities: PSFS_MAX_ACTIVITIES, scale: PSFS_SCALE },
      },
      flexibilityTests: FLEXIBILITY_TESTS.map((t) => ({
        id: t.id,
        name: t.name,
        trials: t.trials,
        combine: t.combine,
        perSide: t.perSide,
        unit: t.unit,
        sources: sources(t.sources),
      })),
    }),
  );

  app.post(
    '/api/clients/:clientId/outcomes',
    {
      schema: {
        tags: ['outcomes'],
        summary: 'Record an outcome measure: a questionnaire (ODI, NDI, PSFS), pain per region, or a flexibility test',
        description:
          'Clients complete ODI, NDI, PSFS and pain ratings themselves, for a session still to come or under way (bookingId) or for today; a therapist the client booked records any measure, flexibility tests included, for one of their sessions with the client. A newer value replaces the session’s earlier one for the same measure and region, side or activity. The answer carries the score (with its band) and the progress from the client’s baseline. 422 questionnaire_incomplete when fewer than 8 of 10 sections are answered; 422 psfs_activities_changed when other activities are rated than last time without changeActivities.',
        params: clientParams,
        body: submissionBody,
        problems: ['unauthenticated', 'forbidden', 'questionnaire_incomplete', 'psfs_activities_changed'],
        response: { 201: z.object({ measurements: z.array(measurementSchema), progress: z.array(seriesSchema) }) },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'client', 'therapist');
      const { clientId } = request.params;
      const body = request.body;
      const now = clock.now();
      if (user.role === 'client' && !CLIENT_MEASURES.has(body.measure)) {
        throw new ProblemError('forbidden', `${outcomeMeasure(body.measure).name} is measured by your therapist`);
      }
      const scored = scoreSubmission(body);
      if (!scored.ok) {
        const errors = scored.problems.map((p) => ({ ...p, in: 'body' as const }));
        const incomplete = errors.some((e) => e.code === 'too_few_answers');
        throw new ProblemError(
          incomplete ? 'questionnaire_incomplete' : 'validation_failed',
          errors.map((e) => e.message).join('; '),
          { errors },
        );
      }
      const result = await db.transaction().execute(async (trx) => {
        await authorizeHealthRead(
          trx,
          user,
          { clientId, record: 'outcomes', subjectId: clientId, detail: { recorded: body.measure } },
          now,
        );
        const target = await targetOf(trx, user, clientId, body, now);
        if (body.measure === 'psfs' && !body.changeActivities) {
          const previous = await currentPsfsActivities(trx, clientId);
          if (
            previous.length > 0 &&
            psfsActivitySet(previous.map((activity) => ({ activity }))).join('\u0000') !==
              psfsActivitySet(body.ratings).join('\u0000')
          ) {
            throw new ProblemError(
              'psfs_activities_changed',
              `Last time you rated: ${previous.join('; ')}. Rate the same activities, or set changeActivities to start again with new ones.`,
              {
                errors: [
                  {
                    field: 'ratings',
                    in: 'body',
                    code: 'activities_changed',
                    message: 'Rate the same activities as last time',
                  },
                ],
                extra: { activities: previous },
              },
            );
          }
        }
        const rows = await replaceMeasurements(
          trx,
          target,
          scored.values,
          { source: user.role === 'client' ? 'client' : 'therapist', userId: user.id, now },
          {
            replaceMeasures: body.measure === 'psfs' ? ['psfs', 'psfs_activity'] : [],
          },
        );
        const { series } = await clientProgress(trx, clientId);
        const recorded = new Set(rows.map((r) => `${r.measure}\u0000${r.key ?? ''}`));
        return {
          measurements: rows.map(toMeasurementView),
          progress: series.filter((s) => recorded.has(`${s.measure}\u0000${s.key ?? ''}`)),
        };
      });
      return reply.code(201).send(result);
    },
  );

  app.get(
    '/api/clients/:clientId/progress',
    {
      schema: {
        tags: ['outcomes'],
        summary:
          'A client’s progress: one series per measure and region, side or activity, with meaningful changes marked',
        description:
          'For the client, therapists the client booked and operators; every read is recorded in the client’s access log. Each series has its baseline (first value), latest value, change, percent change, direction and whether the change is meaningful as the measure defines it (null for the flexibility tests, for which the clinical reference gives no threshold); every point carries its band (ODI, NDI) and its change from the baseline. Pain is the client’s report before each session.',
        params: clientParams,
        querystring: noQuery,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: progressSchema },
      },
    },
    async (request) =>
      db.transaction().execute(async (trx) => {
        const { clientId } = request.params;
        await authorizeHealthRead(
          trx,
          request.user,
          { clientId, record: 'outcomes', subjectId: clientId },
          clock.now(),
        );
        const { rows, series } = await clientProgress(trx, clientId);
        const latestPsfs = rows.filter((r) => r.measure === 'psfs').at(-1);
        return {
          clientId,
          psfsActivities: (latestPsfs?.detail.ratings ?? []).map((r) => ({
            key: psfsActivityKey(r.activity),
            activity: r.activity,
          })),
          series,
        };
      }),
  );

  app.get(
    '/api/outcomes/improvement-share',
    {
      schema: {
        tags: ['outcomes'],
        summary: 'Per therapist, the share of clients with a meaningful improvement after N sessions',
        description:
          'For therapists (their own) and operators (all, or one therapistId). Each client’s baseline is their first measurement with the therapist; it is compared with their measurement N sessions later, so every client is compared after the same number of sessions. Pain counts the region that hurt most at the first session. Counts only, no client’s data.',
        querystring: shareQuery,
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: improvementShareSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist', 'operator');
      const { measure, sessions, therapistId } = request.query;
      if (user.role === 'therapist' && therapistId !== undefined && therapistId !== user.id) {
        throw new ProblemError('forbidden', 'Therapists see their own share');
      }
      const only = user.role === 'therapist' ? user.id : therapistId;
      let query = db
        .selectFrom('outcome_measurements as m')
        .innerJoin(bookingFacts(db).as('b'), 'b.id', 'm.booking_id')
        .innerJoin(userNames(db).as('u'), 'u.id', 'b.therapist_id')
        .select(['b.therapist_id', 'u.display_name', 'm.client_id', 'm.key', 'm.session_date', 'm.value'])
        .where('m.measure', '=', measure)
        .where('b.status', 'in', ['checked_in', 'completed'])
        .orderBy('b.starts_at')
        .orderBy('m.recorded_at');
      if (only) query = query.where('b.therapist_id', '=', only);
      const rows = await query.execute();
      const names = new Map(rows.map((r) => [r.therapist_id, r.display_name]));
      const series = seriesForImprovementShare(
        rows.map((r) => ({
          therapistId: r.therapist_id,
          clientId: r.client_id,
          key: r.key,
          sessionDate: r.session_date,
          value: r.value,
        })),
      );
      return {
        measure,
        sessions,
        meaningfulChange: describeMeaningfulChange(outcomeMeasure(measure).meaningfulChange),
        therapists: improvementShareByTherapist(measure, sessions, series).map(({ therapistId: id, ...counts }) => ({
          therapist: { id, displayName: names.get(id)! },
          ...counts,
        })),
      };
    },
  );
}
