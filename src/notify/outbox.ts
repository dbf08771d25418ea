import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { OutgoingMessage } from './engine/outgoing-message.js';

/**
 * Queues messages in the caller's transaction, so they exist exactly when the change they report commits.
 * Delivery happens later, outside the request. Returns how many were newly written.
 */
export async function enqueueMessages(
  db: Kysely<DB> | Transaction<DB>,
  messages: OutgoingMessage[],
  now: number,
): Promise<number> {
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
        to_address: m.toAddress ?? null,
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}
