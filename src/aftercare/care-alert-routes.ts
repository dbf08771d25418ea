import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { SignedInUser } from '../accounts/sessions.js';
import type { DB } from '../schema.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError } from '../domain/problems.js';
import { authorizeHealthRead } from '../intake/health-access.js';
import { bookingFacts } from '../booking/booking-reads.js';
import { userNames, userPhones } from '../accounts/accounts-reads.js';

type Db = Kysely<DB> | Transaction<DB>;

const person = z.object({ id: z.uuid(), displayName: z.string() });

export const careAlertSchema = z
  .object({
    id: z.uuid(),
    checkInId: z.uuid(),
    bookingId: z.uuid(),
    client: person.extend({
      phone: z.string().nullable().describe('E.164, to call the client about the alert; null when they gave none'),
    }),
    therapist: person,
    level: z.enum(['seek_care', 'emergency']),
    reasons: z.array(z.object({ id: z.string(), level: z.enum(['seek_care', 'emergency']), sign: z.string() })),
    soreness: z.number().nullable(),
    trend: z.enum(['better', 'same', 'worse']).nullable(),
    hoursAfter: z.number(),
    sessionStartsAt: z.iso.datetime(),
    sessionTimeZone: z.string().describe("The session's place's IANA zone"),
    createdAt: z.iso.datetime(),
    acknowledged: z.object({ at: z.iso.datetime(), by: person, note: z.string() }).nullable(),
  })
  .meta({ id: 'CareAlert' });

function alerts(db: Db) {
  return db
    .selectFrom('care_alerts as a')
    .innerJoin('check_ins as c', 'c.id', 'a.check_in_id')
    .innerJoin(bookingFacts(db).as('b'), 'b.id', 'a.booking_id')
    .innerJoin(userPhones(db).as('cl'), 'cl.id', 'a.client_id')
    .innerJoin(userNames(db).as('th'), 'th.id', 'a.therapist_id')
    .leftJoin(userNames(db).as('ack'), 'ack.id', 'a.acknowledged_by')
    .selectAll('a')
    .select([
      'c.answers',
      'c.hours_after',
      'b.starts_at',
      'b.time_zone',
      'cl.display_name as client_name',
      'cl.phone as client_phone',
      'th.display_name as therapist_name',
      'ack.display_name as ack_name',
    ]);
}

type AlertRow = NonNullable<Awaited<ReturnType<ReturnType<typeof alerts>['executeTakeFirst']>>>;

function toView(row: AlertRow): z.infer<typeof careAlertSchema> {
  return {
    id: row.id,
    checkInId: row.check_in_id,
    bookingId: row.booking_id,
    client: { id: row.client_id, displayName: row.client_name, phone: row.client_phone },
    therapist: { id: row.therapist_id, displayName: row.therapist_name },
    level: row.level,
    reasons: row.reasons,
    soreness: row.answers?.soreness ?? null,
    trend: row.answers?.trend ?? null,
    hoursAfter: row.hours_after,
    sessionStartsAt: row.starts_at.toISOString(),
    sessionTimeZone: row.time_zone,
    createdAt: row.created_at.toISOString(),
    acknowledged:
      row.acknowledged_at && row.acknowledged_by
        ? {
            at: row.acknowledged_at.toISOString(),
            by: { id: row.acknowledged_by, displayName: row.ack_name ?? '' },
            note: row.acknowledgement_note ?? '',
          }
        : null,
  };
}

/** Therapists see the alerts about their own clients' sessions; operators see every alert. */
function scoped(db: Db, user: SignedInUser) {
  const query = alerts(db);
  return user.role === 'operator' ? query : query.where('a.therapist_id', '=', user.id);
}

export function registerCareAlertRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;

  app.get(
    '/api/care-alerts',
    {
      schema: {
        tags: ['aftercare'],
        summary: 'The care alerts raised by check-in answers: open ones first, emergencies first',
        description:
          'For therapists (alerts about their own sessions) and operators (all). Each listed alert is a read of the client’s health data and is recorded in their access log.',
        querystring: z.object({ status: z.enum(['open', 'acknowledged', 'all']).default('open') }).strict(),
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: z.object({ items: z.array(careAlertSchema) }) },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist', 'operator');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        let query = scoped(trx, user);
        if (request.query.status === 'open') query = query.where('a.acknowledged_at', 'is', null);
        if (request.query.status === 'acknowledged') query = query.where('a.acknowledged_at', 'is not', null);
        const rows = await query
          .orderBy((eb) => eb.case().when('a.acknowledged_at', 'is', null).then(0).else(1).end())
          .orderBy((eb) => eb.case().when('a.level', '=', 'emergency').then(0).else(1).end())
          .orderBy('a.created_at', 'desc')
          .limit(200)
          .execute();
        for (const row of rows) {
          await authorizeHealthRead(
            trx,
            user,
            { clientId: row.client_id, record: 'care_alert', subjectId: row.id, detail: { bookingId: row.booking_id } },
            now,
          );
        }
        return { items: rows.map(toView) };
      });
    },
  );

  app.post(
    '/api/care-alerts/:id/acknowledge',
    {
      schema: {
        tags: ['aftercare'],
        summary: 'Acknowledge a care alert, saying what was done',
        description: 'For the session’s therapist or an operator. 409 care_alert_acknowledged if someone already has.',
        params: z.object({ id: z.uuid() }).strict(),
        body: z
          .object({
            note: z
              .string()
              .trim()
              .min(1, 'Say what you did, e.g. "Phoned the client; they are seeing their GP today"')
              .max(1000),
          })
          .strict(),
        problems: ['unauthenticated', 'forbidden', 'not_found', 'care_alert_acknowledged'],
        response: { 200: careAlertSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist', 'operator');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const alert = await trx
          .selectFrom('care_alerts')
          .select(['id', 'client_id', 'therapist_id', 'acknowledged_at'])
          .where('id', '=', request.params.id)
          .forUpdate()
          .executeTakeFirst();
        if (!alert || (user.role !== 'operator' && alert.therapist_id !== user.id))
          throw new ProblemError('not_found', 'No such care alert');
        if (alert.acknowledged_at)
          throw new ProblemError('care_alert_acknowledged', 'Someone has already acknowledged this alert');
        await trx
          .updateTable('care_alerts')
          .set({ acknowledged_at: new Date(now), acknowledged_by: user.id, acknowledgement_note: request.body.note })
          .where('id', '=', alert.id)
          .execute();
        await authorizeHealthRead(
          trx,
          user,
          { clientId: alert.client_id, record: 'care_alert', subjectId: alert.id, detail: { acknowledged: true } },
          now,
        );
        return toView((await alerts(trx).where('a.id', '=', alert.id).executeTakeFirst())!);
      });
    },
  );
}
