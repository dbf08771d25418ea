import { z } from 'zod';
import { writeAudit } from '../accounts/audit.js';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import { latestScreening, notifyScreeningChanged, screenBooking, settleClearance } from './booking-screening.js';
import { bookingScreeningView, lockedBookingForChange } from './booking-screening-view.js';
import { bookingScreeningSchema } from './engine/screening-views.js';

const bookingParams = z.object({ id: z.uuid() }).strict();

const overrideBody = z
  .object({
    ruleId: z.string().min(1).max(80),
    reason: z.string().trim().min(10, 'Say why, in at least 10 characters').max(500),
  })
  .strict();

/** The booked therapist lifts a caution for one booking, with a reason; the booking is screened again. */
export function registerOverrideRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;

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
        problems: [
          'unauthenticated',
          'forbidden',
          'not_found',
          'invalid_transition',
          'already_overridden',
          'override_not_allowed',
          'intake_required',
        ],
        response: { 201: bookingScreeningSchema },
      },
    },
    async (request, reply) => {
      const therapist = requireUser(request, 'therapist');
      const now = clock.now();
      const view = await db.transaction().execute(async (trx) => {
        const booking = await lockedBookingForChange(trx, therapist, request.params.id);
        if (booking.status !== 'held' && booking.status !== 'awaiting_clearance' && booking.status !== 'confirmed') {
          throw new ProblemError('invalid_transition', 'Flags can only be overridden before the session');
        }
        const current = await latestScreening(trx, booking.id);
        const flag = current?.decision.flags.find((f) => f.ruleId === request.body.ruleId);
        if (!current || !flag) throw fieldProblem('ruleId', 'not_flagged', 'This booking has no such flag');
        if (!flag.overridable) {
          throw new ProblemError(
            'override_not_allowed',
            flag.class === 'A'
              ? 'An absolute contraindication can never be overridden'
              : 'This flag cannot be overridden',
            {
              errors: [{ field: 'ruleId', in: 'body', code: 'not_overridable', message: 'Not overridable' }],
            },
          );
        }
        if (flag.overridden) throw new ProblemError('already_overridden');
        await trx
          .insertInto('screening_overrides')
          .values({
            booking_id: booking.id,
            rule_id: flag.ruleId,
            therapist_id: therapist.id,
            reason: request.body.reason,
            created_at: new Date(now),
          })
          .execute();
        await writeAudit(
          trx,
          {
            actor: therapist,
            action: 'screening.override',
            subjectType: 'booking',
            subjectId: booking.id,
            subjectUserId: booking.client_id,
          },
          now,
        );
        const { screening, previous } = await screenBooking(trx, booking.id, 'override', now);
        await settleClearance(trx, booking, therapist, now);
        if (previous?.outcome !== screening.outcome)
          await notifyScreeningChanged(trx, booking.id, previous?.outcome ?? null, screening.outcome, now);
        return bookingScreeningView(trx, screening);
      });
      return reply.code(201).send(view);
    },
  );
}
