import { type Expression, type Kysely, type OperationNodeSource, type Selectable, type Transaction, sql } from 'kysely';
import type { SignedInUser } from '../accounts/sessions.js';
import type { RegionRef } from '../domain/body-regions.js';
import { ProblemError } from '../domain/problems.js';
import { refuseKeptApart } from '../ratings/pair-preferences.js';
import { userNames } from '../accounts/accounts-reads.js';
import { studioNames, therapistZones } from '../therapists/therapists-reads.js';
import type { DB } from '../schema.js';
import {
  calendarLock,
  changeStatus,
  changeStatusRow,
  expireStaleHolds,
  lockTherapistCalendar,
} from './booking-lifecycle.js';
import type { BookingsTable } from './booking-tables.js';
import { type ScreeningSummary, canSeeBooking } from './booking-view.js';
import { type BookingAction, nextStatus } from './engine/booking-states.js';
import { type CancellationCharge, cancellationCharge } from './engine/cancellation-policy.js';
import type { SessionSplit } from '../money/engine/checkout.js';
import { clearanceDeadline } from './engine/clearance-deadline.js';
import { chargeWritesOf, recordCancellation, recordCharge } from './ledger.js';
import type { WriteAlong } from '../money/ledger-store.js';
import type { PaymentProvider } from '../money/engine/payment-provider.js';
import { moveSessionPayment } from '../money/session-payments.js';
import { checkoutColumns, checkoutOfRow, movePrepaid } from '../money/prepaid-checkout.js';
import { type AuthorizationRecord, providerProblem } from '../money/payment-service.js';
import {
  type PrepaidChoice,
  type PrepaidQuote,
  type SessionAuthorization,
  authorizeSession,
  checkoutAsked,
  redeemPrepaid,
  sessionQuote,
  settlePrepaid,
  authorizationRecord,
  recordSessionAuthorization,
  checkoutSubjectOf,
  releaseUnrecorded,
  settleEndedBooking,
} from './booking-payments.js';
import { scheduleJob } from '../jobs/job-scheduler.js';
import {
  PLACED_BOOKING_ID,
  type PlacedBooking,
  type PlacementSettings,
  type RequestedPlace,
  placeBooking,
  placeBookingRow,
  type RowInsert,
  requestedSession,
  requestedZone,
} from './place-booking.js';

type Trx = Transaction<DB>;
type Booking = Awaited<ReturnType<typeof lockedBooking>>;
/** A booking row as a change in this transaction left it. */
type BookingRowNow = Selectable<BookingsTable>;

/**
 * Booking's services: what holding, confirming, cancelling, moving and missing a session do, each in the caller's
 * transaction or its own. Routes validate, call one of these, and shape the reply.
 */

/** Who cancels (or moves) a booking decides who pays: the client pays the late fee; therapists and operators cost the client nothing. */
export type Canceller = 'client' | 'therapist' | 'operator';

/** The screening stages booking asks about (screening's ScreeningStage, as booking sees it). */
export type GatedStage = 'hold' | 'confirm' | 'reschedule';

/** A session for screening to decide on, which need not be a booking yet: a hold or a move is screened first. */
export interface SessionToScreen {
  clientId: string;
  startsAt: number;
  /** The session's zone (its place's), whose local date is the day screened. */
  timeZone: string;
  /** The focus the client asked for; absent: the focus of `focusFrom`'s last screening, else the intake's default. */
  focusRegions?: RegionRef[];
  focusFrom?: string;
  /** The booking whose overrides apply (the booking being confirmed, or the one a move comes from). */
  overridesOf?: string;
}

