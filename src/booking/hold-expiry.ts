import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import { expireStaleHolds, lockTherapistCalendar } from './booking-lifecycle.js';

/**
 * Marks holds past their expiry as 'expired'. Correctness never waits for this: search ignores stale holds and
 * every new booking expires the stale holds of its therapist first. This sweep keeps the records tidy.
 */
export async function expireDueHolds(db: Kysely<DB>, now: number): Promise<number> {
  const therapists = await db
    .selectFrom('bookings')
    .select('therapist_id')
    .distinct()
    .where('status', '=', 'held')
    .where('hold_expires_at', '<=', new Date(now))
    .limit(500)
    .execute();
  let expired = 0;
  for (const { therapist_id } of therapists) {
    expired += await db.transaction().execute(async (trx) => {
      await lockTherapistCalendar(trx, therapist_id);
      return expireStaleHolds(trx, therapist_id, now);
    });
  }
  return expired;
}
