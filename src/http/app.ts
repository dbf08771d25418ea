import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { registerAccountRoutes } from '../accounts/account-routes.js';
import { registerAftercareCapabilityRoutes } from '../aftercare/aftercare-capability-routes.js';
import { registerSessionAuth } from '../accounts/request-user.js';
import { registerBookingRoutes } from '../booking/booking-routes.js';
import { registerAvailabilityRoutes } from '../availability/availability-routes.js';
import { registerCalendarFeedRoutes } from '../calendar/calendar-feed-routes.js';
import { registerIntakeRoutes } from '../intake/intake-routes.js';
import type { LiveHubOptions } from '../live/live-hub.js';
import { registerLiveRoutes } from '../live/live-routes.js';
import { registerMessageRoutes } from '../notify/message-routes.js';
import { registerOutcomeRoutes } from '../outcomes/outcome-routes.js';
import { registerRatingRoutes } from '../ratings/rating-routes.js';
import { registerRecordsRoutes } from '../records/records-routes.js';
import { registerScreeningRoutes } from '../screening/screening-routes.js';
import { registerTherapistRoutes } from '../therapists/therapist-routes.js';
import type { App, AppContext } from './app-context.js';
import { registerCompression } from './compression.js';
import { registerErrorHandling } from './error-handler.js';
import { registerProblemsPage } from './problems-page.js';
import { registerMetrics } from './metrics.js';
import { registerOriginGuard } from './origin-guard.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerWebApp } from './web-app.js';
import { serializeRequest } from './log-redaction.js';

export interface BuildAppOptions {
  /** false silences logs (tests); other pino options (a stream, a level) are added to ours. */
  logger?: false | Record<string, unknown>;
  /** The live channel's listener heartbeat (tests shorten it). */
  live?: LiveHubOptions;
}

export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<App> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: ctx.config.logLevel, ...options.logger, serializers: { req: serializeRequest } },
    bodyLimit: 1_048_576,
    trustProxy: false,
    ajv: undefined,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  // Before any route: both apply to every route registered after them.
  await registerSecurityHeaders(app);
  await registerCompression(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Knotwork API',
        version: '0.1.0',
        description:
          'Deep tissue massage, end to end. Errors are RFC 9457 application/problem+json with a stable `code` and the `field` at fault; see /problems for every code.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'kw_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  // The base layout: no top bar, whose logo is an inline style block and whose box loads any other document.
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { layout: 'BaseLayout' } });
  await app.register(cookie);
  // Live channel frames are small JSON; anything bigger is a misbehaving client (closed with 1009).
  await app.register(websocket, { options: { maxPayload: 16 * 1024 } });
  registerOriginGuard(app, ctx.config.allowedOrigins);
  registerSessionAuth(app, ctx);
  const metrics = registerMetrics(app);

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`SELECT 1`.execute(ctx.db);
      return { status: 'ready', database: ctx.database.backend };
    } catch {
      return reply.code(503).type('application/problem+json').send({
        type: '/problems#service_unavailable',
        title: 'The service is not ready',
        status: 503,
        code: 'service_unavailable',
        detail: 'The database does not answer',
      });
    }
  });

  registerProblemsPage(app);
  registerAccountRoutes(app, ctx);
  registerTherapistRoutes(app, ctx);
  registerAvailabilityRoutes(app, ctx);
  registerBookingRoutes(app, ctx);
  registerMessageRoutes(app, ctx);
  registerCalendarFeedRoutes(app, ctx);
  registerIntakeRoutes(app, ctx);
  registerScreeningRoutes(app, ctx);
  registerRecordsRoutes(app, ctx);
  registerOutcomeRoutes(app, ctx);
  registerRatingRoutes(app, ctx);
  await registerLiveRoutes(app, ctx, { metrics, ...(options.live ? { hub: options.live } : {}) });
  registerAftercareCapabilityRoutes(app, ctx);
  await registerWebApp(app);
  await app.ready();
  return app;
}
