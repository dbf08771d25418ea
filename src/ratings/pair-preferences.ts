import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import { ProblemError } from '../domain/problems.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * "Never" between a client and a therapist, set by either of them after a session, keeps them apart: the therapist
 * no longer appears in the client's search, and new holds between them are refused. Neither side is told which
 * of them chose it.
 */

/** For search: the therapists kept apart from this client (a "never" by either side). */
export async function therapistsKeptApartFrom(db: Db, clientId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('pair_preferences')
    .select('therapist_id')
    .where('client_id', '=', clientId)
    .where('preference', '=', 'never')
    .execute();
  return new Set(rows.map((r) => r.therapist_id));
}

/**
 * The "never" between the client and the therapist, as a query another capability may fold into its own statement
 * (`eb.exists(neverPairRow(...))`): a row exactly when the pair is kept apart.
 */
export function neverPairRow(db: Db, clientId: string, therapistId: string) {
  return db
    .selectFrom('pair_preferences')
    .select('client_id')
    .where('client_id', '=', clientId)
    .where('therapist_id', '=', therapistId)
    .where('preference', '=', 'never')
    .limit(1);
}

/** Refuses a hold between a pair kept apart (whether neverPairRow found a row), with the same words as any therapist who cannot be booked. */
export function refuseKeptApart(keptApart: boolean): void {
  if (keptApart) throw new ProblemError('therapist_not_bookable', 'This therapist cannot be booked');
}