/** Screening's answer for one session, computed from one read of the client's intake. */
export interface ScreeningVerdict {
  /** Throws the safety refusal (with the urgent wording) when the session cannot go ahead; otherwise returns. */
  refuseUnlessBookable(): void;
  /** Records this screening against the booking placed (or confirmed) for the session, in the caller's transaction. */
  recordFor(trx: Trx, bookingId: string): Promise<void>;
  /**
   * recordFor for a booking just placed, which has no clearance documents yet: answers with the booking's screening
   * summary as screening's summary reader would read it back.
   */
  recordForNew(trx: Trx, bookingId: string): Promise<ScreeningSummary>;
  /**
   * recordForNew folded into the statement that places the booking: the insert of this screening's row with
   * `bookingId` (an expression that statement gives: the new booking's id), and the summary recordForNew would have
   * answered. Undefined when there is nothing to record (no consultation): recordForNew then refuses.
   */
  recordingForNew(
    trx: Trx,
    bookingId: Expression<string>,
  ): { insert: RowInsert; summary: ScreeningSummary } | undefined;
  /** Whether the session needs a medical clearance that no verified document of `bookingId` covers yet. */
  clearancePending(trx: Trx, bookingId: string): Promise<boolean>;
  /**
   * recordFor the booking the session was screened for (its `overridesOf`, as a confirm screens it), answering with
   * clearancePending and the booking's screening summary as screening's summary reader would read them back.
   */
  recordForScreened(trx: Trx, bookingId: string): Promise<{ clearancePending: boolean; summary: ScreeningSummary }>;
  /**
   * recordForScreened folded into the statement that moves the booking on: `write`, the insert of this screening's
   * row (a data-modifying CTE for that statement), with what recordForScreened would have answered. Undefined when
   * there is nothing to record (no consultation) or the documents were not read with the screening: then
   * recordForScreened.
   */
  recordingForScreened(
    trx: Trx,
    bookingId: string,
  ):
    | { write: { name: string; query: OperationNodeSource }; clearancePending: boolean; summary: ScreeningSummary }
    | undefined;
}

/**
 * Port: booking asks screening (above it) whether a session may go ahead, BEFORE it places anything, so a safety
 * refusal wins over every availability answer. src/http/app.ts wires screening's implementation
 * (screening/booking-screening-ports.ts) into the booking routes.
 */
export interface ScreeningGate {
  /**
   * Screens the session against its client's latest intake for this stage. Without a consultation there is nothing to
   * refuse for safety: the verdict lets availability answer first and refuses (intake_required) only when recorded.
   */
  screen(trx: Trx, session: SessionToScreen, stage: GatedStage, now: number): Promise<ScreeningVerdict>;
  /**
   * What screen() reads for a new session (no `focusFrom`, no `overridesOf`: a hold), as a column for booking's own
   * read to select, so screening's read rides on booking's statement; `screenRead` screens from the column's value.
   */
  newSessionRead(trx: Trx, clientId: string): Expression<unknown>;
  /** screen() for a new session, from the value of the newSessionRead column; reads nothing. */
  screenRead(
    read: unknown,
    session: Omit<SessionToScreen, 'focusFrom' | 'overridesOf'>,
    stage: GatedStage,
    now: number,
  ): ScreeningVerdict;
  /** A rescheduled session keeps what screening holds for it (overrides, clearance documents): they move to the new booking. */
  moveToBooking(trx: Trx, fromBookingId: string, toBookingId: string): Promise<void>;
}

function cancellerRole(user: SignedInUser, booking: { client_id: string }): Canceller {
  if (user.role === 'operator') return 'operator';
  return user.id === booking.client_id ? 'client' : 'therapist';
}

/**
 * The booking, read again under its therapist's calendar lock and a row lock, so concurrent changes queue. A caller
 * that already read the booking passes its therapist (which never changes), saving the read that finds it; the lock is
 * then taken by the statement that locks the row: PostgreSQL computes its columns in the scan beneath the row lock
 * (LockRows), so the calendar lock is granted first, as lockTherapistCalendar would, and the row then locked is the
 * latest version (FOR UPDATE reads past the statement's snapshot). What the calendar lock guards is read only by
 * later statements, whose snapshots see what was committed under it.
 */
