import { z } from 'zod';
import { displayNameMap, lockUser } from '../accounts/accounts-reads.js';
import { writeAudit } from '../accounts/audit.js';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { localDateOf } from '../domain/session-time.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import {
  type Period,
  earningsOf,
  ledgerCurrencyOf,
  marketMoneyView,
  owedTo,
  payoutsIn,
  recordPayout,
} from '../money/earnings-store.js';
import { type DecimalCell, decimalAmount, toCsv } from '../money/engine/csv.js';
import type { EarningsLine } from '../money/engine/earnings.js';
import { marketMoneyTerms, setMarketMoney } from '../money/market-money.js';
import { epochDayFromIsoDate, isoDateFromEpochDay } from '../scheduling/engine/calendar-date.js';
import { localToInstant } from '../scheduling/engine/zoned-time.js';
import type { DB } from '../schema.js';
import type { Kysely } from 'kysely';
import { isoDate } from './engine/therapist-schemas.js';

/**
 * Money as therapists and operators read it (issue 16, deliverable 8): a therapist's earnings per period, the
 * market's money, its commission and the payouts recorded. The arithmetic and the tables are money's
 * (money/earnings-store.ts); this capability sits above it because a period is calendar dates in the market's zone,
 * and markets and therapists are ours.
 */

const MAX_PERIOD_DAYS = 400;

