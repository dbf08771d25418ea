import { formatMoney } from '../domain/session-time.js';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { SignedInUser } from '../accounts/sessions.js';
import { scheduleCheckIns } from '../aftercare/check-in-jobs.js';
import { changeStatus } from '../booking/booking-lifecycle.js';
import { attendanceFactsOf, lockBooking, statusChangesOf } from '../booking/booking-reads.js';
import { recordNoShow } from '../booking/booking-service.js';
import { captureAtCheckOut } from '../booking/booking-payments.js';
import { canSeeBooking } from '../booking/booking-view.js';
import type { DB } from '../schema.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError } from '../domain/problems.js';
import { watchCheckout } from '../live/checkout-overdue-job.js';
import { announceSessionEnded } from '../live/signal-store.js';
import { REGION_REFS } from '../domain/body-regions.js';
import { regionRef } from '../intake/engine/intake-schema.js';
import { enqueueMessages } from '../notify/outbox.js';
import { replaceMeasurements } from '../outcomes/measurement-store.js';
import { scoreSubmission } from '../outcomes/engine/outcome-submission.js';
import { bookingClearedForCheckIn } from '../screening/booking-screening.js';
import { therapistTimeZone } from '../therapists/therapists-reads.js';
import { todayIn } from '../therapists/today.js';
import { attendanceOf } from './engine/attendance-rules.js';
import {
  CHECK_IN_OPENS_MIN_BEFORE,
  NO_SHOW_GRACE_MIN,
  checkInTimingProblem,
  noShowTimingProblem,
} from '../domain/attendance-windows.js';

type Db = Kysely<DB> | Transaction<DB>;

const idParams = z.object({ id: z.uuid() }).strict();

export const checkInBody = z
  .object({
    painNow: z
      .array(z.object({ region: regionRef, score: z.number().int().min(0).max(10) }).strict())
      .max(REGION_REFS.length)
      .describe(
        'Pain now per region, 0 (none) to 10 (worst imaginable), as the client answers when asked at check-in; a region left out was not asked',
      ),
  })
  .strict()
  .nullish()
  .transform((body) => body ?? null);

export const attendanceSchema = z
  .object({
    bookingId: z.uuid(),
    status: z.string(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    checkedInAt: z.iso.datetime().nullable(),
    checkedOutAt: z.iso.datetime().nullable(),
    noShowAt: z.iso.datetime().nullable(),
    noShowFeeCents: z
      .number()
      .nullable()
      .describe('What the client is charged for not attending (the late-cancellation fee of the booking’s policy)'),
    currency: z.string(),
  })
  .meta({ id: 'SessionAttendance' });

export type AttendanceView = z.infer<typeof attendanceSchema>;

/** When the session started and ended (or was missed), from the booking's state changes. */
export async function loadAttendance(db: Db, bookingId: string): Promise<AttendanceView> {
  const booking = await attendanceFactsOf(db, bookingId);
  const events = await statusChangesOf(db, bookingId);
  const attendance = attendanceOf(events.map((e) => ({ toStatus: e.to_status, at: e.at })));
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    bookingId: booking.id,
    status: booking.status,
    startsAt: booking.starts_at.toISOString(),
    endsAt: booking.ends_at.toISOString(),
    checkedInAt: iso(attendance.checkedInAt),
    checkedOutAt: iso(attendance.checkedOutAt),
    noShowAt: iso(attendance.noShowAt),
    noShowFeeCents: booking.status === 'no_show' ? booking.cancellation_fee_cents : null,
    currency: booking.currency,
  };
}

/** The booking, row-locked, when `user` is its therapist; its client and operators get 403, anybody else 404. */
async function therapistsBooking(trx: Transaction<DB>, user: SignedInUser, bookingId: string) {
  const booking = await lockBooking(trx, bookingId);
  if (!booking || !canSeeBooking(user, booking)) throw new ProblemError('not_found', 'No such booking');
  if (booking.therapist_id !== user.id)
    throw new ProblemError('forbidden', 'Only the booked therapist records attendance');
  return booking;
}

