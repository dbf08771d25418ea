import type { Transaction } from 'kysely';
import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { DB } from '../schema.js';
import type { App, AppContext } from '../app-context.js';
import { fieldProblem } from '../domain/problems.js';
import { authorizeHealthRead } from '../intake/health-access.js';
import { MEASURE_IDS } from '../domain/measure-catalogue.js';
import { loadClientMeasurements, toStoredMeasurement } from '../outcomes/measurement-store.js';
import { activityWordsOf, keyLabel } from '../outcomes/outcome-views.js';
import { progressReport } from '../outcomes/engine/progress-report.js';
import { epochDayFromIsoDate, isoDateFromEpochDay } from '../scheduling/engine/calendar-date.js';
import { todayIn } from '../therapists/today.js';
import { goalReports, toPlanGoals, treatmentPlanBody } from './engine/treatment-plan-schema.js';
import { therapistTimeZone, therapistZones } from '../therapists/therapists-reads.js';
import { bookingFacts } from '../booking/booking-reads.js';
import { userNames } from '../accounts/accounts-reads.js';

type Trx = Transaction<DB>;

const clientParams = z.object({ clientId: z.uuid() }).strict();
const noQuery = z.object({}).strict();

/** How far ahead a review may be set: a plan is reviewed at least yearly. */
const MAX_REVIEW_DAYS = 366;

export const planSchema = z
  .object({
    id: z.uuid(),
    clientId: z.uuid(),
    therapist: z.object({ id: z.uuid(), displayName: z.string() }),
    version: z.number().describe('Counts the saves'),
    frequency: z.object({ sessions: z.number(), per: z.enum(['week', 'fortnight', 'month']) }),
    plannedSessions: z.number(),
    sessionsDone: z.number().describe('Sessions with this therapist that took place since the plan started'),
    startsOn: z.iso.date(),
    reviewOn: z.iso.date(),
    reviewDue: z.boolean().describe('The review date has come (in the therapist’s zone)'),
    notes: z.string(),
    goals: z.array(
      z.object({
        measure: z.enum(MEASURE_IDS),
        key: z.string().nullable(),
        keyLabel: z.string().nullable(),
        comparator: z.enum(['<', '<=', '>', '>=']),
        target: z.number(),
        label: z.string().nullable(),
        description: z
          .string()
          .describe('The goal in measured words, e.g. "Active knee extension (hamstrings), right: under 20°"'),
        progress: z.object({
          achieved: z.boolean(),
          percentOfWay: z
            .number()
            .nullable()
            .describe('0-100 of the way from the baseline to the target; null before any measurement'),
          baseline: z.number().nullable(),
          latest: z.number().nullable(),
          measurements: z.number(),
        }),
      }),
    ),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'TreatmentPlan' });

/** The client's plans (one per therapist), each goal measured against the client's progress. */
async function planViews(
  trx: Trx,
  clientId: string,
  now: number,
  therapistId?: string,
): Promise<z.infer<typeof planSchema>[]> {
  let query = trx
    .selectFrom('treatment_plans as p')
    .innerJoin(userNames(trx).as('u'), 'u.id', 'p.therapist_id')
    .innerJoin(therapistZones(trx).as('t'), 't.user_id', 'p.therapist_id')
    .selectAll('p')
    .select(['u.display_name as therapist_name', 't.time_zone'])
    .where('p.client_id', '=', clientId)
    .orderBy('p.created_at');
  if (therapistId) query = query.where('p.therapist_id', '=', therapistId);
  const plans = await query.execute();
  if (plans.length === 0) return [];
  const [rows, sessions] = await Promise.all([
    loadClientMeasurements(trx, clientId),
    bookingFacts(trx).where('client_id', '=', clientId).where('status', 'in', ['checked_in', 'completed']).execute(),
  ]);
  const report = progressReport(rows.map(toStoredMeasurement));
  const words = activityWordsOf(rows);
  return plans.map((p) => ({
    id: p.id,
    clientId: p.client_id,
    therapist: { id: p.therapist_id, displayName: p.therapist_name },
    version: p.version,
    frequency: { sessions: p.sessions_per_period, per: p.period },
    plannedSessions: p.planned_sessions,
    sessionsDone: sessions.filter(
      (s) => s.therapist_id === p.therapist_id && todayIn(s.time_zone, s.starts_at.getTime()) >= p.starts_on,
    ).length,
    startsOn: p.starts_on,
    reviewOn: p.review_on,
    reviewDue: todayIn(p.time_zone, now) >= p.review_on,
    notes: p.notes,
    goals: goalReports(p.goals, report).map(({ goal, description, progress }) => ({
      ...goal,
      keyLabel: keyLabel(goal.measure, goal.key, words),
      description,
      progress,
    })),
    updatedAt: p.updated_at.toISOString(),
  }));
}