const periodQuery = z
  .object({
    from: isoDate.optional().describe('First day of the period (in the market’s zone); default: this month’s first'),
    to: isoDate.optional().describe('The day after the period (exclusive); default: next month’s first'),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.to > q.from, {
    message: 'to must be after from',
    path: ['to'],
    params: { code: 'range_reversed' },
  });

/** The period [from, to) of calendar dates in `zone`, defaulting to the month of `now`, as instants. */
function periodIn(zone: string, now: number, query: { from?: string | undefined; to?: string | undefined }) {
  const today = localDateOf(now, zone);
  const monthStart = `${today.slice(0, 7)}-01`;
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const nextMonth = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  const from = query.from ?? (query.to ? isoDateFromEpochDay(epochDayFromIsoDate(query.to)! - 30) : monthStart);
  const to = query.to ?? (query.from ? isoDateFromEpochDay(epochDayFromIsoDate(query.from)! + 31) : nextMonth);
  const fromDay = epochDayFromIsoDate(from)!;
  const toDay = epochDayFromIsoDate(to)!;
  if (toDay <= fromDay) throw fieldProblem('to', 'range_reversed', 'to must be after from', 'query');
  if (toDay - fromDay > MAX_PERIOD_DAYS) {
    throw fieldProblem('to', 'range_too_long', `A period can be at most ${MAX_PERIOD_DAYS} days`, 'query');
  }
  const period: Period = { fromMs: localToInstant(zone, fromDay, 0), toMs: localToInstant(zone, toDay, 0) };
  return { from, to, period };
}

const money = z.number().int().describe('Integer minor units of `currency`');

const earningsLineSchema = z.object({
  journalId: z.uuid(),
  occurredAt: z.iso.datetime(),
  date: isoDate.describe('The day in the market’s zone'),
  bookingId: z.uuid().nullable(),
  kind: z.string().describe('The ledger event: charge, refund, cancellation_fee, tip, payout'),
  grossMinor: money.describe('Session amount before tax (negative for a refund); 0 for a tip or payout'),
  platformFeeMinor: money,
  tipMinor: money,
  netMinor: money.describe('What this line adds to what the therapist is owed (negative: a refund or a payout)'),
});

const payoutSchema = z
  .object({
    id: z.uuid(),
    therapistId: z.uuid(),
    from: z.enum(['therapist_payable', 'tips_payable']),
    amountMinor: money,
    currency: z.string(),
    reference: z.string(),
    recordedAt: z.iso.datetime(),
  })
  .meta({ id: 'Payout' });

const earningsSchema = z
  .object({
    from: isoDate,
    to: isoDate.describe('Exclusive'),
    timeZone: z.string(),
    currency: z.string(),
    totals: z.object({
      sessions: z.number().int().describe('Sessions charged in the period, less those wholly refunded'),
      grossMinor: money,
      platformFeeMinor: money.describe('The market’s commission (and service fee) on the sessions'),
      tipsMinor: money,
      feesMinor: money.describe('Late cancellation and no-show fees charged'),
      feesTherapistMinor: money.describe('The therapist’s part of the fees'),
      refundsMinor: money,
      refundsTherapistMinor: money.describe('The therapist’s part of the refunds'),
      netPayableMinor: money.describe('gross - platform fee + fees’ therapist part - refunds’ therapist part + tips'),
      payoutsMinor: money,
      openingOwedMinor: money.describe('Owed to the therapist when the period began'),
      closingOwedMinor: money.describe('Owed at its end: opening + net payable - payouts'),
    }),
    owedNow: z.object({ earningsMinor: money, tipsMinor: money }).describe('Owed today, all periods together'),
    lines: z.array(earningsLineSchema),
    payouts: z.array(payoutSchema),
  })
  .meta({ id: 'Earnings' });

const marketParams = z
  .object({
    market: z
      .string()
      .regex(/^[a-z0-9-]{2,40}$/, 'A market id, e.g. nyc')
      .describe('Market id, e.g. nyc'),
  })
  .strict();

const marketMoneyBody = z
  .object({
    commissionBp: z.number().int().min(0).max(10_000).describe('The platform’s share in basis points (2000 = 20 %)'),
    serviceFeeMinor: z.number().int().min(0).max(100_000).describe('A booking fee the client pays, minor units'),
    taxBp: z.number().int().min(0).max(5_000).describe('Sales tax on price and fee, basis points'),
    taxLabel: z.string().trim().min(1).max(40).nullable().describe('The tax’s name on receipts; null without one'),
  })
  .strict()
  .refine((b) => b.taxBp === 0 || b.taxLabel !== null, {
    message: 'Name the tax as receipts should show it',
    path: ['taxLabel'],
    params: { code: 'required' },
  });

const marketMoneySchema = z
  .object({
    market: z.string(),
    commissionBp: z.number().int(),
    serviceFeeMinor: z.number().int(),
    taxBp: z.number().int(),
    taxLabel: z.string().nullable(),
    updatedAt: z.iso.datetime().nullable().describe('null: the defaults, never set'),
    updatedBy: z.string().nullable().describe('The operator who set them, by name'),
  })
  .meta({ id: 'MarketMoney' });

const operatorMoneyQuery = z
  .object({
    market: z.string().min(1).max(40),
    from: periodQuery.shape.from,
    to: periodQuery.shape.to,
  })
  .strict();

const marketTotalsSchema = z.object({
  currency: z.string(),
  grossMinor: money,
  platformRevenueMinor: money,
  tipsMinor: money,
  feesMinor: money,
  refundsMinor: money,
  taxCollectedMinor: money,
  payoutsMinor: money,
});

const operatorMoneySchema = z
  .object({
    market: z.string(),
    from: isoDate,
    to: isoDate.describe('Exclusive'),
    timeZone: z.string(),
    totals: z.array(marketTotalsSchema).describe('One per currency the ledger holds in the period'),
    therapists: z.array(
      z.object({
        therapistId: z.uuid(),
        displayName: z.string(),
        currency: z.string(),
        grossMinor: money,
        platformFeeMinor: money,
        tipsMinor: money,
        netPayableMinor: money,
        payoutsMinor: money,
        owedEarningsMinor: money.describe('Owed now from session earnings'),
        owedTipsMinor: money.describe('Owed now from tips'),
      }),
    ),
    openDisputesCount: z.number().int(),
    openDisputes: z.array(
      z.object({
        id: z.uuid(),
        paymentId: z.uuid(),
        clientName: z.string(),
        therapistName: z.string().nullable(),
        bookingId: z.uuid().nullable(),
        amountMinor: money,
        currency: z.string(),
        reason: z.string().nullable(),
        openedAt: z.iso.datetime(),
      }),
    ),
    payouts: z.array(payoutSchema.extend({ therapistName: z.string() })),
  })
  .meta({ id: 'OperatorMoney' });

const payoutBody = z
  .object({
    therapistId: z.uuid(),
    amountMinor: z.number().int().min(1).max(100_000_000),
    from: z.enum(['therapist_payable', 'tips_payable']).describe('Pay from session earnings or from tips'),
    reference: z.string().trim().min(1).max(200).describe('The transfer’s reference at the bank'),
  })
  .strict();

/** The market's row, or 404 naming the field. */
async function marketOf(db: Kysely<DB>, market: string, where: 'query' | 'path') {
  const row = await db.selectFrom('markets').select(['id', 'time_zone']).where('id', '=', market).executeTakeFirst();
  if (!row) {
    throw new ProblemError('not_found', 'No such market', {
      errors: [{ field: 'market', in: where, code: 'unknown_market', message: 'No such market' }],
    });
  }
  return row;
}

/** The currency a therapist's money is in: their ledger's, else their services' price currency, else USD. */
async function currencyOf(db: Kysely<DB>, therapistId: string, market: string): Promise<string> {
  const ledger = await ledgerCurrencyOf(db, therapistId, market);
  if (ledger) return ledger;
  const service = await db
    .selectFrom('therapist_services')
    .select('currency')
    .where('therapist_id', '=', therapistId)
    .orderBy('duration_min')
    .executeTakeFirst();
  return service?.currency ?? 'USD';
}

const iso = (ms: number) => new Date(ms).toISOString();

const KIND_WORDS: Record<string, string> = {
  charge: 'Session',
  refund: 'Refund',
  cancellation_fee: 'Cancellation or no-show fee',
  tip: 'Tip',
  payout: 'Payout',
};

function earningsCsv(lines: readonly EarningsLine[], zone: string, currency: string): string {
  const amount = (minor: number): DecimalCell => decimalAmount(minor);
  return toCsv([
    ['date', 'booking', 'kind', 'currency', 'gross', 'platform fee', 'tip', 'net'],
    ...lines.map((line) => [
      localDateOf(line.occurredAt, zone),
      line.bookingId,
      KIND_WORDS[line.kind] ?? line.kind,
      currency,
      amount(line.grossMinor),
      amount(line.platformFeeMinor),
      amount(line.tipMinor),
      amount(line.netMinor),
    ]),
  ]);
}

export function registerEarningsRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;

  const therapistEarnings = async (therapistId: string, query: { from?: string; to?: string }) => {
    const therapist = await db
      .selectFrom('therapists')
      .select(['market', 'time_zone'])
      .where('user_id', '=', therapistId)
      .executeTakeFirst();
    if (!therapist) {
      throw new ProblemError('profile_incomplete', 'Create your therapist profile first (PUT /api/therapists/me)');
    }
    const market = await marketOf(db, therapist.market, 'query');
    const zone = market.time_zone;
    const { from, to, period } = periodIn(zone, clock.now(), query);
    const currency = await currencyOf(db, therapistId, therapist.market);
    const earnings = await earningsOf(db, therapistId, therapist.market, currency, period);
    const owed = await owedTo(db, therapistId, therapist.market, currency);
    const payouts = await payoutsIn(db, therapist.market, period, therapistId);
    return { from, to, zone, currency, earnings, owed, payouts };
  };

  app.get(
    '/api/therapists/me/earnings',
    {
      schema: {
        tags: ['money'],
        summary: 'My earnings over a period',
        description:
          'Sessions, gross, the platform fee, tips, fees, refunds and net payable over the period [from, to) of dates in the market’s zone (default: this month), read from the ledger, with one line per ledger entry that moved what the therapist is owed, and the payouts recorded.',
        querystring: periodQuery,
        problems: ['unauthenticated', 'forbidden', 'profile_incomplete'],
        response: { 200: earningsSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist');
      const r = await therapistEarnings(user.id, request.query);
      return {
        from: r.from,
        to: r.to,
        timeZone: r.zone,
        currency: r.currency,
        totals: r.earnings.totals,
        owedNow: { earningsMinor: r.owed.therapist_payable, tipsMinor: r.owed.tips_payable },
        lines: r.earnings.lines.map((line) => ({
          ...line,
          occurredAt: iso(line.occurredAt),
          date: localDateOf(line.occurredAt, r.zone),
        })),
        payouts: r.payouts.map(({ recordedBy: _by, ...p }) => ({ ...p, recordedAt: iso(p.recordedAt) })),
      };
    },
  );

  app.get(
    '/api/therapists/me/earnings.csv',
    {
      schema: {
        tags: ['money'],
        summary: 'My earnings over a period, as CSV',
        description:
          'One row per ledger entry that moved what the therapist is owed: date (market’s zone), booking, kind, currency, gross, platform fee, tip, net, as decimal amounts. RFC 4180; a text cell starting with = + - or @ is prefixed with an apostrophe.',
        querystring: periodQuery,
        produces: ['text/csv'],
        problems: ['unauthenticated', 'forbidden', 'profile_incomplete'],
        response: { 200: z.string().describe('The earnings (text/csv)') },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'therapist');
      const r = await therapistEarnings(user.id, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="earnings-${r.from}-to-${r.to}.csv"`)
        .send(earningsCsv(r.earnings.lines, r.zone, r.currency));
    },
  );

  app.get(
    '/api/operator/markets/:market/money',
    {
      schema: {
        tags: ['operator'],
        summary: 'A market’s money terms: commission, booking fee and tax',
        params: marketParams,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: marketMoneySchema },
      },
    },
    async (request) => {
      requireUser(request, 'operator');
      const market = await marketOf(db, request.params.market, 'path');
      const terms = await marketMoneyTerms(db, market.id);
      const names = terms.updatedBy ? await displayNameMap(db, [terms.updatedBy]) : new Map<string, string>();
      return {
        market: market.id,
        commissionBp: terms.commissionBp,
        serviceFeeMinor: terms.serviceFeeMinor,
        taxBp: terms.taxBp,
        taxLabel: terms.taxLabel,
        updatedAt: terms.updatedAt === null ? null : iso(terms.updatedAt),
        updatedBy: terms.updatedBy ? (names.get(terms.updatedBy) ?? null) : null,
      };
    },
  );

  app.put(
    '/api/operator/markets/:market/money',
    {
      schema: {
        tags: ['operator'],
        summary: 'Set a market’s money terms',
        description:
          'The commission applies to sessions confirmed from now on; what was charged stays as it was. Who set them and when is kept, and audited.',
        params: marketParams,
        body: marketMoneyBody,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: marketMoneySchema },
      },
    },
    async (request) => {
      const operator = requireUser(request, 'operator');
      const market = await marketOf(db, request.params.market, 'path');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await setMarketMoney(trx, market.id, request.body, operator.id, now);
        await writeAudit(
          trx,
          {
            actor: operator,
            action: 'market_money.set',
            subjectType: 'market',
            subjectId: market.id,
            detail: { ...request.body },
          },
          now,
        );
      });
      return {
        market: market.id,
        ...request.body,
        updatedAt: iso(now),
        updatedBy: (await displayNameMap(db, [operator.id])).get(operator.id) ?? null,
      };
    },
  );

  const operatorMoney = async (query: z.infer<typeof operatorMoneyQuery>) => {
    const market = await marketOf(db, query.market, 'query');
    const { from, to, period } = periodIn(market.time_zone, clock.now(), query);
    const view = await marketMoneyView(db, market.id, period);
    const payouts = await payoutsIn(db, market.id, period);
    const names = await displayNameMap(db, [
      ...view.therapists.map((t) => t.therapistId),
      ...view.openDisputes.flatMap((d) => (d.therapistId ? [d.clientId, d.therapistId] : [d.clientId])),
      ...payouts.map((p) => p.therapistId),
    ]);
    const nameOf = (id: string) => names.get(id) ?? 'Unknown';
    return {
      market: market.id,
      from,
      to,
      timeZone: market.time_zone,
      totals: view.totals,
      therapists: view.therapists
        .map((t) => ({ ...t, displayName: nameOf(t.therapistId) }))
        .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.therapistId.localeCompare(b.therapistId)),
      openDisputesCount: view.openDisputes.length,
      openDisputes: view.openDisputes.map(({ clientId, therapistId, ...d }) => ({
        ...d,
        clientName: nameOf(clientId),
        therapistName: therapistId ? nameOf(therapistId) : null,
        openedAt: iso(d.openedAt),
      })),
      payouts: payouts.map(({ recordedBy: _by, ...p }) => ({
        ...p,
        therapistName: nameOf(p.therapistId),
        recordedAt: iso(p.recordedAt),
      })),
    };
  };

  app.get(
    '/api/operator/money',
    {
      schema: {
        tags: ['operator'],
        summary: 'A market’s money over a period',
        description:
          'Totals per currency (gross, platform revenue, tips, fees, refunds, tax collected, payouts) over [from, to) in the market’s zone (default: this month), each therapist’s figures and what they are owed now, payouts recorded, and the disputes open now.',
        querystring: operatorMoneyQuery,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: operatorMoneySchema },
      },
    },
    async (request) => {
      requireUser(request, 'operator');
      return operatorMoney(request.query);
    },
  );

  app.get(
    '/api/operator/money.csv',
    {
      schema: {
        tags: ['operator'],
        summary: 'A market’s money over a period, as CSV',
        description:
          'One row per therapist and currency (name, gross, platform fee, tips, net payable, payouts, owed now), then one row per currency with the market’s totals. RFC 4180, with the formula-injection guard.',
        querystring: operatorMoneyQuery,
        produces: ['text/csv'],
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: z.string().describe('The market’s money (text/csv)') },
      },
    },
    async (request, reply) => {
      requireUser(request, 'operator');
      const view = await operatorMoney(request.query);
      const amount = (minor: number) => decimalAmount(minor);
      const csv = toCsv([
        [
          'therapist',
          'currency',
          'gross',
          'platform fee',
          'tips',
          'net payable',
          'payouts',
          'owed earnings',
          'owed tips',
          'refunds',
          'tax collected',
        ],
        ...view.therapists.map((t) => [
          t.displayName,
          t.currency,
          amount(t.grossMinor),
          amount(t.platformFeeMinor),
          amount(t.tipsMinor),
          amount(t.netPayableMinor),
          amount(t.payoutsMinor),
          amount(t.owedEarningsMinor),
          amount(t.owedTipsMinor),
          null,
          null,
        ]),
        ...view.totals.map((t) => [
          'Market total',
          t.currency,
          amount(t.grossMinor),
          amount(t.platformRevenueMinor),
          amount(t.tipsMinor),
          null,
          amount(t.payoutsMinor),
          null,
          null,
          amount(t.refundsMinor),
          amount(t.taxCollectedMinor),
        ]),
      ]);
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="money-${view.market}-${view.from}-to-${view.to}.csv"`)
        .send(csv);
    },
  );

  app.post(
    '/api/operator/payouts',
    {
      schema: {
        tags: ['operator'],
        summary: 'Record a payout to a therapist',
        description:
          'Records money sent to a therapist (by bank transfer, outside Knotwork) from their session earnings or tips, as a ledger payout. Refused with payout_too_large when more than that account owes, and payout_reference_used when the reference was recorded for them already.',
        body: payoutBody,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'payout_too_large', 'payout_reference_used'],
        response: { 201: payoutSchema },
      },
    },
    async (request, reply) => {
      const operator = requireUser(request, 'operator');
      const body = request.body;
      const therapist = await db
        .selectFrom('therapists')
        .select(['market'])
        .where('user_id', '=', body.therapistId)
        .executeTakeFirst();
      if (!therapist) {
        throw new ProblemError('not_found', 'No such therapist', {
          errors: [{ field: 'therapistId', in: 'body', code: 'unknown_therapist', message: 'No such therapist' }],
        });
      }
      const now = clock.now();
      const payout = await db.transaction().execute(async (trx) => {
        await lockUser(trx, body.therapistId);
        const recorded = await recordPayout(trx, { ...body, market: therapist.market, recordedBy: operator.id }, now);
        await writeAudit(
          trx,
          {
            actor: operator,
            action: 'payout.record',
            subjectType: 'payout',
            subjectId: recorded.id,
            subjectUserId: body.therapistId,
            detail: { amountMinor: body.amountMinor, from: body.from, reference: body.reference },
          },
          now,
        );
        return recorded;
      });
      const { recordedBy: _by, ...view } = payout;
      return reply.code(201).send({ ...view, recordedAt: iso(view.recordedAt) });
    },
  );
}
