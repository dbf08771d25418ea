import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import { formatInstant } from '../../src/domain/session-time.js';
import type { PaymentProvider } from '../../src/money/engine/payment-provider.js';
import { TestProcessor } from '../../src/money/test-processor/test-processor.js';
import { type MailSender, createSmtpSender } from '../../src/notify/mail-delivery.js';
import { saveCard } from '../support/payment-fixture.js';
import { pdfText } from '../support/pdf-text.js';
import { type SmtpPeer, startSmtpPeer } from '../support/smtp-peer.js';
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
 * Receipts and superbills write their times where the money moved, whatever zone the server runs in (UTC here) and
 * whatever the market's (New York): a session's in its place's zone, a purchase without a session in the market's.
 * A Los Angeles studio's evening session is checked out at 22:02 on Tuesday 24 November there, which is already
 * Wednesday in New York and in UTC: every receipt of that session says Tuesday, in its e-mail (read at a real SMTP
 * peer), on the payments page and in its PDF.
 */

let t: TestApp;
let background: BackgroundWork;
let smtp: SmtpPeer;
let sender: MailSender;
let therapist: TherapistFixture;
let operator: Session;
let client: Session;
let paymentMethodId: string;

const MINUTE = 60_000;
const LA = 'America/Los_Angeles';
const NY = 'America/New_York';
/** 21:00 on Tuesday 24 November 2026 in Los Angeles (05:00 UTC on the 25th). */
const START = Date.parse('2026-11-24T21:00:00-08:00');
const CHECK_OUT = START + 62 * MINUTE;

beforeAll(async () => {
  let provider: PaymentProvider | undefined;
  t = await startTestApp({
    paymentProvider: (deps) => (provider = new TestProcessor({ ...deps, webhookSecret: 'receipt-zones-secret' })),
  });
  smtp = await startSmtpPeer();
  sender = createSmtpSender(smtp.url);
  background = createBackgroundWork(
    { db: t.database.db, clock: t.clock, config: { ...t.config, publicUrl: 'https://knotwork.test' } },
    { sender, payments: { provider: provider! } },
  );
  operator = await createOperator(t);
  therapist = await createTherapist(
    t,
    {
      displayName: 'Lee Angeles',
      zone: LA,
      studio: { lat: 34.0522, lng: -118.2437 },
      hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '18:00', end: '23:00', place: 'studio' as const })),
    },
    operator,
  );
  client = await signUp(t.app, 'client', 'Jamie Fox');
  paymentMethodId = await saveCard(t.app, client);
}, 120_000);
afterAll(async () => {
  sender?.close?.();
  await smtp?.close();
  await t?.close();
});

const post = (who: Session, url: string, payload?: unknown) =>
  call(t.app, who, { method: 'POST', url, ...(payload === undefined ? {} : { payload }) });

const receiptsOf = () =>
  t.database.db
    .selectFrom('receipts')
    .select(['id', 'number', 'purpose', 'kind', 'issued_at', 'time_zone'])
    .where('client_id', '=', client.id)
    .orderBy('number')
    .execute();

/** The mails the SMTP peer received for this receipt number. */
const mailsOf = (number: string) => smtp.received.filter((m) => m.subject.includes(number));