export async function lockedBooking(trx: Trx, id: string, knownTherapistId?: string) {
  if (knownTherapistId !== undefined) {
    const row = await trx
      .selectFrom('bookings')
      .selectAll()
      .select(calendarLock(knownTherapistId).as('calendar_locked'))
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new ProblemError('not_found', 'No such booking');
    const { calendar_locked: _, ...locked } = row;
    return locked;
  }
  const row = await trx.selectFrom('bookings').select('therapist_id').where('id', '=', id).executeTakeFirst();
  if (!row) throw new ProblemError('not_found', 'No such booking');
  await lockTherapistCalendar(trx, row.therapist_id);
  const locked = await trx.selectFrom('bookings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!locked) throw new ProblemError('not_found', 'No such booking');
  return locked;
}

type ChargeableBooking = Pick<Booking, 'cancellation_policy' | 'price_cents' | 'starts_at' | 'confirmed_at'>;

/** What ending the booking now costs, under the policy kept on the booking. */
export function chargeNow(booking: ChargeableBooking, now: number, by: Canceller): CancellationCharge {
  return cancellationCharge(
    booking.cancellation_policy,
    {
      priceCents: booking.price_cents,
      startsAt: booking.starts_at.getTime(),
      confirmedAt: booking.confirmed_at?.getTime() ?? null,
    },
    now,
    by,
  );
}

type EndPatch = Pick<BookingsTable, 'cancelled_at' | 'cancelled_by' | 'cancellation_reason'>;

/**
 * The one charge helper for ending: ends a booking a fee may be owed on (cancel, reschedule, no-show, release).
 * Works out the charge, moves the booking along `action` with the fee on it (and `detail` on its event), and for a
 * confirmed (paid) booking refunds the price and charges the fee in the ledger. A booking never confirmed (a hold,
 * one awaiting clearance) was never charged and owes nothing. Returns the charge.
 */
export async function endWithCharge(
  trx: Trx,
  booking: Booking,
  action: Extract<BookingAction, 'cancel' | 'reschedule' | 'no_show' | 'release'>,
  actor: SignedInUser | null,
  now: number,
  by: Canceller,
  patch: Partial<EndPatch>,
  detail: (charge: CancellationCharge) => Record<string, unknown>,
): Promise<CancellationCharge> {
  const charge = chargeNow(booking, now, by);
  await changeStatus(
    trx,
    booking,
    action,
    actor,
    now,
    { ...patch, cancellation_fee_cents: charge.feeCents },
    detail(charge),
  );
  // A move keeps the authorisation and what was prepaid (rescheduleBooking carries them to the new booking).
  if (action === 'reschedule') {
    if (booking.status === 'confirmed') await recordCancellation(trx, booking, charge.feeCents, now);
    return charge;
  }
  // Any other end settles them: a free end gives back the credit and the gift cards; a late one keeps the credit
  // for the fee (booking-payments.ts settlePrepaid), and the card pays what the fee leaves.
  const prepaid = await settlePrepaid(trx, booking.id, charge.feeCents, now);
  if (booking.status === 'confirmed') await recordCancellation(trx, booking, prepaid.ledgerFeeMinor, now);
  await settleEndedBooking(
    trx,
    booking,
    prepaid.cardOwesMinor,
    now,
    action === 'no_show' ? 'no_show' : 'late_cancellation',
  );
  return charge;
}

export interface HoldRequest {
  therapistId: string;
  durationMin: number;
  startsAt: number;
  place: RequestedPlace;
  focusRegions?: RegionRef[];
}

/**
 * Holds a slot for the client. Safety first: the session is screened (one read of the intake) before anything
 * else is asked or written, so a refusal for safety wins over a kept-apart pair, an unoffered time and a taken
 * slot. Then the booking is placed and the screening recorded against it, all in `trx`. Returns the new id.
 * Only bad input about the place (unknown therapist or studio) is answered before screening: without it the
 * session's zone, and so its day, is unknown.
 */
export async function holdBooking(
  trx: Trx,
  client: SignedInUser,
  request: HoldRequest,
  settings: PlacementSettings,
  gate: ScreeningGate,
  courseId?: string,
  pairId?: string,
): Promise<string> {
  return (await holdPlaced(trx, client, request, settings, gate, courseId, pairId)).booking.id;
}

/** holdBooking, answering with what placing the hold wrote and read (placeBookingRow), to show it without a re-read. */
export async function holdPlaced(
  trx: Trx,
  client: SignedInUser,
  request: HoldRequest,
  settings: PlacementSettings,
  gate: ScreeningGate,
  courseId?: string,
  pairId?: string,
): Promise<PlacedBooking & { screening: ScreeningSummary }> {
  const session = {
    therapistId: request.therapistId,
    clientId: client.id,
    durationMin: request.durationMin,
    startsAt: request.startsAt,
    place: request.place,
  };
  // The therapist, studio, service, calendar and whether the pair is kept apart, with what screening reads (the
  // client's latest intake, screening's column) and the therapist's calendar lock: one statement, placing asks it again.
  const { timeZone, keptApart, screeningRead } = await requestedSession(
    trx,
    session,
    settings.fieldPrefix,
    gate.newSessionRead(trx, client.id),
  );
  const toScreen = {
    clientId: client.id,
    startsAt: request.startsAt,
    timeZone,
    ...(request.focusRegions ? { focusRegions: request.focusRegions } : {}),
  };
  const verdict =
    screeningRead !== undefined
      ? gate.screenRead(screeningRead, toScreen, 'hold', settings.now)
      : await gate.screen(trx, toScreen, 'hold', settings.now);
  verdict.refuseUnlessBookable();
  refuseKeptApart(keptApart);
  // The screening's row is written by the statement that writes the booking.
  const recording = verdict.recordingForNew(trx, PLACED_BOOKING_ID);
  const placed = await placeBookingRow(trx, session, 'held', settings, {
    ...(courseId ? { courseId } : {}),
    ...(pairId ? { pairId } : {}),
    ...(recording ? { alsoInsert: recording.insert } : {}),
  });
  const screening = recording ? recording.summary : await verdict.recordForNew(trx, placed.booking.id);
  return { ...placed, screening };
}

/**
 * The one place a booking is confirmed and charged: from a hold (`confirm`) or, once its clearance is verified, from
 * awaiting clearance (`clear`). Moves it to confirmed and records the charge in the ledger.
 */
async function confirmAndCharge(
  trx: Trx,
  booking: Booking,
  action: Extract<BookingAction, 'confirm' | 'clear'>,
  actor: SignedInUser | null,
  now: number,
  quoted?: SessionSplit,
  paidBy?: AuthorizationRecord,
  alsoWrite: readonly WriteAlong[] = [],
): Promise<BookingRowNow> {
  // The change, its event, `alsoWrite` (a confirm's screening row), the charge and the card's authorisation, when
  // one pays, are one statement.
  const charge = await chargeWritesOf(trx, booking, now, quoted, paidBy);
  return changeStatusRow(trx, booking, action, actor, now, { confirmed_at: new Date(now), hold_expires_at: null }, {}, [
    ...alsoWrite,
    ...charge,
  ]);
}

/**
 * A hold whose session needs a clearance not yet verified waits for it, keeping the slot, charging nothing, until
 * the deadline (engine/clearance-deadline.ts), when a job releases it unless it was cleared. Past the deadline
 * already, it cannot wait: clearance_too_late (the transaction rolls back; the hold stays as it was).
 */
async function awaitClearance(
  trx: Trx,
  booking: Booking,
  client: SignedInUser | null,
  now: number,
  alsoWrite: readonly WriteAlong[] = [],
): Promise<BookingRowNow> {
  const dueAt = clearanceDeadline(booking.starts_at.getTime());
  if (dueAt <= now) {
    throw new ProblemError(
      'clearance_too_late',
      'This session needs a medical clearance, verified by the therapist at least 24 hours before it starts. Pick a later time, or have the clearance document verified while the slot is held.',
      { extra: { clearanceDueAt: new Date(dueAt).toISOString() } },
    );
  }
  const row = await changeStatusRow(
    trx,
    booking,
    'await_clearance',
    client,
    now,
    { hold_expires_at: null, clearance_due_at: new Date(dueAt) },
    { clearanceDueAt: dueAt },
    alsoWrite,
  );
  await scheduleJob(
    trx,
    {
      kind: CLEARANCE_DEADLINE_JOB,
      payload: { bookingId: booking.id },
      runAt: dueAt,
      dedupeKey: `${CLEARANCE_DEADLINE_JOB}:${booking.id}`,
    },
    now,
  );
  return row;
}

/** The durable job (clearance-deadline-job.ts) that releases a booking still awaiting clearance at its deadline. */
export const CLEARANCE_DEADLINE_JOB = 'booking.clearance_deadline';

/** What verifying a clearance (or no longer needing one) did to a booking awaiting it. */
export type ClearanceSettlement = 'confirmed' | 'released' | 'not_awaiting';

/**
 * A booking awaiting clearance whose clearance screening now finds covered: confirmed and charged, before its
 * deadline; at or past it, released free of charge as the deadline job would have (the deadline is exact, whenever
 * the job runs). Anything not awaiting clearance is left alone. Screening calls this after a verification.
 */
export async function settleClearedBooking(
  trx: Trx,
  bookingId: string,
  actor: SignedInUser | null,
  now: number,
): Promise<ClearanceSettlement> {
  const booking = await lockedBooking(trx, bookingId);
  if (booking.status !== 'awaiting_clearance') return 'not_awaiting';
  if (booking.clearance_due_at && booking.clearance_due_at.getTime() <= now) {
    await releaseUncleared(trx, booking, now);
    return 'released';
  }
  await confirmAndCharge(trx, booking, 'clear', actor, now);
  return 'confirmed';
}

/**
 * The deadline passed: a booking still awaiting clearance is released, free of charge (nothing was charged), and its
 * slot freed. The event says why; notify tells both sides. Anything else (cleared, cancelled) is left alone.
 */
export async function releaseAtClearanceDeadline(trx: Trx, bookingId: string, now: number): Promise<boolean> {
  const booking = await lockedBooking(trx, bookingId);
  if (booking.status !== 'awaiting_clearance') return false;
  if (!booking.clearance_due_at || booking.clearance_due_at.getTime() > now) return false;
  await releaseUncleared(trx, booking, now);
  return true;
}

/** Why a booking was released at its clearance deadline, as its view shows it. */
const CLEARANCE_NOT_VERIFIED =
  'Released free of charge: the medical clearance was not verified 24 hours before the session';

async function releaseUncleared(trx: Trx, booking: Booking, now: number): Promise<void> {
  const patch = { cancelled_at: new Date(now), cancellation_reason: CLEARANCE_NOT_VERIFIED };
  await endWithCharge(trx, booking, 'release', null, now, 'operator', patch, (charge) => ({
    reason: 'clearance_not_verified',
    charge: charge.reason,
  }));
}

/**
 * A screened hold goes on: confirmed and charged, or, when a clearance it needs is not verified yet, awaiting it
 * (uncharged, released at the deadline unless cleared). The confirm's last step, and the demo seed's.
 */
async function confirmOrAwaitClearance(
  trx: Trx,
  booking: Booking,
  actor: SignedInUser | null,
  now: number,
  clearancePending: boolean,
  card?: { provider: PaymentProvider; authorization: SessionAuthorization },
  quoted?: SessionSplit,
  alsoWrite: readonly WriteAlong[] = [],
): Promise<BookingRowNow> {
  const paidBy = card ? authorizationRecord(card.provider, booking, card.authorization, now) : undefined;
  if (!clearancePending) return confirmAndCharge(trx, booking, 'confirm', actor, now, quoted, paidBy, alsoWrite);
  const row = await awaitClearance(trx, booking, actor, now, alsoWrite);
  // Awaiting clearance authorises too: the client is here now; a release at the deadline voids it.
  if (card) await recordSessionAuthorization(trx, card.provider, booking, card.authorization, now);
  return row;
}

/** How a confirm pays: the provider, the client's card (a payment method id) and where a failed void is logged. */
export interface ConfirmPayment {
  provider: PaymentProvider;
  paymentMethodId?: string;
  /** A package credit (by default, when one can pay) and a gift card code paying part or all of the total. */
  prepaid?: PrepaidChoice;
  log: (error: unknown) => void;
}

/** The session's screening, alone, for the client: throws its safety refusal, if any; writes nothing. */
async function refuseForSafety(db: Kysely<DB>, booking: Booking, gate: ScreeningGate, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const verdict = await gate.screen(
      trx,
      {
        clientId: booking.client_id,
        startsAt: booking.starts_at.getTime(),
        timeZone: booking.time_zone,
        focusFrom: booking.id,
        overridesOf: booking.id,
      },
      'confirm',
      now,
    );
    verdict.refuseUnlessBookable();
  });
}

