import type { ColumnType, Generated } from 'kysely';

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  run_at: Date;
  status: Generated<'pending' | 'done' | 'failed'>;
  attempts: Generated<number>;
  claim: string | null;
  locked_until: Date | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
  /** How often an operator replayed the job from the dead letters (migration 0018). */
  replays: Generated<number>;
}

/** A consumer's position in an event stream: the last (transaction id, event id) it has handled. */
export interface EventCursorsTable {
  name: string;
  /** xid8, read and written as text. */
  last_tx: string;
  last_id: number;
}

export interface JobTables {
  jobs: JobsTable;
  event_cursors: EventCursorsTable;
}
