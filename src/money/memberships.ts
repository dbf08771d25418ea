import { type Expression, type Kysely, type Transaction, sql } from 'kysely';
import { z } from 'zod';
import { ProblemError } from '../domain/problems.js';
import { type JobHandler, defineJob } from '../jobs/job-runner.js';
import { scheduleJob } from '../jobs/job-scheduler.js';
import type { DB } from '../schema.js';
import { addMonth, afterFailedRenewal, memberPrice, renewalKey } from './engine/memberships.js';
import type { PaymentProvider, ProviderResult } from './engine/payment-provider.js';
import { issueCredits } from './packages.js';
import { postMoneyEvent } from './ledger-store.js';
import { chargeSavedMethod, paymentMethodOf } from './payment-service.js';
import { type MarketZone, issueReceipt } from './receipts.js';

/**
 * Monthly memberships (issue 16, deliverable 5): a plan of a market or a therapist gives credits every month and a
 * member price. Joining charges the first month; renewal is a durable job at the period's end whose `call` phase
 * charges the saved card (one idempotency key per period) and whose `run` extends the period and issues the month's
 * credits. A failed renewal is tried again after 1 and 3 days, then the membership is paused and the client told
 * (through the `MembershipNotices` port: notify, above money, writes the message).
 */

type Db = Kysely<DB> | Transaction<DB>;

export const MEMBERSHIP_RENEWAL_JOB = 'money.membership_renewal';

/** What money asks notify to tell a member, in the transaction of the change (wired in http/ and background-work). */
export interface MembershipNotices {
  paused(
    trx: Transaction<DB>,
    notice: { clientId: string; planName: string; reason: string },
    now: number,
  ): Promise<void>;
}

export interface PlanInput {
  market: string;
  therapistId: string | null;
  name: string;
  priceMinor: number;
  currency: string;
  creditsPerMonth: number;
  durationMin: number;
  memberDiscountBp: number;
}

const planColumns = [
  'id',
  'market',
  'therapist_id',
  'name',
  'price_minor',
  'currency',
  'credits_per_month',
  'duration_min',
  'member_discount_bp',
  'active',
] as const;

type PlanRow = {
  id: string;
  market: string;
  therapist_id: string | null;
  name: string;
  price_minor: number;
  currency: string;
  credits_per_month: number;
  duration_min: number;
  member_discount_bp: number;
  active: boolean;
};

function toPlanView(row: PlanRow) {
  return {
    id: row.id,
    market: row.market,
    therapistId: row.therapist_id,
    name: row.name,
    priceMinor: row.price_minor,
    currency: row.currency,
    creditsPerMonth: row.credits_per_month,
    durationMin: row.duration_min,
    memberDiscountBp: row.member_discount_bp,
    active: row.active,
  };
}
export type PlanView = ReturnType<typeof toPlanView>;

export async function createPlan(db: Db, input: PlanInput, createdBy: string, now: number): Promise<PlanView> {
  const row = await db
    .insertInto('membership_plans')
    .values({
      market: input.market,
      therapist_id: input.therapistId,
      name: input.name,
      price_minor: input.priceMinor,
      currency: input.currency,
      credits_per_month: input.creditsPerMonth,
      duration_min: input.durationMin,
      member_discount_bp: input.memberDiscountBp,
      created_by: createdBy,
      created_at: new Date(now),
    })
    .returning(planColumns)
    .executeTakeFirstOrThrow();
  return toPlanView(row);
}

export async function listPlans(db: Db, filter: { therapistId?: string; market?: string }): Promise<PlanView[]> {
  let query = db.selectFrom('membership_plans').select(planColumns).where('active', '=', true);
  if (filter.therapistId) query = query.where('therapist_id', '=', filter.therapistId);
  if (filter.market) query = query.where('market', '=', filter.market);
  return (await query.orderBy('price_minor').orderBy('id').execute()).map(toPlanView);
}

