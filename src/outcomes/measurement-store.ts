import { type Kysely, type Transaction, sql } from 'kysely';
import type { DB } from '../schema.js';
import type { MeasureId } from '../domain/measure-catalogue.js';
import type { ScoredValue } from './engine/outcome-submission.js';
import type { MeasurementSource, OutcomeMeasurementsTable } from './outcome-tables.js';
import type { StoredMeasurement } from './engine/progress-report.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Where values belong: a session (booking), or a day of the client's without one. */
export interface MeasurementTarget {
  clientId: string;
  bookingId: string | null;
  /** The session's local date, or the day of recording. */
  sessionDate: string;
}

export interface RecordedBy {
  source: MeasurementSource;
  userId: string;
  now: number;
}

export type MeasurementRow = Omit<OutcomeMeasurementsTable, 'id' | 'detail'> & {
  id: string;
  detail: StoredMeasurement['detail'];
};

/** Writes to one client's measurements queue, so "replace the value of this session" cannot race itself. */
async function lockClientMeasurements(trx: Transaction<DB>, clientId: string) {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`outcomes:${clientId}`}, 0))`.execute(trx);
}

function atTarget(trx: Transaction<DB>, target: MeasurementTarget) {
  const query = trx.deleteFrom('outcome_measurements').where('client_id', '=', target.clientId);
  return target.bookingId === null
    ? query.where('booking_id', 'is', null).where('session_date', '=', target.sessionDate)
    : query.where('booking_id', '=', target.bookingId);
}

/**
 * Records values at a session (or day), replacing what that session already has for the same measure and key:
 * one value per measure and key per session. `replaceMeasures` clears whole measures first (a PSFS submission
 * replaces the previous one's activities, whichever they were); `replaceSource` clears everything a source wrote
 * there (a note's amendment replaces the note's measurements, including regions it no longer lists).
 */
export async function replaceMeasurements(
  trx: Transaction<DB>,
  target: MeasurementTarget,
  values: readonly ScoredValue[],
  by: RecordedBy,
  options: { replaceMeasures?: readonly MeasureId[]; replaceSource?: MeasurementSource } = {},
): Promise<MeasurementRow[]> {
  await lockClientMeasurements(trx, target.clientId);
  if (options.replaceMeasures?.length)
    await atTarget(trx, target).where('measure', 'in', options.replaceMeasures).execute();
  if (options.replaceSource) await atTarget(trx, target).where('source', '=', options.replaceSource).execute();
  for (const v of values) {
    await atTarget(trx, target)
      .where('measure', '=', v.measure)
      .where((eb) => (v.key === null ? eb('key', 'is', null) : eb('key', '=', v.key)))
      .execute();
  }
  if (values.length === 0) return [];
  const rows = await trx
    .insertInto('outcome_measurements')
    .values(
      values.map((v) => ({
        client_id: target.clientId,
        booking_id: target.bookingId,
        measure: v.measure,
        key: v.key,
        value: v.value,
        detail: JSON.stringify(v.detail),
        session_date: target.sessionDate,
        source: by.source,
        recorded_by: by.userId,
        recorded_at: new Date(by.now),
      })),
    )
    .returningAll()
    .execute();
  return rows;
}

/** Every measurement of a client, oldest session first (as recorded within a session). */
export async function loadClientMeasurements(db: Db, clientId: string): Promise<MeasurementRow[]> {
  return db
    .selectFrom('outcome_measurements')
    .selectAll()
    .where('client_id', '=', clientId)
    .orderBy('session_date')
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

/** The measurements taken at these sessions, in the order recorded (then by measure and key). */
export async function loadBookingMeasurements(db: Db, bookingIds: readonly string[]): Promise<MeasurementRow[]> {
  if (bookingIds.length === 0) return [];
  return db
    .selectFrom('outcome_measurements')
    .selectAll()
    .where('booking_id', 'in', bookingIds)
    .orderBy('recorded_at')
    .orderBy('measure')
    .orderBy('key')
    .execute();
}

export function toStoredMeasurement(row: MeasurementRow): StoredMeasurement {
  return {
    measure: row.measure,
    key: row.key,
    sessionDate: row.session_date,
    value: row.value,
    bookingId: row.booking_id,
    detail: row.detail,
  };
}

/**
 * The pain per region the client reported for a session: the NPRS values recorded at the booking as measurements
 * (by the client, or by the therapist asking them at check-in), never values a note carried. This is what the
 * session note's "pain before" repeats; a region missing was not asked.
 */
export async function reportedPain(db: Db, bookingId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('outcome_measurements')
    .select(['key', 'value'])
    .where('booking_id', '=', bookingId)
    .where('measure', '=', 'nprs')
    .where('source', '!=', 'note')
    .orderBy('recorded_at')
    .execute();
  return new Map(rows.flatMap((r) => (r.key === null ? [] : [[r.key, r.value]])));
}
