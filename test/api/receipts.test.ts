import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import { type ReceiptSource, issueReceipt } from '../../src/money/receipts.js';
import { pdfText } from '../support/pdf-text.js';
import { heldSession } from '../support/session-fixture.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  type Session,
  type TestApp,
  TEST_NOW,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';

/**
 * Receipts and superbills (issue 16): a receipt per capture and per refund, issued through money/receipts.ts with
 * payments written as the payment service writes them; their e-mail, the payments page, the PDFs, and who may read
 * them. The superbill reads completed sessions through the real check-in and check-out.
 */

let t: TestApp;
let background: BackgroundWork;
let operator: Session;
let therapist: TherapistFixture;
let client: Session;
let otherClient: Session;
let session: Awaited<ReturnType<typeof heldSession>>;

const nyAt = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();
const get = (who: Session | null, url: string) => call(t.app, who, { method: 'GET', url });
let references = 0;

beforeAll(async () => {
  t = await startTestApp();
  background = createBackgroundWork(
    { db: t.database.db, clock: t.clock, config: { ...t.config, publicUrl: 'https://knotwork.test' } },
    { sender: null },
  );
  operator = await createOperator(t);
  therapist = await createTherapist(t, { displayName: 'Dana Deep' }, operator);
  client = await signUp(t.app, 'client', 'Jamie Fox');
  otherClient = await signUp(t.app, 'client', 'Other Client');
  session = await heldSession(t, client, therapist, nyAt('2026-11-24', '10:00'), { note: null });
});
afterAll(() => t.close());

