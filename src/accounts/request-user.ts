import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemError } from '../domain/problems.js';
import type { AppContext } from '../app-context.js';
import type { Role } from './account-tables.js';
import { SESSION_COOKIE, type SignedInUser, findSessionUser } from './sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    user: SignedInUser | null;
  }
}

export function registerSessionAuth(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    request.user = token ? ((await findSessionUser(ctx.db, token, ctx.clock.now())) ?? null) : null;
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
