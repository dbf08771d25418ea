import type { Transaction } from 'kysely';
import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import { draftAftercareForSignedNote, redraftAftercareForAmendedNote } from '../aftercare/aftercare-store.js';
import type { SignedInUser } from '../accounts/sessions.js';
import { bookingSchema, bookingViewById, canSeeBooking } from '../booking/booking-view.js';
import { screeningSummaries } from '../screening/booking-screening-ports.js';
import { NOTE_TEMPLATES, type NoteTemplateId, applyTemplate } from '../care/engine/note-templates.js';
import { screeningLimitsOf } from '../domain/screening-exceedances.js';
import { type SessionNote, sessionNoteSchema } from '../care/engine/session-note.js';
import type { DB } from '../schema.js';
import type { App, AppContext } from '../app-context.js';
import { type FieldError, ProblemError } from '../domain/problems.js';
import { regionRefLabel } from '../domain/region-label.js';
import { authorizeBookingHealthRead } from '../intake/health-access.js';
import { sortRegionRefs } from '../domain/body-regions.js';
import { liveSummaries } from '../live/signal-store.js';
import { regionSummarySchema } from '../live/engine/live-views.js';
import { FLEXIBILITY_TEST_IDS } from '../domain/flexibility-tests.js';
import { loadBookingMeasurements, reportedPain } from '../outcomes/measurement-store.js';
import { measurementSchema, toMeasurementView } from '../outcomes/outcome-views.js';
import { type BookingScreening, latestScreening } from '../screening/booking-screening.js';
import { regionLimitSchema, regionLimitsOf } from '../care/engine/region-limits.js';
import { attendanceSchema, loadAttendance } from './attendance-routes.js';
import {
  type ExceedanceReason,
  changedNoteFields,
  describeExceedance,
  missingReasons,
  noteExceedances,
  painBeforeProblems,
  reasonsForUnworkedRegions,
} from './engine/note-rules.js';
import {
  currentVersion,
  exceedanceReasonsSchema,
  loadNote,
  markSigned,
  noteLimits,
  noteSchema,
  noteView,
  recordNoteMeasurements,
  writeDraft,
} from './session-notes.js';
import { suggestTemplate } from './engine/template-suggestion.js';
import { loadBookingFacts } from '../booking/booking-reads.js';

type Trx = Transaction<DB>;

const idParams = z.object({ id: z.uuid() }).strict();
const TEMPLATE_IDS = NOTE_TEMPLATES.map((t) => t.id) as [NoteTemplateId, ...NoteTemplateId[]];

export const draftBody = z
  .object({
    note: sessionNoteSchema,
    exceedanceReasons: exceedanceReasonsSchema.optional(),
    templateId: z.enum(TEMPLATE_IDS).nullish().describe('The template the note was started from'),
  })
  .strict();

/** Sign with the draft as sent, or (no body) the saved draft. */
const signBody = draftBody.nullish().transform((body) => body ?? null);

export const amendmentBody = z
  .object({
    note: sessionNoteSchema.describe('The whole note as it should now read'),
    exceedanceReasons: exceedanceReasonsSchema.optional(),
    reason: z.string().trim().min(10, 'Say why, in at least 10 characters').max(1000),
  })
  .strict();

const draftQuery = z
  .object({
    template: z.enum(TEMPLATE_IDS).optional().describe('Default: the template that fits the booking’s focus best'),
    sides: z.enum(['left', 'right', 'both']).optional().describe('Default: the sides of the booking’s focus'),
  })
  .strict();

const painReportSchema = z
  .object({
    region: z.string(),
    label: z.string(),
    score: z
      .number()
      .int()
      .nullable()
      .describe('0-10 as the client reported it for this session (at check-in); null: not asked'),
  })
  .meta({ id: 'PainReport' });

export const draftSchema = z
  .object({
    templateId: z.enum(TEMPLATE_IDS),
    sides: z.enum(['left', 'right', 'both']),
    templates: z.array(z.object({ id: z.enum(TEMPLATE_IDS), name: z.string() })),
    note: sessionNoteSchema,
    suggestedTests: z.array(
      z.object({ test: z.enum(FLEXIBILITY_TEST_IDS), side: z.enum(['left', 'right']).nullable() }),
    ),
    exceedanceReasons: z
      .array(z.object({ region: z.string(), reason: z.string() }))
      .describe(
        'Reasons carried over from the live record: for each region worked past the screening during the session, the reason given then, to confirm or rewrite',
      ),
    adjustments: z
      .array(z.string())
      .describe(
        'What the draft changed from the template to stay within screening, and what it took from the live record',
      ),
    limits: z.array(regionLimitSchema).describe('The booking’s screening: pressure caps and regions to avoid'),
  })
  .meta({ id: 'NoteDraft' });

