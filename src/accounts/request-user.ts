import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemError } from '../domain/problems.js';
import type { AppContext } from '../app-context.js';
import type { Role } from './account-tables.js';
import { SessionCache, type SessionCacheOptions } from './session-cache.js';
import { SESSION_COOKIE, type SignedInUser, readSession, tokenHash } from './sessions.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This instance's copy of session -> user (session-cache.ts); whoever ends sessions here drops them from it. */
    sessionCache: SessionCache;
  }
  interface FastifyRequest {
    user: SignedInUser | null;
  }
}

/**
 * Sets `request.user` from the session cookie, through this instance's session cache: no statement when the cache
 * can answer, one (sessions joined to users) when it cannot.
 */
export function registerSessionAuth(app: FastifyInstance, ctx: AppContext, options: SessionCacheOptions = {}) {
  const cache = new SessionCache(ctx.database, options);
  app.decorate('sessionCache', cache);
  app.addHook('onReady', () => cache.start());
  app.addHook('onClose', () => cache.stop());
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) {
      request.user = null;
      return;
    }
    const hash = tokenHash(token);
    const now = ctx.clock.now();
    request.user = (await cache.lookup(hash, now, () => readSession(ctx.db, hash, now))) ?? null;
  });
}

/** The signed-in user, or a 401; with roles given, a 403 for anybody else. */
export function requireUser(request: FastifyRequest, ...roles: Role[]): SignedInUser {
  const user = request.user;
  if (!user) throw new ProblemError('unauthenticated');
  if (roles.length > 0 && !roles.includes(user.role)) {
    throw new ProblemError('forbidden', `This needs the ${roles.join(' or ')} role`);
  }
  return user;
}
