import { formatInstant } from '../domain/session-time.js';
import { type Expression, type Kysely, type Transaction, sql } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { DB } from '../schema.js';
import { ProblemError } from '../domain/problems.js';
import type { RegionRef } from '../domain/body-regions.js';
import type { SignedInUser } from '../accounts/sessions.js';
import { getBooking, upcomingBookingsOfClient } from '../booking/booking-reads.js';
import { type ClearanceSettlement, settleClearedBooking } from '../booking/booking-service.js';
import type { RowInsert } from '../booking/place-booking.js';
import { intakeOfJson, latestIntakeOf, loadIntake } from '../intake/intake-store.js';
import { enqueueMessages } from '../notify/outbox.js';
import { todayIn } from '../therapists/today.js';
import { FOCUS_REGIONS_EXCLUDED } from './engine/contraindication-catalogue.js';
import { type Pressure } from '../domain/screening-vocabulary.js';
import {
  type Outcome,
  type ScreeningDecision,
  defaultFocusRegions,
  requiredClearanceRuleIds,
  screen,
} from './engine/screening-engine.js';
import { clearanceStatus } from './engine/screening-views.js';
import { verifiedClearanceCovers } from './screening-reads.js';
import type { ScreeningStage } from './screening-tables.js';

type Trx = Transaction<DB>;
type Db = Kysely<DB> | Transaction<DB>;

export interface BookingScreening {
  bookingId: string;
  intakeVersion: number;
  stage: ScreeningStage;
  outcome: Outcome;
  focusRegions: RegionRef[] | null;
  clearanceRuleIds: string[];
  decision: ScreeningDecision;
  createdAt: Date;
}

