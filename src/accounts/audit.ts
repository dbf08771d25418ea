import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { SignedInUser } from './sessions.js';

export interface AuditEntry {
  actor: SignedInUser | null;
  action: string;
  subjectType: string;
  subjectId: string;
  /** The person the record is about, so "who looked at my data" is one indexed query. */
  subjectUserId?: string | null;
  detail?: Record<string, unknown>;
}

export async function writeAudit(db: Kysely<DB> | Transaction<DB>, entry: AuditEntry, now: number): Promise<void> {
  await writeAudits(db, [entry], now);
}

/** Several audit rows in one insert (nothing when there are none). */
export async function writeAudits(
  db: Kysely<DB> | Transaction<DB>,
  entries: readonly AuditEntry[],
  now: number,
): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('audit_log')
    .values(
      entries.map((entry) => ({
        at: new Date(now),
        actor_id: entry.actor?.id ?? null,
        actor_role: entry.actor?.role ?? null,
        action: entry.action,
        subject_type: entry.subjectType,
        subject_id: entry.subjectId,
        subject_user_id: entry.subjectUserId ?? null,
        detail: JSON.stringify(entry.detail ?? {}),
      })),
    )
    .execute();
}
