import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { lockUser, userById } from '../accounts/accounts-reads.js';
import { requireUser } from '../accounts/request-user.js';
import { tokenHash } from '../accounts/sessions.js';
import type { DB } from '../schema.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError } from '../domain/problems.js';
import { writeCalendar } from './engine/ics-writer.js';
import { sessionEvent } from './engine/session-event.js';
import { sessionQuery, toSessionFacts } from './session-facts.js';

const DAY = 86_400_000;
/** Active feeds per user: enough for every device, few enough that a leaked account cannot mint thousands. */
const MAX_ACTIVE_FEEDS = 10;
/** How far back a feed reaches; later sessions are all included. */
const FEED_HISTORY_DAYS = 90;
const FEED_MAX_EVENTS = 3000;
/**
 * Bookings a calendar shows: everything that was confirmed, or waited for a clearance, at some point. Holds never
 * appear. A session awaiting clearance is a TENTATIVE event; released or cancelled, the same event is CANCELLED.
 */
const FEED_STATUSES = [
  'awaiting_clearance',
  'confirmed',
  'checked_in',
  'completed',
  'no_show',
  'cancelled',
  'rescheduled',
] as const;

export const feedSchema = z
  .object({
    id: z.uuid(),
    label: z.string(),
    createdAt: z.iso.datetime(),
    lastFetchedAt: z.iso.datetime().nullable().describe('When a calendar app last read the feed'),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'CalendarFeed' });

export const newFeedSchema = feedSchema
  .extend({
    url: z
      .string()
      .describe('The private feed URL; shown only now. Anyone with it can read your sessions until you revoke it.'),
    webcalUrl: z.string().describe('The same URL with the webcal:// scheme, which opens a calendar app directly'),
  })
  .meta({ id: 'NewCalendarFeed' });

/** The body is optional: Fastify passes a missing body as null. */
const createBody = z
  .object({ label: z.string().trim().min(1).max(60).optional().describe('Which device or app the feed is for') })
  .strict()
  .nullish()
  .transform((body) => body ?? {});

const idParams = z.object({ id: z.uuid() }).strict();
const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Not a calendar feed token') }).strict();

type FeedRow = { id: string; label: string; created_at: Date; last_fetched_at: Date | null; revoked_at: Date | null };

