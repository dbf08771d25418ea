import type { Kysely } from 'kysely';
import type { SignedInUser } from '../accounts/sessions.js';
import {
  captureAtCheckOut,
  recordSessionAuthorization,
  sessionQuote,
  authorizeSession,
} from '../booking/booking-payments.js';
import { lastMovedInto, loadBusy } from '../booking/booking-reads.js';
import { cancelBooking, confirmHold } from '../booking/booking-service.js';
import { placeBooking } from '../booking/place-booking.js';
import { ProblemError } from '../domain/problems.js';
import { JobRunner } from '../jobs/job-runner.js';
import type { PaymentProvider } from '../money/engine/payment-provider.js';
import { recordPayout, owedTo } from '../money/earnings-store.js';
import { type GiftCardMailer, buyGiftCard } from '../money/gift-cards.js';
import { createPlan, joinPlan, listPlans, membershipsOf } from '../money/memberships.js';
import { buyPackage, createOffer, creditsOf, listOffers } from '../money/packages.js';
import { paymentJobs } from '../money/payment-jobs.js';
import { type PaymentMethodRow, defaultPaymentMethod, refundPayment } from '../money/payment-service.js';
import { sessionPaymentOf } from '../money/session-payments.js';
import { giveTip, tipChargeJob } from '../money/tip-service.js';
import { giftCardMailer } from '../notify/money-notices.js';
import { availableSlots } from '../scheduling/engine/slots.js';
import { screeningGate } from '../screening/booking-screening-ports.js';
import { calendarOf, loadOverrides, slotRules } from '../therapists/therapist-calendar.js';
import { lockTherapist, marketTimeZone } from '../therapists/therapists-reads.js';
import type { DB } from '../schema.js';
import { demoTherapistPlace } from './demo-records.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEP_MIN = 30;

/** The names the demo's money is found by again, so a second run adds nothing. */
export const DEMO_MONEY = {
  packageName: 'Three deep-tissue hours',
  planName: 'Monthly deep tissue',
  payoutReference: 'DEMO-TRANSFER-0001',
  refundReason: 'Session started 15 minutes late',
  cancellationReason: 'Stuck at work',
  giftCardAmountMinor: 20_000,
} as const;

interface Party {
  user: SignedInUser;
  card: PaymentMethodRow | null;
}
type Paying = { user: SignedInUser; card: PaymentMethodRow };

/**
 * The demo's money beyond the authorised upcoming sessions, through the same services a request would call, at the
 * times it would have happened (money/, the booking's confirm, cancel and check-out capture, the test processor):
 *
 * - the demo client's past sessions with the demo therapist, authorised when booked and captured at check-out, each
 *   with its receipt; a tip on the latest; a partial refund of the first (it started late);
 * - a late cancellation by the demo client, its fee captured from the session's authorisation;
 * - a package of the demo therapist bought by the demo client, one credit paying an upcoming session;
 * - Morgan Lee (client2@) a member of the demo therapist's monthly plan;
 * - a gift card the demo client bought for Morgan Lee, who paid a session with part of it;
 * - a payout recorded by the operator to the demo therapist.
 *
 * Every step looks for what it writes first and is skipped when it is there.
 */
export async function seedDemoMoney(db: Kysely<DB>, provider: PaymentProvider, now: number): Promise<void> {
  const users = await db
    .selectFrom('users')
    .select(['id', 'email', 'role', 'display_name'])
    .where('email', 'in', [
      'client@knotwork.test',
      'client2@knotwork.test',
      'therapist@knotwork.test',
      'therapist2@knotwork.test',
      'operator@knotwork.test',
    ])
    .execute();
  const byEmail = new Map(
    users.map((u) => [u.email, { id: u.id, email: u.email, role: u.role, displayName: u.display_name }]),
  );
  const party = async (email: string): Promise<Party | null> => {
    const user = byEmail.get(email);
    return user ? { user, card: await defaultPaymentMethod(db, user.id) } : null;
  };
  const client = await party('client@knotwork.test');
  const morgan = await party('client2@knotwork.test');
  const therapist = byEmail.get('therapist@knotwork.test');
  const therapist2 = byEmail.get('therapist2@knotwork.test');
  const operator = byEmail.get('operator@knotwork.test');
  if (!client?.card || !morgan?.card || !therapist || !therapist2 || !operator) return;
  const payer: Paying = { user: client.user, card: client.card };
  const recipient: Paying = { user: morgan.user, card: morgan.card };
  const runner = new JobRunner(db, [...paymentJobs(db, provider), tipChargeJob(db, provider)]);

  const captured = await capturePastSessions(db, provider, runner, client.user.id, client.card);
  const latest = captured.at(-1);
  if (latest) await tipOnce(db, runner, latest, client.card);
  const first = captured[0];
  if (first) await refundOnce(db, provider, first, operator.id);
  await lateCancellation(db, provider, runner, payer, therapist.id, now);
  await packageWithCredit(db, provider, payer, therapist.id, now);
  await membership(db, provider, recipient, therapist.id, now);
  await giftCard(db, provider, payer, recipient, therapist2.id, now);
  await payout(db, therapist.id, operator.id, now);
}

