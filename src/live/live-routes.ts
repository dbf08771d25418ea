import type { FastifyRequest } from 'fastify';
import { Gauge, type Registry } from 'prom-client';
import { z } from 'zod';
import { SESSION_COOKIE } from '../accounts/sessions.js';
import type { App, AppContext } from '../app-context.js';
import { isCrossOrigin } from '../web-security/origin-guard.js';
import { ProblemError } from '../domain/problems.js';
import { authorizeBookingHealthRead } from '../intake/health-access.js';
import { LiveConnection } from './live-connection.js';
import { LiveHub, type LiveHubOptions } from './live-hub.js';
import { registerIncidentRoutes } from './incident-routes.js';
import type { PartyRole } from './engine/live-messages.js';
import { type Party, latestSeq, liveSummaries, signalsAfter } from './signal-store.js';
import { liveSeriesSchema } from './engine/live-views.js';
import { latestScreening } from '../screening/booking-screening.js';
import { type RegionLimitView, regionLimitsOf } from '../care/engine/region-limits.js';
import { loadBookingFacts } from '../booking/booking-reads.js';

const idParams = z.object({ id: z.uuid() }).strict();
const noQuery = z.object({}).strict();

interface Admitted {
  party: Party & { sessionToken: string };
  latestSeq: number;
  limits: RegionLimitView[];
}

/**
 * The live channel of a session: GET /api/bookings/{id}/live upgrades to a WebSocket for the booking's client and
 * therapist while it is checked in. Everything is checked before the upgrade, so a refusal is an ordinary
 * problem+json response: 401 without a valid sign-in (expired or signed out included), 403 for a cross-site page
 * or an operator, 404 for anybody else (the booking's existence is not revealed), 409 live_session_not_open
 * before check-in or after check-out. Joining is a read of the client's health data, so it passes the access
 * gate and is audited.
 */
export async function registerLiveRoutes(
  app: App,
  ctx: AppContext,
  options: { metrics?: Registry; hub?: LiveHubOptions } = {},
) {
  const { db, clock, database } = ctx;
  const hub = new LiveHub(options.hub);
  await hub.start(database);
  if (options.metrics) {
    new Gauge({
      name: 'knotwork_live_connections',
      help: 'Open live-channel sockets on this instance',
      registers: [options.metrics],
      collect() {
        this.set(hub.connections);
      },
    });
  }
  app.addHook('onClose', async () => hub.stop());
  const admitted = new WeakMap<FastifyRequest, Admitted>();
  registerIncidentRoutes(app, ctx);

  app.get(
    '/api/bookings/:id/live',
    {
      websocket: true,
      schema: { params: idParams, querystring: noQuery },
      preHandler: async (request, reply) => {
        // A plain GET is answered here, before anything is read or audited.
        if (!request.ws) {
          reply.header('upgrade', 'websocket');
          throw new ProblemError('websocket_required', 'The live channel is a WebSocket: send an Upgrade request');
        }
        if (isCrossOrigin(request, ctx.config.allowedOrigins)) throw new ProblemError('cross_origin_refused');
        const user = request.user;
        const sessionToken = request.cookies[SESSION_COOKIE];
        if (!user || !sessionToken) throw new ProblemError('unauthenticated');
        const entry = await db.transaction().execute(async (trx) => {
          const booking = await loadBookingFacts(trx, request.params.id);
          const role: PartyRole | undefined =
            booking?.client_id === user.id ? 'client' : booking?.therapist_id === user.id ? 'therapist' : undefined;
          if (!booking || (!role && user.role !== 'operator')) throw new ProblemError('not_found', 'No such booking');
          if (!role)
            throw new ProblemError('forbidden', 'Only the session’s client and therapist join its live channel');
          if (booking.status !== 'checked_in') {
            throw new ProblemError(
              'live_session_not_open',
              booking.status === 'completed'
                ? 'The session is checked out; its signals are in the session record'
                : 'Live feedback opens when the therapist checks the client in',
            );
          }
          await authorizeBookingHealthRead(trx, user, booking.id, 'live_signals', clock.now(), { channel: 'live' });
          return {
            party: { bookingId: booking.id, userId: user.id, role, sessionToken },
            latestSeq: await latestSeq(trx, booking.id),
            limits: regionLimitsOf((await latestScreening(trx, booking.id))?.decision),
          };
        });
        admitted.set(request, entry);
      },
    },
    (socket, request) => {
      const entry = admitted.get(request);
      if (!entry) return socket.close(1011, 'not admitted');
      new LiveConnection(socket, entry.party, {
        db,
        clock,
        hub,
        onError: (error) => request.log.error({ err: error }, 'live frame failed'),
      }).open(entry.latestSeq, entry.limits);
    },
  );

  app.get(
    '/api/bookings/:id/live/signals',
    {
      schema: {
        tags: ['live'],
        summary: 'The live feedback of a session: every signal, and the summary per region',
        description:
          'For the client, the booked therapist and operators, during and after the session; every read is recorded in the client’s access log. The summary gives, per region, the highest pressure the client accepted (a level at which their last word was "good" or "more"), the highest pressure applied, counts of less/good/more and the peak discomfort.',
        params: idParams,
        querystring: noQuery,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: liveSeriesSchema },
      },
    },
    async (request) =>
      db.transaction().execute(async (trx) => {
        const booking = await authorizeBookingHealthRead(
          trx,
          request.user,
          request.params.id,
          'live_signals',
          clock.now(),
        );
        const [signals, summaries] = await Promise.all([
          signalsAfter(trx, booking.id, 0),
          liveSummaries(trx, [booking.id]),
        ]);
        return { bookingId: booking.id, status: booking.status, signals, summary: summaries.get(booking.id) ?? [] };
      }),
  );
}
