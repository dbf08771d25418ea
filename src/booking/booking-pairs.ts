import type { Kysely, Transaction } from 'kysely';
import { findOrCreateInvitedClient } from '../accounts/guest-accounts.js';
import type { SignedInUser } from '../accounts/sessions.js';
import { type SignInLinkMailer, sendSignInLink } from '../accounts/sign-in-links.js';
import { displayNamesOf } from '../accounts/accounts-reads.js';
import type { RegionRef } from '../domain/body-regions.js';
import { type FieldError, ProblemError, fieldProblem } from '../domain/problems.js';
import type { DB } from '../schema.js';
import { type ScreeningGate, endWithCharge, holdBooking, lockedBooking } from './booking-service.js';
import { nextStatus } from './engine/booking-states.js';
import type { PlacementSettings } from './place-booking.js';

type Trx = Transaction<DB>;

/**
 * Booking for two (issue 17): a couples session at one home address is two ordinary bookings, the booker's and their
 * guest's, each with its own therapist and its own client, at the same start and length, linked by a booking_pairs
 * row. Both are held in ONE transaction, each through the path a single hold takes (its own client's screening,
 * kept-apart pairs, the offer rules, the overlap constraint), or neither is: the answer names whose part failed.
 * After that each part is an ordinary booking its own client confirms and pays for.
 */

/** A pair's parts are held this long: the guest needs time to open their invitation and confirm their part. */
export const PAIR_HOLD_MINUTES = 120;

export type PairPart = 'first' | 'second';

export interface PairRequest {
  durationMin: number;
  startsAt: number;
  place: { mode: 'home'; address: string; lat: number; lng: number };
  /** The booker's own session. */
  first: { therapistId: string; focusRegions?: RegionRef[] };
  /** The guest's session: the guest is invited by e-mail and screened against their own consultation. */
  second: { therapistId: string; guest: { email: string; name: string } };
}

export interface HeldPair {
  pairId: string;
  firstBookingId: string;
  secondBookingId: string;
  guestId: string;
}

export interface PairInvitation {
  mailer: SignInLinkMailer;
  /** Where the sign-in link points (the web app's address). */
  linkBase: string;
}

/** Thrown inside the transaction to roll it back, carrying what failed out to be answered after it. */
class PartFailed extends Error {
  constructor(
    readonly part: PairPart,
    readonly error: unknown,
  ) {
    super(`part ${part} failed`);
  }
}

/** Refusals for safety: they carry the person's health reasons, which the other person must never read. */
const SAFETY_CODES = new Set(['screening_not_today', 'focus_regions_excluded']);

/** A field of the part's own request keeps its part's prefix; the place and start are shared by both. */
function sharedField(field: string, part: PairPart): string {
  const own = `${part}.`;
  if (!field.startsWith(own)) return field;
  const rest = field.slice(own.length);
  return rest === 'start' || rest.startsWith('place.') ? rest : field;
}

/** The problem the booker is answered with when one part cannot be held; nothing of the pair was written. */
function partProblem(part: PairPart, error: unknown, guestName: string): unknown {
  const who = part === 'first' ? 'Your session' : `${guestName}'s session`;
  const extra = { part };
  if ((error as { code?: string }).code === '23P01')
    return new ProblemError('slot_unavailable', `${who}: the therapist is no longer free at that time`, { extra });
  if (!(error instanceof ProblemError)) return error;
  if (part === 'second' && error.code === 'intake_required') {
    return new ProblemError(
      'guest_consultation_required',
      `${guestName} has not filled in their consultation yet. We have e-mailed them a link to sign in and fill it in; book the session for two again once they have. Nothing was held.`,
      { extra },
    );
  }
  if (part === 'second' && SAFETY_CODES.has(error.code)) {
    // The guest's health reasons stay theirs: the booker learns only that the guest's session cannot go ahead.
    return new ProblemError(
      'guest_screening_refused',
      `${guestName}'s consultation does not allow a deep tissue session then, so the session for two was not held. ${guestName} sees why when they book for themselves.`,
      { extra },
    );
  }
  const errors: FieldError[] = error.errors.map((e) => ({ ...e, field: sharedField(e.field, part) }));
  return new ProblemError(error.code, `${who}: ${error.message}`, { errors, extra: { ...error.extra, ...extra } });
}

/**
 * Holds the booker's session and their guest's at the same home address and time, with two different therapists,
 * in one transaction: both or neither. The guest's account is found (or made) by e-mail first, and the guest is sent
 * a sign-in link: to fill in their consultation when they have none (then nothing is held:
 * guest_consultation_required), else to confirm their part.
 */
