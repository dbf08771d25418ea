import { z } from 'zod';
import { writeAudit } from '../accounts/audit.js';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import { ACTIVE_INCIDENT_STATUSES, INCIDENT_STATUSES, incidentMoveProblem } from './engine/incident-states.js';
import { incidentSchema, incidentViews, openIncident, readIncidents } from './incident-store.js';
import { INCIDENT_KINDS } from './live-tables.js';
import { loadBookingFacts } from '../booking/booking-reads.js';

const idParams = z.object({ id: z.uuid() }).strict();
const incidentParams = z.object({ incidentId: z.uuid() }).strict();
const noQuery = z.object({}).strict();

export const incidentBody = z
  .object({
    kind: z.enum(INCIDENT_KINDS),
    description: z.string().trim().min(10, 'Say what happened, in at least 10 characters').max(4000),
  })
  .strict();

export const incidentMoveBody = z
  .object({
    to: z.enum(INCIDENT_STATUSES),
    note: z.string().trim().min(1).max(2000).optional().describe('Required to resolve or dismiss'),
  })
  .strict();

const queueQuery = z
  .object({
    status: z
      .enum([...INCIDENT_STATUSES, 'active'])
      .optional()
      .describe('active: open or in review, what still needs an operator (the queue’s default view)'),
    kind: z.enum([...INCIDENT_KINDS, 'overdue_checkout']).optional(),
    bookingId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(100),
  })
  .strict();

/** A session can have incidents from check-in on: during it, after it, or after the client did not come. */
const REPORTABLE = ['checked_in', 'completed', 'no_show'];

export function registerIncidentRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;

  app.post(
    '/api/bookings/:id/incidents',
    {
      schema: {
        tags: ['live'],
        summary: 'Report an incident about a session',
        description:
          'For the session’s client or therapist, from check-in on (during or after the session; 409 incident_not_reportable before). It goes to the operators’ queue (they are messaged, without the description) and stays in the booking’s record, visible to operators and to its reporter. To stop future bookings with the other person as well, PUT /api/me/pair-preferences/{userId} with "never".',
        params: idParams,
        body: incidentBody,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'incident_not_reportable'],
        response: { 201: incidentSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const now = clock.now();
      const id = await db.transaction().execute(async (trx) => {
        const booking = await loadBookingFacts(trx, request.params.id);
        const role =
          booking?.client_id === user.id ? 'client' : booking?.therapist_id === user.id ? 'therapist' : undefined;
        if (!booking || (!role && user.role !== 'operator')) throw new ProblemError('not_found', 'No such booking');
        if (!role) throw new ProblemError('forbidden', 'Only the session’s client and therapist report incidents');
        if (!REPORTABLE.includes(booking.status))
          throw new ProblemError('incident_not_reportable', 'An incident can be reported once the session has started');
        return openIncident(
          trx,
          {
            bookingId: booking.id,
            kind: request.body.kind,
            reporter: user,
            reporterRole: role,
            description: request.body.description,
          },
          now,
        );
      });
      const [view] = await incidentViews(db, user, { ids: [id] });
      return reply.code(201).send(view!);
    },
  );

  app.get(
    '/api/bookings/:id/incidents',
    {
      schema: {
        tags: ['live'],
        summary: 'The incidents of a session you may see',
        description:
          'Operators see every incident of the booking (the overdue check-out alert included); its client and therapist see the ones they reported. Every reported incident read is recorded in the client’s access log.',
        params: idParams,
        querystring: noQuery,
        problems: ['unauthenticated', 'not_found'],
        response: { 200: z.array(incidentSchema) },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return db.transaction().execute(async (trx) => {
        const booking = await loadBookingFacts(trx, request.params.id);
        if (!booking || (user.role !== 'operator' && user.id !== booking.client_id && user.id !== booking.therapist_id))
          throw new ProblemError('not_found', 'No such booking');
        return readIncidents(
          trx,
          user,
          { bookingId: booking.id, ...(user.role === 'operator' ? {} : { reporterId: user.id }) },
          clock.now(),
        );
      });
    },
  );

  app.get(
    '/api/operator/incidents',
    {
      schema: {
        tags: ['live'],
        summary: 'The operators’ safety queue: reported incidents and overdue check-outs',
        description:
          'Newest first; filter by status (or active: open and in review), kind or booking. A reported incident can describe an injury: every one read is recorded in its client’s access log.',
        querystring: queueQuery,
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: z.array(incidentSchema) },
      },
    },
    async (request) => {
      const user = requireUser(request, 'operator');
      const { status, kind, bookingId, limit } = request.query;
      const statuses = status === 'active' ? ACTIVE_INCIDENT_STATUSES : status ? [status] : undefined;
      return db.transaction().execute(async (trx) =>
        readIncidents(
          trx,
          user,
          {
            ...(statuses ? { statuses } : {}),
            ...(kind ? { kind } : {}),
            ...(bookingId ? { bookingId } : {}),
            limit,
          },
          clock.now(),
        ),
      );
    },
  );

  app.post(
    '/api/operator/incidents/:incidentId/transitions',
    {
      schema: {
        tags: ['live'],
        summary: 'Move an incident along: open -> in_review -> resolved | dismissed',
        description:
          'Operators only. Resolving or dismissing needs a note (what was done, or why). Every move is kept in the incident’s history and the audit log; 409 incident_transition_not_allowed for a move the states do not allow (resolved and dismissed are final).',
        params: incidentParams,
        body: incidentMoveBody,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'incident_transition_not_allowed'],
        response: { 200: incidentSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'operator');
      const now = clock.now();
      const { to } = request.body;
      const note = request.body.note ?? null;
      await db.transaction().execute(async (trx) => {
        const incident = await trx
          .selectFrom('incidents')
          .select(['id', 'status', 'booking_id'])
          .where('id', '=', request.params.incidentId)
          .forUpdate()
          .executeTakeFirst();
        if (!incident) throw new ProblemError('not_found', 'No such incident');
        const problem = incidentMoveProblem(incident.status, to, note);
        if (problem?.field) throw fieldProblem(problem.field, 'required', problem.message);
        if (problem) throw new ProblemError('incident_transition_not_allowed', problem.message);
        await trx
          .updateTable('incidents')
          .set({ status: to, updated_at: new Date(now) })
          .where('id', '=', incident.id)
          .where('status', '=', incident.status)
          .execute();
        await trx
          .insertInto('incident_events')
          .values({
            incident_id: incident.id,
            from_status: incident.status,
            to_status: to,
            actor_id: user.id,
            note,
            at: new Date(now),
          })
          .execute();
        await writeAudit(
          trx,
          {
            actor: user,
            action: 'incident.status',
            subjectType: 'incident',
            subjectId: incident.id,
            detail: { from: incident.status, to, bookingId: incident.booking_id },
          },
          now,
        );
      });
      const [view] = await incidentViews(db, user, { ids: [request.params.incidentId] });
      return view!;
    },
  );
}
