import type { ColumnType, Generated } from 'kysely';
import type { MessageAttachment } from './engine/outgoing-message.js';

/** 'in_app': it came due while no SMTP server was configured, so it lives only in the user's Knotwork inbox. */
export type MessageStatus = 'pending' | 'sent' | 'failed' | 'in_app';

export interface MessagesTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  booking_id: string | null;
  attachments: ColumnType<MessageAttachment[], string | undefined, string>;
  dedupe_key: string | null;
  status: Generated<MessageStatus>;
  attempts: Generated<number>;
  /** The sender holding the row while it talks to the SMTP server, and until when. */
  claim: string | null;
  locked_until: Date | null;
  next_attempt_at: Date;
  /** After this the message is pointless (the session it announces has started): it is given up, not sent. */
  send_before: ColumnType<Date | null, Date | null | undefined, Date | null>;
  last_error: string | null;
  /** Another mailbox than the account's (a new address being verified); such a message is not in the inbox. */
  to_address: ColumnType<string | null, string | null | undefined, string | null>;
  sent_at: Date | null;
  created_at: Date;
}

export interface MessageTables {
  messages: MessagesTable;
}
