import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import { type MailSender, createSmtpSender } from '../../src/notify/mail-delivery.js';
import { bookSession } from '../support/booking-fixture.js';
import { heldSession } from '../support/session-fixture.js';
import { type SmtpPeer, startSmtpPeer } from '../support/smtp-peer.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  type Session,
  type TestApp,
  TEST_NOW,
  UNLIMITED_PER_ADDRESS,
  call,
  createOperator,
  sessionCookie,
  signUp,
  startTestApp,
  uniqueEmail,
} from '../support/test-app.js';

let t: TestApp;
let smtp: SmtpPeer;
let sender: MailSender;
let background: BackgroundWork;

beforeAll(async () => {
  t = await startTestApp();
  smtp = await startSmtpPeer();
  sender = createSmtpSender(smtp.url);
  background = createBackgroundWork({ db: t.database.db, clock: t.clock, config: t.config }, { sender });
});
afterAll(async () => {
  sender.close?.();
  await smtp.close();
  await t.close();
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'lantern orbit quiet meadow';
const get = (who: Session | null, url: string) => call(t.app, who, { method: 'GET', url });
const send = (who: Session | null, method: 'POST' | 'PUT', url: string, payload: unknown) =>
  call(t.app, who, { method, url, payload });
const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));
/** Delivers what is due, then the last mail to `email` with this subject. */
async function lastMail(email: string, subject: RegExp) {
  await background.runRound();
  const mails = mailsTo(email).filter((m) => subject.test(m.subject));
  return mails.at(-1);
}
const tokenIn = (text: string | undefined, path: string) =>
  new RegExp(`^http://localhost:\\d+${path}#([\\w-]+)$`, 'm').exec(text ?? '')?.[1];
const signIn = (email: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/sessions', payload: { email, password } });
async function secondSession(email: string): Promise<Session> {
  const response = await signIn(email, PASSWORD);
  expect(response.statusCode, response.body).toBe(200);
  return { id: response.json().id, email, cookie: sessionCookie(response) };
}

describe('forgot password', () => {
  let ada: Session;
  let token: string;

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    ada = await signUp(t.app, 'client', 'Ada');
  });

  it('answers the same for an address with and without an account, and mails only the account', async () => {
    const nobody = uniqueEmail('nobody');
    const known = await send(null, 'POST', '/api/password-resets', { email: ada.email.toUpperCase() });
    const unknown = await send(null, 'POST', '/api/password-resets', { email: nobody });
    expect([known.statusCode, known.body]).toEqual([204, '']);
    expect([unknown.statusCode, unknown.body]).toEqual([204, '']);
    const mail = await lastMail(ada.email, /new Knotwork password/);
    expect(mailsTo(nobody)).toEqual([]);
    token = tokenIn(mail?.text, '/reset-password')!;
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(mail?.text).toContain('for 30 minutes');
  });

  it('stores only the hash of the link', async () => {
    const rows = await t.database.db
      .selectFrom('password_resets')
      .select('token_hash')
      .where('user_id', '=', ada.id)
      .execute();
    expect(rows.map((r) => r.token_hash)).toEqual([createHash('sha256').update(token).digest('hex')]);
  });

  it('refuses a weak password without using the link up', async () => {
    const weak = await send(null, 'POST', '/api/password-resets/use', { token, password: 'password123' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors).toEqual([expect.objectContaining({ field: 'password', code: 'weak_password' })]);
  });

  it('sets the new password once, signs in here and signs out every other session', async () => {
    const elsewhere = await secondSession(ada.email);
    const used = await send(null, 'POST', '/api/password-resets/use', { token, password: NEW_PASSWORD });
    expect(used.statusCode, used.body).toBe(200);
    expect(used.json()).toMatchObject({ id: ada.id, email: ada.email });
    const here: Session = { ...ada, cookie: sessionCookie(used) };
    expect((await get(here, '/api/me')).statusCode).toBe(200);
    expect((await get(ada, '/api/me')).statusCode).toBe(401);
    expect((await get(elsewhere, '/api/me')).statusCode).toBe(401);
    expect((await signIn(ada.email, PASSWORD)).statusCode).toBe(401);
    expect((await signIn(ada.email, NEW_PASSWORD)).statusCode).toBe(200);
    const again = await send(null, 'POST', '/api/password-resets/use', { token, password: 'another long passphrase' });
    expect([again.statusCode, again.json().code]).toEqual([410, 'password_reset_invalid']);
    expect(await lastMail(ada.email, /password was reset/)).toBeDefined();
  });

  it('expires after 30 minutes, and sends at most three links an hour per account', async () => {
    t.clock.advance(HOUR); // the first link's hour is over
    const before = mailsTo(ada.email).length;
    for (let i = 0; i < 4; i++) await send(null, 'POST', '/api/password-resets', { email: ada.email });
    await background.runRound();
    const links = mailsTo(ada.email)
      .slice(before)
      .filter((m) => /new Knotwork password/.test(m.subject));
    expect(links).toHaveLength(3);
    t.clock.advance(30 * MINUTE);
    const late = await send(null, 'POST', '/api/password-resets/use', {
      token: tokenIn(links[0]!.text, '/reset-password'),
      password: 'another long passphrase',
    });
    expect([late.statusCode, late.json().code]).toEqual([410, 'password_reset_invalid']);
  });

  it('is limited per address too', async () => {
    const limited = await startTestApp({ config: { rateLimits: { ...UNLIMITED_PER_ADDRESS, signInLinksPerHour: 2 } } });
    try {
      const ask = () =>
        limited.app.inject({ method: 'POST', url: '/api/password-resets', payload: { email: uniqueEmail('x') } });
      expect([(await ask()).statusCode, (await ask()).statusCode]).toEqual([204, 204]);
      const third = await ask();
      expect([third.statusCode, third.json().code]).toEqual([429, 'rate_limited']);
    } finally {
      await limited.close();
    }
  });
});

