import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MoneyEvent } from '../../src/money/engine/ledger-postings.js';
import { postMoneyEvent } from '../../src/money/ledger-store.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  BACKEND,
  type Session,
  type TestApp,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';

/**
 * Therapist earnings, the operator's money view, market commission and payouts (issue 16, deliverable 8), over a
 * journal written through the ledger. The market is New York: a period is dates there, so an entry at 03:00 UTC on
 * 1 November is still October's.
 */

let t: TestApp;
let operator: Session;
let ana: TherapistFixture;
let ben: TherapistFixture;
let client: Session;

const post = (event: MoneyEvent, at: string, bookingId: string | null = null) =>
  t.database.db
    .transaction()
    .execute((trx) =>
      postMoneyEvent(trx, event, { market: 'nyc', currency: 'USD', bookingId, occurredAt: Date.parse(at) }),
    );

/** A held booking (nothing charged by booking itself), for the journal entries to belong to. */
async function hold(therapist: TherapistFixture, start: string): Promise<string> {
  const held = await call(t.app, client, {
    method: 'POST',
    url: '/api/bookings',
    payload: {
      therapistId: therapist.id,
      durationMin: 60,
      start,
      place: { mode: 'studio', studioId: therapist.studioId },
    },
  });
  expect(held.statusCode, held.body).toBe(201);
  return held.json().id;
}

const session = (kind: 'charge' | 'refund' | 'cancellation_fee', therapistId: string, amount: number, tax = 0) =>
  ({
    kind,
    clientId: client.id,
    therapistId,
    amountMinor: amount,
    platformShareMinor: amount / 5,
    taxMinor: tax,
  }) satisfies MoneyEvent;

beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
  ana = await createTherapist(t, { displayName: 'Ana Earner' }, operator);
  ben = await createTherapist(t, { displayName: '=cmd|"/c calc"!A1, Jr' }, operator);
  client = await signUp(t.app, 'client');
  const [first, second, third] = [
    await hold(ana, '2026-11-24T15:00:00Z'),
    await hold(ana, '2026-11-25T15:00:00Z'),
    await hold(ana, '2026-11-26T15:00:00Z'),
  ];
  // October (New York): 23:00 on 31 October is 03:00 UTC on 1 November.
  await post(session('charge', ana.id, 8_000), '2026-11-01T03:00:00Z', first);
  // November: a session; another refunded in full, with a late fee; a tip.
  await post(session('charge', ana.id, 10_000, 800), '2026-11-05T15:00:00Z', second);
  await post(session('charge', ana.id, 12_000), '2026-11-20T15:00:00Z', third);
  await post(session('refund', ana.id, 12_000), '2026-11-21T15:00:00Z', third);
  await post(session('cancellation_fee', ana.id, 6_000), '2026-11-21T15:00:00Z', third);
  await post(
    { kind: 'tip', clientId: client.id, therapistId: ana.id, amountMinor: 1_500 },
    '2026-11-22T15:00:00Z',
    second,
  );
  // 23:59 on 30 November in New York.
  await post({ kind: 'tip', clientId: client.id, therapistId: ana.id, amountMinor: 500 }, '2026-12-01T04:59:00Z');
  await post(session('charge', ben.id, 5_000), '2026-11-10T15:00:00Z');
  // Something that is nobody's earnings.
  await post({ kind: 'payment', clientId: client.id, amountMinor: 9_999 }, '2026-11-10T15:00:00Z');
});
afterAll(() => t.close());

const get = (who: Session | null, url: string) => call(t.app, who, { method: 'GET', url });

