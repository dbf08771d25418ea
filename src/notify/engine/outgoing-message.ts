/**
 * A message as the cores write it, before it is queued: plain data. The outbox (../outbox.ts) stores it in the
 * caller's transaction; the messages table keeps the attachments as they are here.
 */
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
  /** Send to this address instead of the account's (verifying a new address); kept out of the in-app inbox. */
  toAddress?: string;
  /** Latest send time: a message still unsent then is given up (a confirmation for a session that has started). */
  sendBefore?: number;
}

export interface MessageAttachment {
  filename: string;
  contentType: string;
  content: string;
}
