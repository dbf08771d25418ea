import type { Transaction } from 'kysely';
import { z } from 'zod';
import { toSoap } from '../care/engine/soap.js';
import type { DB } from '../schema.js';
import { liveSummaries } from '../live/signal-store.js';
import { regionSummarySchema } from '../live/engine/live-views.js';
import { toMeasurementView } from '../outcomes/outcome-views.js';
import { currentVersion, loadNote } from './session-notes.js';
import { loadBookingMeasurements } from '../outcomes/measurement-store.js';

/** What the pre-session brief shows of an earlier session: its signed note in SOAP form and the measurements taken. */
export const sessionRecordSummarySchema = z
  .object({
    note: z
      .object({
        signedAt: z.iso.datetime(),
        amendments: z.number(),
        soap: z.object({ subjective: z.array(z.string()), objective: z.array(z.string()), assessment: z.array(z.string()), plan: z.array(z.string()), otherNotes: z.string() }),
      })
      .nullable()
      .describe('The signed note as it stands (amendments applied); null when none was signed'),
    measurements: z.array(z.object({ measure: z.string(), name: z.string(), keyLabel: z.string().nullable(), value: z.number(), unit: z.string(), band: z.string().nullable() })),
    liveSummary: z.array(regionSummarySchema).describe('The client’s live feedback per region: the highest pressure they accepted, and their discomfort'),
  })
  .meta({ id: 'SessionRecordSummary' });

export type SessionRecordSummary = z.infer<typeof sessionRecordSummarySchema>;

export async function sessionRecordSummaries(trx: Transaction<DB>, bookingIds: readonly string[]): Promise<Map<string, SessionRecordSummary>> {
  if (bookingIds.length === 0) return new Map();
  const measurements = await loadBookingMeasurements(trx, bookingIds);
  const live = await liveSummaries(trx, bookingIds);
  const summaries = new Map<string, SessionRecordSummary>();
  for (const bookingId of bookingIds) {
    const stored = await loadNote(trx, bookingId);
    const signed = stored?.status === 'signed' ? stored : undefined;
    summaries.set(bookingId, {
      note: signed ? { signedAt: signed.signedAt!.toISOString(), amendments: signed.amendments.length, soap: toSoap(currentVersion(signed).note) } : null,
      measurements: measurements
        .filter((m) => m.booking_id === bookingId)
        .map(toMeasurementView)
        .map((m) => ({ measure: m.measure, name: m.name, keyLabel: m.keyLabel, value: Math.round(m.value * 10) / 10, unit: m.unit, band: m.band?.label ?? null })),
      liveSummary: live.get(bookingId) ?? [],
    });
  }
  return summaries;
}