export async function holdPair(
  db: Kysely<DB>,
  booker: SignedInUser,
  request: PairRequest,
  settings: PlacementSettings,
  gate: ScreeningGate,
  invitation: PairInvitation,
): Promise<HeldPair> {
  if (request.first.therapistId === request.second.therapistId)
    throw fieldProblem('second.therapistId', 'same_therapist', 'Each person has their own therapist: pick another');
  if (request.second.guest.email.toLowerCase() === booker.email.toLowerCase())
    throw fieldProblem('second.guest.email', 'is_you', 'Enter the e-mail of the person you are booking for');
  const guestEmail = request.second.guest.email.toLowerCase();
  const guestName = request.second.guest.name;
  const guestAccount = (via: Kysely<DB>) =>
    findOrCreateInvitedClient(via, guestEmail, guestName, 'second.guest.email', { user: booker, now: settings.now });
  const invite = (intro: string) =>
    sendSignInLink(db, invitation.mailer, guestEmail, invitation.linkBase, settings.now, intro);

  const pairSettings: PlacementSettings = { ...settings, holdMinutes: PAIR_HOLD_MINUTES };
  let held: HeldPair;
  try {
    held = await db.transaction().execute(async (trx) => {
      // The guest's account is found or made in the pair's transaction: a pair that is not held writes nothing.
      const account = await guestAccount(trx);
      const guest: SignedInUser = {
        id: account.id,
        email: guestEmail,
        role: 'client',
        displayName: account.displayName,
      };
      const parts = [
        { part: 'first' as const, client: booker, therapistId: request.first.therapistId },
        { part: 'second' as const, client: guest, therapistId: request.second.therapistId },
      ];
      const pair = await trx
        .insertInto('booking_pairs')
        .values({ booker_id: booker.id, guest_id: guest.id, created_at: new Date(settings.now) })
        .returning('id')
        .executeTakeFirstOrThrow();
      const ids = new Map<PairPart, string>();
      // Every transaction takes the therapists' calendar locks in the same order, so two pairs racing for the same
      // two therapists queue instead of deadlocking.
      for (const { part, client, therapistId } of [...parts].sort((a, b) =>
        a.therapistId.localeCompare(b.therapistId),
      )) {
        try {
          const focus = part === 'first' ? request.first.focusRegions : undefined;
          const id = await holdBooking(
            trx,
            client,
            {
              therapistId,
              durationMin: request.durationMin,
              startsAt: request.startsAt,
              place: request.place,
              ...(focus ? { focusRegions: focus } : {}),
            },
            { ...pairSettings, fieldPrefix: `${part}.` },
            gate,
            undefined,
            pair.id,
          );
          ids.set(part, id);
        } catch (error) {
          throw new PartFailed(part, error);
        }
      }
      return {
        pairId: pair.id,
        firstBookingId: ids.get('first')!,
        secondBookingId: ids.get('second')!,
        guestId: guest.id,
      };
    });
  } catch (error) {
    if (!(error instanceof PartFailed)) throw error;
    const problem = partProblem(error.part, error.error, guestName);
    if (problem instanceof ProblemError && problem.code === 'guest_consultation_required') {
      // Only now is the guest's account kept (made if new), to receive the link to their consultation.
      await guestAccount(db);
      await invite(
        `${booker.displayName} would like to book a deep tissue massage for two with you. Sign in and fill in your consultation (your answers are seen only by you and your own therapist); then ${booker.displayName} can book the session.`,
      );
    }
    throw problem;
  }
  await invite(
    `${booker.displayName} has booked a deep tissue massage for two with you. Sign in to confirm your part of it within ${PAIR_HOLD_MINUTES / 60} hours (under My bookings); each of you confirms and pays for your own session.`,
  );
  return held;
}

/** The pair and its parts, for one of its two people (or an operator); 404 for anybody else. */
export async function loadPair(db: Kysely<DB> | Trx, pairId: string, viewer: SignedInUser) {
  const pair = await db.selectFrom('booking_pairs').selectAll().where('id', '=', pairId).executeTakeFirst();
  if (!pair || (viewer.role !== 'operator' && viewer.id !== pair.booker_id && viewer.id !== pair.guest_id))
    throw new ProblemError('not_found', 'No such booking for two');
  const parts = await db
    .selectFrom('bookings')
    .select(['id', 'client_id', 'therapist_id', 'status', 'starts_at', 'duration_min', 'address', 'time_zone'])
    .where('pair_id', '=', pairId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const names = new Map(
    (await displayNamesOf(db, [pair.booker_id, pair.guest_id, ...parts.map((p) => p.therapist_id)])).map((n) => [
      n.id,
      n.displayName,
    ]),
  );
  return { pair, parts, names };
}

/**
 * Cancels the pair: every part that is still held, awaiting clearance or confirmed, in one transaction. Each part is
 * ended as if its own client cancelled it, under the terms that client accepted (late, each part's fee is charged to
 * the card that paid for it). Either of the two people may cancel the pair.
 */
export async function cancelPair(
  db: Kysely<DB>,
  user: SignedInUser,
  pairId: string,
  reason: string | null,
  now: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { parts } = await loadPair(trx, pairId, user);
    const live = parts
      .filter((part) => nextStatus(part.status, 'cancel') !== undefined)
      .sort((a, b) => a.therapist_id.localeCompare(b.therapist_id));
    if (live.length === 0)
      throw new ProblemError('invalid_transition', 'Neither session of this booking for two can be cancelled now');
    for (const part of live) {
      const booking = await lockedBooking(trx, part.id);
      if (nextStatus(booking.status, 'cancel') === undefined) continue;
      const by = user.role === 'operator' ? 'operator' : 'client';
      await endWithCharge(
        trx,
        booking,
        'cancel',
        user,
        now,
        by,
        { cancelled_at: new Date(now), cancelled_by: user.id, cancellation_reason: reason },
        (charge) => ({ by, charge: charge.reason, pairId }),
      );
    }
  });
}
