import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { registerAccountRoutes } from '../accounts/account-routes.js';
import { registerAftercareCapabilityRoutes } from '../aftercare/aftercare-capability-routes.js';
import { registerSessionAuth } from '../accounts/request-user.js';
import { haveSharedSession, loadBookingFacts, upcomingBookingsOfClient } from '../booking/booking-reads.js';
import { registerBookingRoutes } from '../booking/booking-routes.js';
import { registerCourseRoutes } from '../booking/booking-course-routes.js';
import { registerTipRoutes } from '../booking/tip-routes.js';
import { registerSuperbillRoutes } from '../booking/superbill-routes.js';
import { registerReceiptRoutes } from '../money/receipt-routes.js';
import { registerAvailabilityRoutes } from '../availability/availability-routes.js';
import { registerCalendarFeedRoutes } from '../calendar/calendar-feed-routes.js';
import { registerBriefRoutes } from '../brief/brief-routes.js';
import { registerIntakeRoutes } from '../intake/intake-routes.js';
import { healthData } from './health-data.js';
import type { LiveHubOptions } from '../live/live-hub.js';
import { registerLiveRoutes } from '../live/live-routes.js';
import { registerPaymentRoutes } from '../money/payment-routes.js';
import { registerMessageRoutes } from '../notify/message-routes.js';
import { signInLinkMailer } from '../notify/sign-in-link-mail.js';
import { registerPairRoutes } from '../booking/booking-pair-routes.js';
import { accountMailer } from '../notify/account-mail.js';
import { giftCardMailer } from '../notify/money-notices.js';
import { registerPrepaidRoutes } from '../money/prepaid-routes.js';
import { ProblemError } from '../domain/problems.js';
import { registerOutcomeRoutes } from '../outcomes/outcome-routes.js';
import { registerRatingRoutes } from '../ratings/rating-routes.js';
import { registerRecordsRoutes } from '../records/records-routes.js';
import { registerFhirExportRoutes } from '../records/fhir-export-routes.js';
import { notifyConsultationWithdrawn, rescreenUpcomingBookings } from '../screening/booking-screening.js';
import { screeningGate, screeningSummaries } from '../screening/booking-screening-ports.js';
import { registerScreeningRoutes } from '../screening/screening-routes.js';
import { registerTherapistRoutes } from '../therapists/therapist-routes.js';
import { marketTimeZone } from '../therapists/therapists-reads.js';
import { type UndocumentedResponse, registerApiDescription } from './api-description.js';
import type { App, AppContext } from '../app-context.js';
import { openReadReplicas } from '../db/read-replicas.js';
import { registerCompression } from './compression.js';
import { registerDeadLetterRoutes } from './dead-letter-routes.js';
import { frameworkErrorProblem, registerErrorHandling } from './error-handler.js';
import { registerUnstorableTextCheck } from './unstorable-text.js';
import { registerProblemsPage } from './problems-page.js';
import { registerGuideRoutes } from '../guides/guide-routes.js';
import { registerMetrics } from './metrics.js';
import { SnapshotLocalStore } from './rate-limit-store.js';
import { registerOriginGuard } from '../web-security/origin-guard.js';
import { registerSecurityHeaders } from '../web-security/security-headers.js';
import { registerWebApp } from './web-app.js';
import { registerWaitlistRoutes } from '../waitlist/waitlist-routes.js';
import { serializeRequest } from './log-redaction.js';
import type { PaymentProvider } from '../money/engine/payment-provider.js';
import { createPaymentProvider } from '../money/payment-providers.js';
import { TestProcessor } from '../money/test-processor/test-processor.js';
import { registerTestProcessorRoutes } from '../money/test-processor/test-processor-routes.js';
import { registerSelfCheckRoutes } from '../guides/self-check-routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The card processor every capability that moves money is handed (buildApp's option, else PAYMENT_PROVIDER). */
    paymentProvider: PaymentProvider;
  }
}

export interface BuildAppOptions {
  /** false silences logs (tests); other pino options (a stream, a level) are added to ours. */
  logger?: false | Record<string, unknown>;
  /** The live channel's listener heartbeat (tests shorten it). */
  live?: LiveHubOptions;
  /** Told of every response that the API description does not list (tests fail on them). */
  onUndocumentedResponse?: (response: UndocumentedResponse) => void;
  /** The card processor; by default the one PAYMENT_PROVIDER names (the built-in test processor), built from config. */
  paymentProvider?: PaymentProvider;
}

/** A number of hops as the function Fastify's types accept (its runtime would take the number too). */
function trustProxyOption(trust: boolean | number | string[]) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}

