import type { Transaction } from 'kysely';
import { z } from 'zod';
import { type CheckInTiming, planCheckIns } from '../care/engine/check-in-timing.js';
import type { DB } from '../schema.js';
import { defineJob } from '../jobs/job-runner.js';
import { scheduleJob } from '../jobs/job-scheduler.js';
import { enqueueMessages } from '../notify/outbox.js';
import { displayNameOf } from '../accounts/accounts-reads.js';

/**
 * The check-ins' life in durable jobs. At check-out every check-in is written as `scheduled` with three jobs: open
 * (at due_at), remind (at remind_at) and expire (at expires_at). Each job moves the row on with an UPDATE that
 * names the state it expects, and writes its message in the same transaction, so a job that runs again, late or
 * after a restart changes nothing and sends nothing twice (and the messages carry dedupe keys as well).
 */

export const checkInLink = (base: string, checkInId: string) => `${base}/check-ins/${checkInId}`;

export async function scheduleCheckIns(
  trx: Transaction<DB>,
  booking: { id: string; client_id: string; therapist_id: string },
  sessionEndedAt: number,
  timing: CheckInTiming,
  linkBase: string,
  now: number,
): Promise<void> {
  for (const planned of planCheckIns(sessionEndedAt, timing)) {
    const row = await trx
      .insertInto('check_ins')
      .values({
        booking_id: booking.id,
        client_id: booking.client_id,
        therapist_id: booking.therapist_id,
        seq: planned.seq,
        hours_after: planned.hoursAfter,
        session_ended_at: new Date(sessionEndedAt),
        due_at: new Date(planned.dueAt),
        remind_at: new Date(planned.remindAt),
        expires_at: new Date(planned.expiresAt),
        created_at: new Date(now),
      })
      .onConflict((oc) => oc.columns(['booking_id', 'seq']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) continue;
    const payload = { checkInId: row.id, link: checkInLink(linkBase, row.id) };
    await scheduleJob(
      trx,
      { kind: openCheckInJob.kind, payload, runAt: planned.dueAt, dedupeKey: `check_in.open:${row.id}` },
      now,
    );
    await scheduleJob(
      trx,
      { kind: remindCheckInJob.kind, payload, runAt: planned.remindAt, dedupeKey: `check_in.remind:${row.id}` },
      now,
    );
    await scheduleJob(
      trx,
      {
        kind: expireCheckInJob.kind,
        payload: { checkInId: row.id },
        runAt: planned.expiresAt,
        dedupeKey: `check_in.expire:${row.id}`,
      },
      now,
    );
  }
}

const payload = z.object({ checkInId: z.uuid(), link: z.string().min(1).max(2000) }).strict();

async function therapistName(trx: Transaction<DB>, therapistId: string): Promise<string> {
  return displayNameOf(trx, therapistId);
}

/** Marks a check-in past its expiry as expired (a job that comes due late, after a long stop, opens nothing). */
async function expire(trx: Transaction<DB>, checkInId: string, now: number): Promise<void> {
  await trx
    .updateTable('check_ins')
    .set({ status: 'expired', expired_at: new Date(now) })
    .where('id', '=', checkInId)
    .where('status', 'in', ['scheduled', 'open'])
    .execute();
}

export const openCheckInJob = defineJob({
  kind: 'check_in.open',
  payload,
  async run(trx, { checkInId, link }, { now }) {
    const row = await trx
      .selectFrom('check_ins')
      .select(['client_id', 'therapist_id', 'booking_id', 'expires_at', 'seq'])
      .where('id', '=', checkInId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return;
    if (now >= row.expires_at.getTime()) return expire(trx, checkInId, now);
    const opened = await trx
      .updateTable('check_ins')
      .set({ status: 'open', opened_at: new Date(now) })
      .where('id', '=', checkInId)
      .where('status', '=', 'scheduled')
      .executeTakeFirst();
    if (Number(opened.numUpdatedRows) === 0) return;
    const name = await therapistName(trx, row.therapist_id);
    await enqueueMessages(
      trx,
      [
        {
          userId: row.client_id,
          kind: 'check_in.open',
          subject: 'How are you feeling after your session?',
          text: `${name} would like to know how you are after your session. It takes a minute: how sore you are, whether it is easing, and a few questions about warning signs. Answer here: ${link}\n\nIf you have chest pain or sudden breathlessness, or numbness between your legs, do not wait for this: call your local emergency number now.`,
          bookingId: row.booking_id,
          dedupeKey: `check_in.open:${checkInId}`,
        },
      ],
      now,
    );
  },
});

export const remindCheckInJob = defineJob({
  kind: 'check_in.remind',
  payload,
  async run(trx, { checkInId, link }, { now }) {
    const row = await trx
      .selectFrom('check_ins')
      .select(['client_id', 'booking_id', 'expires_at', 'remind_at', 'opened_at'])
      .where('id', '=', checkInId)
      .forUpdate()
      .executeTakeFirst();
    if (!row || now >= row.expires_at.getTime()) return;
    // A check-in that opened late (the service was down at its due time) has only just been sent: no reminder on its heels.
    if (row.opened_at && row.opened_at.getTime() >= row.remind_at.getTime()) return;
    const reminded = await trx
      .updateTable('check_ins')
      .set({ reminded_at: new Date(now) })
      .where('id', '=', checkInId)
      .where('status', '=', 'open')
      .where('reminded_at', 'is', null)
      .executeTakeFirst();
    if (Number(reminded.numUpdatedRows) === 0) return;
    await enqueueMessages(
      trx,
      [
        {
          userId: row.client_id,
          kind: 'check_in.reminder',
          subject: 'Reminder: how are you feeling after your session?',
          text: `You have not told us yet how you are after your session. It takes a minute: ${link}\n\nIf you have chest pain or sudden breathlessness, or numbness between your legs, call your local emergency number now.`,
          bookingId: row.booking_id,
          dedupeKey: `check_in.reminder:${checkInId}`,
        },
      ],
      now,
    );
  },
});

export const expireCheckInJob = defineJob({
  kind: 'check_in.expire',
  payload: z.object({ checkInId: z.uuid() }).strict(),
  async run(trx, { checkInId }, { now }) {
    await expire(trx, checkInId, now);
  },
});

export const CHECK_IN_JOBS = [openCheckInJob, remindCheckInJob, expireCheckInJob];