interface CapturedSession {
  bookingId: string;
  clientId: string;
  therapistId: string;
  market: string;
  currency: string;
  priceMinor: number;
  completedAt: number;
  paymentId: string;
}

/**
 * The client's completed sessions, each paid as a real one is: the total authorised on the card when it was booked
 * (recorded as the confirm records it), captured by money's capture job scheduled at check-out. Sessions paid
 * already are left as they are. Returns every completed session with its payment, oldest first.
 */
async function capturePastSessions(
  db: Kysely<DB>,
  provider: PaymentProvider,
  runner: JobRunner,
  clientId: string,
  card: PaymentMethodRow,
): Promise<CapturedSession[]> {
  const sessions = await db
    .selectFrom('bookings')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('status', '=', 'completed')
    .orderBy('starts_at')
    .execute();
  const captured: CapturedSession[] = [];
  for (const booking of sessions) {
    const completedAt = (await lastMovedInto(db, booking.id, 'completed'))?.getTime();
    if (completedAt === undefined) continue;
    if (!(await sessionPaymentOf(db, booking.id))) {
      const bookedAt = (booking.confirmed_at ?? booking.created_at).getTime();
      const quote = await sessionQuote(db, booking, bookedAt);
      const authorization = await authorizeSession(db, provider, booking, card.id, quote);
      if (!authorization?.ok) continue;
      await db.transaction().execute(async (trx) => {
        await recordSessionAuthorization(trx, provider, booking, authorization, bookedAt);
        await captureAtCheckOut(trx, booking, completedAt);
      });
      await runner.runDueJobs(completedAt);
    }
    const payment = await sessionPaymentOf(db, booking.id);
    if (payment?.status !== 'captured') continue;
    captured.push({
      bookingId: booking.id,
      clientId: booking.client_id,
      therapistId: booking.therapist_id,
      market: booking.market,
      currency: booking.currency,
      priceMinor: booking.price_cents,
      completedAt,
      paymentId: payment.id,
    });
  }
  return captured;
}

/** A 20 % tip for the session, given an hour after it and charged when it can no longer change. */
async function tipOnce(db: Kysely<DB>, runner: JobRunner, session: CapturedSession, card: PaymentMethodRow) {
  const given = await db.selectFrom('tips').select('id').where('booking_id', '=', session.bookingId).executeTakeFirst();
  if (given) return;
  const at = session.completedAt + HOUR;
  const view = await db.transaction().execute((trx) =>
    giveTip(
      trx,
      {
        bookingId: session.bookingId,
        clientId: session.clientId,
        therapistId: session.therapistId,
        market: session.market,
        currency: session.currency,
        priceMinor: session.priceMinor,
        status: 'completed',
        completedAt: session.completedAt,
      },
      { choice: { percent: 20 }, paymentMethodId: card.id },
      at,
    ),
  );
  if (view.tip) await runner.runDueJobs(Date.parse(view.tip.editableUntil));
}

/** A quarter of the first session given back by the operator the day after: it started late. */
async function refundOnce(db: Kysely<DB>, provider: PaymentProvider, session: CapturedSession, operatorId: string) {
  const payment = await db
    .selectFrom('payments')
    .select(['amount_captured_minor', 'amount_refunded_minor'])
    .where('id', '=', session.paymentId)
    .executeTakeFirstOrThrow();
  const refunds = await db
    .selectFrom('payment_refunds')
    .select('id')
    .where('payment_id', '=', session.paymentId)
    .executeTakeFirst();
  if (refunds || payment.amount_refunded_minor > 0) return;
  await refundPayment(
    db,
    provider,
    {
      paymentId: session.paymentId,
      amountMinor: Math.round(payment.amount_captured_minor / 4),
      reason: DEMO_MONEY.refundReason,
      requestedBy: operatorId,
    },
    session.completedAt + DAY,
  );
}

