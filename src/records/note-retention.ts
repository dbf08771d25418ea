import type { Transaction } from 'kysely';
import { z } from 'zod';
import { writeAudit } from '../accounts/audit.js';
import { type KeptRestricted, declareHealthDataErasure } from '../health-data.js';
import { defineJob } from '../jobs/job-runner.js';
import { scheduleJob } from '../jobs/job-scheduler.js';
import type { DB } from '../schema.js';
import { type NoteRetentionRule, noteRetentionRulesOf } from '../therapists/therapists-reads.js';
import type { Kysely } from 'kysely';
import { keptNotesSentence, retentionEnd } from './engine/note-retention.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Signed session notes outlive their client's erasure, restricted, for the retention period of the market where the
 * session was given (`markets.note_retention_years`): erasure sets `session_notes.restricted_until` (migration 0034),
 * from then on no read sees the note or its amendments (`loadNote` and the export skip it), and the durable job
 * below deletes both once that instant has passed. Drafts are deleted by erasure at once.
 */

export const PURGE_RESTRICTED_NOTES_JOB = 'records.restricted_notes_purge';

/** A therapist whose market is unknown (none in practice: a booked therapist has a profile in a market). */
const FALLBACK_RULE: NoteRetentionRule = { market: '', marketName: 'your market', timeZone: 'UTC', years: 7 };

interface RestrictionGroup extends KeptRestricted {
  therapistIds: string[];
  untilMs: number;
}

/** The client's signed notes that erasure at `now` would restrict, grouped by the day their market lets them go. */
async function restrictionGroups(db: Db, clientId: string, now: number): Promise<RestrictionGroup[]> {
  const notes = await db
    .selectFrom('session_notes')
    .select(['therapist_id', (eb) => eb.fn.countAll<string>().as('count')])
    .where('client_id', '=', clientId)
    .where('status', '=', 'signed')
    .where('restricted_until', 'is', null)
    .groupBy('therapist_id')
    .execute();
  const rules = await noteRetentionRulesOf(
    db,
    notes.map((n) => n.therapist_id),
  );
  const groups = new Map<string, RestrictionGroup & { rule: NoteRetentionRule }>();
  for (const { therapist_id, count } of notes) {
    const rule = rules.get(therapist_id) ?? FALLBACK_RULE;
    const end = retentionEnd(now, rule.timeZone, rule.years);
    const key = `${rule.market}:${end.untilMs}`;
    const group = groups.get(key) ?? {
      rule,
      therapistIds: [],
      count: 0,
      untilMs: end.untilMs,
      until: new Date(end.untilMs).toISOString(),
      lastDay: end.lastDay,
      sentence: '',
    };
    group.therapistIds.push(therapist_id);
    group.count += Number(count);
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => a.untilMs - b.untilMs)
    .map(({ rule, ...group }) => ({
      ...group,
      sentence: keptNotesSentence({
        count: group.count,
        years: rule.years,
        marketName: rule.marketName,
        lastDay: group.lastDay,
      }),
    }));
}

/** What erasure at `now` would keep restricted: counts and dates only, no note's content. */
export async function keptRestrictedNotes(db: Db, clientId: string, now: number): Promise<KeptRestricted[]> {
  return (await restrictionGroups(db, clientId, now)).map(({ count, until, lastDay, sentence }) => ({
    count,
    until,
    lastDay,
    sentence,
  }));
}

/**
 * In the erasure's transaction (which has declared itself, so the trigger lets a signed note take its
 * restricted_until and nothing else): restricts the client's signed notes not restricted yet, and schedules their
 * purge. A note restricted by an earlier erasure keeps its date. Returns how many were restricted.
 */
export async function restrictSignedNotes(trx: Transaction<DB>, clientId: string, now: number): Promise<number> {
  let restricted = 0;
  for (const group of await restrictionGroups(trx, clientId, now)) {
    const result = await trx
      .updateTable('session_notes')
      .set({ restricted_until: new Date(group.untilMs) })
      .where('client_id', '=', clientId)
      .where('status', '=', 'signed')
      .where('restricted_until', 'is', null)
      .where('therapist_id', 'in', group.therapistIds)
      .executeTakeFirst();
    restricted += Number(result.numUpdatedRows);
    await scheduleJob(
      trx,
      {
        kind: PURGE_RESTRICTED_NOTES_JOB,
        payload: { clientId },
        runAt: group.untilMs,
        dedupeKey: `${PURGE_RESTRICTED_NOTES_JOB}:${clientId}:${group.until}`,
      },
      now,
    );
  }
  return restricted;
}

/**
 * Deletes the client's restricted notes whose time has come, with their amendments, and audits it. Idempotent: it
 * deletes only notes restricted until `now` or before, so a second run (or one for a date not yet reached) deletes
 * nothing and writes no audit row.
 */
export async function purgeRestrictedNotes(
  trx: Transaction<DB>,
  clientId: string,
  now: number,
): Promise<{ notes: number; amendments: number }> {
  const due = trx
    .selectFrom('session_notes')
    .select('id')
    .where('client_id', '=', clientId)
    .where('restricted_until', '<=', new Date(now));
  await declareHealthDataErasure(trx);
  const amendments = await trx.deleteFrom('session_note_amendments').where('note_id', 'in', due).executeTakeFirst();
  const notes = await trx
    .deleteFrom('session_notes')
    .where('client_id', '=', clientId)
    .where('restricted_until', '<=', new Date(now))
    .executeTakeFirst();
  const purged = { notes: Number(notes.numDeletedRows), amendments: Number(amendments.numDeletedRows) };
  if (purged.notes > 0)
    await writeAudit(
      trx,
      {
        actor: null,
        action: 'health.restricted_notes_purged',
        subjectType: 'health_data',
        subjectId: clientId,
        subjectUserId: clientId,
        detail: purged,
      },
      now,
    );
  return purged;
}

/** The client's restricted notes (booking and purge instant), oldest first: for the legal-hold read only. */
export function restrictedNotesOf(db: Db, clientId: string) {
  return db
    .selectFrom('session_notes')
    .select(['booking_id', 'restricted_until'])
    .where('client_id', '=', clientId)
    .where('restricted_until', 'is not', null)
    .orderBy('created_at')
    .execute();
}

/** Scheduled by erasure for the instant its restricted notes may go (one job per client and date). */
export const restrictedNotesPurgeJob = defineJob({
  kind: PURGE_RESTRICTED_NOTES_JOB,
  payload: z.object({ clientId: z.uuid() }).strict(),
  async run(trx, { clientId }, { now }) {
    await purgeRestrictedNotes(trx, clientId, now);
  },
});