/** A card and a payment on it, as the payment service records them. */
async function payment(
  who: Session,
  values: {
    purpose?: 'booking' | 'tip' | 'fee';
    amountMinor: number;
    capturedMinor?: number;
    status?: 'authorized' | 'captured';
    bookingId?: string | null;
    breakdown?: Record<string, unknown>;
    at: number;
  },
) {
  const db = t.database.db;
  const method = await db
    .insertInto('payment_methods')
    .values({
      client_id: who.id,
      provider: 'test',
      provider_token: `pm_${++references}`,
      brand: 'Visa',
      last4: '4242',
      exp_month: 12,
      exp_year: 2030,
      created_at: new Date(values.at),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const status = values.status ?? 'captured';
  if (values.bookingId) {
    // The session was confirmed with a card (session-fixture): its one payment is set to what this test describes.
    const row = await db
      .updateTable('payments')
      .set({
        payment_method_id: method.id,
        status,
        amount_authorized_minor: values.amountMinor,
        amount_captured_minor: status === 'captured' ? (values.capturedMinor ?? values.amountMinor) : 0,
        breakdown: JSON.stringify(values.breakdown ?? {}) as never,
        captured_at: status === 'captured' ? new Date(values.at) : null,
        authorized_at: new Date(values.at),
        created_at: new Date(values.at),
        updated_at: new Date(values.at),
      })
      .where('booking_id', '=', values.bookingId)
      .where('purpose', '=', 'booking')
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }
  const row = await db
    .insertInto('payments')
    .values({
      market: 'nyc',
      currency: 'USD',
      client_id: who.id,
      therapist_id: therapist.id,
      purpose: values.purpose ?? 'booking',
      booking_id: values.bookingId ?? null,
      payment_method_id: method.id,
      provider: 'test',
      provider_reference: `ch_${++references}`,
      status,
      amount_authorized_minor: values.amountMinor,
      amount_captured_minor: status === 'captured' ? (values.capturedMinor ?? values.amountMinor) : 0,
      breakdown: JSON.stringify(values.breakdown ?? {}) as never,
      authorized_at: new Date(values.at),
      captured_at: status === 'captured' ? new Date(values.at) : null,
      created_at: new Date(values.at),
      updated_at: new Date(values.at),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function refund(paymentId: string, amountMinor: number, status: 'pending' | 'succeeded', at: number) {
  const db = t.database.db;
  if (status === 'succeeded') {
    await db
      .updateTable('payments')
      .set((eb) => ({ amount_refunded_minor: eb('amount_refunded_minor', '+', amountMinor) }))
      .where('id', '=', paymentId)
      .execute();
  }
  const row = await db
    .insertInto('payment_refunds')
    .values({
      payment_id: paymentId,
      amount_minor: amountMinor,
      status,
      provider_reference: `re_${++references}`,
      reason: 'Session cut short',
      requested_by: null,
      failure_message: null,
      created_at: new Date(at),
      updated_at: new Date(at),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const issue = (source: ReceiptSource, now: number, options = {}) =>
  t.database.db.transaction().execute((trx) => issueReceipt(trx, source, now, options));

const SESSION_LINES = {
  description: 'Massage session, 60 min',
  lines: [
    { label: 'Session', amountMinor: 12_000 },
    { label: 'Booking fee', amountMinor: 1_000 },
  ],
};

describe('issuing receipts', () => {
  let sessionPayment: string;
  let chargeReceipt: { receiptId: string; number: string };
  let refundReceipt: { receiptId: string; number: string; issued: boolean };

  beforeAll(async () => {
    sessionPayment = await payment(client, {
      amountMinor: 13_000,
      bookingId: session.id,
      breakdown: SESSION_LINES,
      at: session.checkedOutAt,
    });
  });

  it('issues one numbered receipt per capture, with the breakdown’s lines, and issuing again changes nothing', async () => {
    const first = await issue({ paymentId: sessionPayment }, session.checkedOutAt, { timeZone: 'America/New_York' });
    expect(first).toMatchObject({ issued: true, number: expect.stringMatching(/^KW-2026-\d{6}$/) });
    const again = await issue({ paymentId: sessionPayment }, session.checkedOutAt + 1000);
    expect(again).toEqual({ ...first, issued: false });
    chargeReceipt = first;
    const rows = await t.database.db
      .selectFrom('receipts')
      .selectAll()
      .where('payment_id', '=', sessionPayment)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'charge',
      purpose: 'booking',
      amount_minor: 13_000,
      lines: SESSION_LINES.lines,
      description: 'Massage session, 60 min',
      client_name: 'Jamie Fox',
      therapist_name: 'Dana Deep',
      payment_method: 'Visa ending 4242',
      booking_id: session.id,
      time_zone: 'America/New_York',
    });
  });

  it('issues a refund receipt once the refund succeeded, once, and none for a pending one', async () => {
    const pending = await refund(sessionPayment, 1_000, 'pending', session.checkedOutAt + 60_000);
    await expect(issue({ refundId: pending }, session.checkedOutAt + 60_000)).rejects.toThrow(/pending/);
    const done = await refund(sessionPayment, 3_000, 'succeeded', session.checkedOutAt + 120_000);
    refundReceipt = await issue({ refundId: done }, session.checkedOutAt + 120_000);
    expect(refundReceipt.issued).toBe(true);
    expect(refundReceipt.number).not.toBe(chargeReceipt.number);
    expect((await issue({ refundId: done }, session.checkedOutAt + 130_000)).issued).toBe(false);
    const row = await t.database.db
      .selectFrom('receipts')
      .selectAll()
      .where('id', '=', refundReceipt.receiptId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      kind: 'refund',
      refund_id: done,
      amount_minor: 3_000,
      description: 'Refund: Massage session, 60 min',
      lines: [{ label: 'Refund (Session cut short)', amountMinor: 3_000 }],
    });
  });

  it('refuses a receipt for money not taken, and one line stands for a capture the breakdown does not add up to', async () => {
    const held = await payment(client, { amountMinor: 5_000, status: 'authorized', at: TEST_NOW });
    await expect(issue({ paymentId: held }, TEST_NOW)).rejects.toThrow(/authorized/);
    const fee = await payment(client, {
      purpose: 'fee',
      amountMinor: 13_000,
      capturedMinor: 6_500,
      breakdown: SESSION_LINES,
      at: TEST_NOW,
    });
    const receipt = await issue({ paymentId: fee }, TEST_NOW, { description: 'Late cancellation fee (50 %)' });
    const row = await t.database.db
      .selectFrom('receipts')
      .selectAll()
      .where('id', '=', receipt.receiptId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      amount_minor: 6_500,
      description: 'Late cancellation fee (50 %)',
      lines: [{ label: 'Late cancellation fee (50 %)', amountMinor: 6_500 }],
    });
  });

  it('e-mails each receipt once, with its summary and a link to the PDF', async () => {
    t.clock.set(session.checkedOutAt + 3_600_000);
    await background.runRound();
    await background.runRound();
    const messages = await t.database.db
      .selectFrom('messages')
      .select(['kind', 'subject', 'body_text'])
      .where('user_id', '=', client.id)
      .where('kind', 'like', 'money.%')
      .execute();
    const subjects = messages.map((m) => m.subject);
    expect(subjects).toHaveLength(3);
    expect(subjects).toContain(`Your Knotwork receipt ${chargeReceipt.number}`);
    expect(subjects).toContain(`Your Knotwork refund receipt ${refundReceipt.number}`);
    const charge = messages.find((m) => m.subject.endsWith(chargeReceipt.number))!;
    expect(charge.kind).toBe('money.receipt');
    expect(charge.body_text).toContain('Paid: $130');
    expect(charge.body_text).toContain('Therapist: Dana Deep');
    expect(charge.body_text).toContain(`https://knotwork.test/api/me/receipts/${chargeReceipt.receiptId}.pdf`);
    expect(charge.body_text).toContain('https://knotwork.test/payments');
  });

  it('lists the client’s payments newest first with refunds and receipts, paged, and only theirs', async () => {
    const page = await get(client, '/api/me/payments?limit=10');
    expect(page.statusCode, page.body).toBe(200);
    const items = page.json().items as {
      id: string;
      status: string;
      amountRefundedMinor: number;
      refunds: { status: string; amountMinor: number }[];
      receipts: { number: string; kind: string; pdfUrl: string }[];
    }[];
    expect(page.json().hasMore).toBe(false);
    expect(items).toHaveLength(3);
    // The session was paid at its check-out, after the other two.
    expect(items.map((p) => p.id)[0]).toBe(sessionPayment);
    const paid = items[0]!;
    expect(paid).toMatchObject({
      status: 'captured',
      amountRefundedMinor: 3_000,
      therapistName: 'Dana Deep',
      paymentMethod: 'Visa ending 4242',
      description: 'Massage session, 60 min',
    });
    expect(paid.refunds.map((r) => [r.status, r.amountMinor])).toEqual([
      ['pending', 1_000],
      ['succeeded', 3_000],
    ]);
    expect(paid.receipts.map((r) => [r.number, r.kind, r.pdfUrl])).toEqual([
      [chargeReceipt.number, 'charge', `/api/me/receipts/${chargeReceipt.receiptId}.pdf`],
      [refundReceipt.number, 'refund', `/api/me/receipts/${refundReceipt.receiptId}.pdf`],
    ]);
    const first = (await get(client, '/api/me/payments?limit=2')).json();
    const second = (await get(client, '/api/me/payments?limit=2&offset=2')).json();
    expect(first.hasMore).toBe(true);
    expect(second.hasMore).toBe(false);
    expect([...first.items, ...second.items].map((p: { id: string }) => p.id)).toEqual(items.map((p) => p.id));
    expect((await get(otherClient, '/api/me/payments')).json()).toEqual({ items: [], hasMore: false });
    expect((await get(therapist.session, '/api/me/payments')).statusCode).toBe(403);
    expect((await get(null, '/api/me/payments')).statusCode).toBe(401);
    const bad = await get(client, '/api/me/payments?limit=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'limit', in: 'query' });
  });

  it('serves a receipt as a PDF to its client and operators, the same bytes each time, and 404 to anyone else', async () => {
    const url = `/api/me/receipts/${chargeReceipt.receiptId}.pdf`;
    const pdf = await get(client, url);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain(`Receipt ${chargeReceipt.number}`);
    expect(text).toContain('Dana Deep');
    expect(text).toContain('Visa ending 4242');
    expect(text).toContain('$130');
    expect((await get(client, url)).rawPayload.equals(pdf.rawPayload)).toBe(true);
    expect((await get(operator, url)).statusCode).toBe(200);
    const refundPdf = pdfText((await get(client, `/api/me/receipts/${refundReceipt.receiptId}.pdf`)).rawPayload);
    expect(refundPdf).toContain(`Refund receipt ${refundReceipt.number}`);
    for (const who of [otherClient, therapist.session]) {
      const refused = await get(who, url);
      expect(refused.statusCode).toBe(404);
      expect(refused.headers['content-type']).toContain('application/problem+json');
    }
    expect((await get(null, url)).statusCode).toBe(401);
    expect((await get(client, '/api/me/receipts/00000000-0000-4000-8000-000000000000.pdf')).statusCode).toBe(404);
    const badId = await get(client, '/api/me/receipts/not-an-id.pdf');
    expect(badId.statusCode).toBe(400);
    expect(badId.json().errors[0]).toMatchObject({ field: 'id', in: 'path' });
  });
});

describe('the superbill', () => {
  const superbill = (who: Session | null, from: string, to: string) =>
    get(who, `/api/me/superbill.pdf?from=${from}&to=${to}`);

  it('lists the completed sessions of the range with licence, codes, units, place and what was paid', async () => {
    const response = await superbill(client, '2026-11-01', '2026-11-30');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toContain('knotwork-superbill-2026-11-01-to-2026-11-30.pdf');
    const text = pdfText(response.rawPayload);
    expect(text).toContain('Jamie Fox');
    expect(text).toContain('Provider: Dana Deep');
    expect(text).toContain(`LMT-${therapist.id.slice(0, 8)}`);
    expect(text).toContain('New York State');
    // 13,000 captured less 3,000 refunded; the fee and the card hold are not the session's payment.
    for (const cell of ['11/24/2026', 'Massage therapy, 60 min', '97124', '4', '11 Office', '$100']) {
      expect(text).toContain(cell);
    }
  });

  it('leaves out sessions outside the range, by the date where the session took place', async () => {
    const text = pdfText((await superbill(client, '2026-11-25', '2026-12-31')).rawPayload);
    expect(text).toContain('No massage therapy sessions took place in these dates.');
    expect(text).not.toContain('97124');
    const own = pdfText((await superbill(otherClient, '2026-11-01', '2026-11-30')).rawPayload);
    expect(own).not.toContain('Provider: Dana Deep');
  });

  it('refuses a reversed range, more than a year, a date that does not exist, and anyone but a client', async () => {
    const reversed = await superbill(client, '2026-11-30', '2026-11-01');
    expect(reversed.statusCode).toBe(422);
    expect(reversed.json()).toMatchObject({
      code: 'superbill_range_invalid',
      errors: [{ field: 'to', in: 'query', code: 'range_reversed' }],
    });
    const long = await superbill(client, '2025-01-01', '2026-01-01');
    expect(long.statusCode).toBe(422);
    expect(long.json().errors[0]).toMatchObject({
      field: 'to',
      code: 'range_too_long',
      message: 'A superbill covers at most a year: choose a last date before January 1, 2026',
    });
    expect((await superbill(client, '2024-01-01', '2024-12-31')).statusCode).toBe(200);
    expect((await superbill(client, '2024-02-29', '2025-02-28')).statusCode).toBe(200);
    expect((await superbill(client, '2024-02-29', '2025-03-01')).statusCode).toBe(422);
    const impossible = await superbill(client, '2026-02-30', '2026-03-01');
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().errors[0]).toMatchObject({ field: 'from', in: 'query' });
    const missing = await get(client, '/api/me/superbill.pdf?from=2026-01-01');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0]).toMatchObject({ field: 'to', in: 'query' });
    expect((await superbill(therapist.session, '2026-11-01', '2026-11-30')).statusCode).toBe(403);
    expect((await superbill(null, '2026-11-01', '2026-11-30')).statusCode).toBe(401);
  });
});