describe(`earnings on ${BACKEND}`, () => {
  it('gives a therapist the month’s figures in the market’s zone, reconciling with what is owed', async () => {
    const response = await get(ana.session, '/api/therapists/me/earnings');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ from: '2026-11-01', to: '2026-12-01', timeZone: 'America/New_York', currency: 'USD' });
    expect(body.totals).toEqual({
      sessions: 1,
      grossMinor: 22_000,
      platformFeeMinor: 4_400,
      tipsMinor: 2_000,
      feesMinor: 6_000,
      feesTherapistMinor: 4_800,
      refundsMinor: 12_000,
      refundsTherapistMinor: 9_600,
      netPayableMinor: 22_000 - 4_400 + 4_800 - 9_600 + 2_000,
      payoutsMinor: 0,
      openingOwedMinor: 6_400,
      closingOwedMinor: 6_400 + 14_800,
    });
    expect(body.owedNow).toEqual({ earningsMinor: 6_400 + 8_000 + 9_600 - 9_600 + 4_800, tipsMinor: 2_000 });
    expect(body.lines.map((l: { kind: string; date: string }) => `${l.date} ${l.kind}`)).toEqual([
      '2026-11-05 charge',
      '2026-11-20 charge',
      '2026-11-21 refund',
      '2026-11-21 cancellation_fee',
      '2026-11-22 tip',
      '2026-11-30 tip',
    ]);
    expect(body.lines[2]).toMatchObject({ grossMinor: -12_000, platformFeeMinor: -2_400, netMinor: -9_600 });

    const october = (await get(ana.session, '/api/therapists/me/earnings?from=2026-10-01&to=2026-11-01')).json();
    expect(october.totals).toMatchObject({
      sessions: 1,
      grossMinor: 8_000,
      openingOwedMinor: 0,
      closingOwedMinor: 6_400,
    });

    // A therapist sees only their own.
    const bens = (await get(ben.session, '/api/therapists/me/earnings')).json();
    expect(bens.totals).toMatchObject({ sessions: 1, grossMinor: 5_000, tipsMinor: 0, netPayableMinor: 4_000 });
  });

  it('exports the lines as CSV', async () => {
    const response = await get(ana.session, '/api/therapists/me/earnings.csv?from=2026-11-01&to=2026-12-01');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toContain('earnings-2026-11-01-to-2026-12-01.csv');
    const rows = response.body.split('\r\n');
    expect(rows[0]).toBe('date,booking,kind,currency,gross,platform fee,tip,net');
    const uuid = '[0-9a-f-]{36}';
    expect(rows[1]).toMatch(new RegExp(`^2026-11-05,${uuid},Session,USD,100.00,20.00,0.00,80.00$`));
    expect(rows[3]).toMatch(new RegExp(`^2026-11-21,${uuid},Refund,USD,-120.00,-24.00,0.00,-96.00$`));
    expect(rows[4]).toMatch(new RegExp(`^2026-11-21,${uuid},Cancellation or no-show fee,USD,60.00,12.00,0.00,48.00$`));
    expect(rows[6]).toBe('2026-11-30,,Tip,USD,0.00,0.00,5.00,5.00');
    expect(rows).toHaveLength(8); // header, six lines, and the empty string after the last CRLF
    expect(rows[7]).toBe('');
  });

  it('keeps earnings from anyone but the therapist, and the operator view from anyone but operators', async () => {
    expect((await get(null, '/api/therapists/me/earnings')).statusCode).toBe(401);
    expect((await get(client, '/api/therapists/me/earnings')).statusCode).toBe(403);
    expect((await get(operator, '/api/therapists/me/earnings.csv')).statusCode).toBe(403);
    expect((await get(ana.session, '/api/operator/money?market=nyc')).statusCode).toBe(403);
    expect((await get(client, '/api/operator/money.csv?market=nyc')).statusCode).toBe(403);
    expect((await get(ana.session, '/api/operator/markets/nyc/money')).statusCode).toBe(403);
    const payout = await call(t.app, ana.session, {
      method: 'POST',
      url: '/api/operator/payouts',
      payload: { therapistId: ana.id, amountMinor: 100, from: 'therapist_payable', reference: 'self' },
    });
    expect(payout.statusCode).toBe(403);
  });

  it('refuses bad input with problem+json naming the field', async () => {
    const cases: [Session, string, string][] = [
      [ana.session, '/api/therapists/me/earnings?from=2026-13-01', 'from'],
      [ana.session, '/api/therapists/me/earnings?from=2026-11-10&to=2026-11-01', 'to'],
      [ana.session, '/api/therapists/me/earnings?from=2024-01-01&to=2026-01-01', 'to'],
      [ana.session, '/api/therapists/me/earnings?since=2026-11-01', 'since'],
      [operator, '/api/operator/money', 'market'],
      [operator, '/api/operator/money?market=atlantis', 'market'],
    ];
    for (const [who, url, field] of cases) {
      const response = await get(who, url);
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, url).toBeLessThan(500);
      expect(response.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      expect(
        response.json().errors.map((e: { field: string }) => e.field),
        url,
      ).toContain(field);
    }
  });
});