describe(`receipts in the zone where the money moved, on ${BACKEND}`, () => {
  let bookingId: string;

  it('a session’s receipts (the capture, its tip, a refund) write the session’s local date and time', async () => {
    t.clock.set(START - 2 * 86_400_000);
    const held = await post(client, '/api/bookings', {
      therapistId: therapist.id,
      durationMin: 60,
      start: new Date(START).toISOString(),
      place: { mode: 'studio', studioId: therapist.studioId },
    });
    expect(held.statusCode, held.body).toBe(201);
    bookingId = held.json<{ id: string; timeZone: string }>().id;
    expect(held.json<{ timeZone: string }>().timeZone).toBe(LA);
    const confirmed = await post(client, `/api/bookings/${bookingId}/confirm`, { paymentMethodId });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    t.clock.set(START - 5 * MINUTE);
    expect((await post(therapist.session, `/api/bookings/${bookingId}/check-in`)).statusCode).toBe(200);
    t.clock.set(CHECK_OUT);
    expect((await post(therapist.session, `/api/bookings/${bookingId}/check-out`)).statusCode).toBe(200);
    await background.runRound();
    // A tip, charged when it can no longer change (15 minutes on), and a refund at 23:30 there.
    t.clock.set(CHECK_OUT + 5 * MINUTE);
    const tipped = await call(t.app, client, {
      method: 'PUT',
      url: `/api/bookings/${bookingId}/tip`,
      payload: { percent: 20, paymentMethodId },
    });
    expect(tipped.statusCode, tipped.body).toBe(200);
    t.clock.set(CHECK_OUT + 20 * MINUTE);
    await background.runRound();
    const payment = await t.database.db
      .selectFrom('payments')
      .select('id')
      .where('booking_id', '=', bookingId)
      .where('purpose', '=', 'booking')
      .executeTakeFirstOrThrow();
    t.clock.set(Date.parse('2026-11-24T23:30:00-08:00'));
    const refunded = await post(operator, `/api/operator/payments/${payment.id}/refunds`, {
      amountMinor: 1_000,
      reason: 'Started late',
    });
    expect(refunded.statusCode, refunded.body).toBe(201);
    await background.runRound();
    await background.runRound();

    const receipts = await receiptsOf();
    expect(receipts.map((r) => [r.purpose, r.kind, r.time_zone])).toEqual([
      ['booking', 'charge', LA],
      ['tip', 'charge', LA],
      ['booking', 'refund', LA],
    ]);
    for (const receipt of receipts) {
      // In UTC and in New York it is already Wednesday.
      expect(new Date(receipt.issued_at).toISOString().slice(0, 10)).toBe('2026-11-25');
      const [mail] = mailsOf(receipt.number);
      expect(mail, receipt.number).toBeDefined();
      expect(mail!.text).toContain('Date: November 24, 2026');
      expect(mail!.text).not.toContain('November 25');
      const pdf = await call(t.app, client, { method: 'GET', url: `/api/me/receipts/${receipt.id}.pdf` });
      expect(pdf.statusCode).toBe(200);
      const text = pdfText(pdf.rawPayload).join(' ');
      expect(text).toContain('November 24, 2026');
      expect(text).toContain(formatInstant(receipt.issued_at, LA, { style: 'full' }));
      expect(text).not.toContain('November 25');
    }
    // The payments page gives each receipt its zone, for the screen to write its times in.
    const page = await call(t.app, client, { method: 'GET', url: '/api/me/payments' });
    const zones = page
      .json<{ items: { receipts: { timeZone: string }[] }[] }>()
      .items.flatMap((p) => p.receipts.map((r) => r.timeZone));
    expect(zones).toEqual([LA, LA, LA]);
  });

  it('a package bought without a session has its receipt in the market’s zone (New York)', async () => {
    t.clock.set(Date.parse('2026-11-24T22:00:00-05:00'));
    const offer = await post(therapist.session, '/api/package-offers', {
      market: 'nyc',
      name: 'Three evenings',
      durationMin: 60,
      sessions: 3,
      priceMinor: 30_000,
      currency: 'USD',
      validDays: 180,
    });
    expect(offer.statusCode, offer.body).toBe(201);
    const bought = await post(client, '/api/packages', { offerId: offer.json<{ id: string }>().id, paymentMethodId });
    expect(bought.statusCode, bought.body).toBe(201);
    await background.runRound();
    const receipt = (await receiptsOf()).find((r) => r.purpose === 'package')!;
    expect(receipt.time_zone).toBe(NY);
    expect(mailsOf(receipt.number)[0]!.text).toContain('Date: November 24, 2026');
  });

  it('a superbill is dated where its sessions took place', async () => {
    t.clock.set(Date.parse('2026-11-24T23:45:00-08:00'));
    const pdf = await call(t.app, client, {
      method: 'GET',
      url: '/api/me/superbill.pdf?from=2026-11-24&to=2026-11-24',
    });
    expect(pdf.statusCode, pdf.body).toBe(200);
    const text = pdfText(pdf.rawPayload).join(' ');
    expect(text).toContain('Issued');
    expect(text).not.toContain('November 25');
  });
});