/** What the answer to a confirm shows besides the booking's row (see viewOfWritten). */
export interface ConfirmedShown {
  therapistName: string;
  therapistZone: string;
  studioName: string | null;
  screening?: ScreeningSummary;
}

/**
 * The booking with its therapist's name and zone and its studio's name (from their owners' derived tables) and what
 * its checkout reads (money's checkoutColumns, for the signed-in client, the booking's therapist and market), in one
 * read. The checkout's columns are read whatever the booking turns out to be; only a live hold of the client uses them.
 */
function bookingWithParties(
  db: Kysely<DB>,
  bookingId: string,
  clientId: string,
  now: number,
  asked: ReturnType<typeof checkoutAsked>,
) {
  return db
    .selectFrom('bookings as b')
    .innerJoin(userNames(db).as('tn'), 'tn.id', 'b.therapist_id')
    .innerJoin(therapistZones(db).as('tz'), 'tz.user_id', 'b.therapist_id')
    .leftJoin(studioNames(db).as('sn'), 'sn.id', 'b.studio_id')
    .selectAll('b')
    .select(['tn.display_name as therapist_name', 'tz.time_zone as therapist_zone', 'sn.name as studio_name'])
    .select(
      checkoutColumns(
        db,
        { bookingId, clientId, therapistId: sql.ref<string>('b.therapist_id'), market: sql.ref<string>('b.market') },
        now,
        asked.withCredit,
        asked.card,
      ),
    )
    .where('b.id', '=', bookingId)
    .executeTakeFirst();
}

