import { z } from 'zod';
import { healthDataPart } from '../health-data.js';
import { loadNote, noteSchema, noteView } from './session-notes.js';

/** A client's session notes and treatment plans in their health-data export and erasure (src/health-data.ts). */

export const sessionNotesHealthData = healthDataPart({
  name: 'session notes, signed ones too, and their amendments',
  exports: ['session_notes', 'session_note_amendments'],
  erases: ['session_notes', 'session_note_amendments'],
  exportShape: {
    sessionNotes: z
      .array(noteSchema)
      .describe('Every note about your sessions: drafts, signed notes and their amendments'),
  },
  async export(db, clientId) {
    const notes = await db
      .selectFrom('session_notes')
      .select('booking_id')
      .where('client_id', '=', clientId)
      .orderBy('created_at')
      .execute();
    const sessionNotes = [];
    for (const { booking_id } of notes) sessionNotes.push(await noteView(db, (await loadNote(db, booking_id))!));
    return { sessionNotes };
  },
  counts: ['sessionNotes', 'noteAmendments'],
  /** Signed notes and amendments are otherwise unchangeable in the database; the registry has declared the erasure. */
  async erase(trx, clientId) {
    const noteIds = trx.selectFrom('session_notes').select('id').where('client_id', '=', clientId);
    const amendments = await trx
      .deleteFrom('session_note_amendments')
      .where('note_id', 'in', noteIds)
      .executeTakeFirst();
    const notes = await trx.deleteFrom('session_notes').where('client_id', '=', clientId).executeTakeFirst();
    return { sessionNotes: Number(notes.numDeletedRows), noteAmendments: Number(amendments.numDeletedRows) };
  },
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
