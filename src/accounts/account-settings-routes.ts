import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App, AppContext } from '../app-context.js';
import { NOTIFICATION_TOPICS } from '../domain/notification-topics.js';
import { ProblemError } from '../domain/problems.js';
import {
  ACCOUNT_LINKS_PER_HOUR,
  type AccountMailer,
  EMAIL_CHANGE_HOURS,
  PASSWORD_RESET_MINUTES,
  accountSettings,
  changePassword,
  requestEmailChange,
  requestPasswordReset,
  resetPassword,
  setNotificationPreferences,
  setPhone,
  checkCurrentPassword,
  toE164,
  verifyEmailChange,
} from './account-settings.js';
import { type UpcomingSessions, closeAccount } from './account-closing.js';
import { requireUser } from './request-user.js';
import { SESSION_COOKIE, type SignedInUser } from './sessions.js';

const email = z
  .email({ message: 'Enter a valid e-mail address' })
  .max(254)
  .overwrite((e) => e.toLowerCase());
const linkToken = z.string().regex(/^[\w-]{20,100}$/, 'Not a link from our e-mail');
const newPassword = z.string().min(10, 'Use at least 10 characters').max(200);

const settingsSchema = z
  .object({
    email: z.string(),
    displayName: z.string(),
    phone: z.string().nullable().describe('E.164, e.g. +12125550100'),
    pendingEmail: z
      .object({ email: z.string(), expiresAt: z.iso.datetime() })
      .nullable()
      .describe('A new address waiting to be verified; the account keeps `email` until then'),
    notifications: z
      .object(
        Object.fromEntries(Object.keys(NOTIFICATION_TOPICS).map((t) => [t, z.boolean()])) as Record<
          keyof typeof NOTIFICATION_TOPICS,
          z.ZodBoolean
        >,
      )
      .describe('Optional e-mails by topic: true is sent, false kept in the Knotwork inbox only'),
  })
  .meta({ id: 'AccountSettings' });

const notificationChoices = z
  .object(
    Object.fromEntries(Object.keys(NOTIFICATION_TOPICS).map((t) => [t, z.boolean().optional()])) as Record<
      keyof typeof NOTIFICATION_TOPICS,
      z.ZodOptional<z.ZodBoolean>
    >,
  )
  .strict()
  .meta({ examples: [{ booking_reminders: false }] });

export interface AccountSettingsDeps {
  mailer: AccountMailer;
  upcoming: UpcomingSessions;
  startSession(user: SignedInUser, reply: FastifyReply): Promise<void>;
}