describe(`market commission on ${BACKEND}`, () => {
  it('starts at the defaults, is set by an operator with who and when, and refuses nonsense', async () => {
    const before = (await get(operator, '/api/operator/markets/nyc/money')).json();
    expect(before).toEqual({
      market: 'nyc',
      commissionBp: 2000,
      serviceFeeMinor: 0,
      taxBp: 0,
      taxLabel: null,
      updatedAt: null,
      updatedBy: null,
    });
    const put = (payload: unknown, market = 'nyc') =>
      call(t.app, operator, { method: 'PUT', url: `/api/operator/markets/${market}/money`, payload });
    const set = await put({ commissionBp: 1500, serviceFeeMinor: 300, taxBp: 887, taxLabel: 'Sales tax' });
    expect(set.statusCode, set.body).toBe(200);
    const after = (await get(operator, '/api/operator/markets/nyc/money')).json();
    expect(after).toEqual({
      market: 'nyc',
      commissionBp: 1500,
      serviceFeeMinor: 300,
      taxBp: 887,
      taxLabel: 'Sales tax',
      updatedAt: new Date(t.clock.now()).toISOString(),
      updatedBy: 'Test Operator',
    });
    for (const [payload, field] of [
      [{ commissionBp: 10_001, serviceFeeMinor: 0, taxBp: 0, taxLabel: null }, 'commissionBp'],
      [{ commissionBp: 1000, serviceFeeMinor: -1, taxBp: 0, taxLabel: null }, 'serviceFeeMinor'],
      [{ commissionBp: 1000, serviceFeeMinor: 0, taxBp: 800, taxLabel: null }, 'taxLabel'],
      [{ commissionBp: 1000.5, serviceFeeMinor: 0, taxBp: 0, taxLabel: null }, 'commissionBp'],
    ] as const) {
      const refused = await put(payload);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const unknown = await put({ commissionBp: 1000, serviceFeeMinor: 0, taxBp: 0, taxLabel: null }, 'atlantis');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().errors[0].field).toBe('market');
  });
});

