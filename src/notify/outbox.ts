import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { MessageAttachment } from './message-tables.js';

export interface OutgoingMessage {
  userId: string;
  /** Stable, dotted kind, e.g. 'booking.confirmed', 'screening.changed'. */
  kind: string;
  subject: string;
  text: string;
  html?: string;
  bookingId?: string | null;
  attachments?: MessageAttachment[];
  /** When set, a second message with the same key is silently not written. */
  dedupeKey?: string;
  /** Earliest send time (defaults to now). */
  sendAt?: number;
  /** Latest send time: a message still unsent then is given up (a confirmation for a session that has started). */
  sendBefore?: number;
}

/**
 * Queues messages in the caller's transaction, so they exist exactly when the change they report commits.
 * Delivery happens later, outside the request. Returns how many were newly written.
 */
export async function enqueueMessages(db: Kysely<DB> | Transaction<DB>, messages: OutgoingMessage[], now: number): Promise<number> {
  if (messages.length === 0) return 0;
  const inserted = await db
    .insertInto('messages')
    .values(
      messages.map((m) => ({
        user_id: m.userId,
        kind: m.kind,
        subject: m.subject,
        body_text: m.text,
        body_html: m.html ?? null,
        booking_id: m.bookingId ?? null,
        attachments: JSON.stringify(m.attachments ?? []),
        dedupe_key: m.dedupeKey ?? null,
        next_attempt_at: new Date(m.sendAt ?? now),
        send_before: m.sendBefore === undefined ? null : new Date(m.sendBefore),
        created_at: new Date(now),
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}