const toFeed = (row: FeedRow) => ({
  id: row.id,
  label: row.label,
  createdAt: row.created_at.toISOString(),
  lastFetchedAt: row.last_fetched_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

const FEED_COLUMNS = ['id', 'label', 'created_at', 'last_fetched_at', 'revoked_at'] as const;

export function registerCalendarFeedRoutes(app: App, ctx: AppContext) {
  const { db, clock, config } = ctx;

  const feedUrls = (request: FastifyRequest, token: string) => {
    const base = config.publicUrl ?? `${request.protocol}://${request.host}`;
    const url = `${base}/calendar/${token}.ics`;
    return { url, webcalUrl: url.replace(/^https?:/, 'webcal:') };
  };

  /** A new feed for the user, in the caller's transaction; the token exists only in the answer. */
  const createFeed = async (trx: Transaction<DB>, userId: string, label: string, now: number) => {
    const active = await trx
      .selectFrom('calendar_feeds')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(active.n) >= MAX_ACTIVE_FEEDS) {
      throw new ProblemError(
        'calendar_feed_limit',
        `At most ${MAX_ACTIVE_FEEDS} calendar feeds can be active; revoke one you no longer use`,
      );
    }
    const token = randomBytes(32).toString('base64url');
    const row = await trx
      .insertInto('calendar_feeds')
      .values({ user_id: userId, token_hash: tokenHash(token), label, created_at: new Date(now) })
      .returning(FEED_COLUMNS)
      .executeTakeFirstOrThrow();
    return { row, token };
  };

  /** Serialises feed changes per user, so the active-feed limit holds under concurrent requests. */
  const lockUserFeeds = (trx: Transaction<DB>, userId: string) => lockUser(trx, userId);

  app.post(
    '/api/calendar-feeds',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Create a private calendar feed (iCalendar) of your sessions',
        description: `Returns the feed URL once; Knotwork keeps only a hash of its secret. Subscribe to it in any calendar app. At most ${MAX_ACTIVE_FEEDS} active feeds (409 calendar_feed_limit).`,
        body: createBody,
        problems: ['unauthenticated', 'forbidden', 'calendar_feed_limit'],
        response: { 201: newFeedSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'client', 'therapist');
      const now = clock.now();
      const { row, token } = await db.transaction().execute(async (trx) => {
        await lockUserFeeds(trx, user.id);
        return createFeed(trx, user.id, request.body.label ?? 'Calendar feed', now);
      });
      return reply.code(201).send({ ...toFeed(row), ...feedUrls(request, token) });
    },
  );

  app.get(
    '/api/calendar-feeds',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Your calendar feeds, newest first (their URLs are not shown again)',
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: z.object({ items: z.array(feedSchema) }) },
      },
    },
    async (request) => {
      const user = requireUser(request, 'client', 'therapist');
      const rows = await db
        .selectFrom('calendar_feeds')
        .select(FEED_COLUMNS)
        .where('user_id', '=', user.id)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(100)
        .execute();
      return { items: rows.map(toFeed) };
    },
  );

  /** One of the user's own feeds, with their feeds locked; anybody else's is 404, not a hint it exists. */
  const ownFeed = async (trx: Transaction<DB>, userId: string, id: string) => {
    await lockUserFeeds(trx, userId);
    const row = await trx
      .selectFrom('calendar_feeds')
      .select(FEED_COLUMNS)
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) throw new ProblemError('not_found', 'No such calendar feed');
    return row;
  };

  app.post(
    '/api/calendar-feeds/:id/rotate',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Replace a feed URL with a new one',
        description:
          'Revokes the old URL and returns a new one with the same label, in one step. 404 for a feed already revoked.',
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 201: newFeedSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'client', 'therapist');
      const now = clock.now();
      const { row, token } = await db.transaction().execute(async (trx) => {
        const old = await ownFeed(trx, user.id, request.params.id);
        if (old.revoked_at) throw new ProblemError('not_found', 'This calendar feed was revoked; create a new one');
        await trx
          .updateTable('calendar_feeds')
          .set({ revoked_at: new Date(now) })
          .where('id', '=', old.id)
          .execute();
        return createFeed(trx, user.id, old.label, now);
      });
      return reply.code(201).send({ ...toFeed(row), ...feedUrls(request, token) });
    },
  );

  app.delete(
    '/api/calendar-feeds/:id',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Revoke a feed: its URL stops working at once',
        description: 'Revoking a revoked feed changes nothing.',
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: feedSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'client', 'therapist');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const feed = await ownFeed(trx, user.id, request.params.id);
        if (feed.revoked_at) return toFeed(feed);
        const revoked = await trx
          .updateTable('calendar_feeds')
          .set({ revoked_at: new Date(now) })
          .where('id', '=', feed.id)
          .returning(FEED_COLUMNS)
          .executeTakeFirstOrThrow();
        return toFeed(revoked);
      });
    },
  );

  app.get(
    '/calendar/:token.ics',
    {
      schema: {
        tags: ['calendar'],
        summary: 'A private calendar feed (text/calendar, RFC 5545); the token in the URL is the only credential',
        description:
          'Sessions from 90 days ago on: confirmed ones; ones awaiting a medical clearance as STATUS:TENTATIVE (the time is kept, not confirmed yet); and cancelled, released or moved ones as STATUS:CANCELLED. Times are UTC instants. 404 for an unknown or revoked token alike.',
        params: tokenParams,
        produces: ['text/calendar'],
        problems: ['not_found'],
        response: { 200: z.string().describe('The calendar (RFC 5545)') },
      },
    },
    async (request, reply) => {
      const now = clock.now();
      const calendar = await feedCalendar(db, request.params.token, now);
      if (calendar === undefined) throw new ProblemError('not_found', 'No such calendar feed');
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', 'inline; filename="knotwork.ics"')
        .send(calendar);
    },
  );
}

async function feedCalendar(db: Kysely<DB>, token: string, now: number): Promise<string | undefined> {
  const fetched = await db
    .updateTable('calendar_feeds')
    .set({ last_fetched_at: new Date(now) })
    .where('token_hash', '=', tokenHash(token))
    .where('revoked_at', 'is', null)
    .returning('user_id')
    .executeTakeFirst();
  const feed = fetched && (await userById(db, fetched.user_id));
  if (!feed || feed.role === 'operator') return undefined;
  const audience = feed.role === 'therapist' ? 'therapist' : 'client';
  const rows = await sessionQuery(db)
    .where(audience === 'therapist' ? 'b.therapist_id' : 'b.client_id', '=', feed.id)
    .where('b.status', 'in', FEED_STATUSES)
    .where((eb) => eb.or([eb('b.confirmed_at', 'is not', null), eb('b.clearance_due_at', 'is not', null)]))
    .where('b.starts_at', '>=', new Date(now - FEED_HISTORY_DAYS * DAY))
    .orderBy('b.starts_at')
    .limit(FEED_MAX_EVENTS)
    .execute();
  return writeCalendar({
    name: 'Knotwork sessions',
    refreshMinutes: 60,
    events: (await toSessionFacts(db, rows)).map((session) => sessionEvent(session, audience, session.updatedAt)),
  });
}
