import { type Kysely, type Transaction, sql } from 'kysely';
import type { SignedInUser } from '../accounts/sessions.js';
import type { RegionRef } from '../domain/body-regions.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import type { DB } from '../schema.js';
import { MS_PER_DAY, epochDayFromIsoDate } from '../scheduling/engine/calendar-date.js';
import { instantToLocal, localToInstant } from '../scheduling/engine/zoned-time.js';
import { type ScreeningGate, holdBooking } from './booking-service.js';
import { courseOccurrences, isoWeekdayOf, parseCourseRule } from './engine/course-recurrence.js';
import { type PlacementSettings, type RequestedPlace, placeBooking, requestedZone } from './place-booking.js';

type Trx = Transaction<DB>;

/**
 * Courses of sessions: every session of a weekly course is held in one transaction through the same path a single
 * hold takes (holdBooking: screening, kept-apart pairs, the offer rules, the overlap constraint). Each session is
 * tried inside a savepoint, so one that cannot be held is noted and the rest still tried; if any cannot, nothing is
 * written and the answer lists each with the nearest free start times of its day.
 */

export interface CourseRequest {
  therapistId: string;
  durationMin: number;
  place: RequestedPlace;
  /** The first session's local date and time at the place, 'YYYY-MM-DDTHH:mm'. */
  firstStart: string;
  rrule: string;
  focusRegions?: RegionRef[];
}

export interface CourseSession {
  startsAt: number;
  /** Null when the session cannot be held; then `alternatives` are the nearest free starts that day. */
  refusal: 'slot_unavailable' | 'slot_not_offered' | null;
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
class RollBack extends Error {
  constructor(readonly result: CourseResult) {
    super('course rolled back');
  }
}

/** Whether an error means only that the time cannot be had (the session is noted, the course goes on being tried). */
function availabilityRefusal(error: unknown): CourseSession['refusal'] {
  if ((error as { code?: string }).code === '23P01') return 'slot_unavailable';
  if (error instanceof ProblemError && (error.code === 'slot_unavailable' || error.code === 'slot_not_offered'))
    return error.code;
  return null;
}

async function inSavepoint<T>(trx: Trx, name: string, work: () => Promise<T>, keep: boolean): Promise<T> {
  await sql.raw(`SAVEPOINT ${name}`).execute(trx);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await sql.raw(`ROLLBACK TO SAVEPOINT ${name}`).execute(trx);
    await sql.raw(`RELEASE SAVEPOINT ${name}`).execute(trx);
    throw error;
  }
  if (!keep) await sql.raw(`ROLLBACK TO SAVEPOINT ${name}`).execute(trx);
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
  const rule = parseCourseRule(request.rrule, isoWeekdayOf(epochDay));
  if ('code' in rule) throw fieldProblem('rrule', rule.code, rule.message);
  const starts = courseOccurrences(timeZone, epochDay, hour * 60 + minute, rule);
  if (starts[0]! < now - MS_PER_DAY || starts.at(-1)! > now + 400 * MS_PER_DAY)
    throw fieldProblem('firstStart', 'out_of_range', 'Pick a course between now and about a year ahead');
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
 * Holds every session of the course, or none. `preview`: tries them all the same way and rolls back, answering what
 * would be held. When any session cannot be held, throws 409 course_unavailable listing the sessions (each with its
 * refusal and alternatives) and writes nothing.
 */
export async function holdCourse(
  db: Kysely<DB>,
  client: SignedInUser,
  request: CourseRequest,
  settings: PlacementSettings,
  gate: ScreeningGate,
  preview: boolean,
): Promise<CourseResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const { timeZone, starts } = await courseStarts(trx, request, settings.now);
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
      for (const [index, startsAt] of starts.entries()) {
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
          sessions.push({ startsAt, refusal: null, alternatives: [], bookingId });
        } catch (error) {
          const refusal = availabilityRefusal(error);
          if (refusal === null) throw error;
          sessions.push({ startsAt, refusal, alternatives: [], bookingId: null });
        }
      }
      const refused = sessions.filter((session) => session.refusal !== null);
      for (const session of refused)
        session.alternatives = await nearestFree(trx, client, request, timeZone, session.startsAt, settings);
      if (refused.length > 0 || preview) {
        throw new RollBack({
          courseId: null,
          timeZone,
          sessions: sessions.map((session) => ({ ...session, bookingId: null })),
        });
      }
      return { courseId: course.id, timeZone, sessions };
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    const refused = error.result.sessions.filter((session) => session.refusal !== null);
    if (preview) return error.result;
    throw new ProblemError(
      'course_unavailable',
      `${refused.length} of the ${error.result.sessions.length} sessions cannot be booked at that time; nothing was held`,
      {
        extra: {
          timeZone: error.result.timeZone,
          conflicts: refused.map((session) => ({
            index: error.result.sessions.indexOf(session),
            startsAt: new Date(session.startsAt).toISOString(),
            reason: session.refusal,
            alternatives: session.alternatives.map((ms) => new Date(ms).toISOString()),
          })),
        },
      },
    );
  }
}
