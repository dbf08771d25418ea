import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App, AppContext } from '../app-context.js';
import { ProblemError } from '../domain/problems.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { requireUser } from './request-user.js';
import { SESSION_COOKIE, type SignedInUser, createSession, deleteSession } from './sessions.js';
import { checkSignInThrottle, recordSignInAttempt } from './sign-in-throttle.js';

export const emailSchema = z
  .email({ message: 'Enter a valid e-mail address' })
  .max(254)
  .overwrite((email) => email.toLowerCase());

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: z.enum(['client', 'therapist', 'operator']),
    displayName: z.string(),
  })
  .meta({
    id: 'User',
    examples: [
      { id: '9b7c5d3e-1f2a-4b4c-a6d8-e0f2a4b6c8d0', email: 'ada@example.com', role: 'client', displayName: 'Ada' },
    ],
  });

const signUpBody = z
  .object({
    email: emailSchema,
    password: z.string().min(10, 'Use at least 10 characters').max(200),
    displayName: z.string().trim().min(1).max(120),
    role: z.enum(['client', 'therapist']).default('client'),
  })
  .strict()
  .meta({
    examples: [{ email: 'ada@example.com', password: 'correct horse battery', displayName: 'Ada', role: 'client' }],
  });

const signInBody = z
  .object({ email: emailSchema, password: z.string().min(1).max(200) })
  .strict()
  .meta({ examples: [{ email: 'ada@example.com', password: 'correct horse battery' }] });

export function registerAccountRoutes(app: App, ctx: AppContext) {
  const { db, clock, config } = ctx;

  const startSession = async (user: SignedInUser, reply: FastifyReply) => {
    const token = await createSession(db, user.id, clock.now(), config.sessionDays);
    void reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      maxAge: config.sessionDays * 86_400,
    });
  };

  app.post(
    '/api/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Sign up as a client or a therapist, and sign in',
        body: signUpBody,
        problems: ['email_taken'],
        response: { 201: userSchema },
      },
    },
    async (request, reply) => {
      const { email, password, displayName, role } = request.body;
      const passwordHash = await hashPassword(password);
      const inserted = await db
        .insertInto('users')
        .values({ email, password_hash: passwordHash, role, display_name: displayName })
        .onConflict((oc) => oc.column('email').doNothing())
        .returning(['id'])
        .executeTakeFirst();
      if (!inserted) {
        throw new ProblemError('email_taken', undefined, {
          errors: [
            { field: 'email', in: 'body', code: 'taken', message: 'An account with this e-mail already exists' },
          ],
        });
      }
      const user: SignedInUser = { id: inserted.id, email, role, displayName };
      await startSession(user, reply);
      return reply.code(201).send(user);
    },
  );

  app.post(
    '/api/sessions',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Sign in',
        description: 'Five failed attempts per e-mail (thirty per address) within 15 minutes lock sign-in with 429.',
        body: signInBody,
        problems: ['invalid_credentials', 'rate_limited'],
        response: { 200: userSchema },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const now = clock.now();
      const verdict = await checkSignInThrottle(db, email, request.ip, now);
      if (!verdict.allowed) {
        throw new ProblemError(
          'rate_limited',
          `Too many failed sign-ins; try again in ${verdict.retryAfterSeconds} s`,
          {
            extra: { retryAfterSeconds: verdict.retryAfterSeconds },
          },
        );
      }
      const row = await db
        .selectFrom('users')
        .select(['id', 'email', 'role', 'display_name', 'password_hash'])
        .where('email', '=', email)
        .executeTakeFirst();
      const ok = await verifyPassword(row?.password_hash, password);
      await recordSignInAttempt(db, email, request.ip, ok, now);
      if (!ok || !row) throw new ProblemError('invalid_credentials');
      const user: SignedInUser = { id: row.id, email: row.email, role: row.role, displayName: row.display_name };
      await startSession(user, reply);
      return user;
    },
  );

  app.delete(
    '/api/sessions/current',
    { schema: { tags: ['accounts'], summary: 'Sign out', response: { 204: z.null() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await deleteSession(db, token);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The signed-in account',
        problems: ['unauthenticated'],
        response: { 200: userSchema },
      },
    },
    async (request) => requireUser(request),
  );
}
