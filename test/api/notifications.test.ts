import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import { type MailSender, createSmtpSender, deliverDueMessages } from '../../src/notify/mail-delivery.js';
import { enqueueMessages } from '../../src/notify/outbox.js';
import { bookSession } from '../support/booking-fixture.js';
import { type SmtpPeer, calendarEventsOf, icalText, startSmtpPeer } from '../support/smtp-peer.js';
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
import { payWithCard } from '../support/payment-fixture.js';

let t: TestApp;
let smtp: SmtpPeer;
let sender: MailSender;
let background: BackgroundWork;
let operator: Session;

beforeAll(async () => {
  t = await startTestApp();
  smtp = await startSmtpPeer();
  sender = createSmtpSender(smtp.url);
  // With a public URL, so the confirmation links the "What to expect" guide.
  background = createBackgroundWork(
    { db: t.database.db, clock: t.clock, config: { ...t.config, publicUrl: 'https://knotwork.example' } },
    { sender },
  );
  operator = await createOperator(t);
});
afterAll(async () => {
  sender.close?.();
  await smtp.close();
  await t.close();
});
beforeEach(() => t.clock.set(TEST_NOW));

const MINUTE = 60_000;
const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));

/** A therapist in New York and a client, each with their own mailbox. */
async function people(): Promise<{ therapist: TherapistFixture; client: Session }> {
  const therapist = await createTherapist(t, { displayName: 'Dana Smith' }, operator);
  const client = await signUp(t.app, 'client', 'Jamie Fox');
  return { therapist, client };
}

