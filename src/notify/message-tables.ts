import type { ColumnType, Generated } from 'kysely';

export interface MessageAttachment {
  filename: string;
  contentType: string;
  content: string;
}

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
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Date;
  last_error: string | null;
  sent_at: Date | null;
  created_at: Date;
}

export interface MessageTables {
  messages: MessagesTable;
}