describe('change password', () => {
  let bo: Session;

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    bo = await signUp(t.app, 'client', 'Bo');
  });

  it('needs the current password and a strong new one', async () => {
    const wrong = await send(bo, 'PUT', '/api/me/password', { currentPassword: 'not it', newPassword: NEW_PASSWORD });
    expect([wrong.statusCode, wrong.json().code]).toEqual([403, 'current_password_wrong']);
    expect(wrong.json().errors).toEqual([
      expect.objectContaining({ field: 'currentPassword', code: 'wrong_password' }),
    ]);
    const weak = await send(bo, 'PUT', '/api/me/password', { currentPassword: PASSWORD, newPassword: 'qwertyuiop' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors).toEqual([expect.objectContaining({ field: 'newPassword', code: 'weak_password' })]);
    expect((await signIn(bo.email, PASSWORD)).statusCode).toBe(200);
  });

  it('changes it, keeps this session and signs out the others, and tells the owner', async () => {
    const elsewhere = await secondSession(bo.email);
    const changed = await send(bo, 'PUT', '/api/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(changed.statusCode, changed.body).toBe(204);
    expect((await get(bo, '/api/me')).statusCode).toBe(200);
    expect((await get(elsewhere, '/api/me')).statusCode).toBe(401);
    expect((await signIn(bo.email, NEW_PASSWORD)).statusCode).toBe(200);
    expect(await lastMail(bo.email, /password was changed/)).toBeDefined();
  });

  it('counts wrong current passwords like sign-ins: slowed after five', async () => {
    const who = await signUp(t.app, 'client', 'Cy');
    const answers: number[] = [];
    for (let i = 0; i < 6; i++)
      answers.push(
        (await send(who, 'PUT', '/api/me/password', { currentPassword: `guess ${i}`, newPassword: NEW_PASSWORD }))
          .statusCode,
      );
    expect(answers).toEqual([403, 403, 403, 403, 403, 429]);
  });
});

