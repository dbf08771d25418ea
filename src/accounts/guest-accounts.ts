import type { Kysely } from 'kysely';
import { fieldProblem } from '../domain/problems.js';
import type { DB } from '../schema.js';

/** An invited guest's account has no password until they set one: nothing verifies against this. */
const NO_PASSWORD_YET = '!invited';

/**
 * The client account of someone invited by e-mail (the guest of a booking for two): the existing one, or a new one
 * with no password, which they enter by an e-mailed sign-in link. A therapist's, operator's or closed account is
 * refused at `field`: a guest is a client.
 */
export async function findOrCreateInvitedClient(
  db: Kysely<DB>,
  email: string,
  displayName: string,
  field: string,
): Promise<{ id: string; displayName: string; created: boolean }> {
  const address = email.toLowerCase();
  const inserted = await db
    .insertInto('users')
    .values({ email: address, password_hash: NO_PASSWORD_YET, role: 'client', display_name: displayName })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(['id', 'display_name'])
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, displayName: inserted.display_name, created: true };
  const existing = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'role', 'closed_at'])
    .where('email', '=', address)
    .executeTakeFirstOrThrow();
  if (existing.role !== 'client' || existing.closed_at !== null)
    throw fieldProblem(field, 'not_a_client', 'This e-mail belongs to an account that cannot be booked for');
  return { id: existing.id, displayName: existing.display_name, created: false };
}