/**
 * The card authorisation for a confirm, taken before the confirm's transaction and outside it: null when nothing is
 * to be paid by card or the booking is not a live hold (the transaction then answers as it always did). A problem
 * with the card (none given, not the client's, declined) leaves the hold as it is, and a safety refusal of the
 * session wins over it: the client is told about their health before their card.
 */
async function authorizeForConfirm(
  db: Kysely<DB>,
  client: SignedInUser,
  bookingId: string,
  now: number,
  gate: ScreeningGate,
  payment: ConfirmPayment,
): Promise<{
  therapistId: string;
  paying: { quote: PrepaidQuote; authorization: SessionAuthorization | null } | null;
  parties: Omit<ConfirmedShown, 'screening'>;
}> {
  // The card to pay with and the quote's reads come with the booking (one statement), for its authorisation.
  const choice = {
    ...(payment.prepaid ?? {}),
    ...(payment.paymentMethodId ? { paymentMethodId: payment.paymentMethodId } : {}),
  };
  const asked = checkoutAsked(choice);
  const read = await bookingWithParties(db, bookingId, client.id, now, asked);
  if (!read || read.client_id !== client.id) throw new ProblemError('not_found', 'No such booking');
  const { therapist_name, therapist_zone, studio_name, terms, plans, credit, cards, packages, card, ...booking } = read;
  const therapistId = booking.therapist_id;
  const parties = { therapistName: therapist_name, therapistZone: therapist_zone, studioName: studio_name };
  if (booking.status !== 'held' || (booking.hold_expires_at && booking.hold_expires_at.getTime() <= now))
    return { therapistId, paying: null, parties };
  try {
    // A gift card code is checked here, before the card: a bad one authorises nothing.
    const checkout = checkoutOfRow(
      { terms, plans, credit, cards, packages, card },
      checkoutSubjectOf(booking),
      now,
      asked.withCredit,
      asked.card,
    );
    const quote = await sessionQuote(db, booking, now, choice, checkout);
    const result = await authorizeSession(db, payment.provider, booking, payment.paymentMethodId, quote);
    if (result && !result.ok) throw providerProblem(result);
    return { therapistId, paying: { quote, authorization: result }, parties };
  } catch (error) {
    if (error instanceof ProblemError) await refuseForSafety(db, booking, gate, now);
    throw error;
  }
}