function toMembershipView(row: {
  id: string;
  plan_id: string;
  status: string;
  current_period_start: Date;
  current_period_end: Date;
  failed_attempts: number;
  cancel_at_period_end: boolean;
  payment_method_id: string;
  name: string;
  price_minor: number;
  currency: string;
  credits_per_month: number;
  member_discount_bp: number;
  therapist_id: string | null;
  market: string;
}) {
  return {
    id: row.id,
    planId: row.plan_id,
    planName: row.name,
    therapistId: row.therapist_id,
    market: row.market,
    status: row.status as 'active' | 'paused' | 'cancelled',
    priceMinor: row.price_minor,
    currency: row.currency,
    creditsPerMonth: row.credits_per_month,
    memberDiscountBp: row.member_discount_bp,
    currentPeriodStart: row.current_period_start.toISOString(),
    currentPeriodEnd: row.current_period_end.toISOString(),
    renews: row.status === 'active' && !row.cancel_at_period_end,
    failedAttempts: row.failed_attempts,
    paymentMethodId: row.payment_method_id,
  };
}
export type MembershipView = ReturnType<typeof toMembershipView>;

function membershipQuery(db: Db) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('membership_plans as p', 'p.id', 'm.plan_id')
    .select([
      'm.id',
      'm.plan_id',
      'm.status',
      'm.current_period_start',
      'm.current_period_end',
      'm.failed_attempts',
      'm.cancel_at_period_end',
      'm.payment_method_id',
      'p.name',
      'p.price_minor',
      'p.currency',
      'p.credits_per_month',
      'p.member_discount_bp',
      'p.therapist_id',
      'p.market',
    ]);
}

/** A client's memberships, live ones first. */
export async function membershipsOf(db: Db, clientId: string): Promise<MembershipView[]> {
  const rows = await membershipQuery(db).where('m.client_id', '=', clientId).orderBy('m.created_at', 'desc').execute();
  return rows.map(toMembershipView).sort((a, b) => Number(a.status === 'cancelled') - Number(b.status === 'cancelled'));
}

/** The month's credits of a membership period, posted as a `package_issue` of the month's price. */
async function issueMonth(
  trx: Transaction<DB>,
  membership: { id: string; clientId: string },
  plan: PlanRow,
  period: { start: number; end: number },
  paymentId: string,
  now: number,
) {
  if (plan.credits_per_month === 0) return;
  await issueCredits(
    trx,
    {
      clientId: membership.clientId,
      offerId: null,
      membershipId: membership.id,
      therapistId: plan.therapist_id,
      market: plan.market,
      currency: plan.currency,
      label: `${plan.name}, ${new Date(period.start).toISOString().slice(0, 7)}`,
      durationMin: plan.duration_min,
      creditsTotal: plan.credits_per_month,
      priceMinor: plan.price_minor,
      startsAt: period.start,
      expiresAt: period.end,
      paymentId,
    },
    now,
  );
}

async function scheduleRenewal(
  trx: Transaction<DB>,
  membershipId: string,
  periodStart: number,
  runAt: number,
  attempt: number,
  now: number,
) {
  await scheduleJob(
    trx,
    {
      kind: MEMBERSHIP_RENEWAL_JOB,
      payload: { membershipId, periodStart },
      runAt,
      dedupeKey: `${renewalKey(membershipId, periodStart)}:${attempt}`,
    },
    now,
  );
}

