import { type Kysely, type Transaction, sql } from 'kysely';
import { displayNameMap } from '../accounts/accounts-reads.js';
import { writeAudit } from '../accounts/audit.js';
import type { SignedInUser } from '../accounts/sessions.js';
import { ProblemError } from '../domain/problems.js';
import { reviewerName } from '../domain/ratings.js';
import type { DB } from '../schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Reviews are clients' ratings that carry a text. They are public on the therapist's profile, naming the client by
 * first name and initial only. The therapist may reply once. An operator may hide one with a reason (audited): its
 * text and reply leave the profile, while its stars stay in the therapist's rating, since the session did happen and
 * the stars are not what was hidden.
 */
export interface Review {
  id: string;
  stars: number;
  text: string;
  author: string;
  createdAt: string;
  reply: { text: string; createdAt: string } | null;
  /** Operators only: why and when it was hidden. */
  hidden?: { reason: string; at: string };
}

/** A page of the therapist's reviews, newest first; hidden ones only when `withHidden` (operators). */
export async function reviewsOf(
  db: Db,
  therapistId: string,
  page: { page: number; pageSize: number },
  withHidden: boolean,
): Promise<{ total: number; reviews: Review[] }> {
  const ofTherapist = db
    .selectFrom('session_ratings')
    .where('therapist_id', '=', therapistId)
    .where('rater', '=', 'client')
    .where('review', 'is not', null)
    .$if(!withHidden, (q) => q.where('hidden_at', 'is', null));
  const [rows, { total }] = await Promise.all([
    ofTherapist
      .select([
        'booking_id',
        'client_id',
        'stars',
        'review',
        'created_at',
        'reply',
        'replied_at',
        'hidden_at',
        'hidden_reason',
      ])
      .orderBy('created_at', 'desc')
      .orderBy('booking_id')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    ofTherapist.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
  ]);
  const names = await displayNameMap(
    db,
    rows.map((r) => r.client_id),
  );
  return {
    total,
    reviews: rows.map((r) => ({
      id: r.booking_id,
      stars: r.stars,
      text: r.review!,
      author: reviewerName(names.get(r.client_id) ?? ''),
      createdAt: r.created_at.toISOString(),
      reply: r.reply ? { text: r.reply, createdAt: r.replied_at!.toISOString() } : null,
      ...(r.hidden_at ? { hidden: { reason: r.hidden_reason!, at: r.hidden_at.toISOString() } } : {}),
    })),
  };
}

/** The therapist's one reply to a review of theirs that is shown; 409 already_replied for a second. */
export async function replyToReview(db: Kysely<DB>, therapistId: string, bookingId: string, text: string, now: number) {
  return db.transaction().execute(async (trx) => {
    const review = await trx
      .selectFrom('session_ratings')
      .select(['reply'])
      .where('booking_id', '=', bookingId)
      .where('rater', '=', 'client')
      .where('therapist_id', '=', therapistId)
      .where('review', 'is not', null)
      .where('hidden_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!review) throw new ProblemError('not_found', 'No such review of yours');
    if (review.reply !== null) throw new ProblemError('already_replied');
    await trx
      .updateTable('session_ratings')
      .set({ reply: text, replied_at: new Date(now) })
      .where('booking_id', '=', bookingId)
      .where('rater', '=', 'client')
      .execute();
  });
}

/** Hides a review (its text and reply) from the profile, with the operator's reason, in the audit log too. */
export async function hideReview(
  db: Kysely<DB>,
  operator: SignedInUser,
  bookingId: string,
  reason: string,
  now: number,
) {
  await db.transaction().execute(async (trx) => {
    const review = await trx
      .selectFrom('session_ratings')
      .select(['client_id', 'therapist_id', 'hidden_at'])
      .where('booking_id', '=', bookingId)
      .where('rater', '=', 'client')
      .where('review', 'is not', null)
      .forUpdate()
      .executeTakeFirst();
    if (!review) throw new ProblemError('not_found', 'No such review');
    if (review.hidden_at !== null) throw new ProblemError('already_hidden');
    await trx
      .updateTable('session_ratings')
      .set({ hidden_at: new Date(now), hidden_by: operator.id, hidden_reason: reason })
      .where('booking_id', '=', bookingId)
      .where('rater', '=', 'client')
      .execute();
    await writeAudit(
      trx,
      {
        actor: operator,
        action: 'review.hidden',
        subjectType: 'session_rating',
        subjectId: bookingId,
        subjectUserId: review.client_id,
        detail: { therapistId: review.therapist_id, reason },
      },
      now,
    );
  });
}
