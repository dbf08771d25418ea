import { type Kysely, type Transaction, sql } from 'kysely';
import { z } from 'zod';
import type { SessionFacts } from '../calendar/engine/session-facts.js';
import { loadSessionFacts } from '../calendar/session-facts.js';
import type { DB } from '../schema.js';
import type { BookingEvent } from '../booking/engine/booking-event.js';
import { type BookingNotice, bookingNoticeMessages } from './engine/booking-notice-content.js';
import { scheduleBookingReminder } from './booking-reminder-job.js';
import { enqueueMessages } from './outbox.js';
import { livePairPartnerOf } from '../booking/booking-reads.js';
import { formatInstant } from '../domain/session-time.js';
import { type RetryPolicy, nextRetry } from '../jobs/engine/retry-backoff.js';
import { defineJob } from '../jobs/job-runner.js';
import { scheduleJob } from '../jobs/job-scheduler.js';

/** The cursor row migration 0004 creates for this consumer. */
const CONSUMER = 'booking_notices';

/** An event whose notice failed is retried on its own, with backoff, then waits in the dead letters. */
export const NOTICE_RETRY: RetryPolicy = { maxAttempts: 8, firstDelayMs: 60_000, maxDelayMs: 3_600_000 };

export interface BookingNoticeOptions {
  /** Told of each event whose notice failed and was set aside to be retried on its own. */
  onEventError?: (event: BookingEvent, error: unknown) => void;
  /** The public URL, for the links in the letters (the confirmation's "What to expect" guide). */
  siteUrl?: string | undefined;
}

/**
 * Turns booking state changes into messages to the client and the therapist, exactly once: the messages, the
 * reminder job and the cursor move commit together. Booking code knows nothing of this; it only records events.
 *
 * - confirmed (from a hold, or placed confirmed): confirmation with a calendar file, and the 24 h reminder
 * - confirmed as the new half of a reschedule: change notice (old and new time), and the new reminder
 * - held -> awaiting_clearance: what is missing (a verified medical clearance) and by when, or it is released
 * - awaiting_clearance -> confirmed (the clearance was verified): the confirmation, as above
 * - awaiting_clearance -> cancelled at the clearance deadline: the release notice (free of charge)
 * - confirmed or awaiting_clearance -> cancelled: cancellation notice, with the fee if any
 * - anything else (a hold expiring or released, check-in, ...) says nothing
 * - nor does a confirmation or change read after the session has started (and the messages give up at its start)
 *
 * Each event is handled under its own savepoint. One that throws (a poison event) is rolled back alone and handed
 * to its own job (`booking_notices.retry`, retried with backoff, then a dead letter an operator can replay), and the
 * cursor moves past it: it never holds back the notices after it.
 */
export async function publishBookingNotices(
  db: Kysely<DB>,
  now: number,
  feed: BookingEventFeed,
  options: BookingNoticeOptions = {},
): Promise<number> {
  return feed.consume(db, CONSUMER, async (trx, events) => {
    for (const event of events) {
      await sql`SAVEPOINT booking_notice`.execute(trx);
      try {
        await publishNotice(trx, event, now, feed, { siteUrl: options.siteUrl });
        await sql`RELEASE SAVEPOINT booking_notice`.execute(trx);
      } catch (error) {
        await sql`ROLLBACK TO SAVEPOINT booking_notice`.execute(trx);
        await sql`RELEASE SAVEPOINT booking_notice`.execute(trx);
        options.onEventError?.(event, error);
        const first = nextRetry(NOTICE_RETRY, 1, now);
        await scheduleJob(
          trx,
          {
            kind: NOTICE_RETRY_KIND,
            payload: { eventId: event.id, bookingId: event.bookingId },
            runAt: first.retry ? first.at : now,
            dedupeKey: `${NOTICE_RETRY_KIND}:${event.id}`,
          },
          now,
        );
      }
    }
  });
}

const NOTICE_RETRY_KIND = 'booking_notices.retry';

/**
 * The notice of one event that failed in order, tried again on its own. A confirmation whose booking has since
 * moved on (cancelled, moved) is no longer news and announces nothing; a cancellation is still told.
 */
export function bookingNoticeRetryJob(feed: BookingEventFeed, siteUrl?: string) {
  return defineJob({
    kind: NOTICE_RETRY_KIND,
    payload: z.object({ eventId: z.number().int(), bookingId: z.uuid() }).strict(),
    retry: NOTICE_RETRY,
    async run(trx, { eventId }, { now }) {
      const event = await feed.eventById(trx, eventId);
      if (!event) return;
      await publishNotice(trx, event, now, feed, { onlyIfCurrent: true, siteUrl });
    },
  });
}

/**
 * Port: booking's event stream, which is above notify (booking never waits on its notices). src/background-work.ts
 * wires booking's implementation (booking/booking-event-stream.ts).
 */
