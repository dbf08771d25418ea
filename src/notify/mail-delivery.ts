import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.js';
import { type RetryPolicy, nextRetry } from '../jobs/engine/retry-backoff.js';
import { closedUserIds, usersWithEmailOff } from '../accounts/accounts-reads.js';
import { NOTIFICATION_TOPICS, NOTIFICATION_TOPIC_IDS } from '../domain/notification-topics.js';

/** What delivery needs from a mail transport; nodemailer's SMTP transport is the real one. */
export interface MailSender {
  sendMail(mail: {
    from: string;
    to: { name: string; address: string };
    subject: string;
    text: string;
    html?: string;
    messageId: string;
    headers: Record<string, string>;
    attachments: { filename: string; content: string; contentType: string }[];
  }): Promise<unknown>;
  close?(): void;
}

/**
 * An SMTP transport for `SMTP_URL` (smtp:// or smtps://, credentials in the URL), with bounded waits. nodemailer is
 * loaded, and the transport made, when the first message is sent, not at start-up (the transport opens no
 * connection before its first message either way).
 */
export function createSmtpSender(smtpUrl: string): MailSender {
  const makeTransport = () =>
    import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        url: smtpUrl,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      }),
    );
  let transport: ReturnType<typeof makeTransport> | undefined;
  return {
    sendMail: async (mail) => (await (transport ??= makeTransport())).sendMail(mail),
    close: () =>
      void transport?.then(
        (made) => made.close(),
        () => undefined,
      ),
  };
}

export interface MailDeliveryOptions {
  /** The From header, e.g. `Knotwork <no-reply@example.com>`. */
  from: string;
  retry?: RetryPolicy;
  /** Longer than any SMTP exchange can take (the transport times out first), so a live sender never loses it. */
  leaseMs?: number;
  batchSize?: number;
  /** Batches per call, so one call ends even while messages keep coming due. */
  maxBatches?: number;
}

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
  /** Came due while no SMTP server is configured: kept for the in-app inbox only. */
  inApp: number;
}

export const DEFAULT_MAIL_RETRY: RetryPolicy = { maxAttempts: 8, firstDelayMs: 60_000, maxDelayMs: 3_600_000 };

/**
 * Sends due messages from the outbox. Each batch is claimed with one UPDATE (FOR UPDATE SKIP LOCKED, a lease,
 * the attempt counted) that commits before any SMTP traffic, so no transaction stays open while a server
 * answers and no two instances send the same row. The outcome is written afterwards, guarded by the claim.
 *
 * SMTP itself cannot be part of a database transaction: if the process dies after the server accepted a
 * message and before the row says so, the message is sent again when the lease runs out. The Message-ID is
 * the row's, so that rare duplicate is recognisable as one. SMTP 5xx replies are permanent (failed at once);
 * anything else is retried with exponential backoff until the last attempt.
 *
 * Without a sender (no SMTP_URL), due messages become 'in_app': the user reads them in Knotwork, and nobody
 * is told they were e-mailed.
 */
export async function deliverDueMessages(
  db: Kysely<DB>,
  sender: MailSender | null,
  now: number,
  options: MailDeliveryOptions,
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, inApp: 0 };
  const at = new Date(now);
  if (!sender) {
    const kept = await db
      .updateTable('messages')
      .set({ status: 'in_app' })
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', at)
      // An instance that does have SMTP may be sending it right now.
      .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', at)]))
      .executeTakeFirst();
    report.inApp = Number(kept.numUpdatedRows);
    return report;
  }
  report.failed += await giveUpStaleMessages(db, now);
  report.inApp += await keepTurnedOffInApp(db, now);
  const batchSize = options.batchSize ?? 20;
  for (let batch = 0; batch < (options.maxBatches ?? 10); batch++) {
    const claimed = await sendBatch(db, sender, now, options, batchSize, report);
    if (claimed < batchSize) break;
  }
  return report;
}

/**
 * Messages whose moment has passed (a booking confirmation or reminder once the session has started) are given up
 * instead of being sent late: `failed`, with the reason. They stay in the user's in-app history.
 */
async function giveUpStaleMessages(db: Kysely<DB>, now: number): Promise<number> {
  const at = new Date(now);
  const stale = await db
    .updateTable('messages')
    .set({ status: 'failed', last_error: 'Not sent: its session had already started' })
    .where('status', '=', 'pending')
    .where('send_before', '<=', at)
    .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', at)]))
    .executeTakeFirst();
  return Number(stale.numUpdatedRows);
}

