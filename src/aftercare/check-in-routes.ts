import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import { canSeeBooking } from '../booking/booking-view.js';
import { evaluateCheckIn } from '../care/engine/check-in-evaluation.js';
import { RED_FLAGS, type RedFlagId } from '../care/engine/red-flags.js';
import type { DB } from '../schema.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError } from '../domain/problems.js';
import { authorizeBookingHealthRead, authorizeHealthRead } from '../intake/health-access.js';
import { enqueueMessages } from '../notify/outbox.js';
import { operatorIds, userNames, userPhones } from '../accounts/accounts-reads.js';

type Db = Kysely<DB> | Transaction<DB>;

const idParams = z.object({ id: z.uuid() }).strict();
const RED_FLAG_IDS = RED_FLAGS.map((f) => f.id) as [RedFlagId, ...RedFlagId[]];

const redFlagAnswers = z
  .object(
    Object.fromEntries(RED_FLAGS.map((f) => [f.id, z.boolean().describe(f.question)])) as Record<
      RedFlagId,
      z.ZodBoolean
    >,
  )
  .strict()
  .describe('Every warning-sign question answered yes (true) or no (false)');

export const checkInAnswerBody = z
  .object({
    soreness: z.number().int().min(0).max(10).describe('0 none … 10 worst imaginable'),
    trend: z.enum(['better', 'same', 'worse']).describe('Since the session'),
    redFlags: redFlagAnswers,
  })
  .strict();

const outcomeSchema = z.object({
  level: z.enum(['ok', 'seek_care', 'emergency']),
  message: z.string().describe('What to do, in plain words; for an emergency: call the emergency number now'),
  reasons: z.array(
    z.object({ id: z.string(), level: z.enum(['seek_care', 'emergency']), sign: z.string(), action: z.string() }),
  ),
});

export const checkInSchema = z
  .object({
    id: z.uuid(),
    bookingId: z.uuid(),
    seq: z.number(),
    hoursAfter: z.number(),
    status: z.enum(['scheduled', 'open', 'answered', 'expired']),
    sessionEndedAt: z.iso.datetime(),
    dueAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    openedAt: z.iso.datetime().nullable(),
    remindedAt: z.iso.datetime().nullable(),
    answeredAt: z.iso.datetime().nullable(),
    therapist: z.object({ id: z.uuid(), displayName: z.string() }),
    questions: z.array(z.object({ id: z.enum(RED_FLAG_IDS), question: z.string() })),
    answers: checkInAnswerBody.nullable(),
    outcome: outcomeSchema.nullable(),
  })
  .meta({ id: 'CheckIn' });

export type CheckInView = z.infer<typeof checkInSchema>;

const iso = (d: Date | null) => d?.toISOString() ?? null;

function toView(row: CheckInRow): CheckInView {
  return {
    id: row.id,
    bookingId: row.booking_id,
    seq: row.seq,
    hoursAfter: row.hours_after,
    status: row.status,
    sessionEndedAt: row.session_ended_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    openedAt: iso(row.opened_at),
    remindedAt: iso(row.reminded_at),
    answeredAt: iso(row.answered_at),
    therapist: { id: row.therapist_id, displayName: row.therapist_name },
    questions: RED_FLAGS.map((f) => ({ id: f.id, question: f.question })),
    answers: row.answers,
    outcome: row.outcome && {
      level: row.outcome.level,
      message: row.outcome.message,
      reasons: row.outcome.reasons.map((r) => ({ id: r.id, level: r.level, sign: r.sign, action: r.action })),
    },
  };
}

function checkIns(db: Db) {
  return db
    .selectFrom('check_ins as c')
    .innerJoin(userNames(db).as('t'), 't.id', 'c.therapist_id')
    .selectAll('c')
    .select('t.display_name as therapist_name');
}

type CheckInRow = NonNullable<Awaited<ReturnType<ReturnType<typeof checkIns>['executeTakeFirst']>>>;

async function loadCheckIn(db: Db, id: string): Promise<CheckInRow | undefined> {
  return checkIns(db).where('c.id', '=', id).executeTakeFirst();
}

