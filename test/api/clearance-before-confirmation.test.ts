import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { type MailSender, createSmtpSender } from '../../src/notify/mail-delivery.js';
import { type SmtpPeer, calendarEventsOf, startSmtpPeer } from '../support/smtp-peer.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  BACKEND,
  type Session,
  type TestApp,
  TEST_NOW,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';
import { bookingJournal } from '../../src/money/ledger-store.js';
import { payWithCard } from '../support/payment-fixture.js';

/**
 * Clearance before confirmation (issue 14, deliverable 5): a session that needs a medical clearance not yet verified
 * waits as awaiting_clearance (slot kept, nothing charged, both told what is missing and by when) until the
 * clearance is verified (confirmed and charged then) or its deadline, 24 hours before the start, passes (released
 * free of charge, both told).
 */
let t: TestApp;
let smtp: SmtpPeer;
let sender: MailSender;
let background: BackgroundWork;
let operator: Session;
let therapist: TherapistFixture;
let therapistEmail: string;

beforeAll(async () => {
  t = await startTestApp();
  smtp = await startSmtpPeer();
  sender = createSmtpSender(smtp.url);
  background = createBackgroundWork({ db: t.database.db, clock: t.clock, config: t.config }, { sender });
  operator = await createOperator(t);
  therapist = await createTherapist(t, { displayName: 'Dana Smith' }, operator);
  therapistEmail = therapist.session.email;
});
afterAll(async () => {
  sender.close?.();
  await smtp.close();
  await t.close();
});
beforeEach(() => t.clock.set(TEST_NOW));

const HOUR = 3_600_000;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
/** A local time in New York (UTC-5 in these weeks); TEST_NOW is Monday 23 November, 07:00 there. */
const at = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();

const kidneyClient = () =>
  signUp(t.app, 'client', 'Kim Lee', { intake: { ...deskWorkerIntake(), conditions: { kidneyFailure: true } } });
const hold = (client: Session, start: string) =>
  call(t.app, client, {
    method: 'POST',
    url: '/api/bookings',
    payload: {
      therapistId: therapist.id,
      durationMin: 60,
      start,
      place: { mode: 'studio', studioId: therapist.studioId },
    },
  });
const confirm = async (client: Session, id: string) =>
  call(t.app, client, {
    method: 'POST',
    url: `/api/bookings/${id}/confirm`,
    payload: await payWithCard(t.app, client),
  });
const view = async (who: Session, id: string) =>
  (await call(t.app, who, { method: 'GET', url: `/api/bookings/${id}` })).json();
const ledgerOf = (bookingId: string) => bookingJournal(t.database.db, bookingId);
const upload = (who: Session, bookingId: string) =>
  call(t.app, who, {
    method: 'POST',
    url: `/api/bookings/${bookingId}/clearance-documents`,
    payload: { filename: 'nephrologist.pdf', contentBase64: PDF.toString('base64') },
  });
const verify = (who: Session, bookingId: string, documentId: string) =>
  call(t.app, who, {
    method: 'POST',
    url: `/api/bookings/${bookingId}/clearance-documents/${documentId}/review`,
    payload: { decision: 'verify' },
  });
const mailsTo = (email: string, subject: RegExp) =>
  smtp.received.filter((m) => m.to.includes(email) && subject.test(m.subject));

/** Holds and confirms as the client; the confirm's answer. */
async function reserve(client: Session, start: string) {
  const held = await hold(client, start);
  expect(held.statusCode, held.body).toBe(201);
  const confirmed = await confirm(client, held.json().id);
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return confirmed.json();
}

