import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemError } from '../domain/problems.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route takes writes from other sites: set only where no cookie authenticates the write (a payment provider's
     * signed webhook), so there is nothing for a forged cross-site request to borrow.
     */
    crossSiteWrites?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated writes must come from our own pages. Browsers send Origin (and Sec-Fetch-Site) on
 * every cross-origin write, so a request whose Origin is not this server, or is marked cross-site, is refused
 * before any handler runs. Clients without a browser (curl, tests) send neither header and are let through.
 */
export function isCrossOriginWrite(request: FastifyRequest, allowedOrigins: readonly string[]): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  return isCrossOrigin(request, allowedOrigins);
}

/**
 * Whether a request comes from another site's page, whatever its method. WebSocket upgrades are GETs that carry
 * the cookie, so the live channel checks this itself (cross-site WebSocket hijacking).
 */
export function isCrossOrigin(request: FastifyRequest, allowedOrigins: readonly string[]): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  const own = `${request.protocol}://${request.headers.host ?? ''}`;
  return origin !== own && !allowedOrigins.includes(origin);
}

export function registerOriginGuard(app: FastifyInstance, allowedOrigins: readonly string[]) {
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.crossSiteWrites) return;
    if (isCrossOriginWrite(request, allowedOrigins)) throw new ProblemError('cross_origin_refused');
  });
}
