import { type Transaction, sql } from 'kysely';
import { z } from 'zod';
import { aftercareExportShape, exportAftercare } from '../aftercare/aftercare-health-data.js';
import { eraseAftercare } from '../aftercare/aftercare-store.js';
import type { DB } from '../schema.js';
import { loadClientMeasurements } from '../outcomes/measurement-store.js';
import { measurementSchema, toMeasurementView } from '../outcomes/outcome-views.js';
import { loadNote, noteSchema, noteView } from './session-notes.js';

type Trx = Transaction<DB>;

/** A client's session records in their health-data export, and their erasure (intake/intake-routes.ts). */

export const sessionRecordsExportShape = {
  ...aftercareExportShape,
  sessionNotes: z.array(noteSchema).describe('Every note about your sessions: drafts, signed notes and their amendments'),
  outcomeMeasurements: z.array(measurementSchema),
  treatmentPlans: z.array(
    z.object({
      therapistId: z.uuid(),
      version: z.number(),
      goals: z.array(z.object({ measure: z.string(), key: z.string().nullable(), comparator: z.string(), target: z.number(), label: z.string().nullable() })),
      frequency: z.object({ sessions: z.number(), per: z.string() }),
      plannedSessions: z.number(),
      startsOn: z.iso.date(),
      reviewOn: z.iso.date(),
      notes: z.string(),
      updatedAt: z.iso.datetime(),
    }),
  ),
};

export async function exportSessionRecords(trx: Trx, clientId: string) {
  const [notes, measurements, plans] = await Promise.all([
    trx.selectFrom('session_notes').select('booking_id').where('client_id', '=', clientId).orderBy('created_at').execute(),
    loadClientMeasurements(trx, clientId),
    trx.selectFrom('treatment_plans').selectAll().where('client_id', '=', clientId).orderBy('created_at').execute(),
  ]);
  const sessionNotes = [];
  for (const { booking_id } of notes) sessionNotes.push(await noteView(trx, (await loadNote(trx, booking_id))!));
  return {
    ...(await exportAftercare(trx, clientId)),
    sessionNotes,
    outcomeMeasurements: measurements.map(toMeasurementView),
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
}

/**
 * Deletes a client's notes (signed ones and their amendments too), measurements, treatment plans, aftercare,
 * check-ins and care alerts. Signed notes
 * are otherwise immutable in the database; this transaction tells the trigger it is an erasure, until it ends.
 */
export async function eraseSessionRecords(trx: Trx, clientId: string) {
  await sql`SELECT set_config('knotwork.erasing_health_data', 'on', true)`.execute(trx);
  const noteIds = trx.selectFrom('session_notes').select('id').where('client_id', '=', clientId);
  const amendments = await trx.deleteFrom('session_note_amendments').where('note_id', 'in', noteIds).executeTakeFirst();
  const notes = await trx.deleteFrom('session_notes').where('client_id', '=', clientId).executeTakeFirst();
  const measurements = await trx.deleteFrom('outcome_measurements').where('client_id', '=', clientId).executeTakeFirst();
  const plans = await trx.deleteFrom('treatment_plans').where('client_id', '=', clientId).executeTakeFirst();
  const bookings = trx.selectFrom('bookings').select('id').where('client_id', '=', clientId);
  await trx.deleteFrom('live_sequences').where('booking_id', 'in', bookings).execute();
  const signals = await trx.deleteFrom('live_signals').where('booking_id', 'in', bookings).executeTakeFirst();
  const aftercare = await eraseAftercare(trx, clientId);
  return {
    sessionNotes: Number(notes.numDeletedRows),
    noteAmendments: Number(amendments.numDeletedRows),
    outcomeMeasurements: Number(measurements.numDeletedRows),
    treatmentPlans: Number(plans.numDeletedRows),
    liveSignals: Number(signals.numDeletedRows),
    ...aftercare,
  };
}