/** Joins a plan: charges the first month to the saved card, then records the membership, its credits and renewal. */
export async function joinPlan(
  db: Kysely<DB>,
  provider: PaymentProvider,
  req: { clientId: string; planId: string; paymentMethodId: string; idempotencyKey: string },
  now: number,
  marketZone?: MarketZone,
): Promise<MembershipView> {
  const plan = await db
    .selectFrom('membership_plans')
    .select(planColumns)
    .where('id', '=', req.planId)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!plan) {
    throw new ProblemError('not_found', 'There is no such membership plan', {
      errors: [{ field: 'planId', in: 'body', code: 'not_found', message: 'There is no such membership plan' }],
    });
  }
  const live = await db
    .selectFrom('memberships')
    .select('id')
    .where('client_id', '=', req.clientId)
    .where('plan_id', '=', plan.id)
    .where('status', '<>', 'cancelled')
    .executeTakeFirst();
  if (live) {
    throw new ProblemError('invalid_transition', 'You are already a member of this plan', {
      errors: [
        { field: 'planId', in: 'body', code: 'already_member', message: 'You are already a member of this plan' },
      ],
    });
  }
  await paymentMethodOf(db, req.clientId, req.paymentMethodId);
  const period = { start: now, end: addMonth(now) };
  let membershipId = '';
  await chargeSavedMethod(
    db,
    provider,
    {
      purpose: 'membership',
      clientId: req.clientId,
      therapistId: plan.therapist_id,
      market: plan.market,
      currency: plan.currency,
      paymentMethodId: req.paymentMethodId,
      amountMinor: plan.price_minor,
      idempotencyKey: `membership-join:${req.clientId}:${req.idempotencyKey}`,
      description: `Knotwork membership: ${plan.name}`,
      ...(marketZone ? { timeZone: await marketZone(db, plan.market) } : {}),
    },
    now,
    async (trx, paymentId) => {
      const at = new Date(now);
      const row = await trx
        .insertInto('memberships')
        .values({
          client_id: req.clientId,
          plan_id: plan.id,
          status: 'active',
          payment_method_id: req.paymentMethodId,
          current_period_start: at,
          current_period_end: new Date(period.end),
          created_at: at,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      membershipId = row.id;
      await issueMonth(trx, { id: row.id, clientId: req.clientId }, plan, period, paymentId, now);
      await scheduleRenewal(trx, row.id, period.end, period.end, 0, now);
    },
  );
  const view = await membershipQuery(db)
    .where('m.client_id', '=', req.clientId)
    .where('m.plan_id', '=', plan.id)
    .where('m.status', '<>', 'cancelled')
    .$if(membershipId !== '', (q) => q.where('m.id', '=', membershipId))
    .executeTakeFirstOrThrow();
  return toMembershipView(view);
}

/**
 * Cancels a membership: it does not renew; credits already issued stay until their month ends. A paused membership
 * (its renewal failed) ends at once.
 */
export async function cancelMembership(db: Kysely<DB>, clientId: string, membershipId: string, now: number) {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('memberships')
      .select(['id', 'status'])
      .where('id', '=', membershipId)
      .where('client_id', '=', clientId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new ProblemError('not_found');
    if (row.status === 'cancelled') throw new ProblemError('membership_not_active');
    await trx
      .updateTable('memberships')
      .set(
        row.status === 'paused'
          ? { status: 'cancelled', updated_at: new Date(now) }
          : { cancel_at_period_end: true, updated_at: new Date(now) },
      )
      .where('id', '=', membershipId)
      .execute();
    return toMembershipView(await membershipQuery(trx).where('m.id', '=', membershipId).executeTakeFirstOrThrow());
  });
}

/**
 * Moves a membership's renewals onto another of the client's saved cards (404 naming `paymentMethodId` unless it is
 * their own and not removed). A cancelled membership has nothing to renew: membership_not_active. Nothing is charged
 * now; the next renewal (or retry of a failed one) uses the new card.
 */
export async function changeMembershipCard(
  db: Kysely<DB>,
  clientId: string,
  membershipId: string,
  paymentMethodId: string,
  now: number,
) {
  await paymentMethodOf(db, clientId, paymentMethodId);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('memberships')
      .select(['id', 'status'])
      .where('id', '=', membershipId)
      .where('client_id', '=', clientId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new ProblemError('not_found');
    if (row.status === 'cancelled') throw new ProblemError('membership_not_active');
    await trx
      .updateTable('memberships')
      .set({ payment_method_id: paymentMethodId, updated_at: new Date(now) })
      .where('id', '=', membershipId)
      .execute();
    return toMembershipView(await membershipQuery(trx).where('m.id', '=', membershipId).executeTakeFirstOrThrow());
  });
}