describe('booking confirmation', () => {
  it('e-mails client and therapist once, in the session’s zone, with the terms and a calendar file', async () => {
    const { therapist, client } = await people();
    // Wednesday 25 November 2026, 10:00 in New York.
    const booking = await bookSession(t, client, therapist, '2026-11-25T15:00:00Z');
    await background.runRound();
    await background.runRound();

    const [toClient, ...moreToClient] = mailsTo(client.email);
    expect(moreToClient).toEqual([]);
    expect(toClient!.subject).toBe('Booking confirmed: Wed, Nov 25, 10:00 AM EST with Dana Smith');
    expect(toClient!.text).toContain('Hi Jamie Fox,');
    expect(toClient!.text).toContain('When: Wednesday, November 25, 2026, 10:00–11:00 AM Eastern Standard Time');
    expect(toClient!.text).toContain(
      'Cancellation terms: Free cancellation until 24 hours before the session; after that the fee is 50% ($60).',
    );
    expect(toClient!.text).toContain(
      'Free cancellation until: Tuesday, November 24, 2026, 10:00 AM Eastern Standard Time',
    );
    expect(toClient!.html).toContain('<th align="left" valign="top">When</th>');
    const [event] = calendarEventsOf(toClient!);
    expect(event!.uid).toBe(`${booking.id}@knotwork`);
    expect(event!.start.toISOString()).toBe(booking.startsAt);
    expect(event!.end!.toISOString()).toBe(booking.endsAt);
    expect(event!.status).toBe('CONFIRMED');
    expect(icalText(event!.summary)).toBe('Deep tissue massage (60 min) with Dana Smith');
    expect(toClient!.parsed.attachments[0]!.contentType).toBe('text/calendar');
    expect(toClient!.parsed.attachments[0]!.filename).toBe('knotwork-session.ics');
    // The client is pointed to the guide to the session; the therapist is not.
    expect(toClient!.text).toContain(
      'Before your session:\nWhat to expect before, during and after a deep tissue session: https://knotwork.example/guides/what-to-expect',
    );
    expect(toClient!.html).toContain(
      '<a href="https://knotwork.example/guides/what-to-expect">What to expect before, during and after a deep tissue session</a>',
    );

    const [toTherapist, ...moreToTherapist] = mailsTo(therapist.session.email);
    expect(moreToTherapist).toEqual([]);
    expect(toTherapist!.subject).toBe('New booking: Jamie Fox, Wed, Nov 25, 10:00 AM EST');
    expect(toTherapist!.text).toContain('Jamie Fox booked a 60-minute deep tissue session with you.');
    expect(toTherapist!.text).not.toContain('/guides/');
    expect(icalText(calendarEventsOf(toTherapist!)[0]!.summary)).toBe('Deep tissue massage (60 min): Jamie Fox');

    const inbox = await call(t.app, client, { method: 'GET', url: '/api/messages' });
    expect(inbox.json().items).toMatchObject([
      {
        kind: 'booking.confirmed',
        subject: toClient!.subject,
        status: 'sent',
        bookingId: booking.id,
        sentAt: new Date(TEST_NOW).toISOString(),
      },
    ]);
    const row = await t.database.db
      .selectFrom('messages')
      .select('id')
      .where('user_id', '=', client.id)
      .executeTakeFirstOrThrow();
    expect(toClient!.messageId).toBe(`<${row.id}@knotwork.test>`);
    expect(inbox.json().items[0].attachments).toEqual([
      { filename: 'knotwork-session.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH' },
    ]);
    const file = await call(t.app, client, { method: 'GET', url: `/api/messages/${row.id}/attachments/0` });
    expect(file.headers['content-type']).toBe('text/calendar; charset=utf-8; method=PUBLISH');
    expect(file.body).toBe(toClient!.parsed.attachments[0]!.content.toString('utf8'));
    expect(
      (await call(t.app, therapist.session, { method: 'GET', url: `/api/messages/${row.id}/attachments/0` }))
        .statusCode,
    ).toBe(404);
  });

  it('says nothing about holds that expire or are released', async () => {
    const { therapist, client } = await people();
    const hold = (start: string) =>
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
    const released = (await hold('2026-11-25T16:30:00Z')).json();
    await call(t.app, client, { method: 'POST', url: `/api/bookings/${released.id}/cancel` });
    await hold('2026-11-25T18:00:00Z');
    t.clock.advance(11 * MINUTE);
    await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${released.id}/confirm`,
      payload: await payWithCard(t.app, client),
    });
    await background.runRound();
    expect(mailsTo(client.email)).toEqual([]);
    expect(mailsTo(therapist.session.email)).toEqual([]);
  });
});

describe('the reminder 24 hours before', () => {
  it('reaches both people exactly once, at its time, and repeats the cancellation terms', async () => {
    const { therapist, client } = await people();
    // Thursday 26 November, 10:00 in New York: the reminder is due on Wednesday at 10:00 (15:00 UTC).
    await bookSession(t, client, therapist, '2026-11-26T15:00:00Z');
    await background.runRound();
    t.clock.set('2026-11-25T14:59:00Z');
    await background.runRound();
    expect(mailsTo(client.email).map((m) => m.subject)).toEqual([
      'Booking confirmed: Thu, Nov 26, 10:00 AM EST with Dana Smith',
    ]);

    t.clock.set('2026-11-25T15:00:00Z');
    await background.runRound();
    await background.runRound();
    const reminders = smtp.received.filter(
      (m) =>
        m.subject.startsWith('Reminder') && (m.to.includes(client.email) || m.to.includes(therapist.session.email)),
    );
    expect(reminders.map((m) => [m.to[0], m.subject])).toEqual(
      expect.arrayContaining([
        [client.email, 'Reminder: Thu, Nov 26, 10:00 AM EST with Dana Smith'],
        [therapist.session.email, 'Reminder: Jamie Fox, Thu, Nov 26, 10:00 AM EST'],
      ]),
    );
    expect(reminders).toHaveLength(2);
    for (const reminder of reminders) {
      expect(reminder.text).toContain(
        'Cancellation terms: Free cancellation until 24 hours before the session; after that the fee is 50% ($60).',
      );
      expect(reminder.text).toContain(
        'Free cancellation until: Wednesday, November 25, 2026, 10:00 AM Eastern Standard Time',
      );
    }
  });

  it('is not sent for a booking confirmed less than a day ahead: the confirmation already carries the terms', async () => {
    const { therapist, client } = await people();
    await bookSession(t, client, therapist, '2026-11-23T20:00:00Z');
    await background.runRound();
    t.clock.set('2026-11-23T19:00:00Z');
    await background.runRound();
    expect(mailsTo(client.email).map((m) => m.subject)).toEqual([
      'Booking confirmed: Mon, Nov 23, 3:00 PM EST with Dana Smith',
    ]);
  });
});

describe('cancellation and change notices', () => {
  it('tells both about a cancellation, marks the calendar entry cancelled, and drops the reminder', async () => {
    const { therapist, client } = await people();
    const booking = await bookSession(t, client, therapist, '2026-11-27T15:00:00Z');
    await background.runRound();
    const cancel = await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${booking.id}/cancel`,
      payload: { reason: 'Migraine since Tuesday' },
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    await background.runRound();

    const [confirmation, cancellation, ...rest] = mailsTo(client.email);
    expect(rest).toEqual([]);
    expect(cancellation!.subject).toBe('Cancelled: your session on Fri, Nov 27, 10:00 AM EST');
    expect(cancellation!.text).toContain('You cancelled the 60-minute session on Fri, Nov 27, 10:00 AM EST.');
    expect(cancellation!.text).toContain('Fee: None');
    expect(cancellation!.text).not.toContain('Migraine');
    const [was] = calendarEventsOf(confirmation!);
    const [now] = calendarEventsOf(cancellation!);
    expect(now!.uid).toBe(was!.uid);
    expect(now!.status).toBe('CANCELLED');
    expect(Number(now!.sequence)).toBeGreaterThan(Number(was!.sequence));
    const toTherapist = mailsTo(therapist.session.email).at(-1)!;
    expect(toTherapist.subject).toBe('Cancelled: Jamie Fox, Fri, Nov 27, 10:00 AM EST');
    expect(toTherapist.text).toContain('Jamie Fox cancelled the 60-minute session');

    t.clock.set('2026-11-26T15:00:00Z');
    await background.runRound();
    expect(mailsTo(client.email)).toHaveLength(2);
    expect(mailsTo(therapist.session.email)).toHaveLength(2);
  });

  it('states the late fee after the cut-off, and who cancelled', async () => {
    const { therapist, client } = await people();
    const late = await bookSession(t, client, therapist, '2026-11-24T15:00:00Z');
    const byTherapist = await bookSession(t, client, therapist, '2026-11-24T17:00:00Z');
    t.clock.set('2026-11-23T20:00:00Z');
    await call(t.app, client, { method: 'POST', url: `/api/bookings/${late.id}/cancel` });
    await call(t.app, therapist.session, { method: 'POST', url: `/api/bookings/${byTherapist.id}/cancel` });
    await background.runRound();

    const toClient = mailsTo(client.email).filter((m) => m.subject.startsWith('Cancelled'));
    expect(toClient.map((m) => m.subject)).toEqual(
      expect.arrayContaining([
        'Cancelled: your session on Tue, Nov 24, 10:00 AM EST',
        'Cancelled: your session on Tue, Nov 24, 12:00 PM EST',
      ]),
    );
    const lateMail = toClient.find((m) => m.subject.endsWith('10:00 AM EST'))!;
    expect(lateMail.text).toContain('Fee: $60, under the cancellation terms you agreed to');
    const therapistMail = toClient.find((m) => m.subject.endsWith('12:00 PM EST'))!;
    expect(therapistMail.text).toContain('Dana Smith cancelled the 60-minute session');
    expect(therapistMail.text).toContain('Fee: None');
    const toTherapist = mailsTo(therapist.session.email).find(
      (m) => m.subject === 'Cancelled: Jamie Fox, Tue, Nov 24, 10:00 AM EST',
    )!;
    expect(toTherapist.text).toContain('Fee: $60, paid by the client');
  });

  it('tells both about a move with the old and new time; the calendar file moves it; only the new time is reminded', async () => {
    const { therapist, client } = await people();
    // Monday 30 November 10:00 -> Tuesday 1 December 11:00, New York.
    const original = await bookSession(t, client, therapist, '2026-11-30T15:00:00Z');
    const moved = await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${original.id}/reschedule`,
      payload: { start: '2026-12-01T16:00:00Z' },
    });
    expect(moved.statusCode, moved.body).toBe(201);
    await background.runRound();

    const change = mailsTo(client.email).find((m) => m.subject.startsWith('Moved'))!;
    expect(change.subject).toBe('Moved: your session is now Tue, Dec 1, 11:00 AM EST');
    expect(change.text).toContain(
      'Your session with Dana Smith has moved from Mon, Nov 30, 10:00 AM EST to Tue, Dec 1, 11:00 AM EST.',
    );
    expect(change.text).toContain('Was: Monday, November 30, 2026, 10:00–11:00 AM Eastern Standard Time');
    expect(change.text).toContain('When: Tuesday, December 1, 2026, 11:00 AM–12:00 PM Eastern Standard Time');
    const events = calendarEventsOf(change);
    expect(events.map((e) => [e.uid, e.status, e.start.toISOString()])).toEqual([
      [`${original.id}@knotwork`, 'CANCELLED', original.startsAt],
      [`${moved.json().id}@knotwork`, 'CONFIRMED', '2026-12-01T16:00:00.000Z'],
    ]);
    expect(mailsTo(therapist.session.email).map((m) => m.subject)).toContain(
      'Moved: Jamie Fox, now Tue, Dec 1, 11:00 AM EST',
    );

    t.clock.set('2026-11-29T15:00:00Z');
    await background.runRound();
    expect(mailsTo(client.email).filter((m) => m.subject.startsWith('Reminder'))).toEqual([]);
    t.clock.set('2026-11-30T16:00:00Z');
    await background.runRound();
    expect(
      mailsTo(client.email)
        .filter((m) => m.subject.startsWith('Reminder'))
        .map((m) => m.subject),
    ).toEqual(['Reminder: Tue, Dec 1, 11:00 AM EST with Dana Smith']);
  });
});

describe('delivery over SMTP', () => {
  it('retries a refused message with growing delays and sends it exactly once', async () => {
    const user = await signUp(t.app, 'client', 'Retry Person');
    smtp.refuseNext(user.email, 2, 451, 'Mailbox busy, try again later');
    await enqueueMessages(
      t.database.db,
      [{ userId: user.id, kind: 'test.retry', subject: 'Retry me', text: 'Hello' }],
      t.clock.now(),
    );
    const row = () =>
      t.database.db
        .selectFrom('messages')
        .select(['status', 'attempts', 'next_attempt_at', 'last_error'])
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();

    await background.runRound();
    expect(await row()).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: new Date(TEST_NOW + MINUTE) });
    expect((await row()).last_error).toContain('Mailbox busy');
    const inbox = await call(t.app, user, { method: 'GET', url: '/api/messages' });
    expect(inbox.json().items).toMatchObject([{ subject: 'Retry me', status: 'pending' }]);

    t.clock.set(TEST_NOW + 30_000);
    await background.runRound();
    expect((await row()).attempts).toBe(1);
    t.clock.set(TEST_NOW + MINUTE);
    await background.runRound();
    expect(await row()).toMatchObject({
      status: 'pending',
      attempts: 2,
      next_attempt_at: new Date(TEST_NOW + 3 * MINUTE),
    });
    t.clock.set(TEST_NOW + 3 * MINUTE);
    await background.runRound();
    await background.runRound();
    expect(await row()).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(mailsTo(user.email).map((m) => m.subject)).toEqual(['Retry me']);
  });

  it('gives up at once on a permanent refusal, and after the last attempt on temporary ones', async () => {
    const rejected = await signUp(t.app, 'client');
    const unlucky = await signUp(t.app, 'client');
    smtp.refuseNext(rejected.email, 1, 550, 'No such mailbox');
    smtp.refuseNext(unlucky.email, 5, 421, 'Service not available');
    const now = t.clock.now();
    await enqueueMessages(
      t.database.db,
      [
        { userId: rejected.id, kind: 'test.bounce', subject: 'Bounce', text: 'x' },
        { userId: unlucky.id, kind: 'test.unlucky', subject: 'Unlucky', text: 'x' },
      ],
      now,
    );
    const options = { from: t.config.mailFrom, retry: { maxAttempts: 2, firstDelayMs: MINUTE, maxDelayMs: MINUTE } };
    expect(await deliverDueMessages(t.database.db, sender, now, options)).toMatchObject({ failed: 1, retrying: 1 });
    expect(await deliverDueMessages(t.database.db, sender, now + MINUTE, options)).toMatchObject({
      failed: 1,
      retrying: 0,
    });
    const rows = await t.database.db
      .selectFrom('messages')
      .select(['user_id', 'status', 'attempts'])
      .where('user_id', 'in', [rejected.id, unlucky.id])
      .execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        { user_id: rejected.id, status: 'failed', attempts: 1 },
        { user_id: unlucky.id, status: 'failed', attempts: 2 },
      ]),
    );
    expect(await deliverDueMessages(t.database.db, sender, now + 60 * MINUTE, options)).toMatchObject({
      sent: 0,
      failed: 0,
      retrying: 0,
    });
    expect(mailsTo(rejected.email)).toEqual([]);
    const inbox = await call(t.app, rejected, { method: 'GET', url: '/api/messages' });
    expect(inbox.json().items).toMatchObject([{ subject: 'Bounce', status: 'failed' }]);
  });
});

describe('notices that would come too late', () => {
  const kindsFor = (bookingId: string) =>
    t.database.db
      .selectFrom('messages')
      .select(['kind', 'user_id', 'status', 'last_error'])
      .where('booking_id', '=', bookingId)
      .orderBy('kind')
      .execute();

  it('sends no confirmation when the notices are read after the session started', async () => {
    const { therapist, client } = await people();
    // Monday 23 November, 10:00 in New York; the notices run only at 10:30 (the service was down).
    const booking = await bookSession(t, client, therapist, '2026-11-23T15:00:00Z');
    t.clock.set('2026-11-23T15:30:00Z');
    await background.runRound();
    expect(await kindsFor(booking.id)).toEqual([]);
    expect(
      await t.database.db
        .selectFrom('jobs')
        .select('id')
        .where('dedupe_key', '=', `booking.reminder:${booking.id}`)
        .execute(),
    ).toEqual([]);
    expect(mailsTo(client.email)).toEqual([]);
  });

  it('gives up a confirmation still undelivered when the session starts', async () => {
    const { therapist, client } = await people();
    const booking = await bookSession(t, client, therapist, '2026-11-23T17:00:00Z');
    smtp.refuseNext(client.email, 20, 451, 'Mailbox busy, try again later');
    await background.runRound();
    expect(mailsTo(therapist.session.email).map((m) => m.subject)).toEqual([expect.stringMatching(/^New booking/)]);
    t.clock.set(Date.parse(booking.startsAt) - MINUTE);
    await background.runRound();
    t.clock.set(booking.startsAt);
    await background.runRound();
    t.clock.advance(60 * MINUTE);
    smtp.refuseNext(client.email, 0, 451);
    await background.runRound();
    expect(mailsTo(client.email)).toEqual([]);
    const toClient = (await kindsFor(booking.id)).filter((m) => m.user_id === client.id);
    expect(toClient).toEqual([
      {
        kind: 'booking.confirmed',
        user_id: client.id,
        status: 'failed',
        last_error: 'Not sent: its session had already started',
      },
    ]);
  });

  it('gives up a reminder that could not be delivered before the session, and sends none when the job runs after the start', async () => {
    const { therapist, client } = await people();
    // Wednesday 25 November, 10:00 in New York: the reminder is due on Tuesday at 15:00 UTC.
    const booking = await bookSession(t, client, therapist, '2026-11-25T15:00:00Z');
    await background.runRound();
    smtp.refuseNext(client.email, 50, 421, 'Service not available');
    t.clock.set('2026-11-24T15:00:00Z');
    await background.runRound();
    t.clock.set(booking.startsAt);
    await background.runRound();
    smtp.refuseNext(client.email, 0, 421);
    t.clock.advance(120 * MINUTE);
    await background.runRound();
    expect(mailsTo(client.email).map((m) => m.subject)).toEqual([expect.stringMatching(/^Booking confirmed/)]);
    expect(
      (await kindsFor(booking.id)).filter((m) => m.user_id === client.id && m.kind === 'booking.reminder'),
    ).toEqual([
      {
        kind: 'booking.reminder',
        user_id: client.id,
        status: 'failed',
        last_error: 'Not sent: its session had already started',
      },
    ]);

    // A job that only runs after the start (the service was down all day) writes no reminder at all.
    t.clock.set(TEST_NOW);
    const other = await bookSession(t, client, therapist, '2026-11-26T15:00:00Z');
    await background.runRound();
    t.clock.set('2026-11-26T15:10:00Z');
    await background.runRound();
    expect((await kindsFor(other.id)).map((m) => m.kind)).toEqual(['booking.confirmed', 'booking.confirmed']);
  });
});
