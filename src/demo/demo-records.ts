import type { Kysely, Transaction } from 'kysely';
import { calendarOf, slotRules } from '../therapists/therapist-calendar.js';
import { changeStatus } from '../booking/booking-lifecycle.js';
import { recordCharge } from '../booking/ledger.js';
import { placeBooking } from '../booking/place-booking.js';
import { applyTemplate } from '../care/engine/note-templates.js';
import { screeningLimitsOf } from '../domain/screening-exceedances.js';
import { type SessionNote, sessionNoteSchema } from '../care/engine/session-note.js';
import type { DB } from '../schema.js';
import { replaceMeasurements } from '../outcomes/measurement-store.js';
import { type OutcomeSubmission, scoreSubmission } from '../outcomes/engine/outcome-submission.js';
import { latestScreening, screenBooking } from '../screening/booking-screening.js';
import { availableSlots } from '../scheduling/engine/slots.js';
import { todayIn } from '../therapists/today.js';
import { recordRating } from '../ratings/session-ratings.js';
import { markSigned, recordNoteMeasurements, writeDraft } from '../records/session-notes.js';

const DAY = 86_400_000;
const MINUTE = 60_000;

/** What the demo client reported and the therapist found at each of three weekly sessions: steady, measurable relief. */
const COURSE = [
  {
    pain: { 'hamstrings.left': 6, 'low_back.left': 6 },
    painAfter: 3,
    ake: { left: 38, right: 30 },
    odi: [3, 2, 2, 1, 3, 2, 2, 1, 2, 0],
    psfs: [2, 4],
  },
  {
    pain: { 'hamstrings.left': 5, 'low_back.left': 5 },
    painAfter: 2,
    ake: { left: 33, right: 27 },
    odi: [2, 2, 2, 1, 2, 2, 1, 1, 2, 0],
    psfs: [4, 5],
  },
  {
    pain: { 'hamstrings.left': 3, 'low_back.left': 4 },
    painAfter: 1,
    ake: { left: 27, right: 24 },
    odi: [2, 1, 1, 1, 2, 1, 1, 1, 1, 0],
    psfs: [6, 7],
  },
];
const ODI_IDS = [
  'pain_intensity',
  'personal_care',
  'lifting',
  'walking',
  'sitting',
  'standing',
  'sleeping',
  'sex_life',
  'social_life',
  'travelling',
];
const ACTIVITIES = ['Run 5 km', 'Sit through a work meeting'];

/**
 * The demo therapist's row and where their demo sessions happen: their first studio, or a home visit near their
 * mobile base when they have none (the place as the slot rules read it and as a hold requests it).
 */
