import { sql } from 'kysely';
import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import { BOOKING_STATUSES, type BookingStatus } from '../booking/engine/booking-states.js';
import { bookingRows, bookingSchema, toBookingViews } from '../booking/booking-view.js';
import type { App, AppContext } from '../app-context.js';
import { authorizeHealthRead } from '../intake/health-access.js';
import { isoDate } from '../therapists/engine/therapist-schemas.js';
import { clearanceStatusSchema } from './engine/screening-views.js';
import { screeningSummaries } from './booking-screening-ports.js';
import { OUTCOMES, type Outcome } from './engine/screening-engine.js';

const DAY = 86_400_000;

/** Every outcome but `proceed`: what an operator may need to look at. */
const FLAGGED_OUTCOMES = ['adapt', 'clearance_required', 'not_today'] as const satisfies readonly Outcome[];
/** Sessions still to happen (including those awaiting a clearance), unless the operator asks for others. */
const UPCOMING: BookingStatus[] = ['held', 'awaiting_clearance', 'confirmed', 'checked_in'];

const commaList = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(values)).min(1));

const flaggedQuery = z
  .object({
    outcome: commaList(FLAGGED_OUTCOMES)
      .optional()
      .describe('Comma-separated: adapt, clearance_required, not_today; default all three'),
    clearance: z
      .enum(['pending', 'verified', 'not_required'])
      .optional()
      .describe('pending: a required clearance is not yet covered by a verified document'),
    status: commaList(BOOKING_STATUSES)
      .optional()
      .describe('Comma-separated booking statuses; default held, awaiting_clearance, confirmed, checked_in'),
    therapistId: z.uuid().optional(),
    from: isoDate.optional().describe('UTC calendar day the session starts on or after'),
    to: isoDate.optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.to >= q.from, {
    message: 'to must not be before from',
    path: ['to'],
    params: { code: 'range_reversed' },
  });

const flaggedScreeningSchema = z
  .object({
    booking: bookingSchema,
    screening: z.object({
      outcome: z.enum(OUTCOMES),
      headline: z.string(),
      medicalUrgency: z.enum(['same_day', 'emergency']).nullable(),
      screenedAt: z.iso.datetime(),
      intakeVersion: z.number(),
      clearance: z.object({ status: clearanceStatusSchema, requiredFor: z.array(z.string()) }),
      documentsToReview: z.number(),
      flags: z.array(
        z.object({
          ruleId: z.string(),
          condition: z.string(),
          class: z.enum(['A', 'L', 'R']),
          urgency: z.enum(['same_day', 'emergency']).nullable(),
          overridden: z.boolean(),
        }),
      ),
    }),
  })
  .meta({ id: 'FlaggedScreening' });

export const flaggedScreeningPage = z.object({
  items: z.array(flaggedScreeningSchema),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
});

/**
 * Bookings whose current screening is not `proceed`, for operators. The flags say which conditions triggered
 * them, so each listed booking counts as a read of its client's health data and is audited like any other.
 */
export function registerFlaggedScreeningRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;

  app.get(
    '/api/operator/screenings',
    {
      schema: {
        tags: ['operator'],
        summary:
          'Flagged screenings: bookings whose current screening is adapt, clearance required or not today (audited)',
        description:
          'Soonest first. A booking awaiting clearance (status awaiting_clearance) carries its clearanceDueAt: unless a document is verified by then, it is released. Each booking listed is recorded in its client’s access log as an operator read of the screening. The reasons in full are at GET /api/bookings/{id}/screening and the brief.',
        querystring: flaggedQuery,
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: flaggedScreeningPage },
      },
    },
    async (request) => {
      const operator = requireUser(request, 'operator');
      const q = request.query;
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        let query = bookingRows(trx)
          .innerJoin('booking_screenings as ls', (join) =>
            join
              .onRef('ls.booking_id', '=', 'b.id')
              .on('ls.id', '=', sql<number>`(SELECT max(x.id) FROM booking_screenings x WHERE x.booking_id = b.id)`),
          )
          .where('ls.outcome', 'in', q.outcome ?? FLAGGED_OUTCOMES)
          .where('b.status', 'in', q.status ?? UPCOMING);
        if (q.therapistId) query = query.where('b.therapist_id', '=', q.therapistId);
        if (q.from) query = query.where('b.starts_at', '>=', new Date(`${q.from}T00:00:00Z`));
        if (q.to) query = query.where('b.starts_at', '<', new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY));
        if (q.clearance) {
          // The SQL twin of clearanceStatus(): a required rule is uncovered when no verified document covers it.
          const uncovered = sql<boolean>`EXISTS (
            SELECT 1 FROM jsonb_array_elements_text(ls.clearance_rule_ids) AS r(rule_id)
            WHERE NOT EXISTS (
              SELECT 1 FROM clearance_documents cd, jsonb_array_elements_text(cd.covers) AS c(rule_id)
              WHERE cd.booking_id = b.id AND cd.status = 'verified' AND c.rule_id = r.rule_id))`;
          const required = sql<boolean>`jsonb_array_length(ls.clearance_rule_ids) > 0`;
          query = query.where(
            q.clearance === 'pending'
              ? uncovered
              : q.clearance === 'verified'
                ? sql<boolean>`${required} AND NOT ${uncovered}`
                : sql<boolean>`NOT ${required}`,
          );
        }
        const [rows, count] = await Promise.all([
          query
            .select([
              'ls.decision as current_decision',
              'ls.clearance_rule_ids as current_clearance_rule_ids',
              'ls.created_at as screened_at',
              'ls.intake_version as screened_intake_version',
            ])
            .orderBy('b.starts_at')
            .orderBy('b.id')
            .limit(q.pageSize)
            .offset((q.page - 1) * q.pageSize)
            .execute(),
          query
            .clearSelect()
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow(),
        ]);
        const summaries = await screeningSummaries(
          trx,
          rows.map((r) => r.id),
        );
        const views = await toBookingViews(trx, rows, operator, async () => summaries);
        const items = [];
        for (const [i, row] of rows.entries()) {
          await authorizeHealthRead(
            trx,
            operator,
            { clientId: row.client_id, record: 'screening', subjectId: row.id, detail: { list: 'flagged_screenings' } },
            now,
          );
          const decision = row.current_decision;
          const summary = summaries.get(row.id)!;
          items.push({
            booking: views[i]!,
            screening: {
              outcome: decision.outcome,
              headline: decision.headline,
              medicalUrgency: decision.medicalUrgency,
              screenedAt: row.screened_at.toISOString(),
              intakeVersion: row.screened_intake_version,
              clearance: { status: summary.clearance, requiredFor: row.current_clearance_rule_ids },
              documentsToReview: summary.documentsToReview,
              flags: decision.flags.map((f) => ({
                ruleId: f.ruleId,
                condition: f.condition,
                class: f.class,
                urgency: f.urgency,
                overridden: f.overridden,
              })),
            },
          });
        }
        return { items, page: q.page, pageSize: q.pageSize, total: Number(count.n) };
      });
    },
  );
}
