import type { Kysely } from 'kysely';
import { CHECK_IN_JOBS } from './aftercare/check-in-jobs.js';
import { bookingEventById, consumeBookingEvents, revisionAfter } from './booking/booking-event-stream.js';
import { clearanceDeadlineJob } from './booking/clearance-deadline-job.js';
import { chargeDifferenceJob } from './booking/booking-payments.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { DB } from './schema.js';
import type { PaymentProvider } from './money/engine/payment-provider.js';
import { sendsOwnWebhooks } from './money/payment-providers.js';
import { type AnyJobHandler, type JobRunReport, JobRunner } from './jobs/job-runner.js';
import { type PollingLoop, startPollingLoop } from './jobs/polling-loop.js';
import { checkoutOverdueJob } from './live/checkout-overdue-job.js';
import { restrictedNotesPurgeJob } from './records/note-retention.js';
import { tipChargeJob } from './money/tip-service.js';
import { membershipRenewalJob } from './money/memberships.js';
import { paymentJobs } from './money/payment-jobs.js';
import { bookingReminderJob } from './notify/booking-reminder-job.js';
import { externalCalendarReadJob } from './therapists/external-calendars.js';
import { tipFailedNoticeJob } from './notify/tip-failed-notice-job.js';
import { consumeFreedTime } from './waitlist/waitlist.js';
import { waitlistMatchJob, waitlistWindowEndJob } from './waitlist/waitlist-jobs.js';
import { membershipNotices } from './notify/money-notices.js';
import { receiptMailJob } from './notify/receipt-mail-job.js';
import { type BookingEventFeed, bookingNoticeRetryJob, publishBookingNotices } from './notify/booking-notices.js';
import {
  type DeliveryReport,
  type MailDeliveryOptions,
  type MailSender,
  deliverDueMessages,
} from './notify/mail-delivery.js';

/** Booking's event stream, as booking notices are given it (the `BookingEventFeed` port). */
const BOOKING_EVENTS: BookingEventFeed = {
  consume: consumeBookingEvents,
  revisionAfter,
  eventById: bookingEventById,
};

/** The slot step when the configuration names none (config.ts's default). */
const DEFAULT_SLOT_STEP_MIN = 15;

/** Every job kind any capability schedules; a runner claims only the kinds it has a handler for. */
const JOB_HANDLERS: AnyJobHandler[] = [
  bookingReminderJob,
  clearanceDeadlineJob,
  checkoutOverdueJob,
  ...CHECK_IN_JOBS,
  tipFailedNoticeJob,
  restrictedNotesPurgeJob,
  waitlistWindowEndJob,
];

export interface RoundReport {
  notices: number;
  jobs: JobRunReport;
  mail: DeliveryReport;
  /** Webhooks the payment provider delivered (the test processor sends its own; 0 otherwise). */
  webhooks: number;
}

export interface BackgroundWork {
  /**
   * One round: turn new booking events into notices, run due jobs, send due mail, and let a payment provider that
   * sends its own webhooks (the test processor) deliver the due ones. Tests drive time with it.
   */
  runRound(): Promise<RoundReport>;
  /** Rounds every `intervalMs` until stopped (main.ts). */
  start(intervalMs: number, onError: (error: unknown) => void): PollingLoop;
}

/**
 * The work that happens outside requests, composed from the capabilities. Every step keeps its state in the
 * database and is safe to run on several instances at once, so each instance simply runs it.
 */
export function createBackgroundWork(
  ctx: {
    db: Kysely<DB>;
    clock: Clock;
    config: Pick<Config, 'mailFrom'> & Partial<Pick<Config, 'publicUrl' | 'externalCalendars' | 'slotStepMin'>>;
  },
  options: {
    sender: MailSender | null;
    mail?: Partial<MailDeliveryOptions>;
    onJobError?: (job: { id: number; kind: string; attempt: number }, error: unknown) => void;
    /**
     * The provider (`app.paymentProvider`) and where its webhooks go: this app's base URL (`ownBaseUrl(config)`:
     * PUBLIC_URL, else http://HOST:PORT). Without a provider the money jobs wait for a runner that has one; without a
     * base URL no webhooks are delivered.
     */
    payments?: { provider: PaymentProvider; webhookBaseUrl?: string };
  },
): BackgroundWork {
  const provider = options.payments?.provider;
  // Money: capture and void (payment-jobs.ts), a tip charged when it stops being changeable,
  // memberships renewed, and the charge of what a moved
  // session's authorisation did not cover (booking/booking-payments.ts).
  // Receipts' e-mails link to the payments page, so their handler is made with the public URL.
  const handlers = [
    ...JOB_HANDLERS,
    // The confirmation links the "What to expect" guide at the public URL, so a retried notice is made with it too.
    bookingNoticeRetryJob(BOOKING_EVENTS, ctx.config.publicUrl),
    receiptMailJob(ctx.config.publicUrl),
    // Therapists' other calendars, read on schedule (network first, outcome recorded in the job's transaction).
    externalCalendarReadJob(ctx.db, ctx.config.externalCalendars),
    // The waitlist: a therapist's freed time offered to the clients waiting for it, in the order they joined.
    waitlistMatchJob(ctx.config.slotStepMin ?? DEFAULT_SLOT_STEP_MIN),
    ...(provider
      ? [
          ...paymentJobs(ctx.db, provider),
          tipChargeJob(ctx.db, provider),
          membershipRenewalJob(ctx.db, provider, membershipNotices),
          chargeDifferenceJob(ctx.db, provider),
        ]
      : []),
  ];
  const runner = new JobRunner(ctx.db, handlers, options.onJobError ? { onError: options.onJobError } : {});
  const runRound = async (): Promise<RoundReport> => {
    const notices = await publishBookingNotices(ctx.db, ctx.clock.now(), BOOKING_EVENTS, {
      siteUrl: ctx.config.publicUrl,
      onEventError: (event, error) =>
        options.onJobError?.({ id: event.id, kind: 'booking_notices.event', attempt: 1 }, error),
    });
    // Cancellations and expired holds free time: the waitlist schedules its look at it (a durable job). A failure
    // leaves its cursor where it was (tried again next round) and never holds back the jobs and mail below.
    await consumeFreedTime(ctx.db, ctx.clock.now()).catch((error: unknown) =>
      options.onJobError?.({ id: 0, kind: 'waitlist.events', attempt: 1 }, error),
    );
    const jobs = await runner.runDueJobs(ctx.clock.now());
    const mail = await deliverDueMessages(ctx.db, options.sender, ctx.clock.now(), {
      from: ctx.config.mailFrom,
      ...options.mail,
    });
    const payments = options.payments;
    const webhooks =
      payments?.webhookBaseUrl && sendsOwnWebhooks(payments.provider)
        ? await payments.provider.deliverWebhooks(payments.webhookBaseUrl)
        : 0;
    return { notices, jobs, mail, webhooks };
  };
  return {
    runRound,
    start: (intervalMs, onError) => startPollingLoop(runRound, intervalMs, onError),
  };
}