/**
 * Resumes a membership paused after its renewals failed: charges a month now to the membership's card (or the saved
 * card named), and on success starts a new month from now with its credits and renewal. The charge's idempotency key
 * is the pause itself (the membership and when it was paused), so a repeated or concurrent resume charges once. A
 * decline leaves it paused: 402 payment_declined naming `paymentMethodId`. Only a paused membership resumes
 * (409 membership_not_active otherwise).
 */
export async function resumeMembership(
  db: Kysely<DB>,
  provider: PaymentProvider,
  req: { clientId: string; membershipId: string; paymentMethodId?: string },
  now: number,
): Promise<MembershipView> {
  const m = await db
    .selectFrom('memberships as m')
    .innerJoin('membership_plans as p', 'p.id', 'm.plan_id')
    .select([
      'm.id',
      'm.plan_id',
      'm.status',
      'm.updated_at',
      'm.payment_method_id',
      ...planColumns.filter((c) => c !== 'id').map((c) => `p.${c}` as const),
    ])
    .where('m.id', '=', req.membershipId)
    .where('m.client_id', '=', req.clientId)
    .executeTakeFirst();
  if (!m) throw new ProblemError('not_found');
  if (m.status !== 'paused') throw new ProblemError('membership_not_active', 'Only a paused membership can be resumed');
  const plan: PlanRow = {
    id: m.plan_id,
    market: m.market,
    therapist_id: m.therapist_id,
    name: m.name,
    price_minor: m.price_minor,
    currency: m.currency,
    credits_per_month: m.credits_per_month,
    duration_min: m.duration_min,
    member_discount_bp: m.member_discount_bp,
    active: m.active,
  };
  const paymentMethodId = req.paymentMethodId ?? m.payment_method_id;
  const pausedAt = m.updated_at.getTime();
  const period = { start: now, end: addMonth(now) };
  await chargeSavedMethod(
    db,
    provider,
    {
      purpose: 'membership',
      clientId: req.clientId,
      therapistId: plan.therapist_id,
      market: plan.market,
      currency: plan.currency,
      paymentMethodId,
      amountMinor: plan.price_minor,
      idempotencyKey: `membership-resume:${m.id}:${pausedAt}:${paymentMethodId}`,
      description: `Knotwork membership: ${plan.name}`,
    },
    now,
    async (trx, paymentId) => {
      const row = await trx
        .selectFrom('memberships')
        .select(['status', 'updated_at'])
        .where('id', '=', m.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      // Changed since it was read (cancelled, say): the charge is given back by chargeSavedMethod.
      if (row.status !== 'paused' || row.updated_at.getTime() !== pausedAt)
        throw new ProblemError('membership_not_active');
      await trx
        .updateTable('memberships')
        .set({
          status: 'active',
          payment_method_id: paymentMethodId,
          failed_attempts: 0,
          cancel_at_period_end: false,
          current_period_start: new Date(period.start),
          current_period_end: new Date(period.end),
          updated_at: new Date(now),
        })
        .where('id', '=', m.id)
        .execute();
      await issueMonth(trx, { id: m.id, clientId: req.clientId }, plan, period, paymentId, now);
      await scheduleRenewal(trx, m.id, period.end, period.end, 0, now);
    },
  );
  return toMembershipView(await membershipQuery(db).where('m.id', '=', m.id).executeTakeFirstOrThrow());
}

/**
 * The read of the client's active memberships covering the therapist (a plan of theirs, or of the market), to be part
 * of the checkout quote's one read; bestMemberPrice turns its rows into the member price (`memberPriceMinor`).
 */
export function memberPlansFor(
  db: Db,
  session: { clientId: string; therapistId: string | Expression<string>; market: string | Expression<string> },
) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('membership_plans as p', 'p.id', 'm.plan_id')
    .select(['p.name', 'p.member_discount_bp'])
    .where('m.client_id', '=', session.clientId)
    .where('m.status', '=', 'active')
    .where('p.market', '=', session.market)
    .where((eb) => eb.or([eb('p.therapist_id', 'is', null), eb('p.therapist_id', '=', session.therapistId)]));
}

