import type { Transaction } from 'kysely';
import { toSoap } from '../care/engine/soap.js';
import type { DB } from '../schema.js';
import { toMeasurementView } from '../outcomes/outcome-views.js';
import type { SessionRecordSummary } from './engine/session-record-summary.js';
import { currentVersion, loadNote } from './session-notes.js';
import { loadBookingMeasurements } from '../outcomes/measurement-store.js';

/** Per booking, what the pre-session brief shows of it as an earlier session (records/engine/session-record-summary.ts). */
export async function sessionRecordSummaries(
  trx: Transaction<DB>,
  bookingIds: readonly string[],
): Promise<Map<string, SessionRecordSummary>> {
  if (bookingIds.length === 0) return new Map();
  const measurements = await loadBookingMeasurements(trx, bookingIds);
  const summaries = new Map<string, SessionRecordSummary>();
  for (const bookingId of bookingIds) {
    const stored = await loadNote(trx, bookingId);
    const signed = stored?.status === 'signed' ? stored : undefined;
    summaries.set(bookingId, {
      note: signed
        ? {
            signedAt: signed.signedAt!.toISOString(),
            amendments: signed.amendments.length,
            soap: toSoap(currentVersion(signed).note),
          }
        : null,
      measurements: measurements
        .filter((m) => m.booking_id === bookingId)
        .map(toMeasurementView)
        .map((m) => ({
          measure: m.measure,
          name: m.name,
          keyLabel: m.keyLabel,
          value: Math.round(m.value * 10) / 10,
          unit: m.unit,
          band: m.band?.label ?? null,
        })),
    });
  }
  return summaries;
}
