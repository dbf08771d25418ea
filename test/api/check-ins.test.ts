import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import { loadConfig } from '../../src/config.js';
import { ensureMarket } from '../../src/demo/seed.js';
import { buildApp } from '../../src/http/app.js';
import { type MailSender, createSmtpSender } from '../../src/notify/mail-delivery.js';
import { heldSession } from '../support/session-fixture.js';
import { durableDatabase } from '../support/durable-database.js';
import { type SmtpPeer, startSmtpPeer } from '../support/smtp-peer.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  BACKEND,
  ManualClock,
  type Session,
  type TestApp,
  TEST_NOW,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';

let t: TestApp;
let smtp: SmtpPeer;
let sender: MailSender;
let background: BackgroundWork;
let operator: Session;
let therapist: TherapistFixture;
let stranger: TherapistFixture;

beforeAll(async () => {
  t = await startTestApp();
  smtp = await startSmtpPeer();
  sender = createSmtpSender(smtp.url);
  background = createBackgroundWork({ db: t.database.db, clock: t.clock, config: t.config }, { sender });
  operator = await createOperator(t);
  therapist = await createTherapist(t, { displayName: 'Dana Deep' }, operator);
  stranger = await createTherapist(t, {}, operator);
});
afterAll(async () => {
  sender.close?.();
  await smtp.close();
  await t.close();
});

const HOUR = 3_600_000;
const nyAt = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();
const get = (who: Session | null, url: string) => call(t.app, who, { method: 'GET', url });
const post = (who: Session | null, url: string, payload?: unknown) =>
  call(t.app, who, { method: 'POST', url, ...(payload === undefined ? {} : { payload }) });
const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));
const subjectsTo = (email: string) => mailsTo(email).map((m) => m.subject);

const NO_FLAGS = {
  chest_pain_or_breathlessness: false,
  saddle_numbness_bladder_or_leg_weakness: false,
  clot_in_leg: false,
  dark_urine_or_swelling: false,
  numbness_or_radiating_pain: false,
};
const answer = (flags: Partial<typeof NO_FLAGS> = {}, soreness = 3, trend = 'better') => ({
  soreness,
  trend,
  redFlags: { ...NO_FLAGS, ...flags },
});