/**
 * Due messages of an optional kind their person turned off (domain/notification-topics.ts) are not e-mailed: they
 * become `in_app`, kept in the person's Knotwork inbox. Decided when the message comes due, so a choice made after a
 * reminder was queued still counts. Every other kind is always e-mailed, except to a closed account, which gets
 * nothing (its address is scrubbed).
 */
async function keepTurnedOffInApp(db: Kysely<DB>, now: number): Promise<number> {
  const at = new Date(now);
  const kept = await db
    .updateTable('messages')
    .set({ status: 'in_app' })
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', at)
    .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', at)]))
    .where((w) =>
      w.or([
        w('user_id', 'in', closedUserIds(db)),
        ...NOTIFICATION_TOPIC_IDS.map((topic) =>
          w.and([
            w('kind', 'in', [...NOTIFICATION_TOPICS[topic].kinds]),
            w('user_id', 'in', usersWithEmailOff(db, topic)),
          ]),
        ),
      ]),
    )
    .executeTakeFirst();
  return Number(kept.numUpdatedRows);
}

/** Claims up to `batchSize` due messages, sends them and records each outcome; returns how many it claimed. */
async function sendBatch(
  db: Kysely<DB>,
  sender: MailSender,
  now: number,
  options: MailDeliveryOptions,
  batchSize: number,
  report: DeliveryReport,
): Promise<number> {
  const at = new Date(now);
  const claim = randomUUID();
  const claimed = await db
    .updateTable('messages as m')
    .set({ claim, locked_until: new Date(now + (options.leaseMs ?? 300_000)), attempts: sql`m.attempts + 1` })
    .from('users as u')
    .whereRef('u.id', '=', 'm.user_id')
    .where('m.id', 'in', (eb) =>
      eb
        .selectFrom('messages')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', at)
        .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', at)]))
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .skipLocked(),
    )
    .returning([
      'm.id',
      'm.subject',
      'm.body_text',
      'm.body_html',
      'm.attachments',
      'm.attempts',
      'm.to_address',
      'u.email',
      'u.display_name',
    ])
    .execute();

  const domain = options.from.match(/@([^>\s]+)/)?.[1] ?? 'knotwork.invalid';
  for (const message of claimed) {
    let outcome: { status: 'sent' } | { status: 'pending' | 'failed'; error: string; retryAt?: number };
    try {
      await sender.sendMail({
        from: options.from,
        to: { name: message.display_name, address: message.to_address ?? message.email },
        subject: message.subject,
        text: message.body_text,
        ...(message.body_html ? { html: message.body_html } : {}),
        messageId: `<${message.id}@${domain}>`,
        headers: { 'Auto-Submitted': 'auto-generated' },
        attachments: message.attachments.map((a) => ({
          filename: a.filename,
          content: a.content,
          contentType: a.contentType,
        })),
      });
      outcome = { status: 'sent' };
    } catch (error) {
      const decision = isPermanent(error)
        ? ({ retry: false } as const)
        : nextRetry(options.retry ?? DEFAULT_MAIL_RETRY, message.attempts, now);
      outcome = decision.retry
        ? { status: 'pending', error: describe(error), retryAt: decision.at }
        : { status: 'failed', error: describe(error) };
    }
    await db
      .updateTable('messages')
      .set({
        status: outcome.status,
        claim: null,
        locked_until: null,
        ...(outcome.status === 'sent'
          ? { sent_at: new Date(now), last_error: null }
          : {
              last_error: outcome.error,
              ...(outcome.retryAt !== undefined ? { next_attempt_at: new Date(outcome.retryAt) } : {}),
            }),
      })
      .where('id', '=', message.id)
      .where('claim', '=', claim)
      .execute();
    if (outcome.status === 'sent') report.sent++;
    else if (outcome.status === 'pending') report.retrying++;
    else report.failed++;
  }
  return claimed.length;
}

/** An SMTP 5xx reply, or an envelope the transport refuses before asking the server, will not improve by retrying. */
function isPermanent(error: unknown): boolean {
  const e = error as { responseCode?: unknown; code?: unknown };
  if (typeof e.responseCode === 'number') return e.responseCode >= 500;
  return e.code === 'EENVELOPE';
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}