export const sessionRecordSchema = z
  .object({
    booking: bookingSchema,
    attendance: attendanceSchema,
    note: noteSchema.nullable().describe('null: no note yet (a draft is shown only to its therapist)'),
    measurements: z.array(measurementSchema).describe('The outcome measurements taken at this session'),
    limits: z.array(regionLimitSchema),
    painReports: z
      .array(painReportSchema)
      .describe(
        'Pain now per focus region (and any other region reported), as the client gave it for this session; the note’s pain before repeats these',
      ),
    liveSummary: z
      .array(regionSummarySchema)
      .describe('The client’s live feedback per region (empty without live signals)'),
  })
  .meta({ id: 'SessionRecord' });

/** States in which a session has taken place, so it can have a note. */
const TAKEN_PLACE = ['checked_in', 'completed'];

/** The booking, row-locked, for its therapist to write the note of a session that took place. */
async function sessionToRecord(trx: Trx, user: SignedInUser, bookingId: string) {
  const booking = await loadBookingFacts(trx, bookingId, { forUpdate: true });
  if (!booking || !canSeeBooking(user, booking)) throw new ProblemError('not_found', 'No such booking');
  if (booking.therapist_id !== user.id)
    throw new ProblemError('forbidden', 'Only the booked therapist writes the session note');
  if (!TAKEN_PLACE.includes(booking.status))
    throw new ProblemError(
      'session_not_taken_place',
      'Check the client in first: a note records a session that took place',
    );
  return booking;
}

/** Reasons may be given for regions the note says were worked, or that the live record shows worked past the screening. */
async function refuseUnworkedReasons(
  trx: Trx,
  bookingId: string,
  note: SessionNote,
  reasons: readonly ExceedanceReason[],
) {
  if (reasons.length === 0) return;
  const { limits, liveApplied } = await noteLimits(trx, bookingId);
  const workedLive = noteExceedances(note, liveApplied, limits)
    .filter((e) => e.recordedIn === 'live')
    .map((e) => e.region);
  const errors: FieldError[] = reasonsForUnworkedRegions(note, reasons, workedLive).map((e) => ({ ...e, in: 'body' }));
  if (errors.length > 0)
    throw new ProblemError('validation_failed', errors.map((e) => e.message).join('; '), { errors });
}

/**
 * Signing and amending need a reason for every region worked beyond the screening, in the note or during the
 * session (the live record), and pain before the session must be the client's own report for it.
 */
async function refuseUnsignable(trx: Trx, bookingId: string, note: SessionNote, reasons: readonly ExceedanceReason[]) {
  const { limits, liveApplied } = await noteLimits(trx, bookingId);
  const missing = missingReasons(note, noteExceedances(note, liveApplied, limits), reasons);
  if (missing.length > 0) {
    throw new ProblemError('exceedance_reason_required', missing.map((m) => m.message).join('; '), {
      errors: missing.map((m) => ({ ...m, in: 'body' as const })),
    });
  }
  const pain = painBeforeProblems(note, await reportedPain(trx, bookingId));
  if (pain.length > 0) {
    throw new ProblemError('pain_before_not_reported', pain.map((p) => p.message).join('; '), {
      errors: pain.map((p) => ({ ...p, in: 'body' as const })),
    });
  }
}

async function saveDraft(
  trx: Trx,
  booking: { id: string; client_id: string; therapist_id: string },
  body: z.infer<typeof draftBody>,
  now: number,
) {
  const reasons = body.exceedanceReasons ?? [];
  await refuseUnworkedReasons(trx, booking.id, body.note, reasons);
  await writeDraft(trx, booking, { note: body.note, reasons, templateId: body.templateId ?? null }, now);
}

/** The focus regions of the session (and any other region reported), each with the client's pain now or null. */
async function painReportsOf(trx: Trx, bookingId: string, screening: BookingScreening | undefined) {
  const reported = await reportedPain(trx, bookingId);
  const regions = sortRegionRefs(
    new Set([...(screening?.decision.plan.regions.map((r) => r.region) ?? []), ...reported.keys()]),
  );
  return regions.map((region) => ({ region, label: regionRefLabel(region), score: reported.get(region) ?? null }));
}