/**
 * Confirms the client's hold (screening it again), authorises the session's total on their card and charges the
 * price in the ledger; a session that needs a clearance not yet verified waits for it instead (awaiting_clearance,
 * authorised but not charged). A hold that ran out is marked expired (committed) and then refused: for safety when
 * its screening now refuses the session, else with hold_expired.
 *
 * Order: a plain read of the booking for the amount, the authorisation OUTSIDE any transaction (a declined card
 * leaves the hold held and nothing written, unless screening refuses the session, which wins), then the confirm's
 * transaction records the authorisation with the confirmation. If that transaction fails, or ends without
 * confirming (the hold ran out meanwhile), the authorisation is voided (again by a job if the processor fails) and the error stands.
 *
 * Answers with the booking's row and with what showing it needs besides, read with the booking before the
 * transaction (its therapist's name and zone, its studio's name) and from the screening it recorded.
 */
export async function confirmHold(
  db: Kysely<DB>,
  client: SignedInUser,
  bookingId: string,
  now: number,
  gate: ScreeningGate,
  payment: ConfirmPayment,
): Promise<{ booking: BookingRowNow; shown: ConfirmedShown }> {
  const {
    therapistId,
    paying: prepared,
    parties,
  } = await authorizeForConfirm(db, client, bookingId, now, gate, payment);
  const authorization = prepared?.authorization ?? null;
  let recorded = false;
  let confirmed: BookingRowNow | undefined;
  let screening: ScreeningSummary | undefined;
  const card = authorization ? { provider: payment.provider, authorization } : undefined;
  const expired = await db
    .transaction()
    .execute(async (trx) => {
      const booking = await lockedBooking(trx, bookingId, therapistId);
      if (booking.client_id !== client.id) throw new ProblemError('not_found', 'No such booking');
      if (booking.status !== 'held' && booking.status !== 'expired') {
        // Not a hold: the state machine answers (confirming twice, a cancelled booking).
        confirmed = await changeStatusRow(trx, booking, 'confirm', client, now, {
          confirmed_at: new Date(now),
          hold_expires_at: null,
        });
        return null;
      }
      const verdict = await gate.screen(
        trx,
        {
          clientId: booking.client_id,
          startsAt: booking.starts_at.getTime(),
          timeZone: booking.time_zone,
          focusFrom: booking.id,
          overridesOf: booking.id,
        },
        'confirm',
        now,
      );
      if (booking.status === 'expired') return verdict;
      if (booking.hold_expires_at && booking.hold_expires_at.getTime() <= now) {
        await expireStaleHolds(trx, booking.therapist_id, now);
        return verdict;
      }
      verdict.refuseUnlessBookable();
      // The screening's row is written by the statement that moves the booking on (else recorded here, first).
      const recording = verdict.recordingForScreened(trx, booking.id);
      const { clearancePending: pending, summary } = recording ?? (await verdict.recordForScreened(trx, booking.id));
      screening = summary;
      // The credit and the gift card pay their part now; the charge (confirmOrAwaitClearance) then sees them.
      if (prepared) await redeemPrepaid(trx, booking, prepared.quote, now);
      // The ledger charges the split of the quote just redeemed (not priced a second time: see recordCharge).
      confirmed = await confirmOrAwaitClearance(
        trx,
        booking,
        client,
        now,
        pending,
        card,
        prepared?.quote.split,
        recording ? [recording.write] : [],
      );
      recorded = card !== undefined;
      return null;
    })
    .catch(async (error: unknown) => {
      if (authorization) await releaseUnrecorded(payment.provider, authorization, payment.log);
      throw error;
    });
  if (authorization && !recorded) await releaseUnrecorded(payment.provider, authorization, payment.log);
  if (expired) {
    expired.refuseUnlessBookable();
    throw new ProblemError('hold_expired', 'The hold ran out before it was confirmed; pick the slot again');
  }
  return { booking: confirmed!, shown: { ...parties, ...(screening ? { screening } : {}) } };
}