/**
 * The member price of a session listed at `priceMinor`, when the client has an active membership covering the
 * therapist; null otherwise.
 */
export async function memberPriceFor(
  db: Db,
  session: { clientId: string; therapistId: string; market: string; priceMinor: number },
): Promise<{ priceMinor: number; planName: string } | null> {
  return bestMemberPrice(await memberPlansFor(db, session).execute(), session.priceMinor);
}

/** The lowest member price of `priceMinor` the plans a memberPlansFor read gives offer, or null. */
export function bestMemberPrice(
  plans: readonly { name: string; member_discount_bp: number }[],
  priceMinor: number,
): { priceMinor: number; planName: string } | null {
  let best: { priceMinor: number; planName: string } | null = null;
  for (const row of plans) {
    const price = memberPrice(priceMinor, row.member_discount_bp);
    if (row.member_discount_bp > 0 && (!best || price < best.priceMinor))
      best = { priceMinor: price, planName: row.name };
  }
  return best;
}

/**
 * The captured payment of a renewal charged in the job's `call` phase, and its ledger `payment`, in the job's
 * transaction (what `chargeSavedMethod` records, for a charge made outside it). A retried run finds it recorded.
 */
async function recordRenewalPayment(
  trx: Transaction<DB>,
  providerName: string,
  charge: { clientId: string; paymentMethodId: string; reference: string },
  plan: PlanRow,
  now: number,
): Promise<string> {
  const at = new Date(now);
  const existing = await trx
    .selectFrom('payments')
    .select('id')
    .where('provider', '=', providerName)
    .where('provider_reference', '=', charge.reference)
    .executeTakeFirst();
  if (existing) return existing.id;
  // A renewal's receipt writes times in the zone its membership was joined in.
  const joined = await trx
    .selectFrom('payments')
    .select(sql<string | null>`breakdown->>'timeZone'`.as('zone'))
    .where('client_id', '=', charge.clientId)
    .where('purpose', '=', 'membership')
    .where('market', '=', plan.market)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const row = await trx
    .insertInto('payments')
    .values({
      market: plan.market,
      currency: plan.currency,
      client_id: charge.clientId,
      therapist_id: plan.therapist_id,
      purpose: 'membership',
      booking_id: null,
      breakdown: JSON.stringify({
        description: `Knotwork membership: ${plan.name}`,
        ...(joined?.zone ? { timeZone: joined.zone } : {}),
      }) as unknown as Record<string, unknown>,
      payment_method_id: charge.paymentMethodId,
      provider: providerName,
      provider_reference: charge.reference,
      status: 'captured',
      amount_authorized_minor: plan.price_minor,
      amount_captured_minor: plan.price_minor,
      failure_code: null,
      failure_message: null,
      authorized_at: at,
      authorization_expires_at: null,
      captured_at: at,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await postMoneyEvent(
    trx,
    { kind: 'payment', clientId: charge.clientId, amountMinor: plan.price_minor },
    { market: plan.market, currency: plan.currency, bookingId: null, occurredAt: now },
  );
  await issueReceipt(trx, { paymentId: row.id }, now);
  return row.id;
}

const renewalPayload = z.object({ membershipId: z.uuid(), periodStart: z.number().int() });
type RenewalPayload = z.infer<typeof renewalPayload>;
type RenewalCall =
  { skip: true } | { skip: false; result: ProviderResult<{ reference: string }>; paymentMethodId: string };

/**
 * The renewal of one membership period. `call` (outside the job's transaction) charges the saved card with the
 * period's idempotency key, so a retried job never charges twice; `run` records the payment, starts the new period,
 * issues its credits and schedules the next renewal, or counts the failure and retries or pauses.
 */
export function membershipRenewalJob(
  db: Kysely<DB>,
  provider: PaymentProvider,
  notices: MembershipNotices,
): JobHandler<RenewalPayload, RenewalCall> {
  const load = (q: Db, membershipId: string) =>
    q
      .selectFrom('memberships as m')
      .innerJoin('membership_plans as p', 'p.id', 'm.plan_id')
      .select([
        'm.id',
        'm.client_id',
        'm.plan_id',
        'm.status',
        'm.current_period_end',
        'm.failed_attempts',
        'm.cancel_at_period_end',
        'm.payment_method_id',
        ...planColumns.filter((c) => c !== 'id').map((c) => `p.${c}` as const),
      ])
      .where('m.id', '=', membershipId);
  const due = (m: { status: string; current_period_end: Date; cancel_at_period_end: boolean }, periodStart: number) =>
    m.status === 'active' && !m.cancel_at_period_end && m.current_period_end.getTime() === periodStart;
  return defineJob<RenewalPayload, RenewalCall>({
    kind: MEMBERSHIP_RENEWAL_JOB,
    payload: renewalPayload,
    async call(payload) {
      const m = await load(db, payload.membershipId).executeTakeFirst();
      if (!m || !due(m, payload.periodStart)) return { skip: true };
      const method = await db
        .selectFrom('payment_methods')
        .select(['provider_token', 'removed_at'])
        .where('id', '=', m.payment_method_id)
        .executeTakeFirstOrThrow();
      const result: ProviderResult<{ reference: string }> = method.removed_at
        ? { ok: false, code: 'invalid_payment_method', message: 'The card on file was removed' }
        : await provider.charge({
            paymentMethod: method.provider_token,
            amountMinor: m.price_minor,
            currency: m.currency,
            idempotencyKey: renewalKey(m.id, payload.periodStart),
            description: `Knotwork membership: ${m.name}`,
          });
      return { skip: false, result, paymentMethodId: m.payment_method_id };
    },
    async run(trx, payload, job, called) {
      const m = await load(trx, payload.membershipId).forUpdate(['m']).executeTakeFirst();
      if (!m) return;
      if (m.status === 'active' && m.cancel_at_period_end && m.current_period_end.getTime() <= job.now) {
        await trx
          .updateTable('memberships')
          .set({ status: 'cancelled', updated_at: new Date(job.now) })
          .where('id', '=', m.id)
          .execute();
        return;
      }
      if (called.skip || !due(m, payload.periodStart)) return;
      const plan: PlanRow = {
        id: m.plan_id,
        market: m.market,
        therapist_id: m.therapist_id,
        name: m.name,
        price_minor: m.price_minor,
        currency: m.currency,
        credits_per_month: m.credits_per_month,
        duration_min: m.duration_min,
        member_discount_bp: m.member_discount_bp,
        active: m.active,
      };
      if (called.result.ok) {
        const period = { start: payload.periodStart, end: addMonth(payload.periodStart) };
        const paymentId = await recordRenewalPayment(
          trx,
          provider.name,
          { clientId: m.client_id, paymentMethodId: called.paymentMethodId, reference: called.result.reference },
          plan,
          job.now,
        );
        await trx
          .updateTable('memberships')
          .set({
            current_period_start: new Date(period.start),
            current_period_end: new Date(period.end),
            failed_attempts: 0,
            updated_at: new Date(job.now),
          })
          .where('id', '=', m.id)
          .execute();
        await issueMonth(trx, { id: m.id, clientId: m.client_id }, plan, period, paymentId, job.now);
        await scheduleRenewal(trx, m.id, period.end, period.end, 0, job.now);
        return;
      }
      const failed = m.failed_attempts + 1;
      const next = afterFailedRenewal(failed, job.now);
      if ('retryAt' in next) {
        await trx
          .updateTable('memberships')
          .set({ failed_attempts: failed, updated_at: new Date(job.now) })
          .where('id', '=', m.id)
          .execute();
        await scheduleRenewal(trx, m.id, payload.periodStart, next.retryAt, failed, job.now);
        return;
      }
      await trx
        .updateTable('memberships')
        .set({ status: 'paused', failed_attempts: failed, updated_at: new Date(job.now) })
        .where('id', '=', m.id)
        .execute();
      await notices.paused(trx, { clientId: m.client_id, planName: m.name, reason: called.result.message }, job.now);
    },
  });
}
