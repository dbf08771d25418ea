import { type Transaction, sql } from 'kysely';
import type { DB } from '../schema.js';
import { fieldProblem } from '../domain/problems.js';
import { lockTherapist, setTherapistRating } from '../therapists/therapists-reads.js';
import type { PairPreference, Rater } from './rating-tables.js';

type Trx = Transaction<DB>;

/** Records one side's choice for the pair; a therapist cannot "prefer" a client. */
export async function setPreference(
  trx: Trx,
  pair: { client_id: string; therapist_id: string },
  by: Rater,
  choice: PairPreference,
  now: number,
) {
  if (by === 'therapist' && choice === 'prefer')
    throw fieldProblem('preference', 'not_allowed', 'Therapists mark a client neutral or never');
  await trx
    .insertInto('pair_preferences')
    .values({
      client_id: pair.client_id,
      therapist_id: pair.therapist_id,
      set_by: by,
      preference: choice,
      updated_at: new Date(now),
    })
    .onConflict((oc) =>
      oc
        .columns(['client_id', 'therapist_id', 'set_by'])
        .doUpdateSet({ preference: choice, updated_at: new Date(now) }),
    )
    .execute();
}

/**
 * The therapist's rating in search is the mean of their clients' ratings. The therapist row is locked first, so
 * the mean is computed (in a later statement, with a fresh snapshot) after any concurrent rating has committed.
 */
async function refreshTherapistRating(trx: Trx, therapistId: string) {
  await lockTherapist(trx, therapistId);
  const { average, count } = await trx
    .selectFrom('session_ratings')
    .select([sql<number | null>`avg(stars)::float8`.as('average'), sql<number>`count(*)::int`.as('count')])
    .where('therapist_id', '=', therapistId)
    .where('rater', '=', 'client')
    .executeTakeFirstOrThrow();
  await setTherapistRating(trx, therapistId, { average, count });
}

/** One side's rating of a session with their choice for next time; a client's rating updates the therapist's. */
export async function recordRating(
  trx: Trx,
  booking: { id: string; client_id: string; therapist_id: string },
  rater: Rater,
  rating: { stars: number; preference: PairPreference; comment: string | null; review?: string | null },
  now: number,
) {
  await setPreference(trx, booking, rater, rating.preference, now);
  const row = await trx
    .insertInto('session_ratings')
    .values({
      booking_id: booking.id,
      rater,
      client_id: booking.client_id,
      therapist_id: booking.therapist_id,
      stars: rating.stars,
      comment: rating.comment,
      review: rating.review ?? null,
      created_at: new Date(now),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (rater === 'client') await refreshTherapistRating(trx, booking.therapist_id);
  return row;
}