export function registerNoteRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;

  app.get(
    '/api/bookings/:id/session-record',
    {
      schema: {
        tags: ['records'],
        summary: 'The record of a session: attendance, the note (with amendments) and the measurements taken',
        description:
          'For the client, the booked therapist and operators; every read is recorded in the client’s access log. A draft note is shown only to its therapist.',
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: sessionRecordSchema },
      },
    },
    async (request) =>
      db.transaction().execute(async (trx) => {
        const viewer = request.user;
        const booking = await authorizeBookingHealthRead(trx, viewer, request.params.id, 'session_record', clock.now());
        const [view, attendance, stored, measurements, screening, live] = await Promise.all([
          bookingViewById(trx, booking.id, viewer!, screeningSummaries),
          loadAttendance(trx, booking.id),
          loadNote(trx, booking.id),
          loadBookingMeasurements(trx, [booking.id]),
          latestScreening(trx, booking.id),
          liveSummaries(trx, [booking.id]),
        ]);
        const showNote = stored && (stored.status === 'signed' || viewer!.id === booking.therapist_id);
        return {
          booking: view,
          attendance,
          note: showNote ? await noteView(trx, stored) : null,
          measurements: measurements.map(toMeasurementView),
          limits: regionLimitsOf(screening?.decision),
          painReports: await painReportsOf(trx, booking.id, screening),
          liveSummary: live.get(booking.id) ?? [],
        };
      }),
  );

  app.get(
    '/api/bookings/:id/note/draft',
    {
      schema: {
        tags: ['records'],
        summary: 'A note drafted from a template, within the booking’s screening',
        description:
          'For the booked therapist. Without a template the one that fits the booking’s focus is chosen, on the focus’s sides, scaled to the session length; excluded regions are left out and pressure is held to the caps (adjustments says what changed). Pain before is the client’s own report for this session (asked at check-in) and nothing else: a region they were not asked about stays out (never copied from the consultation). Regions the live record shows worked past the screening come with the reason given during the session. Audited as a read of the client’s health data.',
        params: idParams,
        querystring: draftQuery,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: draftSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist');
      return db.transaction().execute(async (trx) => {
        const booking = await authorizeBookingHealthRead(trx, user, request.params.id, 'session_note', clock.now(), {
          draft: true,
        });
        const [details, screening, reported, live] = await Promise.all([
          loadBookingFacts(trx, booking.id).then((b) => b!),
          latestScreening(trx, booking.id),
          reportedPain(trx, booking.id),
          liveSummaries(trx, [booking.id]),
        ]);
        const limits = screeningLimitsOf(screening?.decision);
        const suggestion = suggestTemplate(screening?.decision.plan.regions.map((r) => r.region) ?? []);
        const templateId = request.query.template ?? suggestion.templateId;
        const sides = request.query.sides ?? suggestion.sides;
        const draft = applyTemplate(templateId, {
          sides,
          durationMin: details.duration_min as 60 | 90 | 120,
          screening: limits,
          painBefore: [...reported].map(([region, score]) => ({ region, score })),
        });
        const liveSummary = live.get(booking.id) ?? [];
        const fromLive = noteExceedances(draft.note, liveSummary, limits).filter((e) => e.recordedIn === 'live');
        const liveReason = (region: string) => liveSummary.find((r) => r.region === region)?.reasons.at(-1);
        return {
          templateId,
          sides,
          templates: NOTE_TEMPLATES.map((t) => ({ id: t.id, name: t.name })),
          ...draft,
          exceedanceReasons: fromLive.flatMap((e) => {
            const reason = liveReason(e.region);
            return reason ? [{ region: e.region, reason }] : [];
          }),
          adjustments: [
            ...draft.adjustments,
            ...fromLive.map(
              (e) => `${describeExceedance(e)}: the reason given then is filled in; confirm or rewrite it.`,
            ),
          ],
          limits: regionLimitsOf(screening?.decision),
        };
      });
    },
  );

  app.put(
    '/api/bookings/:id/note',
    {
      schema: {
        tags: ['records'],
        summary: 'Save the session note as a draft',
        description:
          'For the booked therapist, once the client is checked in. A draft can be saved as often as needed; exceedances lists the regions worked beyond the screening that still need a reason before signing. 409 note_signed once signed.',
        params: idParams,
        body: draftBody,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'session_not_taken_place', 'note_signed'],
        response: { 200: noteSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const booking = await sessionToRecord(trx, user, request.params.id);
        await saveDraft(trx, booking, request.body, now);
        return noteView(trx, (await loadNote(trx, booking.id))!);
      });
    },
  );

  app.post(
    '/api/bookings/:id/note/sign',
    {
      schema: {
        tags: ['records'],
        summary: 'Sign the session note: it cannot change afterwards, only be amended',
        description:
          'Signs the draft sent in the body (saved in the same transaction) or, without a body, the saved draft. Every region worked beyond the booking’s screening (pressure above its cap, an excluded region, a technique ruled out there), in the note or during the session as the live record shows, needs a reason (422 exceedance_reason_required, naming the regions). Pain before must be the client’s own report for this session, region by region (422 pain_before_not_reported): it is already among the session’s outcome measurements and the note adds none. The range-of-motion tests become the session’s outcome measurements, and the client’s aftercare is drafted for the therapist to review and send (GET …/aftercare).',
        params: idParams,
        body: signBody,
        problems: [
          'unauthenticated',
          'forbidden',
          'not_found',
          'session_not_taken_place',
          'note_signed',
          'exceedance_reason_required',
          'pain_before_not_reported',
        ],
        response: { 200: noteSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const booking = await sessionToRecord(trx, user, request.params.id);
        if (request.body) await saveDraft(trx, booking, request.body, now);
        const stored = await loadNote(trx, booking.id);
        if (!stored)
          throw new ProblemError('not_found', 'There is no draft to sign: send the note in the body, or save it first');
        if (stored.status === 'signed') throw new ProblemError('note_signed', 'This note is already signed');
        const { note, exceedanceReasons } = stored.original;
        await refuseUnsignable(trx, booking.id, note, exceedanceReasons);
        await markSigned(trx, stored.id, user.id, now);
        await recordNoteMeasurements(trx, booking, note, user.id, now);
        await draftAftercareForSignedNote(trx, booking.id, note, now);
        return noteView(trx, (await loadNote(trx, booking.id))!);
      });
    },
  );

  app.post(
    '/api/bookings/:id/note/amendments',
    {
      schema: {
        tags: ['records'],
        summary: 'Amend a signed note',
        description:
          'For the booked therapist. The amendment carries the whole note as it should now read, the reason, the author and the time; the signed original and every earlier amendment stay readable. The same rules as signing apply (reasons for work beyond the screening, pain before as the client reported it). The session’s note measurements follow the amended note.',
        params: idParams,
        body: amendmentBody,
        problems: [
          'unauthenticated',
          'forbidden',
          'not_found',
          'session_not_taken_place',
          'note_not_signed',
          'amendment_changes_nothing',
          'exceedance_reason_required',
          'pain_before_not_reported',
        ],
        response: { 201: noteSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'therapist');
      const now = clock.now();
      const view = await db.transaction().execute(async (trx) => {
        const booking = await sessionToRecord(trx, user, request.params.id);
        const stored = await loadNote(trx, booking.id);
        if (!stored) throw new ProblemError('not_found', 'This session has no note yet');
        if (stored.status !== 'signed')
          throw new ProblemError(
            'note_not_signed',
            'A draft is edited directly (PUT …/note); only a signed note is amended',
          );
        const amended = {
          note: request.body.note,
          reasons: request.body.exceedanceReasons ?? currentVersion(stored).exceedanceReasons,
        };
        await refuseUnworkedReasons(trx, booking.id, amended.note, amended.reasons);
        const current = currentVersion(stored);
        const changed = changedNoteFields({ note: current.note, reasons: current.exceedanceReasons }, amended);
        if (changed.length === 0)
          throw new ProblemError('amendment_changes_nothing', 'The amended note is the same as the current one');
        await refuseUnsignable(trx, booking.id, amended.note, amended.reasons);
        await trx
          .insertInto('session_note_amendments')
          .values({
            note_id: stored.id,
            author_id: user.id,
            created_at: new Date(now),
            reason: request.body.reason,
            content: JSON.stringify(amended.note),
            exceedance_reasons: JSON.stringify(amended.reasons),
            changed_fields: JSON.stringify(changed),
          })
          .execute();
        await recordNoteMeasurements(trx, booking, amended.note, user.id, now);
        await redraftAftercareForAmendedNote(trx, booking.id, amended.note, now);
        return noteView(trx, (await loadNote(trx, booking.id))!);
      });
      return reply.code(201).send(view);
    },
  );
}