/**
 * Places a hold with `therapistId` in the first free slot of [from, to) as seen at `bookedAt`, and confirms it as
 * the client's confirm does (screened, authorised on their card unless prepaid money pays it all). Null when no slot
 * takes it.
 */
async function bookAndConfirm(
  db: Kysely<DB>,
  provider: PaymentProvider,
  client: Paying,
  therapistId: string,
  window: { from: number; to: number; bookedAt: number },
  prepaid: { usePackageCredit?: boolean; giftCardCode?: string } = {},
): Promise<string | null> {
  const { bookedAt } = window;
  const { therapist, place } = await demoTherapistPlace(db, therapistId);
  const overrides = (await loadOverrides(db, [therapistId], window.from, window.to)).get(therapistId) ?? [];
  const busy = (await loadBusy(db, [therapistId], window.from, window.to, bookedAt)).get(therapistId) ?? [];
  const slots = availableSlots({
    ...slotRules(calendarOf(therapist, overrides), place, 60, STEP_MIN, bookedAt),
    from: window.from,
    to: window.to,
    busy,
  });
  for (const startsAt of slots.slice(0, 12)) {
    let id: string;
    try {
      id = await db
        .transaction()
        .execute((trx) =>
          placeBooking(
            trx,
            { therapistId, clientId: client.user.id, durationMin: 60, startsAt, place: place.requested },
            'held',
            { now: bookedAt, holdMinutes: 10, graceMinutes: 10, stepMin: STEP_MIN },
          ),
        );
    } catch (error) {
      // The client is busy then (client overlap constraint): the next slot.
      if ((error as { code?: string }).code === '23P01' || error instanceof ProblemError) continue;
      throw error;
    }
    await confirmHold(db, client.user, id, bookedAt + MINUTE, screeningGate, {
      provider,
      paymentMethodId: client.card.id,
      prepaid,
      log: () => {},
    });
    return id;
  }
  return null;
}

/** A session booked five days ahead and cancelled by the client three hours before it: the late fee is captured. */
async function lateCancellation(
  db: Kysely<DB>,
  provider: PaymentProvider,
  runner: JobRunner,
  client: Paying,
  therapistId: string,
  now: number,
) {
  const done = await db
    .selectFrom('bookings')
    .select('id')
    .where('client_id', '=', client.user.id)
    .where('status', '=', 'cancelled')
    .where('cancellation_reason', '=', DEMO_MONEY.cancellationReason)
    .executeTakeFirst();
  if (done) return;
  const from = now - 12 * DAY;
  const id = await bookAndConfirm(db, provider, client, therapistId, {
    from,
    to: from + 4 * DAY,
    bookedAt: from - 5 * DAY,
  });
  if (!id) return;
  const { starts_at } = await db
    .selectFrom('bookings')
    .select('starts_at')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const at = starts_at.getTime() - 3 * HOUR;
  await cancelBooking(db, client.user, id, DEMO_MONEY.cancellationReason, at);
  await runner.runDueJobs(at);
}

/** The demo therapist's package, bought by the demo client a few days ago; one of its credits pays a session to come. */
async function packageWithCredit(
  db: Kysely<DB>,
  provider: PaymentProvider,
  client: Paying,
  therapistId: string,
  now: number,
) {
  const boughtAt = now - 3 * DAY;
  const price = await db
    .selectFrom('therapist_services')
    .select(['price_cents', 'currency'])
    .where('therapist_id', '=', therapistId)
    .where('duration_min', '=', 60)
    .executeTakeFirstOrThrow();
  const market = await therapistMarket(db, therapistId);
  const offer =
    (await listOffers(db, { therapistId })).find((o) => o.name === DEMO_MONEY.packageName) ??
    (await createOffer(
      db,
      {
        market,
        therapistId,
        name: DEMO_MONEY.packageName,
        durationMin: 60,
        sessions: 3,
        priceMinor: Math.round((price.price_cents * 3 * 0.9) / 100) * 100,
        currency: price.currency,
        validDays: 180,
      },
      therapistId,
      boughtAt - DAY,
    ));
  const held = (await creditsOf(db, client.user.id, now)).find((c) => c.label === DEMO_MONEY.packageName);
  if (!held) {
    await buyPackage(
      db,
      provider,
      { clientId: client.user.id, offerId: offer.id, paymentMethodId: client.card.id, idempotencyKey: 'demo-package' },
      boughtAt,
      marketTimeZone,
    );
  }
  if (held && held.creditsUsed > 0) return;
  await bookAndConfirm(db, provider, client, therapistId, {
    from: now + 7 * DAY,
    to: now + 14 * DAY,
    bookedAt: now - 2 * DAY,
  });
}