export interface BookingEventFeed {
  /** Hands new events to `handle` in commit order, each once per consumer, in the transaction that moves its cursor. */
  consume(
    db: Kysely<DB>,
    consumer: string,
    handle: (trx: Transaction<DB>, events: BookingEvent[]) => Promise<void>,
  ): Promise<number>;
  /** The calendar SEQUENCE the booking had right after this event. */
  revisionAfter(db: Transaction<DB>, event: BookingEvent): Promise<number>;
  /** One event by id, for a retry. */
  eventById(db: Transaction<DB>, id: number): Promise<BookingEvent | undefined>;
}

/**
 * One part of a session for two cancelled alone (not the whole pair): the other part stays as a single session, and
 * its client is told so. Once per cancelled booking (the dedupe key), however often the event is read.
 */
async function tellPairPartner(trx: Transaction<DB>, event: BookingEvent, now: number): Promise<void> {
  if (event.toStatus !== 'cancelled' || typeof event.detail.pairId === 'string') return;
  const partner = await livePairPartnerOf(trx, event.bookingId);
  if (!partner || partner.startsAt.getTime() <= now) return;
  const when = formatInstant(partner.startsAt.getTime(), partner.timeZone, { style: 'full' });
  await enqueueMessages(
    trx,
    [
      {
        userId: partner.clientId,
        kind: 'booking.pair_part_cancelled',
        subject: `${partner.cancelledClientName}'s session for two on ${when} was cancelled`,
        text: `${partner.cancelledClientName} cancelled their part of your session for two on ${when}. Your own session with ${partner.therapistName} stays booked, on its own. If you would rather not go alone, cancel it under My bookings.`,
        bookingId: partner.bookingId,
        dedupeKey: `pair_part_cancelled:${event.bookingId}`,
      },
    ],
    now,
  );
}

async function publishNotice(
  trx: Transaction<DB>,
  event: BookingEvent,
  now: number,
  feed: BookingEventFeed,
  options: { onlyIfCurrent?: boolean; siteUrl?: string | undefined } = {},
): Promise<void> {
  await tellPairPartner(trx, event, now);
  const notice = await noticeFor(trx, event, feed);
  if (!notice) return;
  const ending = notice.kind === 'cancelled' || notice.kind === 'released';
  // A retried notice (other than an ending) is sent only while the booking is still as the event left it.
  if (options.onlyIfCurrent && !ending) {
    const current = await loadSessionFacts(trx, event.bookingId);
    if (current?.status !== event.toStatus) return;
  }
  // Read late (the service was down), an event about a session that has started or ended announces nothing.
  if (!ending && now >= notice.session.startsAt) return;
  await enqueueMessages(trx, bookingNoticeMessages(notice, now, { siteUrl: options.siteUrl }), now);
  if (notice.kind === 'confirmed' || notice.kind === 'rescheduled') {
    await scheduleBookingReminder(trx, notice.session, now);
  }
}

async function noticeFor(
  trx: Transaction<DB>,
  event: BookingEvent,
  feed: BookingEventFeed,
): Promise<BookingNotice | undefined> {
  const isConfirmation = event.toStatus === 'confirmed';
  const awaitsClearance = event.toStatus === 'awaiting_clearance';
  const isCancellation =
    (event.fromStatus === 'confirmed' || event.fromStatus === 'awaiting_clearance') && event.toStatus === 'cancelled';
  if (!isConfirmation && !isCancellation && !awaitsClearance) return undefined;
  const current = await loadSessionFacts(trx, event.bookingId);
  if (!current) return undefined;
  // The booking may have changed again since; the notice describes it as this event left it.
  const session: SessionFacts = { ...current, status: event.toStatus, revision: await feed.revisionAfter(trx, event) };
  if (awaitsClearance) {
    const dueAt = event.detail.clearanceDueAt;
    return typeof dueAt === 'number' ? { kind: 'awaiting_clearance', session, dueAt } : undefined;
  }
  if (isCancellation && event.detail.reason === 'clearance_not_verified') return { kind: 'released', session };
  if (isCancellation) return { kind: 'cancelled', session, by: cancelledBy(event, session) };
  const rescheduledFrom = event.detail.rescheduledFrom;
  if (typeof rescheduledFrom === 'string') {
    const previous = await loadSessionFacts(trx, rescheduledFrom);
    if (previous) return { kind: 'rescheduled', previous, session };
  }
  return { kind: 'confirmed', session };
}

function cancelledBy(event: BookingEvent, session: SessionFacts): 'client' | 'therapist' | 'operator' {
  const by = event.detail.by;
  if (by === 'client' || by === 'therapist' || by === 'operator') return by;
  return event.actorId === session.therapist.id
    ? 'therapist'
    : event.actorId === session.client.id
      ? 'client'
      : 'operator';
}
