import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { ProblemError } from '../http/problems.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * "Never" between a client and a therapist, set by either of them after a session, keeps them apart: the therapist
 * no longer appears in the client's search, and new holds between them are refused. Neither side is told which
 * of them chose it.
 */

/** For search: therapists (`t.user_id`) that neither the client nor the therapist marked "never". */
export function notMarkedNeverWith(clientId: string) {
  return (eb: ExpressionBuilder<DB & { t: DB['therapists'] }, 't'>) =>
    eb.not(
      eb.exists(
        eb
          .selectFrom('pair_preferences as pp')
          .select('pp.client_id')
          .where('pp.client_id', '=', clientId)
          .whereRef('pp.therapist_id', '=', 't.user_id')
          .where('pp.preference', '=', 'never'),
      ),
    );
}

export async function neverBetween(db: Db, clientId: string, therapistId: string): Promise<boolean> {
  const row = await db
    .selectFrom('pair_preferences')
    .select('client_id')
    .where('client_id', '=', clientId)
    .where('therapist_id', '=', therapistId)
    .where('preference', '=', 'never')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Refuses a hold between a pair kept apart, with the same words as any therapist who cannot be booked. */
export async function refuseNeverPair(db: Db, clientId: string, therapistId: string): Promise<void> {
  if (await neverBetween(db, clientId, therapistId)) throw new ProblemError('therapist_not_bookable', 'This therapist cannot be booked');
}