async function checkInsOf(who: Session, bookingId: string) {
  const response = await get(who, `/api/bookings/${bookingId}/check-ins`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items as {
    id: string;
    seq: number;
    status: string;
    dueAt: string;
    remindedAt: string | null;
  }[];
}

/** Runs background rounds at an instant: jobs, then the mail they wrote. */
async function at(instant: number) {
  t.clock.set(instant);
  await background.runRound();
}

describe('check-ins after a session, driven by the clock', () => {
  let client: Session;
  let booking: Awaited<ReturnType<typeof heldSession>>;

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    client = await signUp(t.app, 'client', 'Jamie Fox');
    booking = await heldSession(t, client, therapist, nyAt('2026-11-24', '10:00'));
  });

  it('schedules two check-ins at check-out, 24 h and 48 h later', async () => {
    const items = await checkInsOf(therapist.session, booking.id);
    expect(items.map((c) => [c.seq, c.status, c.dueAt])).toEqual([
      [1, 'scheduled', new Date(booking.checkedOutAt + 24 * HOUR).toISOString()],
      [2, 'scheduled', new Date(booking.checkedOutAt + 48 * HOUR).toISOString()],
    ]);
    expect((await get(client, '/api/me/check-ins')).json().items).toEqual([]);
  });

  it('opens the first at 24 h, not a minute before, and mails the client a link', async () => {
    await at(booking.checkedOutAt + 24 * HOUR - 60_000);
    expect((await checkInsOf(client, booking.id)).map((c) => c.status)).toEqual(['scheduled', 'scheduled']);
    expect(subjectsTo(client.email).filter((s) => s.includes('feeling'))).toEqual([]);

    await at(booking.checkedOutAt + 24 * HOUR);
    const [first] = await checkInsOf(client, booking.id);
    expect(first!.status).toBe('open');
    const mails = mailsTo(client.email).filter((m) => m.subject === 'How are you feeling after your session?');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(`/check-ins/${first!.id}`);
    expect(mails[0]!.text).toContain('call your local emergency number now');
    expect((await get(client, '/api/me/check-ins')).json().items.map((c: { id: string }) => c.id)).toEqual([first!.id]);
    const view = (await get(client, `/api/check-ins/${first!.id}`)).json();
    expect(view).toMatchObject({
      status: 'open',
      therapist: { displayName: 'Dana Deep' },
      answers: null,
      outcome: null,
    });
    expect(view.questions.map((q: { id: string }) => q.id).sort()).toEqual(Object.keys(NO_FLAGS).sort());
  });

  it('reminds once, 8 h after opening, however often the jobs run', async () => {
    await at(booking.checkedOutAt + 31 * HOUR);
    expect(subjectsTo(client.email).filter((s) => s.startsWith('Reminder: how are you'))).toEqual([]);
    await at(booking.checkedOutAt + 32 * HOUR);
    await at(booking.checkedOutAt + 33 * HOUR);
    await at(booking.checkedOutAt + 40 * HOUR);
    expect(subjectsTo(client.email).filter((s) => s.startsWith('Reminder: how are you'))).toHaveLength(1);
    expect((await checkInsOf(client, booking.id))[0]!.remindedAt).toBe(
      new Date(booking.checkedOutAt + 32 * HOUR).toISOString(),
    );
  });

  it('sends no reminder on the heels of a check-in that opened late, after the service was down', async () => {
    t.clock.set(TEST_NOW);
    const late = await heldSession(t, client, therapist, nyAt('2026-11-25', '10:00'), { note: null });
    await at(late.checkedOutAt + 33 * HOUR);
    await at(late.checkedOutAt + 34 * HOUR);
    const [first] = await checkInsOf(client, late.id);
    expect(first).toMatchObject({ status: 'open', remindedAt: null });
    const about = await t.database.db
      .selectFrom('messages')
      .select('kind')
      .where('booking_id', '=', late.id)
      .where('kind', 'like', 'check_in.%')
      .execute();
    expect(about).toEqual([{ kind: 'check_in.open' }]);
  });

  it('expires the unanswered first when the second opens; the expired one cannot be answered', async () => {
    await at(booking.checkedOutAt + 48 * HOUR);
    const [first, second] = await checkInsOf(client, booking.id);
    expect([first!.status, second!.status]).toEqual(['expired', 'open']);
    expect((await post(client, `/api/check-ins/${first!.id}/answer`, answer())).json()).toMatchObject({
      status: 409,
      code: 'care_check_in_not_open',
    });
    const opened = await t.database.db
      .selectFrom('messages')
      .select('kind')
      .where('booking_id', '=', booking.id)
      .where('kind', '=', 'check_in.open')
      .execute();
    expect(opened).toHaveLength(2);
  });

  it('takes one answer: normal soreness is ok, raises no alert, and a second answer is refused', async () => {
    const [, second] = await checkInsOf(client, booking.id);
    t.clock.set(booking.checkedOutAt + 50 * HOUR);
    expect((await post(therapist.session, `/api/check-ins/${second!.id}/answer`, answer())).json()).toMatchObject({
      status: 403,
    });
    expect((await post(stranger.session, `/api/check-ins/${second!.id}/answer`, answer())).json()).toMatchObject({
      status: 404,
    });
    const ok = await post(client, `/api/check-ins/${second!.id}/answer`, answer({}, 2, 'better'));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'answered',
      answers: answer({}, 2, 'better'),
      outcome: { level: 'ok', reasons: [] },
    });
    expect((await post(client, `/api/check-ins/${second!.id}/answer`, answer())).json()).toMatchObject({
      status: 409,
      code: 'care_check_in_answered',
    });
    expect(
      await t.database.db.selectFrom('care_alerts').select('id').where('booking_id', '=', booking.id).execute(),
    ).toEqual([]);
    // No reminder for an answered check-in.
    await at(booking.checkedOutAt + 60 * HOUR);
    const reminders = await t.database.db
      .selectFrom('messages')
      .select('kind')
      .where('booking_id', '=', booking.id)
      .where('kind', '=', 'check_in.reminder')
      .execute();
    expect(reminders).toHaveLength(1);
    await at(booking.checkedOutAt + 80 * HOUR);
    expect((await checkInsOf(client, booking.id)).map((c) => c.status)).toEqual(['expired', 'answered']);
  });

  it('refuses bad answers, naming the field, and a check-in that has not opened', async () => {
    t.clock.set(TEST_NOW);
    const later = await heldSession(t, client, therapist, nyAt('2026-11-26', '10:00'));
    const [first] = await checkInsOf(client, later.id);
    expect((await post(client, `/api/check-ins/${first!.id}/answer`, answer())).json()).toMatchObject({
      status: 409,
      code: 'care_check_in_not_open',
    });
    const url = `/api/check-ins/${first!.id}/answer`;
    expect((await post(client, url, answer({}, 11))).json()).toMatchObject({ status: 400, field: 'soreness' });
    expect((await post(client, url, { ...answer(), trend: 'sideways' })).json()).toMatchObject({
      status: 400,
      field: 'trend',
    });
    const { clot_in_leg: _omitted, ...missing } = NO_FLAGS;
    expect((await post(client, url, { ...answer(), redFlags: missing })).json()).toMatchObject({
      status: 400,
      field: 'redFlags.clot_in_leg',
    });
    expect((await post(client, url, { ...answer(), redFlags: { ...NO_FLAGS, headache: true } })).json()).toMatchObject({
      status: 400,
    });
    expect(
      (await post(client, '/api/check-ins/00000000-0000-4000-8000-000000000000/answer', answer())).json(),
    ).toMatchObject({ status: 404 });
  });
});

