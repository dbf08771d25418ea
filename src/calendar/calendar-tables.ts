import type { Generated } from 'kysely';

export interface CalendarFeedsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  label: string;
  created_at: Date;
  last_fetched_at: Date | null;
  revoked_at: Date | null;
}

export interface CalendarTables {
  calendar_feeds: CalendarFeedsTable;
}