export function registerCheckInRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;

  app.get(
    '/api/check-ins/:id',
    {
      schema: {
        tags: ['aftercare'],
        summary: 'A check-in after a session: its state, the questions, and the answer with what it means',
        description:
          'For the client, the booked therapist and operators; every read is recorded in the client’s access log.',
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: checkInSchema },
      },
    },
    async (request) =>
      db.transaction().execute(async (trx) => {
        const row = await loadCheckIn(trx, request.params.id);
        if (!request.user) throw new ProblemError('unauthenticated');
        if (!row) throw new ProblemError('not_found', 'No such check-in');
        await authorizeBookingHealthRead(trx, request.user, row.booking_id, 'check_in', clock.now(), {
          checkInId: row.id,
        });
        return toView(row);
      }),
  );

  app.post(
    '/api/check-ins/:id/answer',
    {
      schema: {
        tags: ['aftercare'],
        summary: 'Answer a check-in: soreness, its trend and the warning-sign questions',
        description:
          'For the client, once, while the check-in is open (409 care_check_in_not_open before it opens or after it expires; 409 care_check_in_answered the second time). The answer says what to do: any warning sign, or soreness getting worse or not easing after 48 hours, means seeking medical care, and chest pain, breathlessness or saddle numbness mean calling the emergency number now. Anything but ok raises a care alert for the therapist and operators.',
        params: idParams,
        body: checkInAnswerBody,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'care_check_in_answered', 'care_check_in_not_open'],
        response: { 200: checkInSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const locked = await trx
          .selectFrom('check_ins')
          .select(['id', 'client_id', 'therapist_id', 'booking_id'])
          .where('id', '=', request.params.id)
          .forUpdate()
          .executeTakeFirst();
        if (!locked || !canSeeBooking(user, locked)) throw new ProblemError('not_found', 'No such check-in');
        if (user.id !== locked.client_id) throw new ProblemError('forbidden', 'Only the client answers their check-in');
        const row = (await loadCheckIn(trx, locked.id))!;
        if (row.status === 'answered')
          throw new ProblemError('care_check_in_answered', 'You have answered this check-in already');
        if (row.status !== 'open' || now >= row.expires_at.getTime()) {
          throw new ProblemError(
            'care_check_in_not_open',
            row.status === 'scheduled' ? 'This check-in is not open yet' : 'This check-in has closed',
          );
        }
        const answers = request.body;
        const outcome = evaluateCheckIn({
          ...answers,
          hoursSinceSession: (now - row.session_ended_at.getTime()) / 3_600_000,
        });
        await trx
          .updateTable('check_ins')
          .set({
            status: 'answered',
            answered_at: new Date(now),
            answers: JSON.stringify(answers),
            level: outcome.level,
            outcome: JSON.stringify(outcome),
          })
          .where('id', '=', row.id)
          .execute();
        if (outcome.alertTherapist) await raiseCareAlert(trx, row, outcome.level, outcome.reasons, now);
        // The client reads their own answer back: an audited read like any other.
        await authorizeHealthRead(
          trx,
          user,
          { clientId: row.client_id, record: 'check_in', subjectId: row.booking_id, detail: { checkInId: row.id } },
          now,
        );
        return toView((await loadCheckIn(trx, row.id))!);
      });
    },
  );

  app.get(
    '/api/me/check-ins',
    {
      schema: {
        tags: ['aftercare'],
        summary: 'The signed-in client’s check-ins that have opened (open, answered or expired), newest first',
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: z.object({ items: z.array(checkInSchema) }) },
      },
    },
    async (request) => {
      const user = requireUser(request, 'client');
      return db.transaction().execute(async (trx) => {
        await authorizeHealthRead(
          trx,
          user,
          { clientId: user.id, record: 'check_in', subjectId: user.id, detail: { list: true } },
          clock.now(),
        );
        const rows = await checkIns(trx)
          .where('c.client_id', '=', user.id)
          .where('c.status', '<>', 'scheduled')
          .orderBy('c.due_at', 'desc')
          .limit(100)
          .execute();
        return { items: rows.map(toView) };
      });
    },
  );

  app.get(
    '/api/bookings/:id/check-ins',
    {
      schema: {
        tags: ['aftercare'],
        summary: 'The check-ins after a session, in order',
        description: 'For the client, the booked therapist and operators; audited.',
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: z.object({ items: z.array(checkInSchema) }) },
      },
    },
    async (request) =>
      db.transaction().execute(async (trx) => {
        const booking = await authorizeBookingHealthRead(trx, request.user, request.params.id, 'check_in', clock.now());
        const rows = await checkIns(trx).where('c.booking_id', '=', booking.id).orderBy('c.seq').execute();
        return { items: rows.map(toView) };
      }),
  );
}

/**
 * A worrying answer becomes an alert the therapist and operators see until one of them acknowledges it, and a
 * message to each of them (without the health details, which stay behind the access gate).
 */
async function raiseCareAlert(
  trx: Transaction<DB>,
  row: CheckInRow,
  level: 'seek_care' | 'emergency',
  reasons: readonly { id: string; level: 'seek_care' | 'emergency'; sign: string }[],
  now: number,
): Promise<void> {
  await trx
    .insertInto('care_alerts')
    .values({
      check_in_id: row.id,
      booking_id: row.booking_id,
      client_id: row.client_id,
      therapist_id: row.therapist_id,
      level,
      reasons: JSON.stringify(reasons.map((r) => ({ id: r.id, level: r.level, sign: r.sign }))),
      created_at: new Date(now),
    })
    .execute();
  const client = await userPhones(trx).where('id', '=', row.client_id).executeTakeFirstOrThrow();
  const clientName = client.display_name;
  const operators = await operatorIds(trx);
  const urgency = level === 'emergency' ? 'URGENT: ' : '';
  // The phone is a way to reach them, not a health detail: those told of the alert may call at once.
  const call = client.phone ? ` To reach them, call ${client.phone}.` : '';
  const text = `${clientName} reported a warning sign in their check-in after a session${level === 'emergency' ? ' that needs emergency care; they have been told to call the emergency number' : '; they have been told to seek medical care'}.${call} Open Knotwork, Care alerts, to see it and acknowledge it.`;
  await enqueueMessages(
    trx,
    [row.therapist_id, ...operators].map((userId) => ({
      userId,
      kind: 'care.alert',
      subject: `${urgency}Care alert: ${clientName} after their session`,
      text,
      bookingId: row.booking_id,
      dedupeKey: `care.alert:${row.id}:${userId}`,
    })),
    now,
  );
}
