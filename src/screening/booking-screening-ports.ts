import { type Kysely, type Transaction, sql } from 'kysely';
import type { ScreeningGate, ScreeningVerdict } from '../booking/booking-service.js';
import type { ScreeningSummary, ScreeningSummaryReader } from '../booking/booking-view.js';
import type { DB } from '../schema.js';
import {
  type BookingScreening,
  type SessionScreening,
  newSessionRead,
  recordScreening,
  refuseUnlessBookable,
  screenNewSession,
  screenSession,
  screeningRecording,
} from './booking-screening.js';
import type { ScreeningStage } from './screening-tables.js';
import { clearanceStatus, clearanceSummary } from './engine/screening-views.js';
import { verifiedClearanceCovers } from './screening-reads.js';
import { ProblemError } from '../domain/problems.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Screening's answers to the questions booking (below it) asks through its ports; src/http/app.ts wires them into
 * the booking routes, and capabilities above screening pass them to booking's views themselves.
 */

/** The latest screening of each booking with its clearance status, in two queries whatever the number of bookings. */
export const screeningSummaries: ScreeningSummaryReader = async (db: Db, bookingIds) => {
  const summaries = new Map<string, ScreeningSummary>();
  if (bookingIds.length === 0) return summaries;
  const ids = [...new Set(bookingIds)];
  const [latest, documents] = await Promise.all([
    db
      .selectFrom('booking_screenings')
      .distinctOn('booking_id')
      .select(['booking_id', 'outcome', 'decision', 'intake_version', 'created_at', 'clearance_rule_ids'])
      .where('booking_id', 'in', ids)
      .orderBy('booking_id')
      .orderBy('id', 'desc')
      .execute(),
    db
      .selectFrom('clearance_documents')
      .select(['booking_id', 'status', 'covers'])
      .where('booking_id', 'in', ids)
      .execute(),
  ]);
  for (const s of latest) {
    const clearance = clearanceSummary(
      s.clearance_rule_ids,
      documents.filter((d) => d.booking_id === s.booking_id),
    );
    summaries.set(s.booking_id, {
      outcome: s.outcome,
      headline: s.decision.headline,
      medicalUrgency: s.decision.medicalUrgency ?? null,
      intakeVersion: s.intake_version,
      screenedAt: s.created_at,
      clearance: clearance.status,
      documentsToReview: clearance.documentsToReview,
    });
  }
  return summaries;
};

/** A screening just recorded, as screeningSummaries reads it back: the decision as stored (JSON drops an absent urgency). */
function summaryOf(
  recorded: Omit<BookingScreening, 'bookingId'>,
  documents: readonly { status: string; covers: readonly string[] }[],
): ScreeningSummary {
  const clearance = clearanceSummary(recorded.clearanceRuleIds, documents);
  return {
    outcome: recorded.outcome,
    headline: recorded.decision.headline,
    medicalUrgency: recorded.decision.medicalUrgency ?? null,
    intakeVersion: recorded.intakeVersion,
    screenedAt: recorded.createdAt,
    clearance: clearance.status,
    documentsToReview: clearance.documentsToReview,
  };
}

/** What recording a screening of a held booking answers: whether a clearance is still pending, and its summary. */
function screenedAnswer(
  clearanceRuleIds: string[],
  recorded: Omit<BookingScreening, 'bookingId'>,
  documents: readonly { status: string; covers: readonly string[] }[],
): { clearancePending: boolean; summary: ScreeningSummary } {
  const verified = documents.filter((d) => d.status === 'verified').map((d) => d.covers);
  return {
    clearancePending: clearanceRuleIds.length > 0 && clearanceStatus(clearanceRuleIds, verified) === 'pending',
    summary: summaryOf(recorded, documents),
  };
}

function clearanceDocumentStates(db: Db, bookingId: string) {
  return db
    .selectFrom('clearance_documents')
    .select(['status', 'covers'])
    .where('booking_id', '=', bookingId)
    .execute();
}

