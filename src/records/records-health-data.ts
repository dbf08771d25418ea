import { z } from 'zod';
import { healthDataPart } from '../health-data.js';
import { keptRestrictedNotes, restrictSignedNotes } from './note-retention.js';
import { loadNote, noteSchema, noteView } from './session-notes.js';

/** A client's session notes and treatment plans in their health-data export and erasure (src/health-data.ts). */

export const sessionNotesHealthData = healthDataPart({
  name: 'draft session notes (signed ones are kept restricted, then deleted: see below)',
  exports: ['session_notes', 'session_note_amendments'],
  erases: ['session_notes', 'session_note_amendments'],
  exportShape: {
    sessionNotes: z
      .array(noteSchema)
      .describe(
        'Every note about your sessions: drafts, signed notes and their amendments (not those kept restricted after an erasure)',
      ),
  },
  async export(db, clientId) {
    const notes = await db
      .selectFrom('session_notes')
      .select('booking_id')
      .where('client_id', '=', clientId)
      .where('restricted_until', 'is', null)
      .orderBy('created_at')
      .execute();
    const sessionNotes = [];
    for (const { booking_id } of notes) sessionNotes.push(await noteView(db, (await loadNote(db, booking_id))!));
    return { sessionNotes };
  },
  counts: ['sessionNotes', 'signedNotesRestricted'],
  /**
   * Drafts go at once. Signed notes (and their amendments) are kept, restricted, for their market's retention period,
   * and purged by a job then (records/note-retention.ts); the registry has declared the erasure, which lets the
   * trigger accept both.
   */
  async erase(trx, clientId, now) {
    const drafts = await trx
      .deleteFrom('session_notes')
      .where('client_id', '=', clientId)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    const restricted = await restrictSignedNotes(trx, clientId, now);
    return { sessionNotes: Number(drafts.numDeletedRows), signedNotesRestricted: restricted };
  },
  keptRestricted: keptRestrictedNotes,
});

export const treatmentPlansHealthData = healthDataPart({
  name: 'treatment plans',
  exports: ['treatment_plans'],
  erases: ['treatment_plans'],
  exportShape: {
    treatmentPlans: z.array(
      z.object({
        therapistId: z.uuid(),
        version: z.number(),
        goals: z.array(
          z.object({
            measure: z.string(),
            key: z.string().nullable(),
            comparator: z.string(),
            target: z.number(),
            label: z.string().nullable(),
          }),
        ),
        frequency: z.object({ sessions: z.number(), per: z.string() }),
        plannedSessions: z.number(),
        startsOn: z.iso.date(),
        reviewOn: z.iso.date(),
        notes: z.string(),
        updatedAt: z.iso.datetime(),
      }),
    ),
  },
  async export(db, clientId) {
    const plans = await db
      .selectFrom('treatment_plans')
      .selectAll()
      .where('client_id', '=', clientId)
      .orderBy('created_at')
      .execute();
    return {
      treatmentPlans: plans.map((p) => ({
        therapistId: p.therapist_id,
        version: p.version,
        goals: p.goals,
        frequency: { sessions: p.sessions_per_period, per: p.period },
        plannedSessions: p.planned_sessions,
        startsOn: p.starts_on,
        reviewOn: p.review_on,
        notes: p.notes,
        updatedAt: p.updated_at.toISOString(),
      })),
    };
  },
  counts: ['treatmentPlans'],
  async erase(trx, clientId) {
    const plans = await trx.deleteFrom('treatment_plans').where('client_id', '=', clientId).executeTakeFirst();
    return { treatmentPlans: Number(plans.numDeletedRows) };
  },
});