export async function latestScreening(db: Db, bookingId: string): Promise<BookingScreening | undefined> {
  const row = await db
    .selectFrom('booking_screenings')
    .selectAll()
    .where('booking_id', '=', bookingId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return (
    row && {
      bookingId: row.booking_id,
      intakeVersion: row.intake_version,
      stage: row.stage,
      outcome: row.outcome,
      focusRegions: row.focus_regions,
      clearanceRuleIds: row.clearance_rule_ids,
      decision: row.decision,
      createdAt: row.created_at,
    }
  );
}

export interface ScreenBookingOptions {
  /** The focus the client asked for; otherwise the focus of the booking's last screening, or of `focusFrom`'s. */
  focusRegions?: RegionRef[];
  focusFrom?: string;
}

/** A session to screen, which may not be a booking yet (a hold or a move is screened before it is placed). */
export interface SessionScreeningRequest {
  clientId: string;
  startsAt: number;
  /** The session's zone: its local date is the plan's day, and the client's dates and times are read in it. */
  timeZone: string;
  /** The focus asked for; `null` for the intake's default focus; absent: the focus of `focusFrom`'s last screening. */
  focusRegions?: RegionRef[] | null;
  /** The booking whose last screening's focus this session keeps when no focus is asked for. */
  focusFrom?: string;
  /** The booking whose overrides apply (the booking itself, or the one a move comes from). */
  overridesOf?: string;
}

/** A screening computed from one read of the client's latest intake, not yet recorded against a booking. */
export interface SessionScreening {
  /** The clearance documents of `overridesOf`, read with its overrides, when the screening named one. */
  documentsOf?: { bookingId: string; documents: ClearanceDocumentState[] };
  clientId: string;
  intakeVersion: number;
  focusRegions: RegionRef[] | null;
  clearanceRuleIds: string[];
  decision: ScreeningDecision;
}

/** A clearance document as the screening summary and the clearance check count it. */
export interface ClearanceDocumentState {
  status: string;
  covers: string[];
}

/**
 * What screening already holds for a session with the client's latest intake, in one statement (the intake alone when
 * the request names no booking): the focus of `focusFrom`'s last screening (or null), the rules overridden on
 * `overridesOf`, and its clearance documents; the intake through intake's `latestIntakeOf`.
 */
async function screeningHeld(
  trx: Trx,
  request: Pick<SessionScreeningRequest, 'clientId' | 'focusRegions' | 'focusFrom' | 'overridesOf'>,
): Promise<{
  intake: LoadedIntake | undefined;
  focusRegions: RegionRef[] | null;
  overriddenRuleIds: string[];
  documents?: ClearanceDocumentState[];
}> {
  const focusFrom = request.focusRegions === undefined ? request.focusFrom : undefined;
  const overridesOf = request.overridesOf;
  if (focusFrom === undefined && overridesOf === undefined)
    return { intake: await loadIntake(trx, request.clientId), focusRegions: null, overriddenRuleIds: [] };
  const none = sql<null>`NULL`;
  const row = await trx
    .selectNoFrom((eb) => [
      jsonObjectFrom(latestIntakeOf(trx, request.clientId)).as('intake'),
      focusFrom !== undefined
        ? eb
            .selectFrom('booking_screenings')
            .select('focus_regions')
            .where('booking_id', '=', focusFrom)
            .orderBy('id', 'desc')
            .limit(1)
            .$castTo<RegionRef[] | null>()
            .as('focus_regions')
        : none.$castTo<RegionRef[] | null>().as('focus_regions'),
      overridesOf !== undefined
        ? jsonArrayFrom(eb.selectFrom('screening_overrides').select('rule_id').where('booking_id', '=', overridesOf))
            .$castTo<{ rule_id: string }[] | null>()
            .as('overrides')
        : none.$castTo<{ rule_id: string }[] | null>().as('overrides'),
      overridesOf !== undefined
        ? jsonArrayFrom(
            eb.selectFrom('clearance_documents').select(['status', 'covers']).where('booking_id', '=', overridesOf),
          )
            .$castTo<ClearanceDocumentState[] | null>()
            .as('documents')
        : none.$castTo<ClearanceDocumentState[] | null>().as('documents'),
    ])
    .executeTakeFirstOrThrow();
  return {
    intake: intakeOfJson(row.intake),
    focusRegions: row.focus_regions ?? null,
    overriddenRuleIds: (row.overrides ?? []).map((o) => o.rule_id),
    ...(overridesOf !== undefined ? { documents: row.documents ?? [] } : {}),
  };
}

/**
 * Screens a session against its client's latest intake (read once, with what screening holds), with the overrides of `overridesOf`, for the
 * session's start (every window in hours up to it) and local date in its zone. Records nothing: `recordScreening` does, once the booking exists. Throws
 * intake_required when the client has no consultation.
 */
export async function screenSession(
  trx: Trx,
  request: SessionScreeningRequest,
  now: number,
): Promise<SessionScreening> {
  const { intake, ...held } = await screeningHeld(trx, request);
  if (!intake) throw intakeRequired();
  const focusRegions = request.focusRegions !== undefined ? request.focusRegions : held.focusRegions;
  return {
    ...(held.documents ? { documentsOf: { bookingId: request.overridesOf!, documents: held.documents } } : {}),
    ...screenWithIntake(intake, { ...request, focusRegions }, held.overriddenRuleIds, now),
  };
}

type LoadedIntake = NonNullable<Awaited<ReturnType<typeof loadIntake>>>;

/**
 * What screenSession reads for a new session (no booking to take a focus or overrides from): the client's latest
 * intake, as a column (JSON) for another statement to select, so the read rides on that statement.
 */
export function newSessionRead(trx: Trx, clientId: string) {
  return jsonObjectFrom(latestIntakeOf(trx, clientId));
}

/** screenSession for a new session, from the value of a newSessionRead column. */
export function screenNewSession(
  read: unknown,
  request: Pick<SessionScreeningRequest, 'clientId' | 'startsAt' | 'timeZone' | 'focusRegions'>,
  now: number,
): SessionScreening {
  const intake = intakeOfJson(read as Parameters<typeof intakeOfJson>[0]);
  if (!intake) throw intakeRequired();
  return screenWithIntake(intake, { ...request, focusRegions: request.focusRegions ?? null }, [], now);
}

const intakeRequired = () =>
  new ProblemError(
    'intake_required',
    'Complete your consultation (PUT /api/me/intake) before booking, so we can check that deep tissue massage is safe for you',
  );

/** screenSession's decision once the intake, the focus and the overrides are known: pure. */
function screenWithIntake(
  intake: LoadedIntake,
  request: { clientId: string; startsAt: number; timeZone: string; focusRegions: RegionRef[] | null },
  overriddenRuleIds: string[],
  now: number,
): SessionScreening {
  const decision = screen(
    intake.intake,
    {
      date: todayIn(request.timeZone, request.startsAt),
      // Every window is measured in hours to the session's start; the client's dates are read in the session's zone.
      startsAt: request.startsAt,
      timeZone: request.timeZone,
      regions: request.focusRegions ?? defaultFocusRegions(intake.intake),
      pressure: intake.intake.pressure.preference as Pressure,
    },
    { overriddenRuleIds, today: todayIn(request.timeZone, now) },
  );
  return {
    clientId: request.clientId,
    intakeVersion: intake.version,
    focusRegions: request.focusRegions,
    clearanceRuleIds: requiredClearanceRuleIds(decision),
    decision,
  };
}

/**
 * Screens new sessions (no booking yet, so no overrides and no earlier focus: the intake's default focus) of the
 * given clients as screenSession does, with one read of each client's latest intake: the demo seed's bookings,
 * written in bulk. The answer screens synchronously; it throws intake_required for a client without a consultation.
 */
export async function newSessionScreener(
  trx: Trx,
  clientIds: string[],
): Promise<(request: { clientId: string; startsAt: number; timeZone: string }, now: number) => SessionScreening> {
  const intakes = new Map<string, LoadedIntake>();
  for (const clientId of new Set(clientIds)) {
    const intake = await loadIntake(trx, clientId);
    if (intake) intakes.set(clientId, intake);
  }
  return (request, now) => {
    const intake = intakes.get(request.clientId);
    if (!intake) throw new ProblemError('intake_required', 'Complete your consultation before booking');
    return screenWithIntake(intake, { ...request, focusRegions: null }, [], now);
  };
}

/** recordScreening for many bookings in one statement (the demo seed's bookings, written in bulk). */
export async function recordScreenings(
  trx: Trx,
  rows: { bookingId: string; stage: ScreeningStage; screening: SessionScreening; now: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('booking_screenings')
    .values(rows.map(({ bookingId, stage, screening, now }) => screeningRow(bookingId, stage, screening, now)))
    .execute();
}

/** A screening as its booking_screenings row (the booking's id may be an expression of the statement writing it). */
function screeningRow<Id extends string | Expression<string>>(
  bookingId: Id,
  stage: ScreeningStage,
  screening: SessionScreening,
  now: number,
) {
  return {
    booking_id: bookingId,
    client_id: screening.clientId,
    intake_version: screening.intakeVersion,
    stage,
    outcome: screening.decision.outcome,
    focus_regions: screening.focusRegions ? JSON.stringify(screening.focusRegions) : null,
    clearance_rule_ids: JSON.stringify(screening.clearanceRuleIds),
    decision: JSON.stringify(screening.decision),
    created_at: new Date(now),
  };
}

/** The insert of a screening row (screeningRow's), for the statement placing its booking to build once per shape. */
const insertScreeningRow = (db: Kysely<DB>, row: Record<string, unknown>) =>
  db.insertInto('booking_screenings').values(row as ReturnType<typeof screeningRow<Expression<string>>>);

/**
 * recordScreening as an insert for another statement to run (the one placing the booking, whose id `bookingId`
 * gives), with the screening as it will be recorded: the row's time is `now`, as recordScreening writes it.
 */
export function screeningRecording(
  trx: Trx,
  bookingId: Expression<string>,
  stage: ScreeningStage,
  screening: SessionScreening,
  now: number,
): { insert: RowInsert; recorded: Omit<BookingScreening, 'bookingId'> } {
  return {
    insert: { into: insertScreeningRow, row: screeningRow(bookingId, stage, screening, now) },
    recorded: recordedScreening(stage, screening, new Date(now)),
  };
}

/** A screening as recorded (what `booking_screenings` holds for it), without its booking. */
function recordedScreening(
  stage: ScreeningStage,
  screening: SessionScreening,
  createdAt: Date,
): Omit<BookingScreening, 'bookingId'> {
  return {
    intakeVersion: screening.intakeVersion,
    stage,
    outcome: screening.decision.outcome,
    focusRegions: screening.focusRegions,
    clearanceRuleIds: screening.clearanceRuleIds,
    decision: screening.decision,
    createdAt,
  };
}

/** Records a session's screening against its booking, at `stage`, with the intake version it used. */
export async function recordScreening(
  trx: Trx,
  bookingId: string,
  stage: ScreeningStage,
  screening: SessionScreening,
  now: number,
): Promise<BookingScreening> {
  const row = await trx
    .insertInto('booking_screenings')
    .values(screeningRow(bookingId, stage, screening, now))
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
  return { bookingId, ...recordedScreening(stage, screening, row.created_at) };
}

/**
 * Screens a booking against its client's latest intake, with the booking's overrides, for the session's local
 * date in the booking's zone, and records the decision with the intake version it used. Returns it and the
 * outcome before (undefined for a booking's first screening).
 */
export async function screenBooking(
  trx: Trx,
  bookingId: string,
  stage: ScreeningStage,
  now: number,
  options: ScreenBookingOptions = {},
): Promise<{ screening: BookingScreening; previous: BookingScreening | undefined }> {
  const booking = await getBooking(trx, bookingId);
  const previous = await latestScreening(trx, bookingId);
  const focusSource = options.focusFrom ? await latestScreening(trx, options.focusFrom) : previous;
  const session = await screenSession(
    trx,
    {
      clientId: booking.client_id,
      startsAt: booking.starts_at.getTime(),
      timeZone: booking.time_zone,
      focusRegions: options.focusRegions ?? focusSource?.focusRegions ?? null,
      overridesOf: bookingId,
    },
    now,
  );
  return { screening: await recordScreening(trx, bookingId, stage, session, now), previous };
}

/**
 * A decision the booking cannot go ahead with: `not_today` refuses, in the client's words, with same-day or
 * emergency wording where the decision carries it.
 */
export function refuseUnlessBookable(decision: ScreeningDecision): void {
  if (decision.outcome !== 'not_today') return;
  const reasons = decision.flags
    .filter((f) => !f.overridden && (f.class === 'A' || f.ruleId === FOCUS_REGIONS_EXCLUDED.id))
    .map((f) => ({ ruleId: f.ruleId, class: f.class, message: f.clientMessage, sources: f.sources }));
  const code = reasons.some((r) => r.class === 'A') ? 'screening_not_today' : 'focus_regions_excluded';
  throw new ProblemError(code, [decision.headline, ...reasons.map((r) => r.message)].join(' '), {
    extra: { outcome: decision.outcome, headline: decision.headline, medicalUrgency: decision.medicalUrgency, reasons },
  });
}

export type CheckInClearance =
  { cleared: true } | { cleared: false; reason: 'not_screened' | 'not_today' | 'clearance_pending'; detail: string };

/**
 * Whether the session may start, as far as screening goes: the booking has a current screening that is not
 * `not_today`, and every clearance it requires is covered by a verified document. For check-in (session records).
 */
export async function bookingClearedForCheckIn(db: Db, bookingId: string): Promise<CheckInClearance> {
  const screening = await latestScreening(db, bookingId);
  if (!screening)
    return {
      cleared: false,
      reason: 'not_screened',
      detail: 'The client has no current consultation for this booking',
    };
  // Told to the therapist checking the client in, so in staff words (the decision's headline speaks to the client).
  if (screening.outcome === 'not_today')
    return {
      cleared: false,
      reason: 'not_today',
      detail: 'The client’s screening says this session cannot go ahead today; the brief gives the reasons',
    };
  const verified = await db
    .selectFrom('clearance_documents')
    .select('covers')
    .where('booking_id', '=', bookingId)
    .where('status', '=', 'verified')
    .execute();
  if (
    clearanceStatus(
      screening.clearanceRuleIds,
      verified.map((d) => d.covers),
    ) === 'pending'
  ) {
    return {
      cleared: false,
      reason: 'clearance_pending',
      detail: 'A medical clearance document must be verified before the session',
    };
  }
  return { cleared: true };
}

/**
 * After something that can lift a booking's clearance requirement (a document verified, an intake or override that
 * no longer asks for one): a booking awaiting clearance whose latest screening is now covered is confirmed (and
 * charged) by booking, or released if its deadline has passed. Anything else is left alone.
 */
export async function settleClearance(
  trx: Trx,
  booking: { id: string; status: string },
  actor: SignedInUser | null,
  now: number,
): Promise<ClearanceSettlement> {
  if (booking.status !== 'awaiting_clearance') return 'not_awaiting';
  const screening = await latestScreening(trx, booking.id);
  if (!screening || screening.outcome === 'not_today') return 'not_awaiting';
  const status = clearanceStatus(screening.clearanceRuleIds, await verifiedClearanceCovers(trx, booking.id));
  if (status === 'pending') return 'not_awaiting';
  return settleClearedBooking(trx, booking.id, actor, now);
}

const OUTCOME_WORDS: Record<Outcome, string> = {
  proceed: 'deep tissue massage can go ahead',
  adapt: 'deep tissue massage can go ahead with changes',
  clearance_required: 'medical clearance is needed before the session',
  not_today: 'the session cannot go ahead',
};

/**
 * Tells the client and the therapist that a booking's screening outcome changed. The message says what changed,
 * not why: the reasons are health data, read in the app through the audited endpoints.
 */
export async function notifyScreeningChanged(
  trx: Trx,
  bookingId: string,
  from: Outcome | null,
  to: Outcome,
  now: number,
): Promise<void> {
  const booking = await getBooking(trx, bookingId);
  const when = formatInstant(booking.starts_at, booking.time_zone, { style: 'full' });
  const change = from
    ? `changed from "${OUTCOME_WORDS[from]}" to "${OUTCOME_WORDS[to]}"`
    : `is now: ${OUTCOME_WORDS[to]}`;
  const text = `The health screening for the session on ${when} ${change}. Open Knotwork to see what this means for the session.`;
  await enqueueMessages(
    trx,
    [booking.client_id, booking.therapist_id].map((userId) => ({
      userId,
      kind: 'screening.changed',
      subject: `Screening update for your session on ${when}`,
      text,
      bookingId,
    })),
    now,
  );
}

/**
 * After the client's intake changed: screens their upcoming held, awaiting-clearance and confirmed bookings again and
 * tells both sides where the outcome changed; one awaiting a clearance no longer needed is confirmed. Runs in the
 * transaction that saved the intake.
 */
export async function rescreenUpcomingBookings(
  trx: Trx,
  clientId: string,
  now: number,
): Promise<{ bookingId: string; from: Outcome | null; to: Outcome }[]> {
  const upcoming = await upcomingBookingsOfClient(trx, clientId, now);
  const changes: { bookingId: string; from: Outcome | null; to: Outcome }[] = [];
  for (const { id, status } of upcoming) {
    const { screening, previous } = await screenBooking(trx, id, 'intake_changed', now);
    await settleClearance(trx, { id, status }, null, now);
    if (previous?.outcome === screening.outcome) continue;
    const change = { bookingId: id, from: previous?.outcome ?? null, to: screening.outcome };
    await notifyScreeningChanged(trx, id, change.from, change.to, now);
    changes.push(change);
  }
  return changes;
}

/** After the client erased their health data: their upcoming sessions cannot start until a new consultation. */
export async function notifyConsultationWithdrawn(trx: Trx, clientId: string, now: number): Promise<void> {
  const upcoming = await upcomingBookingsOfClient(trx, clientId, now);
  await enqueueMessages(
    trx,
    upcoming.flatMap((b) =>
      [clientId, b.therapist_id].map((userId) => ({
        userId,
        kind: 'screening.withdrawn',
        subject: 'Consultation needed before the session',
        text: 'The client’s health information was erased. The session can only start once they complete the consultation again; it will then be screened and you will both be told the outcome.',
        bookingId: b.id,
      })),
    ),
    now,
  );
}
