import { type Kysely, type Transaction, sql } from 'kysely';
import type { SignedInUser } from '../accounts/sessions.js';
import type { RegionRef } from '../domain/body-regions.js';
import { PROBLEMS, ProblemError, fieldProblem } from '../domain/problems.js';
import type { DB } from '../schema.js';
import { MS_PER_DAY, epochDayFromIsoDate } from '../scheduling/engine/calendar-date.js';
import { instantToLocal, localToInstant } from '../scheduling/engine/zoned-time.js';
import { type ScreeningGate, endWithCharge, holdBooking, lockedBooking } from './booking-service.js';
import {
  type PlacementSettings,
  type RequestedPlace,
  forgetPlacementReads,
  placeBooking,
  requestedZone,
} from './place-booking.js';

type Trx = Transaction<DB>;

/**
 * Courses of sessions: every session of a weekly course is held in one transaction through the same path a single
 * hold takes (holdBooking: screening first, then kept-apart pairs, the offer rules, the overlap constraint). Each
 * session is tried inside a savepoint, so one that cannot be held is noted and the rest still tried; if any cannot,
 * nothing is written and the answer lists each: a safety refusal with its reason in the client's words (it wins over
 * any other answer for that session, since screening runs first), a taken or unoffered time with the nearest free
 * start times of its day. The client then sends `changes` (an alternative start for a session, or the session left
 * out) and holds exactly the sessions they accepted, or nothing.
 */

export interface CourseRequest {
  therapistId: string;
  durationMin: number;
  place: RequestedPlace;
  /** The first session's local date and time at the place, 'YYYY-MM-DDTHH:mm'. */
  firstStart: string;
  rrule: string;
  focusRegions?: RegionRef[];
  /** Sessions of the rule, by index, moved to another start (an instant) or left out (null). */
  changes?: { index: number; startsAt: number | null }[];
  /** A hold of the client's with this therapist, outside any course, released in the course's transaction. */
  replacesBookingId?: string;
}

/** Why a session cannot be held: a safety refusal of screening, or an availability answer. */
export type CourseRefusal = 'screening_not_today' | 'focus_regions_excluded' | 'slot_unavailable' | 'slot_not_offered';

export interface CourseSession {
  /** Its place in the rule's sessions (0 = the first), kept when others are left out. */
  index: number;
  startsAt: number;
  /** Null when the session can be held; a safety refusal has no alternatives, a taken time the nearest free starts that day. */
  refusal: CourseRefusal | null;
  /** The refusal in the client's words (screening's reasons, or the availability problem's title). */
  message: string | null;
  alternatives: number[];
  bookingId: string | null;
}

export interface CourseResult {
  courseId: string | null;
  timeZone: string;
  sessions: CourseSession[];
}

const MAX_ALTERNATIVES = 3;
/** Alternatives are looked for this far either side of the wanted start, on the same local day. */
const ALTERNATIVE_REACH_MIN = 4 * 60;
const LOCAL_START = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/;

/** Thrown inside the transaction to roll it back while still handing the result out. */
export class RollBack extends Error {
  constructor(readonly result: CourseResult) {
    super('course rolled back');
  }
}

const SESSION_REFUSALS = new Set<string>([
  'screening_not_today',
  'focus_regions_excluded',
  'slot_unavailable',
  'slot_not_offered',
]);

/** Whether an error means only that the time cannot be had (the session is noted, the course goes on being tried). */
function availabilityRefusal(error: unknown): 'slot_unavailable' | 'slot_not_offered' | null {
  if ((error as { code?: string }).code === '23P01') return 'slot_unavailable';
  if (error instanceof ProblemError && (error.code === 'slot_unavailable' || error.code === 'slot_not_offered'))
    return error.code;
  return null;
}

/**
 * Whether an error refuses only this session: for safety on its date (screening's refusal, with its reasons) or
 * for its time. Anything else (no consultation, an unknown therapist) fails the whole course.
 */
function sessionRefusal(error: unknown): { refusal: CourseRefusal; message: string } | null {
  const availability = availabilityRefusal(error);
  if (availability === 'slot_unavailable' && !(error instanceof ProblemError))
    return { refusal: availability, message: PROBLEMS.slot_unavailable.title };
  if (error instanceof ProblemError && SESSION_REFUSALS.has(error.code))
    return { refusal: error.code as CourseRefusal, message: error.message };
  return null;
}

/** Back to the savepoint, which also gives up the calendar locks taken since: placing reads (and locks) again. */
async function rollBackTo(trx: Trx, name: string) {
  await sql.raw(`ROLLBACK TO SAVEPOINT ${name}`).execute(trx);
  forgetPlacementReads(trx);
}