/** Morgan Lee joins the demo therapist's monthly plan a week ago: a month's credit and the member price. */
async function membership(db: Kysely<DB>, provider: PaymentProvider, member: Paying, therapistId: string, now: number) {
  const joinedAt = now - 7 * DAY;
  const price = await db
    .selectFrom('therapist_services')
    .select(['price_cents', 'currency'])
    .where('therapist_id', '=', therapistId)
    .where('duration_min', '=', 60)
    .executeTakeFirstOrThrow();
  const plan =
    (await listPlans(db, { therapistId })).find((p) => p.name === DEMO_MONEY.planName) ??
    (await createPlan(
      db,
      {
        market: await therapistMarket(db, therapistId),
        therapistId,
        name: DEMO_MONEY.planName,
        priceMinor: price.price_cents,
        currency: price.currency,
        creditsPerMonth: 1,
        durationMin: 60,
        memberDiscountBp: 1_000,
      },
      therapistId,
      joinedAt - DAY,
    ));
  if ((await membershipsOf(db, member.user.id)).some((m) => m.planId === plan.id)) return;
  await joinPlan(
    db,
    provider,
    { clientId: member.user.id, planId: plan.id, paymentMethodId: member.card.id, idempotencyKey: 'demo-membership' },
    joinedAt,
    marketTimeZone,
  );
}

/**
 * A gift card the demo client buys for Morgan Lee ten days ago (its code e-mailed to Morgan, as the real purchase
 * does); Morgan pays a session to come with part of it (a session costs less than the card), the rest stays on it.
 */
async function giftCard(
  db: Kysely<DB>,
  provider: PaymentProvider,
  buyer: Paying,
  recipient: Paying,
  therapistId: string,
  now: number,
) {
  const bought = await db
    .selectFrom('gift_cards')
    .select('id')
    .where('buyer_id', '=', buyer.user.id)
    .where('recipient_email', '=', recipient.user.email)
    .executeTakeFirst();
  if (bought) return;
  const boughtAt = now - 10 * DAY;
  let code = '';
  const keepCode: GiftCardMailer = {
    async send(trx, mail, at) {
      code = mail.code;
      await giftCardMailer.send(trx, mail, at);
    },
  };
  await buyGiftCard(
    db,
    provider,
    keepCode,
    {
      buyerId: buyer.user.id,
      market: await therapistMarket(db, therapistId),
      currency: 'USD',
      amountMinor: DEMO_MONEY.giftCardAmountMinor,
      recipientEmail: recipient.user.email,
      recipientName: recipient.user.displayName,
      message: 'Happy birthday! Enjoy a deep-tissue hour on me.',
      paymentMethodId: buyer.card.id,
      idempotencyKey: 'demo-gift-card',
    },
    boughtAt,
    marketTimeZone,
  );
  if (!code) return;
  await bookAndConfirm(
    db,
    provider,
    recipient,
    therapistId,
    { from: now + 7 * DAY, to: now + 14 * DAY, bookedAt: now - 2 * DAY },
    { usePackageCredit: false, giftCardCode: code },
  );
}

/** The operator pays the demo therapist what was owed two days ago, by a recorded bank transfer. */
async function payout(db: Kysely<DB>, therapistId: string, operatorId: string, now: number) {
  const market = await therapistMarket(db, therapistId);
  const done = await db
    .selectFrom('payouts')
    .select('id')
    .where('therapist_id', '=', therapistId)
    .where('reference', '=', DEMO_MONEY.payoutReference)
    .executeTakeFirst();
  if (done) return;
  await db.transaction().execute(async (trx) => {
    await lockTherapist(trx, therapistId);
    const owed = await owedTo(trx, therapistId, market, 'USD', now - 2 * DAY);
    // Whole dollars of what the completed sessions earned, leaving the tips for another transfer.
    const amountMinor = Math.floor(owed.therapist_payable / 100) * 100;
    if (amountMinor <= 0) return;
    await recordPayout(
      trx,
      {
        therapistId,
        market,
        amountMinor,
        from: 'therapist_payable',
        reference: DEMO_MONEY.payoutReference,
        recordedBy: operatorId,
      },
      now - HOUR,
    );
  });
}

async function therapistMarket(db: Kysely<DB>, therapistId: string): Promise<string> {
  const row = await db
    .selectFrom('therapists')
    .select('market')
    .where('user_id', '=', therapistId)
    .executeTakeFirstOrThrow();
  return row.market;
}