export function registerAttendanceRoutes(app: App, ctx: AppContext) {
  const { db, clock, config } = ctx;
  const response = { 200: attendanceSchema };

  app.post(
    '/api/bookings/:id/check-in',
    {
      schema: {
        tags: ['records'],
        summary: 'Check the client in: the session starts',
        description: `For the booked therapist, from ${CHECK_IN_OPENS_MIN_BEFORE} minutes before the start until the booked end (422 check_in_not_open otherwise). Refused while screening does not clear the session (422 check_in_not_cleared: no current consultation, not safe today, or medical clearance still to be verified). The time is recorded, and the client's pain now (painNow, asked at check-in) becomes their own pain report for the session (NPRS, source client): the session note's pain before repeats it, and the progress charts show it.`,
        params: idParams,
        body: checkInBody,
        problems: [
          'unauthenticated',
          'forbidden',
          'not_found',
          'invalid_transition',
          'check_in_not_open',
          'check_in_not_cleared',
        ],
        response,
      },
    },
    async (request) => {
      const user = requireUser(request);
      const now = clock.now();
      const painNow = request.body?.painNow ?? [];
      const scored = scoreSubmission({ measure: 'nprs', ratings: painNow });
      if (!scored.ok) {
        const errors = scored.problems.map((p) => ({
          ...p,
          field: p.field.replace(/^ratings/, 'painNow'),
          in: 'body' as const,
        }));
        throw new ProblemError('validation_failed', errors.map((e) => e.message).join('; '), { errors });
      }
      await db.transaction().execute(async (trx) => {
        const booking = await therapistsBooking(trx, user, request.params.id);
        if (booking.status === 'confirmed') {
          const timing = checkInTimingProblem(
            { startsAt: booking.starts_at.getTime(), endsAt: booking.ends_at.getTime() },
            now,
          );
          if (timing) throw new ProblemError('check_in_not_open', timing);
          const clearance = await bookingClearedForCheckIn(trx, booking.id);
          if (!clearance.cleared)
            throw new ProblemError('check_in_not_cleared', clearance.detail, { extra: { reason: clearance.reason } });
        }
        await changeStatus(trx, booking, 'check_in', user, now);
        await watchCheckout(trx, booking, ctx.config.liveCheckoutAlertMin, now);
        if (scored.values.length > 0) {
          const time_zone = await therapistTimeZone(trx, booking.therapist_id);
          const target = {
            clientId: booking.client_id,
            bookingId: booking.id,
            sessionDate: todayIn(time_zone, booking.starts_at.getTime()),
          };
          await replaceMeasurements(trx, target, scored.values, { source: 'client', userId: user.id, now });
        }
      });
      return loadAttendance(db, request.params.id);
    },
  );

  app.post(
    '/api/bookings/:id/check-out',
    {
      schema: {
        tags: ['records'],
        summary: 'Check the client out: the session is over',
        description: `For the booked therapist, after check-in. The time is recorded, the client is asked to rate the session, their check-ins are scheduled (${config.checkIns.hours.join(' and ')} hours after check-out; CHECK_IN_HOURS), and the session's total is captured from the card authorised at confirmation.`,
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'invalid_transition'],
        response,
      },
    },
    async (request) => {
      const user = requireUser(request);
      const now = clock.now();
      const base = config.publicUrl ?? `${request.protocol}://${request.host}`;
      await db.transaction().execute(async (trx) => {
        const booking = await therapistsBooking(trx, user, request.params.id);
        await changeStatus(trx, booking, 'check_out', user, now);
        // The session is paid now: its total is captured from the card authorised at confirmation (a durable job).
        await captureAtCheckOut(trx, booking, now);
        await announceSessionEnded(trx, booking.id);
        await scheduleCheckIns(trx, booking, now, config.checkIns, base, now);
        await enqueueMessages(
          trx,
          [
            {
              userId: booking.client_id,
              kind: 'session.rate',
              subject: `How was your session with ${user.displayName}?`,
              text: `Thank you for coming. Rate the session (1 to 5) and say whether you would like ${user.displayName} again: open Knotwork, My bookings. Your rating helps other clients choose.`,
              bookingId: booking.id,
              dedupeKey: `session.rate:${booking.id}`,
            },
          ],
          now,
        );
      });
      return loadAttendance(db, request.params.id);
    },
  );

  app.post(
    '/api/bookings/:id/no-show',
    {
      schema: {
        tags: ['records'],
        summary: 'Record that the client did not come',
        description: `For the booked therapist, from ${NO_SHOW_GRACE_MIN} minutes after the start of a session that was not checked in (422 no_show_too_early before). A no-show costs what a late cancellation costs under the booking’s policy: the late fee is captured from the card authorised at confirmation and the rest released (nothing within the grace period after booking, or under a free policy). The client is told.`,
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'invalid_transition', 'no_show_too_early'],
        response,
      },
    },
    async (request) => {
      const user = requireUser(request);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const booking = await therapistsBooking(trx, user, request.params.id);
        if (booking.status === 'confirmed') {
          const timing = noShowTimingProblem(
            { startsAt: booking.starts_at.getTime(), endsAt: booking.ends_at.getTime() },
            now,
          );
          if (timing) throw new ProblemError('no_show_too_early', timing);
        }
        const charge = await recordNoShow(trx, booking, user, now);
        const fee = formatMoney(charge.feeCents, booking.currency);
        await enqueueMessages(
          trx,
          [
            {
              userId: booking.client_id,
              kind: 'session.no_show',
              subject: 'We missed you at your session',
              text: `${user.displayName} recorded that you did not come to your session. ${charge.feeCents > 0 ? `Under the cancellation terms you agreed to, the late fee of ${fee} is charged and the rest refunded.` : 'There is no charge.'} If this is a mistake, reply to your therapist or contact us.`,
              bookingId: booking.id,
              dedupeKey: `session.no_show:${booking.id}`,
            },
          ],
          now,
        );
      });
      return loadAttendance(db, request.params.id);
    },
  );
}