describe('a red flag', () => {
  let client: Session;
  let checkInId: string;
  let bookingId: string;

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    client = await signUp(t.app, 'client', 'Sam Lee');
    const phone = await call(t.app, client, {
      method: 'PUT',
      url: '/api/me/phone',
      payload: { phone: '+1 212 555 0142' },
    });
    expect(phone.statusCode, phone.body).toBe(200);
    const booking = await heldSession(t, client, therapist, nyAt('2026-11-24', '14:00'));
    bookingId = booking.id;
    await at(booking.checkedOutAt + 24 * HOUR);
    checkInId = (await checkInsOf(client, booking.id))[0]!.id;
    t.clock.set(booking.checkedOutAt + 26 * HOUR);
  });

  it('answers chest pain with the emergency message at once', async () => {
    const response = await post(
      client,
      `/api/check-ins/${checkInId}/answer`,
      answer({ chest_pain_or_breathlessness: true }, 4, 'same'),
    );
    expect(response.statusCode, response.body).toBe(200);
    const outcome = response.json().outcome;
    expect(outcome.level).toBe('emergency');
    expect(outcome.message).toMatch(/^Call your local emergency number now/);
    expect(outcome.reasons.map((r: { id: string }) => r.id)).toEqual(['chest_pain_or_breathlessness']);
  });

  it('raises an alert the therapist and operators see, and strangers and the client do not', async () => {
    const forTherapist = (await get(therapist.session, '/api/care-alerts'))
      .json()
      .items.filter((a: { bookingId: string }) => a.bookingId === bookingId);
    expect(forTherapist).toEqual([
      expect.objectContaining({
        checkInId,
        level: 'emergency',
        client: { id: client.id, displayName: 'Sam Lee', phone: '+12125550142' },
        soreness: 4,
        trend: 'same',
        acknowledged: null,
        reasons: [expect.objectContaining({ id: 'chest_pain_or_breathlessness' })],
      }),
    ]);
    expect(
      (await get(operator, '/api/care-alerts')).json().items.map((a: { checkInId: string }) => a.checkInId),
    ).toContain(checkInId);
    expect((await get(stranger.session, '/api/care-alerts')).json().items).toEqual([]);
    expect((await get(client, '/api/care-alerts')).statusCode).toBe(403);
    expect((await get(null, '/api/care-alerts')).statusCode).toBe(401);
    expect((await get(stranger.session, `/api/check-ins/${checkInId}`)).statusCode).toBe(404);
    const reads = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'subject_user_id'])
      .where('subject_type', '=', 'care_alert')
      .execute();
    expect(reads).toEqual(
      expect.arrayContaining([
        { actor_id: therapist.id, subject_user_id: client.id },
        { actor_id: operator.id, subject_user_id: client.id },
      ]),
    );
  });

  it('messages the therapist and operators, marked urgent, without the health details', async () => {
    await background.runRound();
    const toTherapist = mailsTo(therapist.session.email).filter((m) => m.subject.includes('Care alert'));
    expect(toTherapist.map((m) => m.subject)).toEqual(['URGENT: Care alert: Sam Lee after their session']);
    expect(toTherapist[0]!.text).not.toMatch(/chest/i);
    expect(toTherapist[0]!.text).toContain('To reach them, call +12125550142.');
    expect(mailsTo(operator.email).filter((m) => m.subject.includes('Care alert: Sam Lee'))).toHaveLength(1);
    expect(mailsTo(stranger.session.email).filter((m) => m.subject.includes('Care alert'))).toEqual([]);
  });

  it('is acknowledged once, with a note', async () => {
    const alertId = (await get(therapist.session, '/api/care-alerts'))
      .json()
      .items.find((a: { checkInId: string }) => a.checkInId === checkInId).id;
    const url = `/api/care-alerts/${alertId}/acknowledge`;
    expect((await post(therapist.session, url, { note: '   ' })).json()).toMatchObject({ status: 400, field: 'note' });
    expect((await post(stranger.session, url, { note: 'Not mine' })).statusCode).toBe(404);
    expect((await post(client, url, { note: 'Fine' })).statusCode).toBe(403);
    const done = await post(operator, url, { note: 'Phoned Sam: paramedics were called.' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().acknowledged).toMatchObject({
      by: { id: operator.id },
      note: 'Phoned Sam: paramedics were called.',
    });
    expect((await post(therapist.session, url, { note: 'Me too' })).json()).toMatchObject({
      status: 409,
      code: 'care_alert_acknowledged',
    });
    expect(
      (await get(therapist.session, '/api/care-alerts')).json().items.map((a: { id: string }) => a.id),
    ).not.toContain(alertId);
    expect(
      (await get(therapist.session, '/api/care-alerts?status=acknowledged'))
        .json()
        .items.map((a: { id: string }) => a.id),
    ).toContain(alertId);
  });

  it('saddle numbness is an emergency too; a clot sign or worsening soreness is "seek care"', async () => {
    const cases: [Partial<typeof NO_FLAGS>, number, string, string, string][] = [
      [{ saddle_numbness_bladder_or_leg_weakness: true }, 2, 'better', 'emergency', '10:00'],
      [{ clot_in_leg: true }, 2, 'better', 'seek_care', '12:00'],
      [{}, 6, 'worse', 'seek_care', '14:00'],
    ];
    for (const [flags, soreness, trend, level, time] of cases) {
      t.clock.set(TEST_NOW);
      const other = await signUp(t.app, 'client');
      const booking = await heldSession(t, other, therapist, nyAt('2026-11-27', time), { note: null });
      await at(booking.checkedOutAt + 24 * HOUR);
      const [first] = await checkInsOf(other, booking.id);
      const outcome = (await post(other, `/api/check-ins/${first!.id}/answer`, answer(flags, soreness, trend))).json()
        .outcome;
      expect(outcome.level, JSON.stringify(flags)).toBe(level);
      if (level === 'emergency') expect(outcome.message).toContain('Call your local emergency number now');
      else expect(outcome.message).toMatch(/^Please seek medical care/);
      const alerts = await t.database.db
        .selectFrom('care_alerts')
        .select('level')
        .where('booking_id', '=', booking.id)
        .execute();
      expect(alerts).toEqual([{ level }]);
    }
  });
});