describe('change e-mail', () => {
  let di: Session;
  let newEmail: string;

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    di = await signUp(t.app, 'client', 'Di');
    newEmail = uniqueEmail('di-new');
  });

  it('refuses a taken address and a wrong password', async () => {
    const other = await signUp(t.app, 'client', 'Other');
    const taken = await send(di, 'POST', '/api/me/email-change', { newEmail: other.email, currentPassword: PASSWORD });
    expect([taken.statusCode, taken.json().code]).toEqual([409, 'email_taken']);
    const wrong = await send(di, 'POST', '/api/me/email-change', { newEmail, currentPassword: 'nope' });
    expect([wrong.statusCode, wrong.json().code]).toEqual([403, 'current_password_wrong']);
    const same = await send(di, 'POST', '/api/me/email-change', { newEmail: di.email, currentPassword: PASSWORD });
    expect(same.json().errors).toEqual([expect.objectContaining({ field: 'newEmail', code: 'unchanged' })]);
  });

  it('sends a link to the new address and a notice to the old one, and switches only when verified', async () => {
    const asked = await send(di, 'POST', '/api/me/email-change', { newEmail, currentPassword: PASSWORD });
    expect(asked.statusCode, asked.body).toBe(202);
    expect(asked.json()).toMatchObject({
      email: di.email,
      pendingEmail: { email: newEmail, expiresAt: new Date(TEST_NOW + 24 * HOUR).toISOString() },
    });
    const verify = await lastMail(newEmail, /Verify your new/);
    const notice = await lastMail(di.email, /about to change/);
    expect(notice?.text).toContain(newEmail);
    expect((await get(di, '/api/me')).json().email).toBe(di.email);
    // The link proves the new mailbox: it is never in the in-app inbox.
    const inbox = (await get(di, '/api/messages')).json().items.map((m: { kind: string }) => m.kind);
    expect(inbox).not.toContain('account.verify_email');

    const token = tokenIn(verify?.text, '/verify-email')!;
    const verified = await send(null, 'POST', '/api/email-changes/verify', { token });
    expect([verified.statusCode, verified.json()]).toEqual([200, { email: newEmail }]);
    expect((await get(di, '/api/me')).json().email).toBe(newEmail);
    expect((await signIn(newEmail, PASSWORD)).statusCode).toBe(200);
    expect((await signIn(di.email, PASSWORD)).statusCode).toBe(401);
    const again = await send(null, 'POST', '/api/email-changes/verify', { token });
    expect([again.statusCode, again.json().code]).toEqual([410, 'email_change_invalid']);
    expect(await lastMail(di.email, /address was changed/)).toBeDefined();
    expect((await get(di, '/api/me/settings')).json().pendingEmail).toBeNull();
  });

  it('a newer request replaces the link, and a link expires after 24 hours', async () => {
    const first = uniqueEmail('di-first');
    const second = uniqueEmail('di-second');
    await send(di, 'POST', '/api/me/email-change', { newEmail: first, currentPassword: PASSWORD });
    await send(di, 'POST', '/api/me/email-change', { newEmail: second, currentPassword: PASSWORD });
    const replaced = tokenIn((await lastMail(first, /Verify/))?.text, '/verify-email');
    const current = tokenIn((await lastMail(second, /Verify/))?.text, '/verify-email');
    expect((await send(null, 'POST', '/api/email-changes/verify', { token: replaced })).statusCode).toBe(410);
    t.clock.advance(24 * HOUR);
    expect((await send(null, 'POST', '/api/email-changes/verify', { token: current })).statusCode).toBe(410);
  });
});

