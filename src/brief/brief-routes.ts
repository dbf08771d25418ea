import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { SignedInUser } from '../accounts/sessions.js';
import { earlierSessionsBetween } from '../booking/booking-reads.js';
import { namedBookingById } from '../booking/booking-view.js';
import { liveSummaries } from '../live/signal-store.js';
import type { DB } from '../schema.js';
import { sessionRecordSummaries } from '../records/session-record-summary.js';
import type { App, AppContext } from '../app-context.js';
import { latestScreening } from '../screening/booking-screening.js';
import { clearanceStatus } from '../screening/engine/screening-views.js';
import { overridesOf, verifiedClearanceCovers } from '../screening/screening-reads.js';
import { inlineBlock, securityPolicyWith } from '../web-security/security-headers.js';
import { BRIEF_PAGE_SCRIPT, BRIEF_PAGE_STYLE, renderBriefPage } from './engine/brief-page.js';
import { authorizeBookingHealthRead } from '../intake/health-access.js';
import { loadIntake } from '../intake/intake-store.js';
import { type Brief, briefSchema, buildBrief } from './engine/pre-session-brief.js';

const params = z.object({ id: z.uuid() }).strict();
const noQuery = z.object({}).strict();

/**
 * Sessions before this one between the same client and therapist that took place (or were due), newest first, with
 * what their records (note, measurements) and the live channel (the client's feedback) tell of each.
 */
async function previousSessions(
  trx: Transaction<DB>,
  booking: { client_id: string; therapist_id: string; starts_at: Date },
) {
  const rows = await earlierSessionsBetween(trx, booking, 20);
  const ids = rows.map((r) => r.id);
  const records = await sessionRecordSummaries(trx, ids);
  const live = await liveSummaries(trx, ids);
  return rows.map((r) => ({
    bookingId: r.id,
    startsAt: r.starts_at,
    timeZone: r.time_zone,
    durationMin: r.duration_min,
    status: r.status,
    sessionRecord: { ...records.get(r.id)!, liveSummary: live.get(r.id) ?? [] },
  }));
}

/**
 * The brief of one booking, for its client, its therapist (while the booking gives access) and operators; the
 * read is audited. The body map and history come from the intake version the booking was last screened on.
 */
async function loadBrief(
  trx: Transaction<DB>,
  viewer: SignedInUser | null,
  bookingId: string,
  now: number,
  format: 'json' | 'html',
): Promise<Brief> {
  await authorizeBookingHealthRead(trx, viewer, bookingId, 'brief', now, { format });
  const booking = await namedBookingById(trx, bookingId);
  const screening = await latestScreening(trx, bookingId);
  const [intake, overrides, verified, previous] = await Promise.all([
    screening ? loadIntake(trx, booking.client_id, screening.intakeVersion) : Promise.resolve(undefined),
    overridesOf(trx, bookingId),
    verifiedClearanceCovers(trx, bookingId),
    previousSessions(trx, booking),
  ]);
  return buildBrief({
    booking: {
      id: booking.id,
      status: booking.status,
      clearanceDueAt: booking.clearance_due_at?.toISOString() ?? null,
      startsAt: booking.starts_at.toISOString(),
      endsAt: booking.ends_at.toISOString(),
      timeZone: booking.time_zone,
      durationMin: booking.duration_min,
      mode: booking.mode,
      address: booking.address,
      therapist: { id: booking.therapist_id, displayName: booking.therapist_name, timeZone: booking.therapist_zone },
    },
    client: { id: booking.client_id, displayName: booking.client_name },
    intake: intake ? { version: intake.version, recordedAt: intake.createdAt, intake: intake.intake } : null,
    screening: screening
      ? {
          createdAt: screening.createdAt,
          intakeVersion: screening.intakeVersion,
          decision: screening.decision,
          clearance: {
            status: clearanceStatus(screening.clearanceRuleIds, verified),
            requiredFor: screening.clearanceRuleIds,
          },
          overrides: overrides.map((o) => ({ ruleId: o.ruleId, reason: o.reason, createdAt: o.createdAt })),
        }
      : null,
    previousSessions: previous,
  });
}

export function registerBriefRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;
  const description =
    'For the client, the booked therapist and operators; every read is recorded in the client’s access log. Body map, goals, causes, health history, screening flags with reasons and sources, pressure caps per region, referred-pain hints and previous sessions.';

  app.get(
    '/api/bookings/:id/brief',
    {
      schema: {
        tags: ['screening'],
        summary: 'The pre-session brief of a booking',
        description,
        params,
        querystring: noQuery,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: briefSchema },
      },
    },
    async (request) =>
      db.transaction().execute((trx) => loadBrief(trx, request.user, request.params.id, clock.now(), 'json')),
  );

  app.get(
    '/bookings/:id/brief',
    {
      schema: {
        tags: ['screening'],
        summary: 'The pre-session brief as a printable page',
        description,
        params,
        querystring: noQuery,
        produces: ['text/html'],
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: z.string().describe('An HTML page') },
      },
      helmet: securityPolicyWith({
        'style-src': [inlineBlock(BRIEF_PAGE_STYLE)],
        'script-src': [inlineBlock(BRIEF_PAGE_SCRIPT)],
      }),
    },
    async (request, reply) => {
      const brief = await db
        .transaction()
        .execute((trx) => loadBrief(trx, request.user, request.params.id, clock.now(), 'html'));
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .send(renderBriefPage(brief));
    },
  );
}