/** What cancelling (or moving) the booking now would cost `user`, with the currency; 404 for anybody else's booking. */
export async function quoteCancellation(db: Kysely<DB>, user: SignedInUser, bookingId: string, now: number) {
  const row = await db.selectFrom('bookings').selectAll().where('id', '=', bookingId).executeTakeFirst();
  if (!row || !canSeeBooking(user, row)) throw new ProblemError('not_found', 'No such booking');
  return { ...chargeNow(row, now, cancellerRole(user, row)), currency: row.currency };
}

/** Cancels a held, awaiting-clearance or confirmed booking; the client pays the late fee when they cancel a confirmed one late. */
export async function cancelBooking(
  db: Kysely<DB>,
  user: SignedInUser,
  bookingId: string,
  reason: string | null,
  now: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const booking = await lockedBooking(trx, bookingId);
    if (!canSeeBooking(user, booking)) throw new ProblemError('not_found', 'No such booking');
    const by = cancellerRole(user, booking);
    await endWithCharge(
      trx,
      booking,
      'cancel',
      user,
      now,
      by,
      { cancelled_at: new Date(now), cancelled_by: user.id, cancellation_reason: reason },
      (charge) => ({ by, charge: charge.reason }),
    );
  });
}

export interface RescheduleRequest {
  startsAt: number;
  durationMin?: number;
  place?: RequestedPlace;
}

