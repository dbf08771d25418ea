import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import { expireDueHolds } from '../../src/booking/hold-expiry.js';
import { type MailSender, createSmtpSender } from '../../src/notify/mail-delivery.js';
import { bookSession } from '../support/booking-fixture.js';
import { type SmtpPeer, startSmtpPeer } from '../support/smtp-peer.js';
import { MIDTOWN, type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  type Session,
  type TestApp,
  TEST_NOW,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';

let t: TestApp;
let operator: Session;
let smtp: SmtpPeer;
let sender: MailSender;
let background: BackgroundWork;
beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
  smtp = await startSmtpPeer();
  sender = createSmtpSender(smtp.url);
  background = createBackgroundWork({ db: t.database.db, clock: t.clock, config: t.config }, { sender });
});
afterAll(async () => {
  sender.close?.();
  await smtp.close();
  await t.close();
});
beforeEach(() => t.clock.set(TEST_NOW));

const MINUTE = 60_000;
// TEST_NOW is Monday 23 November 2026, 07:00 in New York (EST, UTC-5).
const TUESDAY = '2026-11-24';
const SATURDAY = '2026-11-28';
/** Tuesday 10:00 in New York. */
const TUESDAY_10 = '2026-11-24T15:00:00.000Z';

const join = (client: Session, payload: Record<string, unknown>) =>
  call(t.app, client, {
    method: 'POST',
    url: '/api/waitlist',
    payload: {
      durationMin: 60,
      mode: 'studio',
      lat: MIDTOWN.lat,
      lng: MIDTOWN.lng,
      radiusKm: 5,
      from: TUESDAY,
      to: TUESDAY,
      fromTime: '10:00',
      toTime: '11:00',
      ...payload,
    },
  });

async function joined(client: Session, payload: Record<string, unknown>): Promise<string> {
  const response = await join(client, payload);
  expect(response.statusCode, response.body).toBe(201);
  expect(response.json().status).toBe('waiting');
  return response.json().id;
}

interface EntryView {
  id: string;
  status: string;
  bookingId: string | null;
  offer: { therapistId: string; starts: string[]; place: { mode: string; studioId?: string }; timeZone: string } | null;
}

async function entryOf(client: Session, id: string): Promise<EntryView> {
  const response = await call(t.app, client, { method: 'GET', url: '/api/waitlist' });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items.find((e: EntryView) => e.id === id);
}

const claim = (client: Session, id: string, therapist: TherapistFixture, start: string) =>
  call(t.app, client, {
    method: 'POST',
    url: `/api/waitlist/${id}/claim`,
    payload: { therapistId: therapist.id, start, studioId: therapist.studioId },
  });

const offerMailsTo = (clients: Session[]) =>
  smtp.received.filter(
    (m) => m.subject.startsWith('A time opened') && clients.some((c) => m.to.includes(c.email.toLowerCase())),
  );

async function clients(count: number, prefix: string): Promise<Session[]> {
  const list: Session[] = [];
  for (let i = 0; i < count; i++) list.push(await signUp(t.app, 'client', `${prefix} ${i + 1}`));
  return list;
}

