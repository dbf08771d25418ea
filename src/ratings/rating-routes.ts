import type { Kysely, Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import { displayNamesOf, userById } from '../accounts/accounts-reads.js';
import type { SignedInUser } from '../accounts/sessions.js';
import type { App, AppContext } from '../app-context.js';
import type { DB } from '../schema.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import type { Rater, SessionRatingsTable } from './rating-tables.js';
import { registerReviewRoutes } from './review-routes.js';
import { recordRating, setPreference } from './session-ratings.js';

const idParams = z.object({ id: z.uuid() }).strict();
const userParams = z.object({ userId: z.uuid() }).strict();
const noQuery = z.object({}).strict();

const preference = z.enum(['prefer', 'neutral', 'never']);

export const ratingBody = z
  .object({
    stars: z.number().int().min(1).max(5),
    preference: preference
      .default('neutral')
      .describe(
        'Clients: prefer, neutral or never. Therapists: neutral or never. "never" keeps the two of you apart in search and booking',
      ),
    comment: z
      .string()
      .trim()
      .max(1000)
      .optional()
      .describe('Private: read only by you and operators, never by the person rated'),
    review: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .optional()
      .describe('Clients only: a public review on the therapist’s profile, signed with your first name and initial'),
  })
  .strict();

export const ratingSchema = z
  .object({
    bookingId: z.uuid(),
    rater: z.enum(['client', 'therapist']),
    stars: z.number(),
    comment: z.string().nullable(),
    review: z.string().nullable(),
    reply: z.object({ text: z.string(), createdAt: z.iso.datetime() }).nullable(),
    hidden: z.boolean().describe('An operator hid the review from the profile'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'SessionRating' });

const ratingView = (row: Selectable<SessionRatingsTable>) => ({
  bookingId: row.booking_id,
  rater: row.rater,
  stars: row.stars,
  comment: row.comment,
  review: row.review,
  reply: row.reply ? { text: row.reply, createdAt: row.replied_at!.toISOString() } : null,
  hidden: row.hidden_at !== null,
  createdAt: row.created_at.toISOString(),
});

export const preferenceSchema = z
  .object({
    user: z.object({ id: z.uuid(), displayName: z.string(), role: z.enum(['client', 'therapist']) }),
    preference,
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'PairPreference' });

export const ratingStatusSchema = z
  .object({ canRate: z.boolean(), client: ratingSchema.nullable(), therapist: ratingSchema.nullable() })
  .meta({ id: 'SessionRatingStatus' });

/** Sessions the client may rate: ones that happened. The therapist may also rate a client who did not come. */
const RATEABLE: Record<Rater, readonly string[]> = { client: ['completed'], therapist: ['completed', 'no_show'] };

function raterOf(user: SignedInUser, booking: { client_id: string; therapist_id: string }): Rater | undefined {
  if (user.id === booking.client_id) return 'client';
  if (user.id === booking.therapist_id) return 'therapist';
  return undefined;
}

/**
 * Port: what ratings needs to know of booked sessions. Booking is above ratings (it consults pair preferences on
 * every hold, as search does), so booking's reads answer through this port, wired by src/http/app.ts.
 */
export interface RatedSessions {
  /** Who the booking is between and where it stands; with `forUpdate`, row-locked for the rest of the transaction. */
  partiesOf(
    db: Kysely<DB> | Transaction<DB>,
    bookingId: string,
    options?: { forUpdate?: boolean },
  ): Promise<{ id: string; client_id: string; therapist_id: string; status: string } | undefined>;
  /** Whether the client and the therapist have had a session together, or are in one. */
  haveSharedSession(
    db: Kysely<DB> | Transaction<DB>,
    pair: { client_id: string; therapist_id: string },
  ): Promise<boolean>;
}

/** As booking shows a booking: to its client, its therapist and operators; anybody else gets 404. */
const canSee = (user: SignedInUser, booking: { client_id: string; therapist_id: string }) =>
  user.role === 'operator' || raterOf(user, booking) !== undefined;

export function registerRatingRoutes(app: App, ctx: AppContext, sessions: RatedSessions) {
  const { db, clock } = ctx;
  registerReviewRoutes(app, ctx);

  app.post(
    '/api/bookings/:id/rating',
    {
      schema: {
        tags: ['ratings'],
        summary: 'Rate a session (1-5) and say whether you want each other again',
        description:
          'Once per side. The client may add a public review (shown on the therapist’s profile); the comment stays private. The client rates the therapist after check-out, which feeds the therapist’s rating in search (sort=rating, and the tie-break between equally early therapists), and marks them prefer, neutral or never. The therapist rates the client after the session or a no-show, and may mark them never. "never" from either side hides the therapist from the client’s search and refuses new bookings between them; it can be changed later (PUT /api/me/pair-preferences/{userId}). 409 session_not_taken_place before that; 409 already_rated for a second rating.',
        params: idParams,
        body: ratingBody,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'session_not_taken_place', 'already_rated'],
        response: { 201: ratingSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'client', 'therapist');
      const now = clock.now();
      const rating = await db.transaction().execute(async (trx) => {
        const booking = await sessions.partiesOf(trx, request.params.id, { forUpdate: true });
        if (!booking || !canSee(user, booking)) throw new ProblemError('not_found', 'No such booking');
        const rater = raterOf(user, booking)!;
        if (!RATEABLE[rater].includes(booking.status)) {
          throw new ProblemError(
            'session_not_taken_place',
            rater === 'client'
              ? 'You can rate a session once it is over'
              : 'You can rate a client once the session is over or they did not come',
          );
        }
        const existing = await trx
          .selectFrom('session_ratings')
          .select('stars')
          .where('booking_id', '=', booking.id)
          .where('rater', '=', rater)
          .executeTakeFirst();
        if (existing) throw new ProblemError('already_rated');
        if (rater === 'therapist' && request.body.review !== undefined)
          throw fieldProblem('review', 'not_allowed', 'Only clients write reviews');
        return recordRating(
          trx,
          booking,
          rater,
          {
            stars: request.body.stars,
            preference: request.body.preference,
            comment: request.body.comment || null,
            review: request.body.review ?? null,
          },
          now,
        );
      });
      return reply.code(201).send(ratingView(rating));
    },
  );

  app.get(
    '/api/bookings/:id/rating',
    {
      schema: {
        tags: ['ratings'],
        summary: 'Your rating of a session, and whether you can still rate it',
        description:
          'Each side sees its own rating; operators see both. Ratings are not shown to the person rated: clients see a therapist’s average in search.',
        params: idParams,
        querystring: noQuery,
        problems: ['unauthenticated', 'not_found'],
        response: { 200: ratingStatusSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const booking = await sessions.partiesOf(db, request.params.id);
      if (!booking || !canSee(user, booking)) throw new ProblemError('not_found', 'No such booking');
      const rater = raterOf(user, booking);
      const rows = await db.selectFrom('session_ratings').selectAll().where('booking_id', '=', booking.id).execute();
      const visible = (side: Rater) => {
        const row = rows.find((r) => r.rater === side);
        if (!row || (user.role !== 'operator' && rater !== side)) return null;
        return ratingView(row);
      };
      const canRate =
        rater !== undefined && RATEABLE[rater].includes(booking.status) && !rows.some((r) => r.rater === rater);
      return { canRate, client: visible('client'), therapist: visible('therapist') };
    },
  );

  app.get(
    '/api/me/pair-preferences',
    {
      schema: {
        tags: ['ratings'],
        summary: 'The therapists (or clients) you marked prefer, neutral or never',
        querystring: noQuery,
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: z.array(preferenceSchema) },
      },
    },
    async (request) => {
      const user = requireUser(request, 'client', 'therapist');
      const mine = user.role === 'client' ? 'client_id' : 'therapist_id';
      const theirs = user.role === 'client' ? 'therapist_id' : 'client_id';
      const rows = await db
        .selectFrom('pair_preferences')
        .select([theirs, 'preference', 'updated_at'])
        .where(mine, '=', user.id)
        .where('set_by', '=', user.role as Rater)
        .execute();
      const byUser = new Map(rows.map((r) => [r[theirs], r]));
      // One query for the names, which also gives the order (by name).
      return (await displayNamesOf(db, [...byUser.keys()])).map((person) => ({
        user: {
          id: person.id,
          displayName: person.displayName,
          role: user.role === 'client' ? ('therapist' as const) : ('client' as const),
        },
        preference: byUser.get(person.id)!.preference,
        updatedAt: byUser.get(person.id)!.updated_at.toISOString(),
      }));
    },
  );

  app.put(
    '/api/me/pair-preferences/:userId',
    {
      schema: {
        tags: ['ratings'],
        summary: 'Change whether you want a therapist (or client) again',
        description:
          'Only between a client and a therapist who have had a session, or are in one now (checked in, completed or no-show); 422 no_shared_session otherwise. "never" is the block: either side can set it during or after a session, and it refuses every later booking between them.',
        params: userParams,
        body: z.object({ preference }).strict(),
        problems: ['unauthenticated', 'forbidden', 'no_shared_session'],
        response: { 200: preferenceSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'client', 'therapist');
      const now = clock.now();
      const other = request.params.userId;
      const pair =
        user.role === 'client'
          ? { client_id: user.id, therapist_id: other }
          : { client_id: other, therapist_id: user.id };
      return db.transaction().execute(async (trx) => {
        const shared = await sessions.haveSharedSession(trx, pair);
        if (!shared)
          throw new ProblemError('no_shared_session', 'You can choose this once a session together has started');
        await setPreference(trx, pair, user.role as Rater, request.body.preference, now);
        const person = (await userById(trx, other))!;
        return {
          user: {
            id: person.id,
            displayName: person.displayName,
            role: user.role === 'client' ? ('therapist' as const) : ('client' as const),
          },
          preference: request.body.preference,
          updatedAt: new Date(now).toISOString(),
        };
      });
    },
  );
}