/**
 * Moves the client's confirmed booking to another time with the same therapist, atomically in `trx`. Safety
 * first: the moved session is screened (with the old booking's focus and overrides) before anything is released
 * or placed. Then the old one is released (refunded, with the late fee if moved after the cut-off), the new one
 * placed confirmed with the old terms and charged, screening's overrides and documents moved, and the screening
 * recorded against it. Returns the new booking's id.
 */
export async function rescheduleBooking(
  trx: Trx,
  client: SignedInUser,
  bookingId: string,
  request: RescheduleRequest,
  settings: PlacementSettings,
  gate: ScreeningGate,
): Promise<string> {
  const { now } = settings;
  const old = await lockedBooking(trx, bookingId);
  if (old.client_id !== client.id) throw new ProblemError('not_found', 'No such booking');
  const place: RequestedPlace =
    request.place ??
    (old.mode === 'studio'
      ? { mode: 'studio', studioId: old.studio_id! }
      : { mode: 'home', address: old.address, lat: old.lat, lng: old.lng });
  // Only a booking that can move is screened: a cancelled one is refused by the state machine, not for safety.
  const verdict =
    nextStatus(old.status, 'reschedule') === undefined
      ? null
      : await gate.screen(
          trx,
          {
            clientId: client.id,
            startsAt: request.startsAt,
            timeZone: request.place
              ? await requestedZone(trx, old.therapist_id, request.place, settings.fieldPrefix)
              : old.time_zone,
            focusFrom: old.id,
            overridesOf: old.id,
          },
          'reschedule',
          now,
        );
  verdict?.refuseUnlessBookable();
  await endWithCharge(
    trx,
    old,
    'reschedule',
    client,
    now,
    'client',
    { cancelled_at: new Date(now), cancelled_by: client.id },
    (charge) => ({ charge: charge.reason }),
  );
  const id = await placeBooking(
    trx,
    {
      therapistId: old.therapist_id,
      clientId: client.id,
      durationMin: request.durationMin ?? old.duration_min,
      startsAt: request.startsAt,
      place,
    },
    'confirmed',
    settings,
    { rescheduledFrom: old.id, policyFrom: old, courseId: old.course_id, pairId: old.pair_id },
  );
  // Overrides and clearance documents belong to the session, not to its time: they move with it.
  await gate.moveToBooking(trx, old.id, id);
  await verdict!.recordFor(trx, id);
  const created = await trx.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  // The credit and gift card amounts pay for the moved session, which is charged as they price it.
  await movePrepaid(trx, old.id, id, created.duration_min);
  await recordCharge(trx, created, now);
  // The move keeps the authorisation: it now pays for the new booking. At check-out the new total is captured from
  // it (less when the new session costs less); above what was authorised, the difference is charged on the same card
  // (booking-payments.ts captureOwed). A late move's fee is carried and captured with it.
  await moveSessionPayment(trx, old.id, id, now);
  return id;
}

/**
 * Records that the client did not come: a no-show costs what a late cancellation costs under the booking's policy
 * (the price refunded, the late fee charged). Returns the charge.
 */
export function recordNoShow(
  trx: Trx,
  booking: Booking,
  therapist: SignedInUser,
  now: number,
): Promise<CancellationCharge> {
  return endWithCharge(trx, booking, 'no_show', therapist, now, 'client', {}, (charge) => ({
    charge: charge.reason,
    feeCents: charge.feeCents,
  }));
}