export async function buildApp(given: AppContext, options: BuildAppOptions = {}): Promise<App> {
  // Replicas named by DATABASE_READ_URLS: opened here (and closed with the app) unless the caller brought its own.
  // Without any (PGlite, or none named) the routes get a handle that reads the primary alone, so they need not ask.
  const ownReplicas =
    !given.readReplicas && given.config.databaseReadUrls.length > 0
      ? openReadReplicas(given.config.databaseReadUrls, given.db, { poolSize: given.config.dbPoolSize })
      : undefined;
  const ctx: AppContext = {
    ...given,
    readReplicas: given.readReplicas ?? ownReplicas ?? openReadReplicas([], given.db),
  };
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : { level: ctx.config.logLevel, ...options.logger, serializers: { req: serializeRequest } },
    bodyLimit: 1_048_576,
    // The client's address (request.ip) comes from X-Forwarded-For only through the proxies TRUST_PROXY names.
    trustProxy: trustProxyOption(ctx.config.trustProxy),
    ajv: undefined,
    frameworkErrors: frameworkErrorProblem,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Built once; handed to the capabilities that move money, and to background work as `app.paymentProvider`.
  const paymentProvider =
    options.paymentProvider ?? createPaymentProvider(ctx.config.payments, { db: ctx.db, clock: ctx.clock });
  app.decorate('paymentProvider', paymentProvider);
  if (ownReplicas) app.addHook('onClose', () => ownReplicas.close());
  registerErrorHandling(app);
  registerUnstorableTextCheck(app);
  // Before any route: both apply to every route registered after them.
  await registerSecurityHeaders(app);
  await registerCompression(app);

  await registerApiDescription(app, options.onUndocumentedResponse);
  await app.register(cookie);
  // Per-address limits, on the routes that ask for one (`config.rateLimit`): sign-in, sign-up, sign-in links.
  await app.register(rateLimit, {
    global: false,
    store: SnapshotLocalStore,
    errorResponseBuilder: (_request, context) =>
      new ProblemError('rate_limited', `Too many requests from this address; try again in ${context.after}`, {
        extra: { retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)) },
      }),
  });
  // Live channel frames are small JSON; anything bigger is a misbehaving client (closed with 1009).
  await app.register(websocket, { options: { maxPayload: 16 * 1024 } });
  registerOriginGuard(app, ctx.config.allowedOrigins);
  registerSessionAuth(app, ctx);
  const metrics = registerMetrics(app, ctx.config.metricsToken);

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
  registerGuideRoutes(app, ctx);
  // Accounts writes no messages: notify queues its sign-in links.
  registerAccountRoutes(app, ctx, {
    signInLinks: signInLinkMailer,
    accountMail: accountMailer,
    upcomingSessions: {
      countOfClient: async (trx, clientId, now) => (await upcomingBookingsOfClient(trx, clientId, now)).length,
    },
  });
  registerTherapistRoutes(app, ctx);
  registerAvailabilityRoutes(app, ctx);
  // Booking is below screening: it asks screening through ports, wired here. Checkout (issue 16): the confirm
  // authorises the session's total with the provider, outside its transaction.
  registerBookingRoutes(app, ctx, { gate: screeningGate, summaries: screeningSummaries }, { paymentProvider });
  registerCourseRoutes(app, ctx, { gate: screeningGate, summaries: screeningSummaries });
  // Booking for two: the guest's invitation is a sign-in link, e-mailed by notify.
  registerPairRoutes(
    app,
    ctx,
    { gate: screeningGate, summaries: screeningSummaries },
    { signInLinks: signInLinkMailer },
  );
  registerMessageRoutes(app, ctx);
  // The waitlist claims through booking's hold, screened like any hold.
  registerWaitlistRoutes(app, ctx, { gate: screeningGate, summaries: screeningSummaries });
  // Receipts and superbills.
  registerReceiptRoutes(app, ctx);
  registerSuperbillRoutes(app, ctx);
  registerCalendarFeedRoutes(app, ctx);
  // The brief was registered first inside the intake routes; kept first so the API description lists it where it did.
  registerBriefRoutes(app, ctx);
  // Intake stands below screening: screening's answers come in through intake's port.
  registerIntakeRoutes(app, ctx, { rescreenUpcomingBookings, notifyConsultationWithdrawn }, healthData);
  registerScreeningRoutes(app, ctx);
  registerRecordsRoutes(app, ctx);
  registerFhirExportRoutes(app, ctx, healthData);
  registerOutcomeRoutes(app, ctx);
  registerRatingRoutes(app, ctx, { partiesOf: loadBookingFacts, haveSharedSession });
  // Tips: booking hands money the session's facts.
  registerTipRoutes(app, ctx);
  await registerLiveRoutes(app, ctx, { metrics, ...(options.live ? { hub: options.live } : {}) });
  registerAftercareCapabilityRoutes(app, ctx);
  registerDeadLetterRoutes(app, ctx);
  registerPaymentRoutes(app, ctx, { provider: paymentProvider });
  // The test processor's hosted tokenisation, served by the app as a real processor serves its own.
  if (paymentProvider instanceof TestProcessor)
    registerTestProcessorRoutes(app, {
      processor: paymentProvider,
      perMinute: ctx.config.payments.cardTokensPerMinute,
    });
  // Packages, memberships and gift cards: money's routes; the gift card's e-mail is notify's, through a port.
  registerPrepaidRoutes(app, ctx, { provider: paymentProvider, giftCardMailer, marketZone: marketTimeZone });
  // The self-check: stateless, from the catalogues of screening, care and intake.
  registerSelfCheckRoutes(app, ctx);
  await registerWebApp(app);
  await app.ready();
  return app;
}
