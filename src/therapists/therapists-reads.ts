import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * What other capabilities read of therapists, as functions: only therapists names its tables in SQL
 * (test/structure/table-ownership.test.ts). Pass the transaction you are in.
 */

/** Therapists' own zones, as a derived table to join: `.innerJoin(therapistZones(db).as('t'), 't.user_id', 'x.therapist_id')`. */
export function therapistZones(db: Db) {
  return db.selectFrom('therapists').select(['user_id', 'time_zone']);
}

/** One therapist's own zone (the profile must exist). */
export async function therapistTimeZone(db: Db, therapistId: string): Promise<string> {
  return (await therapistZones(db).where('user_id', '=', therapistId).executeTakeFirstOrThrow()).time_zone;
}
