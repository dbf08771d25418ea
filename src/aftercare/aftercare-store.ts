import type { Kysely, Transaction } from 'kysely';
import { generateAftercare } from '../care/engine/aftercare-generator.js';
import type { AftercarePlan } from '../care/engine/aftercare-plan.js';
import { aftercareHtml, aftercareText } from '../care/engine/aftercare-render.js';
import type { ClientCondition } from '../care/engine/client-conditions.js';
import type { OmittedExercise } from '../care/engine/home-programme.js';
import { clientConditionsFromIntake } from '../care/engine/intake-conditions.js';
import type { SessionNote } from '../care/engine/session-note.js';
import type { DB } from '../schema.js';
import { escapeHtml } from '../domain/escape-html.js';
import { loadIntake } from '../intake/intake-store.js';
import { enqueueMessages } from '../notify/outbox.js';
import { latestScreening } from '../screening/booking-screening.js';
import type { AftercareStatus } from './aftercare-tables.js';
import { lastMovedInto, loadBookingFacts } from '../booking/booking-reads.js';
import { userNames } from '../accounts/accounts-reads.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Aftercare as stored: drafted when the note is signed, edited by the therapist, sent once. The sent row is
 * immutable in the database (trigger aftercare_plans_sent_immutable).
 */

export interface StoredAftercare {
  id: string;
  bookingId: string;
  clientId: string;
  therapistId: string;
  plan: AftercarePlan;
  omitted: OmittedExercise[];
  conditions: ClientCondition[];
  /** The body-map refs the session worked, from its signed note (empty for aftercare written before they were kept). */
  regionsWorked: string[];
  status: AftercareStatus;
  edited: boolean;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
  sentBy: { id: string; displayName: string } | null;
}

export async function loadAftercare(
  db: Db,
  bookingId: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredAftercare | undefined> {
  let query = db
    .selectFrom('aftercare_plans as a')
    .leftJoin(userNames(db).as('s'), 's.id', 'a.sent_by')
    .selectAll('a')
    .select('s.display_name as sender_name')
    .where('a.booking_id', '=', bookingId);
  if (options.forUpdate) query = query.forUpdate('a');
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    bookingId: row.booking_id,
    clientId: row.client_id,
    therapistId: row.therapist_id,
    plan: row.content,
    omitted: row.omitted,
    conditions: row.conditions,
    regionsWorked: row.regions_worked,
    status: row.status,
    edited: row.edited,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
    sentBy: row.sent_by ? { id: row.sent_by, displayName: row.sender_name ?? '' } : null,
  };
}

/** When the session ended: check-out if it happened, else the booked end. */
async function sessionEndedAt(trx: Transaction<DB>, booking: { id: string; ends_at: Date }): Promise<number> {
  return ((await lastMovedInto(trx, booking.id, 'completed')) ?? booking.ends_at).getTime();
}

/**
 * Drafts the aftercare for a session whose note has just been signed, from what the note says was done and the
 * client's conditions in the consultation the session was screened on (else their latest). Called in the
 * signing transaction. A booking that already has aftercare keeps it.
 */
export async function draftAftercareForSignedNote(
  trx: Transaction<DB>,
  bookingId: string,
  note: SessionNote,
  now: number,
): Promise<void> {
  const draft = await generateFor(trx, bookingId, note);
  await trx
    .insertInto('aftercare_plans')
    .values({
      booking_id: draft.booking.id,
      client_id: draft.booking.client_id,
      therapist_id: draft.booking.therapist_id,
      content: JSON.stringify(draft.plan),
      omitted: JSON.stringify(draft.omitted),
      conditions: JSON.stringify(draft.conditions),
      regions_worked: JSON.stringify(note.regionsWorked.map((r) => r.region)),
      created_at: new Date(now),
      updated_at: new Date(now),
    })
    .onConflict((oc) => oc.column('booking_id').doNothing())
    .execute();
}

/**
 * After an amendment the aftercare follows the amended note, as long as it is a draft the therapist has not edited
 * (their edits, and anything sent, are never overwritten).
 */
export async function redraftAftercareForAmendedNote(
  trx: Transaction<DB>,
  bookingId: string,
  note: SessionNote,
  now: number,
): Promise<void> {
  const draft = await generateFor(trx, bookingId, note);
  await trx
    .updateTable('aftercare_plans')
    .set({
      content: JSON.stringify(draft.plan),
      omitted: JSON.stringify(draft.omitted),
      conditions: JSON.stringify(draft.conditions),
      regions_worked: JSON.stringify(note.regionsWorked.map((r) => r.region)),
      updated_at: new Date(now),
    })
    .where('booking_id', '=', bookingId)
    .where('status', '=', 'draft')
    .where('edited', '=', false)
    .execute();
}