export function registerTreatmentPlanRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;

  app.put(
    '/api/clients/:clientId/treatment-plan',
    {
      schema: {
        tags: ['records'],
        summary: 'Set your treatment plan with a client: measurable goals, frequency, number of sessions, review date',
        description:
          'For a therapist the client has booked; one plan per client and therapist, replaced by each save (its version counts them). Goals name a measure and what it is about (a region for pain, a side for AKE or SLR, an activity in the client’s words for a PSFS goal such as "run 5 km without hamstring pain") and a target in the direction the measure improves. The answer shows each goal’s progress.',
        params: clientParams,
        body: treatmentPlanBody,
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: planSchema },
      },
    },
    async (request) => {
      const therapist = requireUser(request, 'therapist');
      const { clientId } = request.params;
      const body = request.body;
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        await authorizeHealthRead(
          trx,
          therapist,
          { clientId, record: 'treatment_plan', subjectId: clientId, detail: { saved: true } },
          now,
        );
        const time_zone = await therapistTimeZone(trx, therapist.id);
        const today = todayIn(time_zone, now);
        if (
          body.reviewOn < today ||
          body.reviewOn > isoDateFromEpochDay(epochDayFromIsoDate(today)! + MAX_REVIEW_DAYS)
        ) {
          throw fieldProblem(
            'reviewOn',
            'out_of_range',
            `Review the plan between today and ${MAX_REVIEW_DAYS} days from now`,
          );
        }
        const values = {
          goals: JSON.stringify(toPlanGoals(body)),
          sessions_per_period: body.frequency.sessions,
          period: body.frequency.per,
          planned_sessions: body.plannedSessions,
          review_on: body.reviewOn,
          notes: body.notes ?? '',
          updated_at: new Date(now),
        };
        await trx
          .insertInto('treatment_plans')
          .values({
            ...values,
            client_id: clientId,
            therapist_id: therapist.id,
            version: 1,
            starts_on: today,
            created_at: new Date(now),
          })
          .onConflict((oc) =>
            oc
              .columns(['client_id', 'therapist_id'])
              .doUpdateSet((eb) => ({ ...values, version: eb('treatment_plans.version', '+', 1) })),
          )
          .execute();
        return (await planViews(trx, clientId, now, therapist.id))[0]!;
      });
    },
  );

  app.get(
    '/api/clients/:clientId/treatment-plans',
    {
      schema: {
        tags: ['records'],
        summary: 'A client’s treatment plans (one per therapist) with progress against each goal',
        description:
          'For the client, therapists the client booked and operators; every read is recorded in the client’s access log.',
        params: clientParams,
        querystring: noQuery,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: z.array(planSchema) },
      },
    },
    async (request) =>
      db.transaction().execute(async (trx) => {
        const now = clock.now();
        await authorizeHealthRead(
          trx,
          request.user,
          { clientId: request.params.clientId, record: 'treatment_plan', subjectId: request.params.clientId },
          now,
        );
        return planViews(trx, request.params.clientId, now);
      }),
  );
}
