import { type Kysely, sql } from 'kysely';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import type { DB } from '../schema.js';
import { writeAudit } from './audit.js';
import type { SignedInUser } from './sessions.js';

/** At most this many new people (accounts made for them) one client invites in a day: no invitation spam. */
export const MAX_NEW_GUESTS_PER_DAY = 5;
const DAY_MS = 86_400_000;
const INVITED = 'account.invited';

/** Who invites a new guest, and when: each new account made is audited as theirs and counted against their limit. */
export interface Inviter {
  user: SignedInUser;
  now: number;
}

/** An invited guest's account has no password until they set one: nothing verifies against this. */
const NO_PASSWORD_YET = '!invited';

/**
 * The client account of someone invited by e-mail (the guest of a booking for two): the existing one, or a new one
 * with no password, which they enter by an e-mailed sign-in link. A therapist's, operator's or closed account is
 * refused at `field`: a guest is a client. With an inviter, an account made is audited as theirs, and a new address
 * beyond `MAX_NEW_GUESTS_PER_DAY` in the last 24 hours is refused (429 rate_limited at `field`), nothing written.
 */
export async function findOrCreateInvitedClient(
  db: Kysely<DB>,
  email: string,
  displayName: string,
  field: string,
  inviter?: Inviter,
): Promise<{ id: string; displayName: string; created: boolean }> {
  if (!inviter) return findOrCreate(db, email, displayName, field);
  // The count, the insert and its audit row under one lock per inviter, held to the end of the caller's transaction
  // (or of one made here): two invitations at once cannot both see room for the last new guest.
  const underLock = async (trx: Kysely<DB>) => {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`accounts:invites:${inviter.user.id}`}, 0))`.execute(trx);
    return findOrCreate(trx, email, displayName, field, inviter);
  };
  return db.isTransaction ? underLock(db) : db.transaction().execute(underLock);
}

async function findOrCreate(
  db: Kysely<DB>,
  email: string,
  displayName: string,
  field: string,
  inviter?: Inviter,
): Promise<{ id: string; displayName: string; created: boolean }> {
  const address = email.toLowerCase();
  if (inviter) {
    const known = await db.selectFrom('users').select('id').where('email', '=', address).executeTakeFirst();
    if (!known) {
      const invited = await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', INVITED)
        .where('actor_id', '=', inviter.user.id)
        .where('at', '>', new Date(inviter.now - DAY_MS))
        .executeTakeFirstOrThrow();
      if (Number(invited.n) >= MAX_NEW_GUESTS_PER_DAY) {
        const message = `You have invited ${MAX_NEW_GUESTS_PER_DAY} new people today; book with one of them, or try again tomorrow`;
        throw new ProblemError('rate_limited', message, {
          errors: [{ field, in: 'body', code: 'too_many_new_guests', message }],
        });
      }
    }
  }
  const inserted = await db
    .insertInto('users')
    .values({ email: address, password_hash: NO_PASSWORD_YET, role: 'client', display_name: displayName })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(['id', 'display_name'])
    .executeTakeFirst();
  if (inserted) {
    if (inviter)
      await writeAudit(
        db,
        {
          actor: inviter.user,
          action: INVITED,
          subjectType: 'user',
          subjectId: inserted.id,
          subjectUserId: inserted.id,
        },
        inviter.now,
      );
    return { id: inserted.id, displayName: inserted.display_name, created: true };
  }
  const existing = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'role', 'closed_at'])
    .where('email', '=', address)
    .executeTakeFirstOrThrow();
  if (existing.role !== 'client' || existing.closed_at !== null)
    throw fieldProblem(field, 'not_a_client', 'This e-mail belongs to an account that cannot be booked for');
  return { id: existing.id, displayName: existing.display_name, created: false };
}
