import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { type ScreeningLimits, screeningLimitsOf } from '../domain/screening-exceedances.js';
import { type SessionNote, sessionNoteSchema } from '../care/engine/session-note.js';
import { toSoap } from '../care/engine/soap.js';
import type { DB } from '../schema.js';
import { regionRefLabel } from '../domain/region-label.js';
import { regionRef } from '../intake/engine/intake-schema.js';
import { ProblemError } from '../domain/problems.js';
import { liveSummaries } from '../live/signal-store.js';
import type { RegionSummary } from '../domain/signal-summary.js';
import { replaceMeasurements } from '../outcomes/measurement-store.js';
import { latestScreening } from '../screening/booking-screening.js';
import { todayIn } from '../therapists/today.js';
import { describeExceedance, type ExceedanceReason, noteExceedances, noteMeasurements } from './engine/note-rules.js';
import { userNames } from '../accounts/accounts-reads.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Session notes as stored and as they leave the server (the current version, the signed original, amendments), and their writes. */

export const exceedanceReasonsSchema = z
  .array(
    z
      .object({ region: regionRef, reason: z.string().trim().min(10, 'Say why, in at least 10 characters').max(500) })
      .strict(),
  )
  .max(60)
  .superRefine((reasons, ctx) => {
    reasons.forEach((r, i) => {
      if (reasons.findIndex((other) => other.region === r.region) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'region'],
          message: `${r.region} has a reason already`,
          params: { code: 'duplicate_region' },
        });
      }
    });
  })
  .describe(
    'Why a region was worked beyond its screening limit (pressure above the cap, an excluded region, a technique ruled out)',
  );

const versionSchema = z.object({
  note: sessionNoteSchema,
  exceedanceReasons: z.array(z.object({ region: z.string(), reason: z.string() })),
});
const person = z.object({ id: z.uuid(), displayName: z.string() });
const soapSchema = z
  .object({
    subjective: z.array(z.string()),
    objective: z.array(z.string()),
    assessment: z.array(z.string()),
    plan: z.array(z.string()),
    otherNotes: z.string(),
  })
  .describe(
    'The note in the SOAP layout, in words: what the client reported, what was found and done, the assessment and the plan',
  );

export const noteSchema = z
  .object({
    id: z.uuid(),
    bookingId: z.uuid(),
    status: z.enum(['draft', 'signed']),
    templateId: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    signedAt: z.iso.datetime().nullable(),
    signedBy: person.nullable(),
    current: versionSchema.describe('The note as it stands: the draft, the signed note, or its last amendment'),
    original: versionSchema
      .extend({ soap: soapSchema })
      .nullable()
      .describe('The note as signed, before any amendment, with its SOAP layout; null for a draft'),
    amendments: z.array(
      z.object({
        id: z.number(),
        author: person,
        createdAt: z.iso.datetime(),
        reason: z.string(),
        changedFields: z.array(z.string()),
        ...versionSchema.shape,
      }),
    ),
    exceedances: z
      .array(
        z.object({
          region: z.string(),
          label: z.string(),
          kind: z.enum(['pressure_above_cap', 'excluded_region_worked', 'technique_avoided']),
          recordedIn: z
            .enum(['note', 'live'])
            .describe(
              'note: the note records it; live: only the live record shows it (pressure sent during the session)',
            ),
          description: z.string(),
          reason: z.string().nullable(),
        }),
      )
      .describe(
        'Where the current version, or the pressure applied during the session, goes beyond the booking’s screening, each with its reason (null: still missing)',
      ),
    soap: soapSchema,
  })
  .meta({ id: 'SessionNote' });

export type NoteView = z.infer<typeof noteSchema>;

export interface StoredNote {
  id: string;
  bookingId: string;
  status: 'draft' | 'signed';
  templateId: string | null;
  createdAt: Date;
  updatedAt: Date;
  signedAt: Date | null;
  signedBy: { id: string; displayName: string } | null;
  original: { note: SessionNote; exceedanceReasons: ExceedanceReason[] };
  amendments: {
    id: number;
    author: { id: string; displayName: string };
    createdAt: Date;
    reason: string;
    changedFields: string[];
    note: SessionNote;
    exceedanceReasons: ExceedanceReason[];
  }[];
}

/** The version that stands: the last amendment's, or the note as written. */
export function currentVersion(stored: StoredNote) {
  return stored.amendments.at(-1) ?? stored.original;
}

/**
 * The booking's note with its amendments; undefined when there is none or when it is kept restricted after its
 * client's erasure (`restricted_until`): every read of a note goes through here or skips restricted notes itself.
 * Only the operators' legal-hold read (records/legal-hold-routes.ts) asks for a restricted one.
 */
