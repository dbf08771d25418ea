import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { DatabaseLocation } from './db/connection.js';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_READ_URLS: z
    .string()
    .regex(
      /^\s*(postgres(ql)?:\/\/[^\s,]+(\s*,\s*postgres(ql)?:\/\/[^\s,]+)*)?\s*$/,
      'must be postgres:// URLs separated by commas',
    )
    .default(''),
  KNOTWORK_DATA_DIR: z.string().min(1).default('./data'),
  DEMO_DATA: z.enum(['0', '1', 'true', 'false']).default('1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ALLOWED_ORIGINS: z.string().default(''),
  SECURE_COOKIES: z.enum(['0', '1', 'true', 'false']).default('0'),
  HOLD_MINUTES: z.coerce.number().int().min(1).max(60).default(10),
  GRACE_MINUTES: z.coerce.number().int().min(0).max(120).default(10),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  DB_POOL_WAIT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z
    .string()
    .regex(
      /^[^<>\r\n]*<[^<>\s@]+@[^<>\s@]+>$|^[^<>\s@]+@[^<>\s@]+$/,
      'must be an address, e.g. Knotwork <no-reply@example.com>',
    )
    .default('Knotwork <no-reply@knotwork.test>'),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
  LIVE_CHECKOUT_ALERT_MIN: z.coerce.number().int().min(1).max(240).default(15),
  CHECK_IN_HOURS: z
    .string()
    .regex(/^\s*\d{1,3}(\s*,\s*\d{1,3})*\s*$/, 'must be hours after check-out, e.g. 24,48')
    .transform((list) => list.split(',').map((h) => Number(h.trim())))
    .refine(
      (hours) => hours.every((h, i) => h >= 1 && h <= 168 && (i === 0 || h > hours[i - 1]!)) && hours.length <= 10,
      'must be 1 to 10 rising whole hours between 1 and 168',
    )
    .default([24, 48]),
  CHECK_IN_REMINDER_HOURS: z.coerce.number().int().min(1).max(72).default(8),
  CHECK_IN_EXPIRY_HOURS: z.coerce.number().int().min(2).max(168).default(24),
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(
      /^(|0|false|true|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/,
      'must be false, true, a number of proxy hops, or proxy addresses/CIDRs separated by commas',
    )
    .default('false'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SLOT_STEP_MIN: z.coerce
    .number()
    .int()
    .refine((n) => [5, 10, 15, 20, 30, 60].includes(n), 'must divide an hour: 5, 10, 15, 20, 30 or 60')
    .default(15),
  NODE_ENV: z.string().optional(),
  PAYMENT_PROVIDER: z.enum(['test']).default('test'),
  PAYMENT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  EXTERNAL_CALENDAR_PRIVATE_ADDRESSES: z.enum(['0', '1', 'true', 'false']).default('0'),
  SEARCH_SHORTCUTS: z.enum(['0', '1', 'true', 'false']).default('1'),
});

/** Signs the test processor's webhooks when PAYMENT_WEBHOOK_SECRET is unset; refused when NODE_ENV is production. */
/**
 * The directory of the running server code: src/ under tsx and vitest, dist/ once built (scripts/build-server.ts
 * bundles the server into dist/main.js, one level below the project as this file is). Files read at run time are
 * found from here, never from their own module's place, which a bundle does not keep: the migrations' SQL in
 * <code>/db/migrations (copied beside the bundle), the built web app and the empty database under the project root.
 */
export const CODE_DIR = dirname(fileURLToPath(import.meta.url));
/** The project's root directory (where package.json, web/dist and dist/ are). */
export const PROJECT_ROOT = resolve(CODE_DIR, '..');

export const DEVELOPMENT_WEBHOOK_SECRET = 'knotwork-development-webhook-secret';

export interface Config {
  port: number;
  host: string;
  database: DatabaseLocation;
  /** PostgreSQL streaming replicas that search and the public pages read from when fresh enough (DATABASE_READ_URLS). */
  databaseReadUrls: string[];
  dbPoolSize: number;
  /** How long a request waits for a PostgreSQL connection before it is answered 503 (DB_POOL_WAIT_MS). */
  dbPoolWaitMs: number;
  demoData: boolean;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Origins other than the server's own that may send unsafe requests (e.g. a dev server). */
  allowedOrigins: string[];
  secureCookies: boolean;
  /** How long a held slot stays reserved before confirmation. */
  holdMinutes: number;
  /** After confirming, changes and cancellation are free for this long whatever the policy says. */
  graceMinutes: number;
  sessionDays: number;
  /** Slot starts fall on multiples of this many minutes of local time. */
  slotStepMin: number;
  /** Where e-mail goes; without it messages stay in the in-app inbox. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** The address users reach Knotwork at, for links that leave the app (calendar feed URLs); else the request's host. */
  publicUrl: string | undefined;
  /** Operators are alerted when a session is still checked in this many minutes after its planned end. */
  liveCheckoutAlertMin: number;
  /** Check-ins after a session: hours after check-out, one reminder after so many hours, expiry (capped at the next one). */
  checkIns: { hours: number[]; reminderHours: number; expiryHours: number };
  /**
   * Which reverse proxies to believe about the client's address (X-Forwarded-For): false (none, the default: the
   * address is the connection's), true (any), a number of hops, or the proxies' addresses. Sign-in limits count by it.
   */
  trustProxy: boolean | number | string[];
  /** /metrics answers only with `Authorization: Bearer <token>`; without a token configured it is not served (404). */
  metricsToken: string | undefined;
  /** Per client address, counted by @fastify/rate-limit in each instance. */
  rateLimits: { signInsPerMinute: number; signUpsPerHour: number; signInLinksPerHour: number };
  /**
   * Which card processor moves money (PAYMENT_PROVIDER: only the built-in test processor so far), the secret its
   * webhooks are signed with (PAYMENT_WEBHOOK_SECRET), and how many cards one address may tokenise a minute at the
   * test processor.
   */
  payments: { provider: 'test'; webhookSecret: string; cardTokensPerMinute: number };
  /**
   * Therapists' other calendars (ICS addresses): whether addresses on private networks may be read
   * (EXTERNAL_CALENDAR_PRIVATE_ADDRESSES, off by default: a server must not be made to read its own network), how
   * long and how much one read may take, and how often each calendar is read again.
   */
  externalCalendars: { allowPrivateAddresses: boolean; timeoutMs: number; maxBytes: number; refreshMinutes: number };
  /**
   * Whether search uses its calendar cache's spatial index, market means and earliest start per day (SEARCH_SHORTCUTS,
   * on by default; 0 visits every therapist and computes everything per search, as before: for comparison).
   */
  searchShortcuts: boolean;
}

/** TRUST_PROXY's text as Fastify's trustProxy option. */
export function parseTrustProxy(text: string): boolean | number | string[] {
  const value = text.trim();
  if (value === '' || value === '0' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((a) => a.trim());
}

const truthy = (flag: string) => flag === '1' || flag === 'true';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.CHECK_IN_REMINDER_HOURS >= e.CHECK_IN_EXPIRY_HOURS)
    throw new Error('Invalid environment:\n  CHECK_IN_REMINDER_HOURS: must be less than CHECK_IN_EXPIRY_HOURS');
  const databaseReadUrls = e.DATABASE_READ_URLS.split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (databaseReadUrls.length > 0 && !e.DATABASE_URL)
    throw new Error(
      'Invalid environment:\n  DATABASE_READ_URLS: replicas need a PostgreSQL primary (DATABASE_URL); the embedded database has none',
    );
  if (e.NODE_ENV === 'production' && !e.PAYMENT_WEBHOOK_SECRET)
    throw new Error(
      'Invalid environment:\n  PAYMENT_WEBHOOK_SECRET: required in production (at least 16 characters, kept secret)',
    );
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL ? { url: e.DATABASE_URL } : { dataDir: resolve(e.KNOTWORK_DATA_DIR) },
    databaseReadUrls,
    dbPoolSize: e.DB_POOL_SIZE,
    dbPoolWaitMs: e.DB_POOL_WAIT_MS,
    demoData: truthy(e.DEMO_DATA),
    logLevel: e.LOG_LEVEL,
    allowedOrigins: e.ALLOWED_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    secureCookies: truthy(e.SECURE_COOKIES),
    holdMinutes: e.HOLD_MINUTES,
    graceMinutes: e.GRACE_MINUTES,
    sessionDays: 30,
    slotStepMin: e.SLOT_STEP_MIN,
    searchShortcuts: truthy(e.SEARCH_SHORTCUTS),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    liveCheckoutAlertMin: e.LIVE_CHECKOUT_ALERT_MIN,
    checkIns: {
      hours: e.CHECK_IN_HOURS,
      reminderHours: e.CHECK_IN_REMINDER_HOURS,
      expiryHours: e.CHECK_IN_EXPIRY_HOURS,
    },
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    metricsToken: e.METRICS_TOKEN,
    rateLimits: { signInsPerMinute: 20, signUpsPerHour: 10, signInLinksPerHour: 10 },
    payments: {
      provider: e.PAYMENT_PROVIDER,
      webhookSecret: e.PAYMENT_WEBHOOK_SECRET ?? DEVELOPMENT_WEBHOOK_SECRET,
      cardTokensPerMinute: 60,
    },
    externalCalendars: {
      allowPrivateAddresses: truthy(e.EXTERNAL_CALENDAR_PRIVATE_ADDRESSES),
      timeoutMs: 10_000,
      maxBytes: 5_000_000,
      refreshMinutes: 15,
    },
  };
}
