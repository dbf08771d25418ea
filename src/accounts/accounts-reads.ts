import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * What the capabilities above accounts may read of users and the audit log, without naming their tables (issue 13).
 * Each takes the caller's `db` or transaction.
 */

/**
 * Locks the user's row until the caller's transaction ends, so two changes that number something of theirs (an
 * intake version) queue instead of racing. Throws when there is no such user.
 */
export async function lockUser(trx: Transaction<DB>, userId: string): Promise<void> {
  await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().executeTakeFirstOrThrow();
}

/** Who read or changed a client's health information, oldest first, with the actor's display name. */
export async function accessLogOf(db: Db, clientId: string) {
  return db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select(['a.at', 'a.actor_id', 'a.actor_role', 'u.display_name', 'a.action', 'a.subject_type', 'a.subject_id'])
    .where('a.subject_user_id', '=', clientId)
    .orderBy('a.id')
    .execute();
}
