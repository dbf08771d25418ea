import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { Role } from './account-tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * What other capabilities may learn about users, without naming the users table: each function answers one
 * question in one query (lists with `in`, never one query per user). Pass the caller's `trx` inside a transaction.
 */

/** Users' ids and display names, ordered by display name (then id). */
export async function displayNamesOf(db: Db, ids: readonly string[]): Promise<{ id: string; displayName: string }[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', [...new Set(ids)])
    .orderBy('display_name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
}

/** Users' ids, display names and email addresses, ordered by display name (then id): for operators' lists. */
export async function contactsOf(db: Db, ids: readonly string[]): Promise<{ id: string; displayName: string; email: string }[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'email'])
    .where('id', 'in', [...new Set(ids)])
    .orderBy('display_name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, email: r.email }));
}

/** Users' display names by id. */
export async function displayNameMap(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  return new Map((await displayNamesOf(db, ids)).map((u) => [u.id, u.displayName]));
}

/** One user's id, display name and role; undefined when there is none. */
export async function userById(db: Db, id: string): Promise<{ id: string; displayName: string; role: Role } | undefined> {
  const row = await db.selectFrom('users').select(['id', 'display_name', 'role']).where('id', '=', id).executeTakeFirst();
  return row && { id: row.id, displayName: row.display_name, role: row.role };
}

/** Locks the user's row for the rest of the transaction, so changes per user queue (throws when there is none). */
export async function lockUser(trx: Transaction<DB>, id: string): Promise<void> {
  await trx.selectFrom('users').select('id').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}
