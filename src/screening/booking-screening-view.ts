import type { Transaction } from 'kysely';
import type { SignedInUser } from '../accounts/sessions.js';
import { lockBooking } from '../booking/booking-reads.js';
import { canSeeBooking } from '../booking/booking-view.js';
import { ProblemError } from '../domain/problems.js';
import { healthAccessBasis } from '../intake/health-access.js';
import type { DB } from '../schema.js';
import type { BookingScreening } from './booking-screening.js';
import { clearanceStatus, toClientView, toDecisionView } from './engine/screening-views.js';
import { overridesOf, verifiedClearanceCovers } from './screening-reads.js';

type Trx = Transaction<DB>;

/** A booking's screening with its clearance status and overrides, as the screening routes answer (bookingScreeningSchema). */
export async function bookingScreeningView(trx: Trx, screening: BookingScreening) {
  const [overrides, verified] = await Promise.all([
    overridesOf(trx, screening.bookingId),
    verifiedClearanceCovers(trx, screening.bookingId),
  ]);
  return {
    bookingId: screening.bookingId,
    intakeVersion: screening.intakeVersion,
    stage: screening.stage,
    screenedAt: screening.createdAt.toISOString(),
    clearance: {
      status: clearanceStatus(screening.clearanceRuleIds, verified),
      requiredFor: screening.clearanceRuleIds,
    },
    forClient: toClientView(screening.decision),
    decision: toDecisionView(screening.decision),
    overrides: overrides.map((o) => ({
      ruleId: o.ruleId,
      reason: o.reason,
      therapistId: o.therapistId,
      createdAt: o.createdAt.toISOString(),
    })),
  };
}

/** The booking under a row lock, for changes (overrides, clearance documents) by someone who may read its client's health data. */
export async function lockedBookingForChange(trx: Trx, user: SignedInUser, id: string) {
  const booking = await lockBooking(trx, id);
  if (!booking || !canSeeBooking(user, booking)) throw new ProblemError('not_found', 'No such booking');
  if (!(await healthAccessBasis(trx, user, booking.client_id)))
    throw new ProblemError('forbidden', 'Only a therapist the client has booked can do this');
  return booking;
}