describe('two answers at once', () => {
  it('takes one and refuses the other, raising a single alert', async () => {
    t.clock.set(TEST_NOW);
    const racer = await signUp(t.app, 'client');
    const booking = await heldSession(t, racer, therapist, nyAt('2026-11-27', '16:00'), { note: null });
    await at(booking.checkedOutAt + 24 * HOUR);
    const [first] = await checkInsOf(racer, booking.id);
    const responses = await Promise.all(
      [1, 2].map(() => post(racer, `/api/check-ins/${first!.id}/answer`, answer({ clot_in_leg: true }))),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(
      await t.database.db.selectFrom('care_alerts').select('level').where('booking_id', '=', booking.id).execute(),
    ).toEqual([{ level: 'seek_care' }]);
  });
});

describe('check-in timing is configurable', () => {
  it('reads CHECK_IN_HOURS, CHECK_IN_REMINDER_HOURS and CHECK_IN_EXPIRY_HOURS, refusing nonsense', () => {
    expect(loadConfig({}).checkIns).toEqual({ hours: [24, 48], reminderHours: 8, expiryHours: 24 });
    expect(
      loadConfig({ CHECK_IN_HOURS: '12, 36', CHECK_IN_REMINDER_HOURS: '4', CHECK_IN_EXPIRY_HOURS: '12' }).checkIns,
    ).toEqual({ hours: [12, 36], reminderHours: 4, expiryHours: 12 });
    expect(() => loadConfig({ CHECK_IN_HOURS: '48,24' })).toThrow(/CHECK_IN_HOURS/);
    expect(() => loadConfig({ CHECK_IN_HOURS: 'soon' })).toThrow(/CHECK_IN_HOURS/);
    expect(() => loadConfig({ CHECK_IN_REMINDER_HOURS: '30' })).toThrow(/CHECK_IN_REMINDER_HOURS/);
  });

  it('opens check-ins when the configuration says', async () => {
    const other = await startTestApp({ config: { checkIns: { hours: [12], reminderHours: 2, expiryHours: 6 } } });
    try {
      const th = await createTherapist(other, {}, await createOperator(other));
      const cl = await signUp(other.app, 'client');
      const booking = await heldSession(other, cl, th, nyAt('2026-11-24', '10:00'), { note: null });
      const work = createBackgroundWork(
        { db: other.database.db, clock: other.clock, config: other.config },
        { sender: null },
      );
      other.clock.set(booking.checkedOutAt + 12 * HOUR);
      await work.runRound();
      const items = (await call(other.app, cl, { method: 'GET', url: `/api/bookings/${booking.id}/check-ins` })).json()
        .items;
      expect(
        items.map((c: { status: string; hoursAfter: number; expiresAt: string }) => [
          c.status,
          c.hoursAfter,
          c.expiresAt,
        ]),
      ).toEqual([['open', 12, new Date(booking.checkedOutAt + 18 * HOUR).toISOString()]]);
    } finally {
      await other.close();
    }
  });
});

describe(`check-ins across a restart on ${BACKEND}`, () => {
  it('open and remind exactly once across stops between check-out, the due time and the reminder', async () => {
    const storage = await durableDatabase();
    const clock = new ManualClock(TEST_NOW);
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    try {
      const first = await storage.open();
      await ensureMarket(first.db);
      const app = await buildApp({ database: first, db: first.db, config, clock }, { logger: false });
      const life = { app, database: first, clock, config } as TestApp;
      const th = await createTherapist(life, {}, await createOperator(life));
      const cl = await signUp(app, 'client');
      const booking = await heldSession(life, cl, th, '2026-11-24T15:00:00Z', { note: null });
      await app.close();
      await first.close();

      // Second life, after the first check-in's due time: the polling loop opens it and mails the client once.
      clock.set(booking.checkedOutAt + 24 * HOUR + 5 * 60_000);
      const second = await storage.open();
      const errors: unknown[] = [];
      const loop = createBackgroundWork({ db: second.db, clock, config }, { sender }).start(10, (error) =>
        errors.push(error),
      );
      const checkInMails = () =>
        mailsTo(cl.email)
          .filter((m) => /how are you feeling/i.test(m.subject))
          .map((m) => m.subject);
      await expect.poll(() => checkInMails().length, { timeout: 15_000 }).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await loop.stop();
      expect(errors).toEqual([]);
      expect(checkInMails()).toEqual(['How are you feeling after your session?']);
      await second.close();

      // Third life, past the reminder's time: one reminder; running again sends nothing more.
      clock.set(booking.checkedOutAt + 33 * HOUR);
      const third = await storage.open();
      await createBackgroundWork({ db: third.db, clock, config }, { sender }).runRound();
      await createBackgroundWork({ db: third.db, clock, config }, { sender }).runRound();
      expect(checkInMails()).toEqual([
        'How are you feeling after your session?',
        'Reminder: how are you feeling after your session?',
      ]);
      const rows = await third.db
        .selectFrom('check_ins')
        .select(['seq', 'status'])
        .where('booking_id', '=', booking.id)
        .orderBy('seq')
        .execute();
      expect(rows).toEqual([
        { seq: 1, status: 'open' },
        { seq: 2, status: 'scheduled' },
      ]);
      await third.close();
    } finally {
      await storage.remove();
    }
  });
});