describe('phone number', () => {
  let ed: Session;
  beforeAll(async () => {
    ed = await signUp(t.app, 'client', 'Ed');
  });

  it('stores a valid number in E.164 and refuses anything else naming the field', async () => {
    const set = await send(ed, 'PUT', '/api/me/phone', { phone: '+1 (212) 555-0100' });
    expect([set.statusCode, set.json().phone]).toEqual([200, '+12125550100']);
    const local = await send(ed, 'PUT', '/api/me/phone', { phone: '020 7946 0958', defaultCountry: 'GB' });
    expect(local.json().phone).toBe('+442079460958');
    for (const phone of ['020 7946 0958', '+1 555', 'call me', '+99 123 456 789']) {
      const bad = await send(ed, 'PUT', '/api/me/phone', { phone });
      expect(bad.statusCode, phone).toBe(400);
      expect(bad.json().errors).toEqual([expect.objectContaining({ field: 'phone', code: 'invalid_phone' })]);
    }
    const badCountry = await send(ed, 'PUT', '/api/me/phone', { phone: '020 7946 0958', defaultCountry: 'gb' });
    expect(badCountry.json().errors).toEqual([expect.objectContaining({ field: 'defaultCountry' })]);
    expect((await get(ed, '/api/me/settings')).json().phone).toBe('+442079460958');
    expect((await send(ed, 'PUT', '/api/me/phone', { phone: null })).json().phone).toBeNull();
    expect((await send(null, 'PUT', '/api/me/phone', { phone: null })).statusCode).toBe(401);
  });
});

describe('care alerts and notification preferences, at a real SMTP peer', () => {
  let operator: Session;
  let therapist: TherapistFixture;
  let stranger: TherapistFixture;
  let client: Session;
  let bookingId: string;
  const nyAt = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    operator = await createOperator(t);
    therapist = await createTherapist(t, { displayName: 'Dana Deep' }, operator);
    stranger = await createTherapist(t, {}, operator);
    client = await signUp(t.app, 'client', 'Fay');
    await send(client, 'PUT', '/api/me/phone', { phone: '+1 212 555 0142' });
  });

  it('lets a person turn optional e-mails off, by topic, and says so in the settings', async () => {
    const off = await send(client, 'PUT', '/api/me/notification-preferences', { check_in_invitations: false });
    expect(off.json().notifications).toEqual({
      booking_reminders: true,
      check_in_invitations: false,
      rating_requests: true,
    });
    // Every optional topic off for the therapist: a care alert still reaches them.
    const all = await send(therapist.session, 'PUT', '/api/me/notification-preferences', {
      booking_reminders: false,
      check_in_invitations: false,
      rating_requests: false,
    });
    expect(Object.values(all.json().notifications)).toEqual([false, false, false]);
    const unknown = await send(client, 'PUT', '/api/me/notification-preferences', { care_alerts: false });
    expect(unknown.json().errors).toEqual([expect.objectContaining({ field: 'care_alerts', code: 'unknown_field' })]);
  });

  it('keeps a turned-off check-in in the inbox without e-mailing it; the care alert is e-mailed', async () => {
    const booking = await heldSession(t, client, therapist, nyAt('2026-11-24', '10:00'));
    bookingId = booking.id;
    t.clock.set(booking.checkedOutAt + 24 * HOUR);
    await background.runRound();
    await background.runRound();
    expect(mailsTo(client.email).filter((m) => /feeling/.test(m.subject))).toEqual([]);
    const inbox = (await get(client, '/api/messages')).json().items as { kind: string; status: string }[];
    expect(inbox.filter((m) => m.kind === 'check_in.open').map((m) => m.status)).toEqual(['in_app']);

    const checkIn = (await get(client, '/api/me/check-ins')).json().items[0] as { id: string };
    const answered = await send(client, 'POST', `/api/check-ins/${checkIn.id}/answer`, {
      soreness: 4,
      trend: 'same',
      redFlags: {
        chest_pain_or_breathlessness: true,
        saddle_numbness_bladder_or_leg_weakness: false,
        clot_in_leg: false,
        dark_urine_or_swelling: false,
        numbness_or_radiating_pain: false,
      },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(await lastMail(therapist.session.email, /Care alert: Fay/)).toBeDefined();
  });

  it("shows the client's phone on the alert to the booked therapist and operators, and to nobody else", async () => {
    const phoneOn = async (who: Session) =>
      ((await get(who, '/api/care-alerts')).json().items as { bookingId: string; client: { phone: string } }[])
        .filter((a) => a.bookingId === bookingId)
        .map((a) => a.client.phone);
    expect(await phoneOn(therapist.session)).toEqual(['+12125550142']);
    expect(await phoneOn(operator)).toEqual(['+12125550142']);
    expect(await phoneOn(stranger.session)).toEqual([]);
    expect((await get(client, '/api/care-alerts')).statusCode).toBe(403);
    expect((await get(null, '/api/care-alerts')).statusCode).toBe(401);
  });
});