/** Forgot password, change password, change e-mail, phone, notification preferences and closing the account. */
export function registerAccountSettingsRoutes(app: App, ctx: AppContext, deps: AccountSettingsDeps) {
  const { db, clock, config } = ctx;
  const linkBase = () => config.publicUrl ?? `http://localhost:${config.port}`;
  // A new object per route: @fastify/rate-limit keeps state on the options it is given.
  const perAddress = (max: number, timeWindow: number) => ({ rateLimit: { max, timeWindow } });
  const settingsOf = async (userId: string) => {
    const s = await accountSettings(db, userId, clock.now());
    return {
      ...s,
      pendingEmail: s.pendingEmail && {
        email: s.pendingEmail.email,
        expiresAt: new Date(s.pendingEmail.expiresAt).toISOString(),
      },
    };
  };

  app.post(
    '/api/password-resets',
    {
      config: perAddress(config.rateLimits.signInLinksPerHour, 3_600_000),
      schema: {
        tags: ['accounts'],
        summary: 'Forgot password: e-mail me a link to set a new one',
        description:
          `If an account has this e-mail, a link that sets a new password once, within ${PASSWORD_RESET_MINUTES} ` +
          `minutes, is e-mailed to it (at most ${ACCOUNT_LINKS_PER_HOUR} an hour per account, and ` +
          `${config.rateLimits.signInLinksPerHour} requests an hour per address). The answer is the same whether or ` +
          'not the account exists.',
        body: z
          .object({ email })
          .strict()
          .meta({ examples: [{ email: 'ada@example.com' }] }),
        problems: ['rate_limited'],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(db, deps.mailer, request.body.email, linkBase(), clock.now());
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/password-resets/use',
    {
      config: perAddress(config.rateLimits.signInsPerMinute, 60_000),
      schema: {
        tags: ['accounts'],
        summary: 'Set a new password with an e-mailed reset link, and sign in',
        description:
          'The token is the part after `#` in the link; it works once, before it expires. The new password must not ' +
          'be easy to guess (`weak_password`). Every other session of the account is signed out, and its other ' +
          'reset and sign-in links stop working.',
        body: z.object({ token: linkToken, password: newPassword }).strict(),
        problems: ['password_reset_invalid', 'rate_limited'],
        response: {
          200: z.object({
            id: z.uuid(),
            email: z.string(),
            role: z.enum(['client', 'therapist', 'operator']),
            displayName: z.string(),
          }),
        },
      },
    },
    async (request, reply) => {
      const user = await resetPassword(db, deps.mailer, request.body.token, request.body.password, clock.now());
      // Every session of the account ended: gone from this instance's session cache at once, from others' on notice.
      app.sessionCache.forgetUser(user.id);
      await deps.startSession(user, reply);
      return user;
    },
  );

  app.get(
    '/api/me/settings',
    {
      schema: {
        tags: ['accounts'],
        summary: 'My account settings: e-mail (and one waiting to be verified), phone, optional e-mails',
        problems: ['unauthenticated'],
        response: { 200: settingsSchema },
      },
    },
    async (request) => settingsOf(requireUser(request).id),
  );

  app.put(
    '/api/me/password',
    {
      config: perAddress(config.rateLimits.signInsPerMinute, 60_000),
      schema: {
        tags: ['accounts'],
        summary: 'Change my password',
        description:
          'Needs the current password (wrong: 403 `current_password_wrong`; the attempts count like sign-ins, 429 ' +
          'when slowed). The new one must not be easy to guess. Every other session is signed out; this one stays.',
        body: z
          .object({ currentPassword: z.string().min(1).max(200), newPassword })
          .strict()
          .meta({
            examples: [{ currentPassword: 'correct horse battery', newPassword: 'lantern orbit quiet meadow' }],
          }),
        problems: ['unauthenticated', 'current_password_wrong', 'rate_limited'],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await changePassword(
        db,
        deps.mailer,
        user,
        {
          ...request.body,
          sessionToken: request.cookies[SESSION_COOKIE] ?? '',
          ip: request.ip,
        },
        clock.now(),
      );
      app.sessionCache.forgetUser(user.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/me/email-change',
    {
      config: perAddress(config.rateLimits.signInLinksPerHour, 3_600_000),
      schema: {
        tags: ['accounts'],
        summary: 'Change my e-mail address: send a verification link to the new one',
        description:
          'Needs the current password. A link is sent to the new address (it works once, within ' +
          `${EMAIL_CHANGE_HOURS} hours; a newer request replaces it) and a notice to the current one. The account ` +
          'keeps its address until the link is opened.',
        body: z
          .object({ newEmail: email, currentPassword: z.string().min(1).max(200) })
          .strict()
          .meta({ examples: [{ newEmail: 'ada.new@example.com', currentPassword: 'correct horse battery' }] }),
        problems: ['unauthenticated', 'current_password_wrong', 'email_taken', 'rate_limited'],
        response: { 202: settingsSchema },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await requestEmailChange(
        db,
        deps.mailer,
        user,
        { ...request.body, ip: request.ip, linkBase: linkBase() },
        clock.now(),
      );
      return reply.code(202).send(await settingsOf(user.id));
    },
  );

  app.post(
    '/api/email-changes/verify',
    {
      config: perAddress(config.rateLimits.signInsPerMinute, 60_000),
      schema: {
        tags: ['accounts'],
        summary: 'Verify a new e-mail address with the link sent to it',
        description:
          'The token is the part after `#` in the link; it works once, before it expires. No sign-in is needed: the ' +
          'link proves the mailbox. The old address is told.',
        body: z.object({ token: linkToken }).strict(),
        problems: ['email_change_invalid', 'email_taken', 'rate_limited'],
        response: { 200: z.object({ email: z.string() }) },
      },
    },
    async (request) => {
      const changed = await verifyEmailChange(db, deps.mailer, request.body.token, clock.now());
      // The account is not known here by id: wait until this instance's session cache has had the change's notice.
      await app.sessionCache.checkListener();
      return changed;
    },
  );

  app.put(
    '/api/me/phone',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Set or remove my phone number',
        description:
          'Any common way of writing it, with the country code (`+1 212-555-0100`), or without it when ' +
          '`defaultCountry` (ISO 3166 alpha-2) is given; stored in E.164. Not a valid number: `invalid_phone`. ' +
          'null removes it. The therapist booked with a client and operators see it on a care alert.',
        body: z
          .object({
            phone: z.string().trim().min(1).max(40).nullable(),
            defaultCountry: z
              .string()
              .regex(/^[A-Z]{2}$/, 'A two-letter country code, e.g. US')
              .optional(),
          })
          .strict()
          .meta({ examples: [{ phone: '+1 212 555 0100' }] }),
        problems: ['unauthenticated'],
        response: { 200: settingsSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { phone, defaultCountry } = request.body;
      await setPhone(db, user.id, phone === null ? null : toE164(phone, defaultCountry));
      return settingsOf(user.id);
    },
  );

  app.put(
    '/api/me/notification-preferences',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Turn optional e-mails on or off',
        description:
          'By topic; topics not named keep their setting. A turned-off e-mail is still kept in the Knotwork inbox. ' +
          'Safety and care alerts, booking confirmations, changes and cancellations, receipts and account-security ' +
          'e-mails cannot be turned off.',
        body: notificationChoices,
        problems: ['unauthenticated'],
        response: { 200: settingsSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      await setNotificationPreferences(db, user.id, request.body, clock.now());
      return settingsOf(user.id);
    },
  );

  app.post(
    '/api/me/close',
    {
      config: perAddress(config.rateLimits.signInsPerMinute, 60_000),
      schema: {
        tags: ['accounts'],
        summary: 'Close my account (clients)',
        description:
          'Needs the current password. Refused with 409 `account_has_upcoming_bookings` while sessions are to come: ' +
          'cancel them first, under their cancellation terms. Signs out everywhere and scrubs the name, e-mail ' +
          'address, phone and password; bookings, payments, receipts and session records are kept, as the ledger ' +
          'and the law need them (erasing health data is its own request). Therapists and operators ask an operator.',
        body: z
          .object({ currentPassword: z.string().min(1).max(200) })
          .strict()
          .meta({ examples: [{ currentPassword: 'correct horse battery' }] }),
        problems: [
          'unauthenticated',
          'forbidden',
          'current_password_wrong',
          'account_has_upcoming_bookings',
          'rate_limited',
        ],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      if (user.role !== 'client')
        throw new ProblemError(
          'forbidden',
          'A therapist’s or operator’s account is closed by an operator, who winds down its profile, bookings and payouts',
        );
      await checkCurrentPassword(db, user, request.body.currentPassword, request.ip, clock.now());
      await closeAccount(db, deps.upcoming, user, clock.now());
      app.sessionCache.forgetUser(user.id);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );
}