async function generateFor(trx: Transaction<DB>, bookingId: string, note: SessionNote) {
  const booking = await loadBookingFacts(trx, bookingId);
  if (!booking) throw new Error(`No booking ${bookingId}`);
  const screening = await latestScreening(trx, bookingId);
  const intake =
    (screening ? await loadIntake(trx, booking.client_id, screening.intakeVersion) : undefined) ??
    (await loadIntake(trx, booking.client_id));
  const conditions = intake
    ? clientConditionsFromIntake(intake.intake, { at: booking.starts_at.getTime(), zone: booking.time_zone })
    : [];
  const draft = generateAftercare({
    note: { regionsWorked: note.regionsWorked, sessionEndedAt: await sessionEndedAt(trx, booking) },
    conditions,
    // The session's own zone: the client is there, or was, at the session.
    zone: booking.time_zone,
  });
  return { booking, conditions, ...draft };
}

export async function saveAftercareDraft(
  trx: Transaction<DB>,
  id: string,
  plan: AftercarePlan,
  now: number,
): Promise<void> {
  await trx
    .updateTable('aftercare_plans')
    .set({ content: JSON.stringify(plan), edited: true, updated_at: new Date(now) })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute();
}

/** Freezes the aftercare and sends it to the client (e-mail with text and HTML, and the in-app inbox), in one transaction. */
export async function sendAftercare(
  trx: Transaction<DB>,
  stored: StoredAftercare,
  sender: { id: string; displayName: string },
  link: string,
  now: number,
  /** The guides for the regions worked, as links. */
  guides: readonly { label: string; href: string }[] = [],
): Promise<void> {
  await trx
    .updateTable('aftercare_plans')
    .set({ status: 'sent', sent_at: new Date(now), sent_by: sender.id, updated_at: new Date(now) })
    .where('id', '=', stored.id)
    .where('status', '=', 'draft')
    .execute();
  const intro = `${sender.displayName} wrote this aftercare for the session you just had, with a short home programme. You can read it again any time in Knotwork: ${link}`;
  const checkInNote = 'We will check in with you over the next two days to ask how you feel.';
  const readMore = guides.length > 0 ? 'To read more about what was worked on:' : '';
  const guidesText =
    guides.length > 0 ? `\n\n${readMore}\n${guides.map((g) => `${g.label}: ${g.href}`).join('\n')}` : '';
  const guidesHtml =
    guides.length > 0
      ? `\n<p>${escapeHtml(readMore)}</p><ul>${guides.map((g) => `<li><a href="${escapeHtml(g.href)}">${escapeHtml(g.label)}</a></li>`).join('')}</ul>`
      : '';
  await enqueueMessages(
    trx,
    [
      {
        userId: stored.clientId,
        kind: 'aftercare.sent',
        subject: `Your aftercare from ${sender.displayName}`,
        text: `${intro}\n\n${aftercareText(stored.plan)}\n\n${checkInNote}${guidesText}`,
        html: `<p>${escapeHtml(intro)}</p>\n${aftercareHtml(stored.plan)}\n<p>${escapeHtml(checkInNote)}</p>${guidesHtml}`,
        bookingId: stored.bookingId,
        dedupeKey: `aftercare.sent:${stored.bookingId}`,
      },
    ],
    now,
  );
}

/**
 * Erases a client's aftercare (sent ones too), check-ins and care alerts, as part of DELETE /api/me/health-data.
 * The caller's transaction has already declared the erasure (`knotwork.erasing_health_data`), which the sent
 * aftercare's trigger accepts. Jobs still pending for an erased check-in find nothing and do nothing.
 */
export async function eraseAftercare(trx: Transaction<DB>, clientId: string) {
  const alerts = await trx.deleteFrom('care_alerts').where('client_id', '=', clientId).executeTakeFirst();
  const checkIns = await trx.deleteFrom('check_ins').where('client_id', '=', clientId).executeTakeFirst();
  const plans = await trx.deleteFrom('aftercare_plans').where('client_id', '=', clientId).executeTakeFirst();
  return {
    aftercare: Number(plans.numDeletedRows),
    checkIns: Number(checkIns.numDeletedRows),
    careAlerts: Number(alerts.numDeletedRows),
  };
}