describe('the waitlist', () => {
  it('joins, lists and leaves; bad input names the field, and nothing is written', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const id = await joined(client, { therapistId: therapist.id });
    const entry = await entryOf(client, id);
    expect(entry).toMatchObject({ status: 'waiting', offer: null, bookingId: null });

    const bad: [Record<string, unknown>, string, string][] = [
      [{ to: '2026-11-23', from: TUESDAY }, 'to', 'range_reversed'],
      [{ fromTime: '12:00', toTime: '11:00' }, 'toTime', 'range_reversed'],
      [{ mode: 'home' }, 'address', 'required'],
      [{ from: TUESDAY, to: '2027-01-10' }, 'to', 'range_too_long'],
      [{ from: '2026-11-01', to: '2026-11-02' }, 'to', 'out_of_range'],
      [{ therapistId: '00000000-0000-4000-8000-000000000000' }, 'therapistId', 'unknown'],
      [{ durationMin: 45 }, 'durationMin', 'invalid_union'],
      [{ fromTime: '25:00' }, 'fromTime', 'invalid_format'],
    ];
    for (const [payload, field, code] of bad) {
      const response = await join(client, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().errors, JSON.stringify(payload)).toContainEqual(expect.objectContaining({ field }));
      if (!['invalid_union', 'invalid_format'].includes(code))
        expect(response.json().errors[0], JSON.stringify(payload)).toMatchObject({ field, code });
    }
    const count = await t.database.db
      .selectFrom('waitlist_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('client_id', '=', client.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);

    // A therapist cannot join; another client cannot leave this entry.
    expect((await join(therapist.session, {})).statusCode).toBe(403);
    const stranger = await signUp(t.app, 'client');
    expect((await call(t.app, stranger, { method: 'DELETE', url: `/api/waitlist/${id}` })).statusCode).toBe(404);

    // A time outside the window is bad input, before anything is held.
    const outside = await claim(client, id, therapist, '2026-11-24T17:00:00.000Z');
    expect(outside.statusCode, outside.body).toBe(400);
    expect(outside.json().errors[0]).toMatchObject({ field: 'start', code: 'outside_window' });

    const left = await call(t.app, client, { method: 'DELETE', url: `/api/waitlist/${id}` });
    expect(left.statusCode, left.body).toBe(204);
    expect((await entryOf(client, id)).status).toBe('cancelled');
    const again = await call(t.app, client, { method: 'DELETE', url: `/api/waitlist/${id}` });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('waitlist_entry_closed');
    const late = await claim(client, id, therapist, TUESDAY_10);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('waitlist_entry_closed');
  });

  it('an entry still open when its window ends is closed as expired by its own job, at midnight in its zone', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const id = await joined(client, { therapistId: therapist.id });
    const row = () =>
      t.database.db
        .selectFrom('waitlist_entries')
        .select(['status', 'offer'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    // Wednesday 00:00 in New York is 05:00 UTC: a minute before, the window (Tuesday) has not ended.
    const WEDNESDAY_MIDNIGHT = Date.parse('2026-11-25T05:00:00.000Z');
    t.clock.set(WEDNESDAY_MIDNIGHT - MINUTE);
    await background.runRound();
    expect(['waiting', 'offered']).toContain((await row()).status);
    t.clock.set(WEDNESDAY_MIDNIGHT + 1_000);
    await background.runRound();
    expect(await row()).toEqual({ status: 'expired', offer: null });
    expect((await entryOf(client, id)).status).toBe('expired');
  });

  it('a cancellation frees a slot: the job tells the waiting clients in the order they joined, by e-mail and in the app', async () => {
    const therapist = await createTherapist(t, { displayName: 'Rosa Waits' }, operator);
    const other = await signUp(t.app, 'client');
    const booked = await bookSession(t, other, therapist, TUESDAY_10);
    const waiting = await clients(3, 'Waiting');
    const ids: string[] = [];
    for (const client of waiting) ids.push(await joined(client, { therapistId: therapist.id }));

    // Nothing is free in the window: a round offers nothing.
    await background.runRound();
    expect(offerMailsTo(waiting)).toEqual([]);
    expect((await entryOf(waiting[0]!, ids[0]!)).status).toBe('waiting');

    const cancelled = await call(t.app, other, { method: 'POST', url: `/api/bookings/${booked.id}/cancel` });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await background.runRound();

    // The first in line is told at once; the others are not yet.
    expect(offerMailsTo(waiting).map((m) => m.to[0])).toEqual([waiting[0]!.email.toLowerCase()]);
    const first = await entryOf(waiting[0]!, ids[0]!);
    expect(first.status).toBe('offered');
    expect(first.offer).toMatchObject({
      therapistId: therapist.id,
      timeZone: 'America/New_York',
      starts: [TUESDAY_10],
      place: { mode: 'studio', studioId: therapist.studioId },
    });
    expect((await entryOf(waiting[2]!, ids[2]!)).status).toBe('waiting');
    const mail = offerMailsTo(waiting)[0]!;
    expect(mail.subject).toBe('A time opened with Rosa Waits');
    expect(mail.text).toMatch(/10:00 AM/);
    expect(mail.text).toMatch(/first in line/);

    for (let round = 0; round < 2; round++) {
      t.clock.advance(2 * MINUTE);
      await background.runRound();
    }
    expect(offerMailsTo(waiting).map((m) => m.to[0])).toEqual(waiting.map((c) => c.email.toLowerCase()));
    expect(offerMailsTo([waiting[2]!])[0]!.text).toMatch(/number 3 in line/);
    expect((await entryOf(waiting[2]!, ids[2]!)).status).toBe('offered');
    // The in-app inbox has it too.
    const inbox = await call(t.app, waiting[1]!, { method: 'GET', url: '/api/messages' });
    expect(inbox.json().items.map((m: { kind: string }) => m.kind)).toContain('waitlist.offer');

    // A second round for the same free time tells nobody again.
    t.clock.advance(MINUTE);
    await background.runRound();
    expect(offerMailsTo(waiting)).toHaveLength(3);
  });

  it('several clients claiming at once: exactly one hold, the others 409 and still waiting; a screening refusal wins over the taken slot', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const other = await signUp(t.app, 'client');
    const booked = await bookSession(t, other, therapist, TUESDAY_10);
    const waiting = await clients(5, 'Racing');
    const refused = await signUp(t.app, 'client', 'Refused', {
      intake: { ...deskWorkerIntake(), conditions: { legClotSigns: { side: 'left', signs: ['swelling', 'warmth'] } } },
    });
    const ids: string[] = [];
    for (const client of waiting) ids.push(await joined(client, { therapistId: therapist.id }));
    const refusedId = await joined(refused, { therapistId: therapist.id });
    expect((await call(t.app, other, { method: 'POST', url: `/api/bookings/${booked.id}/cancel` })).statusCode).toBe(
      200,
    );
    await background.runRound();
    t.clock.advance(12 * MINUTE);
    await background.runRound();
    for (const [index, client] of waiting.entries())
      expect((await entryOf(client, ids[index]!)).status).toBe('offered');

    const answers = await Promise.all(
      waiting.map((client, index) => claim(client, ids[index]!, therapist, TUESDAY_10)),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses, answers.map((a) => a.body).join('\n')).toEqual([201, 409, 409, 409, 409]);
    for (const answer of answers.filter((a) => a.statusCode === 409)) {
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.json().code).toBe('slot_unavailable');
    }
    const winner = answers.findIndex((a) => a.statusCode === 201);
    expect(answers[winner]!.json().booking).toMatchObject({ status: 'held', startsAt: TUESDAY_10 });
    expect(answers[winner]!.json().entry).toMatchObject({ status: 'claimed' });
    for (const [index, client] of waiting.entries()) {
      const entry = await entryOf(client, ids[index]!);
      expect(entry.status).toBe(index === winner ? 'claimed' : 'waiting');
    }
    const holds = await t.database.db
      .selectFrom('bookings')
      .select(['client_id', 'status'])
      .where('therapist_id', '=', therapist.id)
      .where('status', '=', 'held')
      .execute();
    expect(holds).toEqual([{ client_id: waiting[winner]!.id, status: 'held' }]);

    // Safety first: the refused client is told the session cannot go ahead, not that the time is taken.
    const refusal = await claim(refused, refusedId, therapist, TUESDAY_10);
    expect(refusal.statusCode, refusal.body).toBe(422);
    expect(refusal.json().code).toBe('screening_not_today');

    // The losers are looked at again: nothing is free, so nobody is told anything new.
    const mailsBefore = offerMailsTo(waiting).length;
    await background.runRound();
    expect(offerMailsTo(waiting)).toHaveLength(mailsBefore);
  });

  it('an expired hold frees a slot, and the claim holds it for the waiting client', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const other = await signUp(t.app, 'client');
    const held = await call(t.app, other, {
      method: 'POST',
      url: '/api/bookings',
      payload: {
        therapistId: therapist.id,
        durationMin: 60,
        start: TUESDAY_10,
        place: { mode: 'studio', studioId: therapist.studioId },
      },
    });
    expect(held.statusCode, held.body).toBe(201);
    const [client] = await clients(1, 'Patient');
    const id = await joined(client!, { therapistId: therapist.id });
    await background.runRound();
    expect((await entryOf(client!, id)).status).toBe('waiting');

    t.clock.advance((t.config.holdMinutes + 1) * MINUTE);
    expect(await expireDueHolds(t.database.db, t.clock.now())).toBeGreaterThanOrEqual(1);
    await background.runRound();
    const entry = await entryOf(client!, id);
    expect(entry.status).toBe('offered');
    expect(entry.offer?.starts).toEqual([TUESDAY_10]);
    expect(offerMailsTo([client!])).toHaveLength(1);

    const claimed = await claim(client!, id, therapist, TUESDAY_10);
    expect(claimed.statusCode, claimed.body).toBe(201);
    expect((await entryOf(client!, id)).bookingId).toBe(claimed.json().booking.id);
  });

  it('joining a window that already has a free time: the job scheduled with the join offers it at once, by e-mail', async () => {
    // Wednesday 09:00–17:00 is free: e.g. it freed between the client's search and their join.
    const therapist = await createTherapist(t, { displayName: 'Ines Already Free' }, operator);
    const [client] = await clients(1, 'Late joiner');
    const id = await joined(client!, { therapistId: therapist.id, from: '2026-11-25', to: '2026-11-25' });
    const scheduled = await t.database.db
      .selectFrom('jobs')
      .select(['kind', 'payload'])
      .where('dedupe_key', '=', `waitlist.match:joined:${id}`)
      .execute();
    expect(scheduled).toHaveLength(1);
    expect(offerMailsTo([client!])).toEqual([]);

    await background.runRound();
    const entry = await entryOf(client!, id);
    expect(entry.status).toBe('offered');
    expect(entry.offer?.therapistId).toBe(therapist.id);
    // Wednesday 10:00 in New York.
    expect(entry.offer?.starts[0]).toBe('2026-11-25T15:00:00.000Z');
    expect(offerMailsTo([client!]).map((m) => m.to[0])).toEqual([client!.email.toLowerCase()]);

    // The claim holds the offered time.
    const held = await claim(client!, id, therapist, entry.offer!.starts[0]!);
    expect(held.statusCode, held.body).toBe(201);
  });

  it('new hours free time: extra hours on a Saturday are offered to a client waiting for any matching therapist', async () => {
    const therapist = await createTherapist(t, { gender: 'nonbinary', specialties: ['myofascial'] }, operator);
    const [client] = await clients(1, 'Weekend');
    const id = await joined(client!, {
      gender: 'nonbinary',
      specialty: 'myofascial',
      from: SATURDAY,
      to: SATURDAY,
      fromTime: '10:00',
      toTime: '12:00',
    });
    await background.runRound();
    expect((await entryOf(client!, id)).status).toBe('waiting');

    const extra = await call(t.app, therapist.session, {
      method: 'POST',
      url: '/api/therapists/me/overrides',
      payload: {
        kind: 'extra',
        date: SATURDAY,
        intervals: [{ start: '10:00', end: '12:00', place: { mode: 'studio', studioId: therapist.studioId } }],
      },
    });
    expect(extra.statusCode, extra.body).toBe(201);
    await background.runRound();
    const entry = await entryOf(client!, id);
    expect(entry.status).toBe('offered');
    expect(entry.offer?.therapistId).toBe(therapist.id);
    expect(entry.offer?.starts[0]).toBe('2026-11-28T15:00:00.000Z');
    expect(entry.offer?.starts.at(-1)).toBe('2026-11-28T16:00:00.000Z');
  });
});