describe(`a session that needs a medical clearance (${BACKEND})`, () => {
  it('waits for it, keeping the slot and charging nothing, and is confirmed and charged once it is verified', async () => {
    const client = await kidneyClient();
    const start = at('2026-11-25', '10:00');
    const booking = await reserve(client, start);
    expect(booking).toMatchObject({
      status: 'awaiting_clearance',
      confirmedAt: null,
      holdExpiresAt: null,
      clearanceDueAt: new Date(Date.parse(start) - 24 * HOUR).toISOString(),
      screening: { outcome: 'clearance_required', clearance: 'pending' },
    });
    expect(await ledgerOf(booking.id)).toEqual([]);

    // The slot is kept: another client cannot take it, and the client cannot confirm it twice.
    const other = await signUp(t.app, 'client', 'Other Client');
    const taken = await hold(other, start);
    expect(taken.statusCode, taken.body).toBe(409);
    expect(taken.json().code).toBe('slot_unavailable');
    expect((await confirm(client, booking.id)).json().code).toBe('invalid_transition');

    // Both are told what is missing and by when (Tuesday 24 November, 10:00 in New York).
    await background.runRound();
    await background.runRound();
    const [toClient] = mailsTo(client.email, /^Medical clearance needed by/);
    expect(toClient!.subject).toBe(
      'Medical clearance needed by Tue, Nov 24, 10:00 AM EST: your session on Wed, Nov 25, 10:00 AM EST',
    );
    expect(toClient!.text).toContain('Nothing has been charged.');
    expect(toClient!.text).toContain(
      'What is missing: A medical clearance document, uploaded in Knotwork and verified by your therapist.',
    );
    expect(toClient!.text).toContain('By when: Tuesday, November 24, 2026, 10:00 AM Eastern Standard Time');
    expect(toClient!.text).not.toMatch(/kidney/i);
    const [toTherapist] = mailsTo(therapistEmail, /^Awaiting clearance: Kim Lee/);
    expect(toTherapist!.text).toContain(
      'What is missing: A medical clearance document from the client, verified by you.',
    );
    expect(toTherapist!.text).toContain('By when: Tuesday, November 24, 2026, 10:00 AM Eastern Standard Time');
    // Not confirmed yet: no confirmation; the calendar file keeps the time as a tentative event.
    expect(mailsTo(client.email, /^Booking confirmed/)).toEqual([]);
    const [tentative] = calendarEventsOf(toTherapist!);
    expect([tentative!.uid, tentative!.status]).toEqual([`${booking.id}@knotwork`, 'TENTATIVE']);
    expect(calendarEventsOf(toClient!).map((e) => e.status)).toEqual(['TENTATIVE']);

    // The therapist's brief says it is not confirmed and until when the clearance can come, on screen and printed.
    const brief = await call(t.app, therapist.session, { method: 'GET', url: `/api/bookings/${booking.id}/brief` });
    expect(brief.json().booking).toMatchObject({
      status: 'awaiting_clearance',
      clearanceDueAt: booking.clearanceDueAt,
    });
    const printable = await call(t.app, therapist.session, { method: 'GET', url: `/bookings/${booking.id}/brief` });
    expect(printable.body).toContain(
      'Not confirmed: awaiting medical clearance.</strong> The session is released, free of charge, unless a clearance document is verified by Tuesday, November 24, 2026, 10:00 AM Eastern Standard Time.',
    );

    const document = (await upload(client, booking.id)).json();
    t.clock.advance(3 * HOUR);
    const verified = await verify(therapist.session, booking.id, document.id);
    expect(verified.statusCode, verified.body).toBe(200);
    const confirmed = await view(client, booking.id);
    expect(confirmed).toMatchObject({
      status: 'confirmed',
      confirmedAt: new Date(TEST_NOW + 3 * HOUR).toISOString(),
      screening: { clearance: 'verified' },
    });
    expect(await ledgerOf(booking.id)).toEqual([{ kind: 'charge', amountMinor: confirmed.priceCents }]);
    await background.runRound();
    await background.runRound();
    const [confirmation] = mailsTo(client.email, /^Booking confirmed: Wed, Nov 25, 10:00 AM EST/);
    // The confirmation's calendar file is the same event, confirmed, superseding the tentative one.
    const [confirmedEvent] = calendarEventsOf(confirmation!);
    expect([confirmedEvent!.uid, confirmedEvent!.status]).toEqual([`${booking.id}@knotwork`, 'CONFIRMED']);
    expect(Number(confirmedEvent!.sequence)).toBeGreaterThan(Number(tentative!.sequence));

    // The deadline passing later changes nothing for a cleared booking.
    t.clock.set(Date.parse(start) - 23 * HOUR);
    await background.runRound();
    expect((await view(client, booking.id)).status).toBe('confirmed');
    expect(await ledgerOf(booking.id)).toHaveLength(1);
  });

  it('is released free of charge when the clearance is not verified 24 hours before the start, and both are told', async () => {
    const client = await kidneyClient();
    const start = at('2026-11-26', '13:00');
    const booking = await reserve(client, start);
    expect(booking.status).toBe('awaiting_clearance');
    await upload(client, booking.id); // uploaded, never verified

    t.clock.set(Date.parse(start) - 24 * HOUR - 60_000);
    await background.runRound();
    expect((await view(client, booking.id)).status).toBe('awaiting_clearance');

    t.clock.set(Date.parse(start) - 24 * HOUR);
    await background.runRound();
    await background.runRound();
    const released = await view(client, booking.id);
    expect(released).toMatchObject({
      status: 'cancelled',
      cancellationFeeCents: 0,
      cancellationReason: 'Released free of charge: the medical clearance was not verified 24 hours before the session',
    });
    expect(await ledgerOf(booking.id)).toEqual([]);
    const [toClient, ...more] = mailsTo(client.email, /^Released: your session on Thu, Nov 26, 1:00 PM EST/);
    expect(more).toEqual([]);
    expect(toClient!.text).toContain(
      'was not verified 24 hours before it, so the session was released. Nothing was charged',
    );
    expect(toClient!.text).toContain('Fee: None');
    const [releasedToTherapist, ...again] = mailsTo(therapistEmail, /^Released: Kim Lee, Thu, Nov 26, 1:00 PM EST/);
    expect(again).toEqual([]);
    // The tentative event in both calendars is cancelled.
    const [awaitingToTherapist] = mailsTo(therapistEmail, /^Awaiting clearance: Kim Lee, Thu, Nov 26/);
    const [was] = calendarEventsOf(awaitingToTherapist!);
    const [now] = calendarEventsOf(releasedToTherapist!);
    expect([now!.uid, now!.status, was!.status]).toEqual([`${booking.id}@knotwork`, 'CANCELLED', 'TENTATIVE']);
    expect(Number(now!.sequence)).toBeGreaterThan(Number(was!.sequence));
    expect(calendarEventsOf(toClient!).map((e) => e.status)).toEqual(['CANCELLED']);

    // The slot is free again.
    const other = await signUp(t.app, 'client', 'Other Client');
    expect((await hold(other, start)).statusCode).toBe(201);
  });

  it('is released, not confirmed, when its clearance is verified after the deadline but before the job ran', async () => {
    const client = await kidneyClient();
    const start = at('2026-11-27', '09:00');
    const booking = await reserve(client, start);
    const document = (await upload(client, booking.id)).json();
    t.clock.set(Date.parse(start) - 24 * HOUR + 5 * 60_000);
    expect((await verify(therapist.session, booking.id, document.id)).statusCode).toBe(200);
    expect((await view(client, booking.id)).status).toBe('cancelled');
    expect(await ledgerOf(booking.id)).toEqual([]);
  });

  it('is confirmed and charged at once when an intake change removes the clearance requirement', async () => {
    const client = await kidneyClient();
    const booking = await reserve(client, at('2026-11-30', '15:00'));
    expect(booking.status).toBe('awaiting_clearance');
    t.clock.advance(HOUR);
    const saved = await call(t.app, client, { method: 'PUT', url: '/api/me/intake', payload: deskWorkerIntake() });
    expect(saved.statusCode, saved.body).toBeLessThan(300);
    const confirmed = await view(client, booking.id);
    expect(confirmed).toMatchObject({
      status: 'confirmed',
      confirmedAt: new Date(TEST_NOW + HOUR).toISOString(),
      screening: { outcome: 'proceed' },
    });
    expect(await ledgerOf(booking.id)).toEqual([{ kind: 'charge', amountMinor: confirmed.priceCents }]);
  });

  it('is confirmed and charged at once when the therapist overrides the rule that asked for the clearance', async () => {
    const client = await kidneyClient();
    const booking = await reserve(client, at('2026-12-01', '15:00'));
    expect(booking.status).toBe('awaiting_clearance');
    t.clock.advance(2 * HOUR);
    const overridden = await call(t.app, therapist.session, {
      method: 'POST',
      url: `/api/bookings/${booking.id}/screening/overrides`,
      payload: { ruleId: 'kidney_failure', reason: 'Spoke to the nephrologist; light work only, as planned' },
    });
    expect(overridden.statusCode, overridden.body).toBe(201);
    const confirmed = await view(client, booking.id);
    expect(confirmed).toMatchObject({
      status: 'confirmed',
      confirmedAt: new Date(TEST_NOW + 2 * HOUR).toISOString(),
    });
    expect(await ledgerOf(booking.id)).toEqual([{ kind: 'charge', amountMinor: confirmed.priceCents }]);
  });

  it('can be cancelled free of charge by the client while it waits', async () => {
    const client = await kidneyClient();
    const booking = await reserve(client, at('2026-11-30', '11:00'));
    const cancelled = await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${booking.id}/cancel`,
      payload: {},
    });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancellationFeeCents: 0 });
    expect(await ledgerOf(booking.id)).toEqual([]);
  });

  it('booked less than 24 hours ahead, is refused at once unless a verified clearance already covers it', async () => {
    const client = await kidneyClient();
    t.clock.set(at('2026-11-30', '12:00'));
    const held = await hold(client, at('2026-12-01', '10:00'));
    expect(held.statusCode, held.body).toBe(201);
    const refused = await confirm(client, held.json().id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'clearance_too_late' });
    expect((await view(client, held.json().id)).status).toBe('held');
    expect(await ledgerOf(held.json().id)).toEqual([]);

    // Verified while the slot is held, it is confirmed at once and charged.
    const document = (await upload(client, held.json().id)).json();
    expect((await verify(therapist.session, held.json().id, document.id)).statusCode).toBe(200);
    const confirmed = await confirm(client, held.json().id);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', screening: { clearance: 'verified' } });
    expect(await ledgerOf(held.json().id)).toEqual([{ kind: 'charge', amountMinor: confirmed.json().priceCents }]);
  });
});