async function inSavepoint<T>(trx: Trx, name: string, work: () => Promise<T>, keep: boolean): Promise<T> {
  await sql.raw(`SAVEPOINT ${name}`).execute(trx);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await rollBackTo(trx, name);
    await sql.raw(`RELEASE SAVEPOINT ${name}`).execute(trx);
    throw error;
  }
  if (!keep) await rollBackTo(trx, name);
  await sql.raw(`RELEASE SAVEPOINT ${name}`).execute(trx);
  return result;
}

/** The sessions' instants, or a problem naming the field. */
async function courseStarts(trx: Trx, request: CourseRequest, now: number) {
  const timeZone = await requestedZone(trx, request.therapistId, request.place);
  const match = LOCAL_START.exec(request.firstStart);
  const epochDay = match ? epochDayFromIsoDate(match[1]!) : null;
  const hour = Number(match?.[2]);
  const minute = Number(match?.[3]);
  if (epochDay === null || hour > 23 || minute > 59)
    throw fieldProblem('firstStart', 'invalid', 'Use a local date and time at the place, e.g. 2026-12-01T18:00');
  // The recurrence (the `rrule` package) is loaded on the first course, not at start-up.
  const { courseOccurrences, isoWeekdayOf, parseCourseRule } = await import('./engine/course-recurrence.js');
  const rule = parseCourseRule(request.rrule, isoWeekdayOf(epochDay));
  if ('code' in rule) throw fieldProblem('rrule', rule.code, rule.message);
  const occurrences = courseOccurrences(timeZone, epochDay, hour * 60 + minute, rule);
  if (occurrences[0]! < now - MS_PER_DAY || occurrences.at(-1)! > now + 400 * MS_PER_DAY)
    throw fieldProblem('firstStart', 'out_of_range', 'Pick a course between now and about a year ahead');
  const changed = new Map<number, number | null>();
  for (const [at, change] of (request.changes ?? []).entries()) {
    if (change.index >= occurrences.length)
      throw fieldProblem(
        `changes.${at}.index`,
        'out_of_range',
        `The course has ${occurrences.length} sessions (0 to ${occurrences.length - 1})`,
      );
    if (change.startsAt !== null && (change.startsAt < now || change.startsAt > now + 400 * MS_PER_DAY))
      throw fieldProblem(`changes.${at}.startsAt`, 'out_of_range', 'Pick a time between now and about a year ahead');
    changed.set(change.index, change.startsAt);
  }
  const starts = occurrences
    .map((startsAt, index) => ({ index, startsAt: changed.has(index) ? changed.get(index)! : startsAt }))
    .filter((start): start is { index: number; startsAt: number } => start.startsAt !== null);
  if (starts.length === 0) throw fieldProblem('changes', 'nothing_left', 'Keep at least one session of the course');
  if (new Set(starts.map((start) => start.startsAt)).size !== starts.length)
    throw fieldProblem('changes', 'duplicate', 'Two sessions of the course would be at the same time');
  return { timeZone, starts };
}

/** The nearest starts to `wanted` on its local day that can be held now (tried, then rolled back). */
async function nearestFree(
  trx: Trx,
  client: SignedInUser,
  request: CourseRequest,
  timeZone: string,
  wanted: number,
  settings: PlacementSettings,
): Promise<number[]> {
  const { epochDay, minuteOfDay } = instantToLocal(timeZone, wanted);
  const found: number[] = [];
  for (
    let offset = settings.stepMin;
    offset <= ALTERNATIVE_REACH_MIN && found.length < MAX_ALTERNATIVES;
    offset += settings.stepMin
  ) {
    for (const minute of [minuteOfDay - offset, minuteOfDay + offset]) {
      if (minute < 0 || minute >= 1440 || found.length >= MAX_ALTERNATIVES) continue;
      const startsAt = localToInstant(timeZone, epochDay, minute);
      try {
        await inSavepoint(
          trx,
          'course_alternative',
          () =>
            placeBooking(
              trx,
              {
                therapistId: request.therapistId,
                clientId: client.id,
                durationMin: request.durationMin,
                startsAt,
                place: request.place,
              },
              'held',
              settings,
            ),
          false,
        );
        found.push(startsAt);
      } catch (error) {
        if (availabilityRefusal(error) === null) throw error;
      }
    }
  }
  return found.sort((a, b) => a - b);
}

/**
 * The hold a course replaces ("Make it a course"), released in the course's transaction: the client's own, with the
 * course's therapist and outside any course, held (or already lapsed or let go: nothing to release), else 400
 * not_replaceable at replacesBookingId. Nothing is owed
 * for a hold; its release is an ordinary client cancellation (event and audit), undone if the course is not held.
 */