/**
 * The verdict booking acts on for a screened session (or for a client without a consultation: nothing to refuse for
 * safety, so availability answers first, a taken time told at once, before the client fills in a consultation for
 * it; the session is refused only when it would be placed).
 */
function verdictOf(screening: SessionScreening | ProblemError, stage: ScreeningStage, now: number): ScreeningVerdict {
  if (screening instanceof ProblemError) {
    return {
      refuseUnlessBookable: () => undefined,
      recordFor: () => Promise.reject(screening),
      recordForNew: () => Promise.reject(screening),
      recordingForNew: () => undefined,
      recordForScreened: () => Promise.reject(screening),
      recordingForScreened: () => undefined,
      clearancePending: () => Promise.reject(screening),
    };
  }
  return {
    refuseUnlessBookable: () => refuseUnlessBookable(screening.decision),
    recordFor: async (recordTrx, bookingId) => {
      await recordScreening(recordTrx, bookingId, stage, screening, now);
    },
    recordForNew: async (recordTrx, bookingId) =>
      summaryOf(await recordScreening(recordTrx, bookingId, stage, screening, now), []),
    recordingForNew: (recordTrx, bookingId) => {
      const recording = screeningRecording(recordTrx, bookingId, stage, screening, now);
      // A booking just placed has no clearance documents yet.
      return { insert: recording.insert, summary: summaryOf(recording.recorded, []) };
    },
    recordForScreened: async (recordTrx, bookingId) => {
      // The documents were read with the overrides when the session was screened, in this transaction.
      const documents =
        screening.documentsOf?.bookingId === bookingId
          ? screening.documentsOf.documents
          : await clearanceDocumentStates(recordTrx, bookingId);
      const recorded = await recordScreening(recordTrx, bookingId, stage, screening, now);
      return screenedAnswer(screening.clearanceRuleIds, recorded, documents);
    },
    recordingForScreened: (recordTrx, bookingId) => {
      // Only with the documents read when the session was screened, in this transaction (else recordForScreened).
      if (screening.documentsOf?.bookingId !== bookingId) return undefined;
      const recording = screeningRecording(recordTrx, sql<string>`${bookingId}::uuid`, stage, screening, now);
      return {
        write: { name: 'screening', query: recording.insert.into(recordTrx, recording.insert.row) },
        ...screenedAnswer(screening.clearanceRuleIds, recording.recorded, screening.documentsOf.documents),
      };
    },
    clearancePending: async (readTrx, bookingId) =>
      screening.clearanceRuleIds.length > 0 &&
      clearanceStatus(screening.clearanceRuleIds, await verifiedClearanceCovers(readTrx, bookingId)) === 'pending',
  };
}

/** No consultation is not an error to screening's caller yet: the verdict refuses only when the session is placed. */
function unlessIntakeRequired(error: unknown): ProblemError {
  if (error instanceof ProblemError && error.code === 'intake_required') return error;
  throw error;
}

/**
 * Screening's gate for booking: screen a session (from one read of the intake, its own or folded into booking's
 * placement read) before it is placed, refuse what cannot go ahead, and record the screening once the booking
 * exists; a rescheduled session keeps its overrides and documents.
 */
export const screeningGate: ScreeningGate = {
  async screen(trx, session, stage, now) {
    return verdictOf(await screenSession(trx, session, now).catch(unlessIntakeRequired), stage, now);
  },
  newSessionRead: (trx, clientId) => newSessionRead(trx, clientId),
  screenRead(read, session, stage, now) {
    let screening: SessionScreening | ProblemError;
    try {
      screening = screenNewSession(read, session, now);
    } catch (error) {
      screening = unlessIntakeRequired(error);
    }
    return verdictOf(screening, stage, now);
  },
  async moveToBooking(trx, fromBookingId, toBookingId) {
    await trx
      .updateTable('screening_overrides')
      .set({ booking_id: toBookingId })
      .where('booking_id', '=', fromBookingId)
      .execute();
    await trx
      .updateTable('clearance_documents')
      .set({ booking_id: toBookingId })
      .where('booking_id', '=', fromBookingId)
      .execute();
  },
};
