import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { readsOf } from '../db/read-replicas.js';
import {
  loadTherapistProfile,
  mayViewProfile,
  profileAsSeenBy,
  publicPageFreshness,
} from '../therapists/therapist-profile.js';
import { todayIn } from '../therapists/today.js';
import { hideReview, replyToReview, reviewsOf } from './reviews.js';

const idParams = z.object({ id: z.uuid() }).strict();
const pageQuery = z
  .object({
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(50).default(10),
  })
  .strict();

const reviewSchema = z
  .object({
    id: z.uuid().describe('The rated booking'),
    stars: z.number().int(),
    text: z.string(),
    author: z.string().describe('The client’s first name and last initial'),
    createdAt: z.iso.datetime(),
    reply: z.object({ text: z.string(), createdAt: z.iso.datetime() }).nullable(),
    hidden: z
      .object({ reason: z.string(), at: z.iso.datetime() })
      .optional()
      .describe('Operators only: the review is hidden from everybody else'),
  })
  .meta({ id: 'Review' });

const reviewPageSchema = z
  .object({
    rating: z.object({ average: z.number().nullable(), count: z.number().int() }),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    reviews: z.array(reviewSchema),
  })
  .meta({ id: 'ReviewPage' });

/** Public reviews on a therapist's profile, the therapist's reply, and an operator hiding one. */
export function registerReviewRoutes(app: App, ctx: AppContext) {
  const { db, clock, config } = ctx;
  const reads = readsOf(ctx);

  app.get(
    '/api/therapists/:id/reviews',
    {
      schema: {
        tags: ['ratings'],
        summary: 'A therapist’s reviews, newest first',
        description:
          'Whoever may see the profile may read them. Each names its writer by first name and last initial. A review an operator hid is left out (operators see it, marked); its stars still count in the rating.',
        params: idParams,
        querystring: pageQuery,
        problems: ['not_found'],
        response: { 200: reviewPageSchema },
      },
    },
    async (request) => {
      // The profile and its reviews from one server: on a replica for everybody but the therapist (who replies) and
      // operators (who hide), as fresh as publicPageFreshness says.
      const { id } = request.params;
      const viewer = request.user;
      const { page, pageSize } = request.query;
      const today = todayIn('UTC', clock.now());
      const seen = await reads.readAs(publicPageFreshness(viewer, id), async (from) => {
        const profile = await loadTherapistProfile(from, id, config.graceMinutes, today);
        if (!mayViewProfile(profile, viewer)) return undefined;
        return { profile, ...(await reviewsOf(from, id, { page, pageSize }, viewer?.role === 'operator')) };
      });
      const profile = profileAsSeenBy(seen?.profile, viewer);
      return { rating: profile.rating, total: seen!.total, page, pageSize, reviews: seen!.reviews };
    },
  );

  app.post(
    '/api/reviews/:id/reply',
    {
      schema: {
        tags: ['ratings'],
        summary: 'Reply to a review of yours (once)',
        description: 'By the reviewed therapist, to a review that is shown. 409 already_replied for a second reply.',
        params: idParams,
        body: z.object({ text: z.string().trim().min(1).max(1000) }).strict(),
        problems: ['unauthenticated', 'forbidden', 'not_found', 'already_replied'],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'therapist');
      await replyToReview(db, user.id, request.params.id, request.body.text, clock.now());
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/reviews/:id/hide',
    {
      schema: {
        tags: ['ratings'],
        summary: 'Hide a review from the profile, with the reason (operators)',
        description:
          'The text and any reply leave the profile; the stars stay in the therapist’s rating. Written to the audit log with the reason. 409 already_hidden.',
        params: idParams,
        body: z.object({ reason: z.string().trim().min(3).max(500) }).strict(),
        problems: ['unauthenticated', 'forbidden', 'not_found', 'already_hidden'],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'operator');
      await hideReview(db, user, request.params.id, request.body.reason, clock.now());
      return reply.code(204).send(null);
    },
  );
}
