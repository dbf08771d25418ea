import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { prepareQuery } from '../db/prepared-query.js';
import type { DB } from '../schema.js';
import type { Role } from './account-tables.js';

export const SESSION_COOKIE = 'kw_session';

export interface SignedInUser {
  id: string;
  email: string;
  role: Role;
  displayName: string;
}

/** Tokens handed to users are stored only as their SHA-256, so a database leak does not leak them. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(db: Kysely<DB>, userId: string, now: number, days: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      token_hash: tokenHash(token),
      user_id: userId,
      created_at: new Date(now),
      expires_at: new Date(now + days * 86_400_000),
    })
    .execute();
  return token;
}

/** Every request with a session cookie reads it: built and compiled once (see prepared-query.ts). */
const sessionUser = prepareQuery((db, params: { tokenHash: string; now: Date }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.email', 'users.role', 'users.display_name'])
    .where('sessions.token_hash', '=', params.tokenHash)
    .where('sessions.expires_at', '>', params.now),
);

export async function findSessionUser(db: Kysely<DB>, token: string, now: number): Promise<SignedInUser | undefined> {
  const row = await sessionUser.executeTakeFirst(db, { tokenHash: tokenHash(token), now: new Date(now) });
  return row && { id: row.id, email: row.email, role: row.role, displayName: row.display_name };
}

export async function deleteSession(db: Kysely<DB>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash(token)).execute();
}
