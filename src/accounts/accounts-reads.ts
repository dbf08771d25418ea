import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * What other capabilities read of accounts, as functions: only accounts names its tables in SQL
 * (test/structure/table-ownership.test.ts). Pass the transaction you are in.
 */

/** People's names, as a derived table to join in a list's own query: `.innerJoin(userNames(db).as('u'), 'u.id', 'x.user_id')`. */
export function userNames(db: Db) {
  return db.selectFrom('users').select(['id', 'display_name']);
}

/** One person's display name (the account must exist). */
export async function displayNameOf(db: Db, userId: string): Promise<string> {
  return (await db.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirstOrThrow()).display_name;
}

/** Every operator's id. */
export async function operatorIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('users').select('id').where('role', '=', 'operator').execute()).map((u) => u.id);
}