describe(`the operator's money view and payouts on ${BACKEND}`, () => {
  it('shows the market’s totals, each therapist, and the open disputes', async () => {
    // A payment of Ben's client, disputed.
    const payment = await t.database.db
      .insertInto('payments')
      .values({
        market: 'nyc',
        currency: 'USD',
        client_id: client.id,
        therapist_id: ben.id,
        purpose: 'booking',
        booking_id: null,
        payment_method_id: null,
        provider: 'test',
        provider_reference: 'pay_disputed',
        status: 'captured',
        amount_authorized_minor: 5_000,
        amount_captured_minor: 5_000,
        failure_code: null,
        failure_message: null,
        authorized_at: new Date('2026-11-10T15:00:00Z'),
        authorization_expires_at: null,
        captured_at: new Date('2026-11-10T15:00:00Z'),
        created_at: new Date('2026-11-10T15:00:00Z'),
        updated_at: new Date('2026-11-10T15:00:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.database.db
      .insertInto('disputes')
      .values({
        payment_id: payment.id,
        provider_reference: 'dp_1',
        amount_minor: 5_000,
        reason: 'fraudulent',
        status: 'open',
        opened_at: new Date('2026-11-15T15:00:00Z'),
        closed_at: null,
      })
      .execute();

    const response = await get(operator, '/api/operator/money?market=nyc&from=2026-11-01&to=2026-12-01');
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json();
    expect(view.totals).toEqual([
      {
        currency: 'USD',
        grossMinor: 27_000,
        platformRevenueMinor: 2_000 + 2_400 + 1_000 + 1_200 - 2_400,
        tipsMinor: 2_000,
        feesMinor: 6_000,
        refundsMinor: 12_000,
        taxCollectedMinor: 800,
        payoutsMinor: 0,
      },
    ]);
    expect(view.therapists.map((x: { displayName: string }) => x.displayName)).toEqual([
      '=cmd|"/c calc"!A1, Jr',
      'Ana Earner',
    ]);
    expect(view.therapists[1]).toMatchObject({
      netPayableMinor: 14_800,
      owedEarningsMinor: 19_200,
      owedTipsMinor: 2_000,
    });
    expect(view.openDisputesCount).toBe(1);
    expect(view.openDisputes[0]).toMatchObject({
      paymentId: payment.id,
      clientName: 'Test Client',
      amountMinor: 5_000,
      reason: 'fraudulent',
    });

    const csv = await get(operator, '/api/operator/money.csv?market=nyc&from=2026-11-01&to=2026-12-01');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = csv.body.split('\r\n');
    // The name would run as a formula and holds a comma and quotes: guarded, then quoted.
    expect(rows[1]).toBe(`"'=cmd|""/c calc""!A1, Jr",USD,50.00,10.00,0.00,40.00,0.00,40.00,0.00,,`);
    expect(rows[3]).toBe('Market total,USD,270.00,42.00,20.00,,0.00,,,120.00,8.00');
  });

  it('records payouts up to what is owed, once per reference', async () => {
    const pay = (
      amountMinor: number,
      from: 'therapist_payable' | 'tips_payable',
      reference: string,
      therapistId = ana.id,
    ) =>
      call(t.app, operator, {
        method: 'POST',
        url: '/api/operator/payouts',
        payload: { therapistId, amountMinor, from, reference },
      });
    const tooMuch = await pay(19_201, 'therapist_payable', 'TR-1');
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json()).toMatchObject({ code: 'payout_too_large', owedMinor: 19_200 });
    expect(tooMuch.json().errors[0].field).toBe('amountMinor');

    const first = await pay(19_200, 'therapist_payable', 'TR-1');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      therapistId: ana.id,
      amountMinor: 19_200,
      currency: 'USD',
      reference: 'TR-1',
    });
    const again = await pay(1, 'tips_payable', 'TR-1');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'payout_reference_used' });
    expect((await pay(2_001, 'tips_payable', 'TR-2')).statusCode).toBe(422);
    expect((await pay(2_000, 'tips_payable', 'TR-2')).statusCode).toBe(201);
    expect((await pay(1, 'therapist_payable', 'TR-3')).statusCode).toBe(422);

    // Two payouts at once cannot both fit in one balance.
    const racing = await Promise.all([
      pay(3_000, 'therapist_payable', 'B-1', ben.id),
      pay(3_000, 'therapist_payable', 'B-2', ben.id),
    ]);
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 422]);

    const unknown = await pay(1, 'therapist_payable', 'X', client.id);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().errors[0].field).toBe('therapistId');

    const earnings = (await get(ana.session, '/api/therapists/me/earnings')).json();
    expect(earnings.totals).toMatchObject({ payoutsMinor: 21_200, closingOwedMinor: 0 });
    expect(earnings.owedNow).toEqual({ earningsMinor: 0, tipsMinor: 0 });
    expect(earnings.payouts.map((p: { reference: string }) => p.reference).sort()).toEqual(['TR-1', 'TR-2']);
    expect(earnings.lines.filter((l: { kind: string }) => l.kind === 'payout')).toHaveLength(2);

    const view = (await get(operator, '/api/operator/money?market=nyc')).json();
    expect(view.totals[0].payoutsMinor).toBe(21_200 + 3_000);
    expect(view.payouts).toHaveLength(3);
    expect(view.therapists.find((x: { therapistId: string }) => x.therapistId === ana.id)).toMatchObject({
      owedEarningsMinor: 0,
      owedTipsMinor: 0,
    });
  });
});
