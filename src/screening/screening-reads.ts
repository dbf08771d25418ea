import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * What the capabilities above screening (the brief) may read of a booking's screening besides its latest decision
 * (booking-screening.ts), without naming screening's tables (issue 13). Each takes the caller's `db` or transaction.
 */

/** The booking's therapist overrides, oldest first. */
export async function overridesOf(db: Db, bookingId: string) {
  const rows = await db
    .selectFrom('screening_overrides')
    .selectAll()
    .where('booking_id', '=', bookingId)
    .orderBy('created_at')
    .execute();
  return rows.map((o) => ({
    ruleId: o.rule_id,
    reason: o.reason,
    therapistId: o.therapist_id,
    createdAt: o.created_at,
  }));
}

/** The rule ids each verified clearance document of the booking covers. */
export async function verifiedClearanceCovers(db: Db, bookingId: string): Promise<string[][]> {
  const rows = await db
    .selectFrom('clearance_documents')
    .select('covers')
    .where('booking_id', '=', bookingId)
    .where('status', '=', 'verified')
    .execute();
  return rows.map((d) => d.covers);
}

/** The columns a clearance document is shown with (its content is only downloaded). */
export const documentColumns = [
  'id',
  'booking_id',
  'filename',
  'content_type',
  'size_bytes',
  'sha256',
  'status',
  'uploaded_at',
  'reviewed_at',
  'review_note',
  'covers',
] as const;