export async function loadNote(
  db: Db,
  bookingId: string,
  options: { restricted?: boolean } = {},
): Promise<StoredNote | undefined> {
  const row = await db
    .selectFrom('session_notes as n')
    .leftJoin(userNames(db).as('s'), 's.id', 'n.signed_by')
    .selectAll('n')
    .select('s.display_name as signer_name')
    .where('n.booking_id', '=', bookingId)
    .where('n.restricted_until', options.restricted ? 'is not' : 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const amendments = await db
    .selectFrom('session_note_amendments as a')
    .innerJoin(userNames(db).as('u'), 'u.id', 'a.author_id')
    .selectAll('a')
    .select('u.display_name as author_name')
    .where('a.note_id', '=', row.id)
    .orderBy('a.id')
    .execute();
  return {
    id: row.id,
    bookingId: row.booking_id,
    status: row.status,
    templateId: row.template_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    signedAt: row.signed_at,
    signedBy: row.signed_by ? { id: row.signed_by, displayName: row.signer_name ?? '' } : null,
    original: { note: row.content, exceedanceReasons: row.exceedance_reasons },
    amendments: amendments.map((a) => ({
      id: a.id,
      author: { id: a.author_id, displayName: a.author_name },
      createdAt: a.created_at,
      reason: a.reason,
      changedFields: a.changed_fields,
      note: a.content,
      exceedanceReasons: a.exceedance_reasons,
    })),
  };
}

/** What a note is checked against: the booking's current screening, and the pressure applied during the session. */
export interface NoteLimits {
  limits: ScreeningLimits;
  liveApplied: RegionSummary[];
}

export async function noteLimits(db: Db, bookingId: string): Promise<NoteLimits> {
  const [screening, live] = await Promise.all([latestScreening(db, bookingId), liveSummaries(db, [bookingId])]);
  return { limits: screeningLimitsOf(screening?.decision), liveApplied: live.get(bookingId) ?? [] };
}

/** The note as its readers see it, checked against the booking's current screening and the session's live record. */
export async function noteView(db: Db, stored: StoredNote): Promise<NoteView> {
  const { limits, liveApplied } = await noteLimits(db, stored.bookingId);
  const current = currentVersion(stored);
  const reasons = new Map(current.exceedanceReasons.map((r) => [r.region, r.reason]));
  return {
    id: stored.id,
    bookingId: stored.bookingId,
    status: stored.status,
    templateId: stored.templateId,
    createdAt: stored.createdAt.toISOString(),
    updatedAt: stored.updatedAt.toISOString(),
    signedAt: stored.signedAt?.toISOString() ?? null,
    signedBy: stored.signedBy,
    current: { note: current.note, exceedanceReasons: current.exceedanceReasons },
    original: stored.status === 'signed' ? { ...stored.original, soap: toSoap(stored.original.note) } : null,
    amendments: stored.amendments.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })),
    exceedances: noteExceedances(current.note, liveApplied, limits).map((e) => ({
      region: e.region,
      label: regionRefLabel(e.region),
      kind: e.kind,
      recordedIn: e.recordedIn,
      description: describeExceedance(e),
      reason: reasons.get(e.region) ?? null,
    })),
    soap: toSoap(current.note),
  };
}

/** Creates or replaces the booking's draft; a signed note is never written again (409 note_signed). */
export async function writeDraft(
  trx: Transaction<DB>,
  booking: { id: string; client_id: string; therapist_id: string },
  draft: { note: SessionNote; reasons: readonly ExceedanceReason[]; templateId: string | null },
  now: number,
): Promise<void> {
  const existing = await trx
    .selectFrom('session_notes')
    .select(['id', 'status', 'restricted_until'])
    .where('booking_id', '=', booking.id)
    .executeTakeFirst();
  if (existing?.restricted_until)
    throw new ProblemError(
      'note_signed',
      'This session’s note was signed and is kept restricted after the client erased their health information',
    );
  if (existing?.status === 'signed')
    throw new ProblemError(
      'note_signed',
      'This note is signed: add an amendment (POST …/note/amendments) to correct it',
    );
  const values = {
    content: JSON.stringify(draft.note),
    exceedance_reasons: JSON.stringify(draft.reasons),
    template_id: draft.templateId,
    updated_at: new Date(now),
  };
  if (existing) await trx.updateTable('session_notes').set(values).where('id', '=', existing.id).execute();
  else
    await trx
      .insertInto('session_notes')
      .values({
        ...values,
        booking_id: booking.id,
        client_id: booking.client_id,
        therapist_id: booking.therapist_id,
        created_at: new Date(now),
      })
      .execute();
}

export async function markSigned(trx: Transaction<DB>, noteId: string, signerId: string, now: number): Promise<void> {
  await trx
    .updateTable('session_notes')
    .set({ status: 'signed', signed_at: new Date(now), signed_by: signerId, updated_at: new Date(now) })
    .where('id', '=', noteId)
    .execute();
}

/**
 * The note's measurements (range of motion) become the session's outcome values, replacing the note's earlier ones
 * (pain values an older note wrote among them: pain before is the client's own report, recorded when given).
 */
export async function recordNoteMeasurements(
  trx: Transaction<DB>,
  booking: { id: string; client_id: string; starts_at: Date; time_zone: string },
  note: SessionNote,
  therapistId: string,
  now: number,
): Promise<void> {
  await replaceMeasurements(
    trx,
    {
      clientId: booking.client_id,
      bookingId: booking.id,
      sessionDate: todayIn(booking.time_zone, booking.starts_at.getTime()),
    },
    noteMeasurements(note),
    { source: 'note', userId: therapistId, now },
    { replaceSource: 'note' },
  );
}
