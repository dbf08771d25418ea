import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { Role } from './account-tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * What the capabilities above accounts may read of users and the audit log, without naming their tables (issue 13):
 * each function answers one question in one query (lists with `in`, never one query per user). Each takes the
 * caller's `db` or transaction.
 */

/**
 * Locks the user's row until the caller's transaction ends, so two changes that number something of theirs (an
 * intake version) queue instead of racing. Throws when there is no such user.
 */
export async function lockUser(trx: Transaction<DB>, userId: string): Promise<void> {
  await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().executeTakeFirstOrThrow();
}

/** People's names, as a derived table to join in a list's own query: `.innerJoin(userNames(db).as('u'), 'u.id', 'x.user_id')`. */
export function userNames(db: Db) {
  return db.selectFrom('users').select(['id', 'display_name']);
}

/** One person's display name (the account must exist). */
export async function displayNameOf(db: Db, userId: string): Promise<string> {
  return (await db.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirstOrThrow())
    .display_name;
}

/** Every operator's id. */
export async function operatorIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('users').select('id').where('role', '=', 'operator').execute()).map((u) => u.id);
}

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
export async function contactsOf(
  db: Db,
  ids: readonly string[],
): Promise<{ id: string; displayName: string; email: string }[]> {
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
export async function userById(
  db: Db,
  id: string,
): Promise<{ id: string; displayName: string; role: Role } | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'role'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { id: row.id, displayName: row.display_name, role: row.role };
}

/** The id of the account with this e-mail address (stored lower-case), if there is one. */
export async function userIdByEmail(db: Db, email: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst();
  return row?.id;
}

/** People's names and phone numbers (E.164 or null), as a derived table to join: for those who must call them. */
export function userPhones(db: Db) {
  return db.selectFrom('users').select(['id', 'display_name', 'phone']);
}

/** The people who turned off the e-mails of this optional topic, as a subquery of ids (`user_id in (…)`). */
export function usersWithEmailOff(db: Db, topic: string) {
  return db
    .selectFrom('notification_preferences')
    .select('user_id')
    .where('topic', '=', topic)
    .where('email', '=', false);
}

/** The closed accounts, as a subquery of ids (`user_id in (…)`): nothing is e-mailed to them. */
export function closedUserIds(db: Db) {
  return db.selectFrom('users').select('id').where('closed_at', 'is not', null);
}
