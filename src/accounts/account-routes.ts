import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App, AppContext } from '../app-context.js';
import { ProblemError } from '../domain/problems.js';
import type { UpcomingSessions } from './account-closing.js';
import type { AccountMailer } from './account-settings.js';
import { registerAccountSettingsRoutes } from './account-settings-routes.js';
import { judgePassword, preparePasswordJudge } from './password-strength.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { requireUser } from './request-user.js';
import { SESSION_COOKIE, type SignedInUser, createSession, deleteSession, tokenHash } from './sessions.js';
import { SIGN_IN_LINK_MINUTES, type SignInLinkMailer, sendSignInLink, useSignInLink } from './sign-in-links.js';
import { ACCOUNT_BUDGET, clearSignInLimit, forgetQuietSignInLimits, reserveSignInAttempt } from './sign-in-throttle.js';

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
  .superRefine((body, ctx) => {
    const verdict = judgePassword(body.password, [body.email, body.displayName]);
    if (!verdict.ok)
      ctx.addIssue({ code: 'custom', path: ['password'], message: verdict.reason, params: { code: 'weak_password' } });
  })
  .meta({
    examples: [{ email: 'ada@example.com', password: 'correct horse battery', displayName: 'Ada', role: 'client' }],
  });

const signInBody = z
  .object({ email: emailSchema, password: z.string().min(1).max(200) })
  .strict()
  .meta({ examples: [{ email: 'ada@example.com', password: 'correct horse battery' }] });

const signInLinkBody = z
  .object({ email: emailSchema })
  .strict()
  .meta({ examples: [{ email: 'ada@example.com' }] });

const signInWithLinkBody = z.object({ token: z.string().regex(/^[\w-]{20,100}$/, 'Not a sign-in link') }).strict();

export interface AccountPorts {
  /** Notify's: queues a sign-in link's e-mail in the link's transaction. */
  signInLinks: SignInLinkMailer;
  /** Notify's: queues the password-reset, address-verification and security-notice e-mails. */
  accountMail: AccountMailer;
  /** Booking's: how many sessions a client still has to come (closing waits until none). */
  upcomingSessions: UpcomingSessions;
}

export function registerAccountRoutes(app: App, ctx: AppContext, ports: AccountPorts) {
  const { db, clock, config } = ctx;
  // A new object per route: @fastify/rate-limit keeps state on the options it is given.
  const perAddress = (max: number, timeWindow: number) => ({ rateLimit: { max, timeWindow } });
  const signInsPerAddress = () => perAddress(config.rateLimits.signInsPerMinute, 60_000);

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
      config: perAddress(config.rateLimits.signUpsPerHour, 3_600_000),
      // The body's refinement judges the password synchronously: zxcvbn is loaded (once) before validation.
      preValidation: async () => preparePasswordJudge(),
      schema: {
        tags: ['accounts'],
        summary: 'Sign up as a client or a therapist, and sign in',
        description: `The password must not be easy to guess (zxcvbn score ≥ 3): a weak one is refused with \`validation_failed\`, field \`password\`, code \`weak_password\` and the reason. At most ${config.rateLimits.signUpsPerHour} sign-ups per address per hour.`,
        body: signUpBody,
        problems: ['email_taken', 'rate_limited'],
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
      // The address the account was made from is the owner's: it is known to the account-wide sign-in budget.
      await clearSignInLimit(db, email, request.ip, clock.now());
      await startSession(user, reply);
      return reply.code(201).send(user);
    },
  );

  app.post(
    '/api/sessions',
    {
      config: signInsPerAddress(),
      schema: {
        tags: ['accounts'],
        summary: 'Sign in',
        description:
          'Each e-mail and address pair has five attempts; after that each attempt waits a delay that doubles from one ' +
          'minute to an hour (429 with Retry-After), until the right password or a sign-in link. The attempt is ' +
          'counted before the password is checked. Each e-mail also has a budget of ' +
          `${ACCOUNT_BUDGET} attempts a day from addresses that never signed in to it; beyond it, a password sign-in from ` +
          'such an address is refused with 429 `sign_in_link_required` (use a sign-in link, which makes the address ' +
          'known), while known addresses keep the pair limits only. An address has at most ' +
          `${config.rateLimits.signInsPerMinute} sign-in requests a minute.`,
        body: signInBody,
        problems: ['invalid_credentials', 'rate_limited', 'sign_in_link_required'],
        response: { 200: userSchema },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const now = clock.now();
      const verdict = await reserveSignInAttempt(db, email, request.ip, now);
      if (verdict.refusedBy === 'budget') {
        throw new ProblemError(
          'sign_in_link_required',
          'Too many failed sign-ins to this account from places it was never signed in from; have a sign-in link e-mailed to you',
          { extra: { retryAfterSeconds: verdict.retryAfterSeconds } },
        );
      }
      if (!verdict.allowed) {
        throw new ProblemError(
          'rate_limited',
          `Too many failed sign-ins from here; try again in ${verdict.retryAfterSeconds} s, or have a sign-in link e-mailed to you`,
          { extra: { retryAfterSeconds: verdict.retryAfterSeconds } },
        );
      }
      const row = await db
        .selectFrom('users')
        .select(['id', 'email', 'role', 'display_name', 'password_hash'])
        .where('email', '=', email)
        .executeTakeFirst();
      const ok = await verifyPassword(row?.password_hash, password);
      if (!ok || !row) throw new ProblemError('invalid_credentials');
      await clearSignInLimit(db, email, request.ip, now);
      await forgetQuietSignInLimits(db, now);
      const user: SignedInUser = { id: row.id, email: row.email, role: row.role, displayName: row.display_name };
      await startSession(user, reply);
      return user;
    },
  );

  app.post(
    '/api/sign-in-links',
    {
      config: perAddress(config.rateLimits.signInLinksPerHour, 3_600_000),
      schema: {
        tags: ['accounts'],
        summary: 'E-mail me a sign-in link',
        description:
          `If an account has this e-mail, a link that signs it in once, within ${SIGN_IN_LINK_MINUTES} minutes, is ` +
          'e-mailed to it (at most three an hour). The answer is the same whether or not the account exists.',
        body: signInLinkBody,
        problems: ['rate_limited'],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const base = config.publicUrl ?? `http://localhost:${config.port}`;
      await sendSignInLink(db, ports.signInLinks, request.body.email, base, clock.now());
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/sessions/link',
    {
      config: signInsPerAddress(),
      schema: {
        tags: ['accounts'],
        summary: 'Sign in with an e-mailed link',
        description: 'The token is the part after `#` in the link. It works once, before it expires.',
        body: signInWithLinkBody,
        problems: ['sign_in_link_invalid', 'rate_limited'],
        response: { 200: userSchema },
      },
    },
    async (request, reply) => {
      const user = await useSignInLink(db, request.body.token, clock.now());
      if (!user) throw new ProblemError('sign_in_link_invalid');
      // Its owner has proven who they are: this address's attempts at the account start again.
      await clearSignInLimit(db, user.email, request.ip, clock.now());
      await startSession(user, reply);
      return user;
    },
  );

  app.delete(
    '/api/sessions/current',
    { schema: { tags: ['accounts'], summary: 'Sign out', response: { 204: z.null() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) {
        await deleteSession(db, token);
        // Refused on this instance from now on; on others once the trigger's notice reaches them (session-cache.ts).
        app.sessionCache.forget(tokenHash(token));
      }
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

  registerAccountSettingsRoutes(app, ctx, {
    mailer: ports.accountMail,
    upcoming: ports.upcomingSessions,
    startSession,
  });
}