describe('closing an account', () => {
  it('is refused while a session is to come; then signs out everywhere, scrubs the person and keeps the bookings', async () => {
    t.clock.set(TEST_NOW);
    const operator = await createOperator(t);
    const therapist = await createTherapist(t, { displayName: 'Gil Grove' }, operator);
    const gwen = await signUp(t.app, 'client', 'Gwen');
    const elsewhere = await secondSession(gwen.email);
    const booking = await bookSession(t, gwen, therapist, new Date(Date.parse('2026-11-25T15:00:00Z')).toISOString());

    const refused = await send(gwen, 'POST', '/api/me/close', { currentPassword: PASSWORD });
    expect([refused.statusCode, refused.json().code, refused.json().upcomingBookings]).toEqual([
      409,
      'account_has_upcoming_bookings',
      1,
    ]);
    expect((await get(gwen, '/api/me')).statusCode).toBe(200);
    const forTherapist = await send(therapist.session, 'POST', '/api/me/close', { currentPassword: PASSWORD });
    expect([forTherapist.statusCode, forTherapist.json().code]).toEqual([403, 'forbidden']);

    const cancelled = await send(gwen, 'POST', `/api/bookings/${booking.id}/cancel`, {});
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const wrong = await send(gwen, 'POST', '/api/me/close', { currentPassword: 'not it' });
    expect([wrong.statusCode, wrong.json().code]).toEqual([403, 'current_password_wrong']);
    const closed = await send(gwen, 'POST', '/api/me/close', { currentPassword: PASSWORD });
    expect(closed.statusCode, closed.body).toBe(204);

    expect((await get(gwen, '/api/me')).statusCode).toBe(401);
    expect((await get(elsewhere, '/api/me')).statusCode).toBe(401);
    expect((await signIn(gwen.email, PASSWORD)).statusCode).toBe(401);
    // The booking and its money stay, under a scrubbed name; the cancellation notice is not e-mailed to the closed account.
    await background.runRound();
    expect(mailsTo(gwen.email).filter((m) => /cancel/i.test(m.subject))).toEqual([]);
    const notices = await t.database.db
      .selectFrom('messages')
      .select('status')
      .where('user_id', '=', gwen.id)
      .where('kind', '=', 'booking.cancelled')
      .execute();
    expect(notices.map((n) => n.status)).toEqual(['in_app']);
    const row = await t.database.db
      .selectFrom('users')
      .select(['email', 'display_name', 'phone', 'closed_at'])
      .where('id', '=', gwen.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ display_name: 'Closed account', phone: null, closed_at: new Date(TEST_NOW) });
    expect(row.email).toMatch(/@closed\.invalid$/);
    const staff = await get(therapist.session, `/api/bookings/${booking.id}`);
    expect([staff.statusCode, staff.json().status]).toEqual([200, 'cancelled']);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_user_id', '=', gwen.id)
      .where('action', '=', 'account.close')
      .execute();
    expect(audit).toHaveLength(1);
    // The address is free for a new account.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/accounts',
      payload: { email: gwen.email, password: PASSWORD, displayName: 'Gwen again', role: 'client' },
    });
    expect(again.statusCode, again.body).toBe(201);
  });
});