export async function demoTherapistPlace(db: Kysely<DB>, therapistId: string) {
  const therapist = await db
    .selectFrom('therapists')
    .selectAll()
    .where('user_id', '=', therapistId)
    .executeTakeFirstOrThrow();
  const studio = await db
    .selectFrom('studios')
    .select(['id', 'lat', 'lng'])
    .where('therapist_id', '=', therapistId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  const place = studio
    ? {
        location: `studio:${studio.id}`,
        point: { lat: studio.lat, lng: studio.lng },
        requested: { mode: 'studio' as const, studioId: studio.id },
      }
    : {
        location: 'mobile',
        point: { lat: therapist.mobile_base_lat!, lng: therapist.mobile_base_lng! },
        requested: {
          mode: 'home' as const,
          address: '100 Demo Street, New York, NY',
          lat: therapist.mobile_base_lat!,
          lng: therapist.mobile_base_lng!,
        },
      };
  return { therapist, place };
}

/**
 * Three weekly sessions, already held, between the demo client and the demo therapist: booked, screened, checked
 * in (with the client's pain now) and out, with the client's questionnaires before each, a signed note from the
 * hamstrings template, a rating, and a treatment plan, so the progress charts and the next brief have something
 * to show. Written through the same code as real sessions, at the times they would have happened.
 */
export async function seedDemoRecords(
  db: Kysely<DB>,
  clientId: string,
  therapistId: string,
  now: number,
  stepMin: number,
): Promise<void> {
  const { therapist, place } = await demoTherapistPlace(db, therapistId);
  const calendar = calendarOf(therapist, []);
  const actor = { id: therapistId, email: '', role: 'therapist' as const, displayName: '' };

  for (const [week, visit] of COURSE.entries()) {
    const from = now - (COURSE.length - week) * 7 * DAY;
    const bookedAt = from - 2 * DAY;
    const startsAt = availableSlots({
      ...slotRules(calendar, place, 60, stepMin, bookedAt),
      from,
      to: from + 5 * DAY,
      busy: [],
      limit: 1,
    })[0];
    if (startsAt === undefined) continue;
    await inTransaction(db, async (trx) => {
      const settings = { now: bookedAt, holdMinutes: 10, graceMinutes: 10, stepMin };
      const id = await placeBooking(
        trx,
        { therapistId, clientId, durationMin: 60, startsAt, place: place.requested },
        'confirmed',
        settings,
      );
      const booking = await trx.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      await recordCharge(trx, booking, bookedAt);
      await screenBooking(trx, id, 'confirm', bookedAt);
      const target = { clientId, bookingId: id, sessionDate: todayIn(booking.time_zone, startsAt) };
      const before = { source: 'client' as const, userId: clientId, now: startsAt - 3 * 60 * MINUTE };
      await record(
        trx,
        target,
        { measure: 'odi', answers: Object.fromEntries(ODI_IDS.map((s, i) => [s, visit.odi[i]!])) },
        before,
      );
      await record(
        trx,
        target,
        { measure: 'psfs', ratings: ACTIVITIES.map((activity, i) => ({ activity, score: visit.psfs[i]! })) },
        before,
        true,
      );
      const checkedIn = await changeStatus(trx, booking, 'check_in', actor, startsAt - 5 * MINUTE);
      // Pain now, asked at check-in: the client's own report for the session, which the note's pain before repeats.
      await record(
        trx,
        target,
        { measure: 'nprs', ratings: Object.entries(visit.pain).map(([region, score]) => ({ region, score })) },
        { source: 'client', userId: therapistId, now: startsAt - 5 * MINUTE },
      );
      await changeStatus(trx, { id, status: checkedIn }, 'check_out', actor, startsAt + 62 * MINUTE);
      await signNote(trx, booking, visit, startsAt + 70 * MINUTE);
      if (week === 0) {
        await recordRating(
          trx,
          booking,
          'client',
          {
            stars: 5,
            preference: 'prefer',
            comment: 'Found the knot behind my knee at once.',
            review: 'Found the knot behind my knee at once, and checked the pressure with me throughout.',
          },
          startsAt + 3 * 60 * MINUTE,
        );
      }
    });
  }
  const today = todayIn(therapist.time_zone, now);
  await db
    .insertInto('treatment_plans')
    .values({
      client_id: clientId,
      therapist_id: therapistId,
      version: 1,
      goals: JSON.stringify([
        { measure: 'ake', key: 'left', comparator: '<', target: 20, label: 'Touch my toes again' },
        {
          measure: 'nprs',
          key: 'low_back.left',
          comparator: '<=',
          target: 2,
          label: 'A workday without low-back pain',
        },
        {
          measure: 'psfs_activity',
          key: 'run 5 km',
          comparator: '>=',
          target: 8,
          label: 'Run 5 km without hamstring pain',
        },
      ]),
      sessions_per_period: 1,
      period: 'week',
      planned_sessions: 6,
      starts_on: todayIn(therapist.time_zone, now - COURSE.length * 7 * DAY),
      review_on: today,
      notes: 'Weekly deep tissue on hamstrings and low back; home programme of hamstring stretches and glute bridges.',
      created_at: new Date(now - COURSE.length * 7 * DAY),
      updated_at: new Date(now - COURSE.length * 7 * DAY),
    })
    .execute();
}

async function record(
  trx: Transaction<DB>,
  target: { clientId: string; bookingId: string; sessionDate: string },
  submission: OutcomeSubmission,
  by: { source: 'client'; userId: string; now: number },
  wholeMeasure = false,
) {
  const scored = scoreSubmission(submission);
  if (!scored.ok) throw new Error(`Demo ${submission.measure} does not score: ${JSON.stringify(scored.problems)}`);
  await replaceMeasurements(trx, target, scored.values, by, {
    replaceMeasures: wholeMeasure ? ['psfs', 'psfs_activity'] : [],
  });
}

async function signNote(
  trx: Transaction<DB>,
  booking: { id: string; client_id: string; therapist_id: string; starts_at: Date; time_zone: string },
  visit: (typeof COURSE)[number],
  at: number,
) {
  const screening = await latestScreening(trx, booking.id);
  const painBefore = Object.entries(visit.pain).map(([region, score]) => ({ region, score }));
  const { note: draft } = applyTemplate('hamstrings_deep', {
    sides: 'both',
    durationMin: 60,
    screening: screeningLimitsOf(screening?.decision),
    painBefore,
  });
  const note: SessionNote = {
    ...draft,
    findings: {
      palpation: [
        {
          kind: 'trigger_point',
          region: 'hamstrings.left',
          muscle: 'biceps_femoris',
          note: 'Refers to the back of the knee',
        },
        { kind: 'knot', region: 'low_back.left', muscle: 'quadratus_lumborum' },
      ],
      rangeOfMotion: [
        { test: 'ake', side: 'left', trials: [visit.ake.left] },
        { test: 'ake', side: 'right', trials: [visit.ake.right] },
      ],
    },
    painAfter: [{ region: 'hamstrings.left', score: visit.painAfter }],
    assessment: 'Tissue softer after stripping; trigger point released with compression.',
  };
  await writeDraft(
    trx,
    booking,
    { note: sessionNoteSchema.parse(note), reasons: [], templateId: 'hamstrings_deep' },
    at,
  );
  const { id } = await trx
    .selectFrom('session_notes')
    .select('id')
    .where('booking_id', '=', booking.id)
    .executeTakeFirstOrThrow();
  await markSigned(trx, id, booking.therapist_id, at);
  await recordNoteMeasurements(trx, booking, note, booking.therapist_id, at);
}

/** Runs `work` in the caller's transaction when there is one (the demo seed is one transaction), else in a new one. */
function inTransaction<T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<DB>) : db.transaction().execute(work);
}
