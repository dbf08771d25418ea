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

/** A session as read from the database: its user, and when it expires (ms since the epoch). */
export interface SessionRead {
  user: SignedInUser;
  expiresAt: number;
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

/** A session's user and expiry, read when the session cache cannot answer: built and compiled once (prepared-query.ts). */
const sessionUser = prepareQuery((db, params: { tokenHash: string; now: Date }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.email', 'users.role', 'users.display_name', 'sessions.expires_at'])
    .where('sessions.token_hash', '=', params.tokenHash)
    .where('sessions.expires_at', '>', params.now),
);

/** The session with this token hash and its user, unless it has expired at `now` or does not exist. */
export async function readSession(db: Kysely<DB>, hash: string, now: number): Promise<SessionRead | undefined> {
  const row = await sessionUser.executeTakeFirst(db, { tokenHash: hash, now: new Date(now) });
  return (
    row && {
      user: { id: row.id, email: row.email, role: row.role, displayName: row.display_name },
      expiresAt: row.expires_at.getTime(),
    }
  );
}

/** The session's user, read from the database (the live channel's periodic re-check; requests go through the cache). */
export async function findSessionUser(db: Kysely<DB>, token: string, now: number): Promise<SignedInUser | undefined> {
  return (await readSession(db, tokenHash(token), now))?.user;
}

export async function deleteSession(db: Kysely<DB>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash(token)).execute();
}