async function releaseReplacedHold(trx: Trx, client: SignedInUser, request: CourseRequest, now: number) {
  const id = request.replacesBookingId!;
  const known = await trx
    .selectFrom('bookings')
    .select(['therapist_id', 'client_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  const refuse = () =>
    fieldProblem(
      'replacesBookingId',
      'not_replaceable',
      'Only a time you hold with this therapist, outside any course, can become a course',
    );
  if (!known || known.client_id !== client.id || known.therapist_id !== request.therapistId) throw refuse();
  const booking = await lockedBooking(trx, id, known.therapist_id);
  // A hold that lapsed (or was let go) meanwhile has nothing left to release; a confirmed time is never replaced.
  if (booking.status === 'expired' || booking.status === 'cancelled') return;
  if (booking.status !== 'held' || booking.course_id !== null) throw refuse();
  await endWithCharge(
    trx,
    booking,
    'cancel',
    client,
    now,
    'client',
    { cancelled_at: new Date(now), cancelled_by: client.id, cancellation_reason: 'Made into a course' },
    (charge) => ({ by: 'client', charge: charge.reason }),
  );
}

/**
 * Tries every session of the course in `trx` and holds them all, or throws RollBack (after which the caller must
 * roll `trx` back) carrying what each session would answer: always for a `preview`, and when any session cannot be
 * held. Safety refusals get no alternatives (screening refuses the date, not the time).
 */
export async function holdCourseIn(
  trx: Trx,
  client: SignedInUser,
  request: CourseRequest,
  settings: PlacementSettings,
  gate: ScreeningGate,
  preview: boolean,
): Promise<CourseResult> {
  const { timeZone, starts } = await courseStarts(trx, request, settings.now);
  if (request.replacesBookingId) await releaseReplacedHold(trx, client, request, settings.now);
  const course = await trx
    .insertInto('booking_courses')
    .values({
      client_id: client.id,
      therapist_id: request.therapistId,
      rrule: request.rrule,
      created_at: new Date(settings.now),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const sessions: CourseSession[] = [];
  for (const { index, startsAt } of starts) {
    try {
      const bookingId = await inSavepoint(
        trx,
        `course_session_${index}`,
        () =>
          holdBooking(
            trx,
            client,
            {
              therapistId: request.therapistId,
              durationMin: request.durationMin,
              startsAt,
              place: request.place,
              ...(request.focusRegions ? { focusRegions: request.focusRegions } : {}),
            },
            settings,
            gate,
            course.id,
          ),
        true,
      );
      sessions.push({ index, startsAt, refusal: null, message: null, alternatives: [], bookingId });
    } catch (error) {
      const refused = sessionRefusal(error);
      if (refused === null) throw error;
      sessions.push({ index, startsAt, ...refused, alternatives: [], bookingId: null });
    }
  }
  const refused = sessions.filter((session) => session.refusal !== null);
  for (const session of refused) {
    if (session.refusal === 'slot_unavailable' || session.refusal === 'slot_not_offered')
      session.alternatives = await nearestFree(trx, client, request, timeZone, session.startsAt, settings);
  }
  if (refused.length > 0 || preview) {
    throw new RollBack({
      courseId: null,
      timeZone,
      sessions: sessions.map((session) => ({ ...session, bookingId: null })),
    });
  }
  return { courseId: course.id, timeZone, sessions };
}

/** The course's 409 when some sessions cannot be held: each listed with its reason, nothing held. */
export function courseUnavailable(result: CourseResult): ProblemError {
  const refused = result.sessions.filter((session) => session.refusal !== null);
  return new ProblemError(
    'course_unavailable',
    `${refused.length} of the ${result.sessions.length} sessions cannot be booked as asked; nothing was held. Choose another time for each, or leave it out (changes), and hold again.`,
    {
      extra: {
        timeZone: result.timeZone,
        conflicts: refused.map((session) => ({
          index: session.index,
          startsAt: new Date(session.startsAt).toISOString(),
          reason: session.refusal,
          message: session.message,
          alternatives: session.alternatives.map((ms) => new Date(ms).toISOString()),
        })),
      },
    },
  );
}

/** What each session of the course would answer, holding nothing. */
export async function previewCourse(
  db: Kysely<DB>,
  client: SignedInUser,
  request: CourseRequest,
  settings: PlacementSettings,
  gate: ScreeningGate,
): Promise<CourseResult> {
  try {
    return await db.transaction().execute((trx) => holdCourseIn(trx, client, request, settings, gate, true));
  } catch (error) {
    if (error instanceof RollBack) return error.result;
    throw error;
  }
}
