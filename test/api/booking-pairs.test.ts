import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import type { IntakeInput } from '../../src/intake/engine/intake-schema.js';
import { type TherapistFixture, type TherapistOptions, createTherapist } from '../support/therapist-fixture.js';
import {
  type Session,
  type TestApp,
  TEST_NOW,
  call,
  createOperator,
  sessionCookie,
  signUp,
  startTestApp,
  uniqueEmail,
} from '../support/test-app.js';
import { payWithCard } from '../support/payment-fixture.js';
import { createBackgroundWork } from '../../src/background-work.js';
import { findOrCreateInvitedClient } from '../../src/accounts/guest-accounts.js';
import type { ProblemError } from '../../src/domain/problems.js';

/**
 * Issue 17, deliverable 7: a session for two at one home address. Two therapists at the same time, each matching its
 * person's gender preference, held together or not at all, each person screened against their own consultation,
 * and neither person's health data shown to the other or to the other's therapist.
 */

let t: TestApp;
let operator: Session;
beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
});
afterAll(() => t.close());
beforeEach(() => t.clock.set(TEST_NOW));

const DAY = 86_400_000;
const ZONE = 'America/New_York';
/** The New York date `days` after the clock's now. */
const LOCAL_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE });
const localDate = (days: number) => LOCAL_DATE.format(new Date(t.clock.now() + days * DAY));
/** The next weekday (Mon–Fri) in New York at least a day after now. */
function nextWeekday(): string {
  for (let days = 1; ; days++) {
    const date = localDate(days);
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday >= 1 && weekday <= 5) return date;
  }
}
const LOCAL_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
/** A wall-clock time in New York on `date` as an instant (whichever of the zone's offsets gives it). */
const at = (date: string, hhmm: string) => {
  const guess = Date.parse(`${date}T${hhmm}:00Z`);
  for (const offsetHours of [4, 5]) {
    const instant = guess + offsetHours * 3_600_000;
    if (LOCAL_TIME.format(new Date(instant)) === hhmm) return new Date(instant).toISOString();
  }
  throw new Error(`no ${hhmm} on ${date}`);
};

/** Each test works in its own neighbourhood (far enough from the others' that no therapist visits two). */
let areas = 0;
function newArea() {
  areas += 1;
  const point = { lat: 40.2 + areas * 0.4, lng: -74.0 };
  return { point, home: { mode: 'home' as const, address: `${areas} Pair Street, New York`, ...point } };
}

const homeTherapist = (area: { lat: number; lng: number }, options: TherapistOptions = {}) =>
  createTherapist(
    t,
    {
      studio: null,
      mobileArea: { ...area, radiusKm: 10 },
      hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00', place: 'home' as const })),
      ...options,
    },
    operator,
  );

const holdPair = (
  booker: Session,
  payload: {
    start: string;
    home: ReturnType<typeof newArea>['home'];
    first: TherapistFixture;
    second: TherapistFixture;
    guest: { name: string; email: string };
  },
) =>
  call(t.app, booker, {
    method: 'POST',
    url: '/api/bookings/pairs',
    payload: {
      durationMin: 60,
      start: payload.start,
      place: payload.home,
      first: { therapistId: payload.first.id },
      second: { therapistId: payload.second.id, guest: payload.guest },
    },
  });

const bookingsOf = (clientId: string) =>
  t.database.db
    .selectFrom('bookings')
    .select(['id', 'status', 'therapist_id', 'pair_id', 'starts_at', 'address'])
    .where('client_id', '=', clientId)
    .execute();

const pairsOf = (bookerId: string) =>
  t.database.db.selectFrom('booking_pairs').selectAll().where('booker_id', '=', bookerId).execute();

const invitationsTo = (email: string) =>
  t.database.db
    .selectFrom('messages')
    .innerJoin('users', 'users.id', 'messages.user_id')
    .select(['messages.subject', 'messages.body_text'])
    .where('users.email', '=', email)
    .where('messages.kind', '=', 'account.sign_in_link')
    .execute();

const guestOf = (session: Session, name = 'Guest') => ({ name, email: session.email });

describe('searching times for two', () => {
  it('finds only times when two different therapists, each of the wanted gender, are both free at the address', async () => {
    const { point } = newArea();
    const search = (firstGender: string, secondGender: string) =>
      call(t.app, null, {
        method: 'GET',
        url: `/api/availability/pairs?durationMin=60&from=${nextWeekday()}&to=${nextWeekday()}&zone=${ZONE}&lat=${point.lat}&lng=${point.lng}&firstGender=${firstGender}&secondGender=${secondGender}`,
      });
    const ann = await homeTherapist(point, { gender: 'nonbinary', displayName: 'Ann' });
    // One nonbinary therapist cannot be both people's.
    const alone = await search('nonbinary', 'nonbinary');
    expect(alone.statusCode, alone.body).toBe(200);
    expect(alone.json().slots).toEqual([]);

    const bo = await homeTherapist(point, {
      gender: 'nonbinary',
      displayName: 'Bo',
      hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '13:00', end: '17:00', place: 'home' as const })),
    });
    const male = await homeTherapist(point, { gender: 'male', displayName: 'Cy' });
    const both = await search('nonbinary', 'nonbinary');
    expect(both.statusCode, both.body).toBe(200);
    const slots = both.json().slots as { startsAt: string; first: { id: string }; second: { id: string } }[];
    expect(slots.length).toBeGreaterThan(0);
    // Bo works only from 13:00, so no pair starts before then; each pair is Ann and Bo, never one twice or Cy.
    expect(slots[0]!.startsAt).toBe(at(nextWeekday(), '13:00'));
    for (const slot of slots) {
      expect(new Set([slot.first.id, slot.second.id])).toEqual(new Set([ann.id, bo.id]));
    }
    expect(both.json().timeZone).toBe(ZONE);

    const mixed = await search('male', 'nonbinary');
    const mixedSlots = mixed.json().slots as { startsAt: string; first: { id: string; gender: string } }[];
    expect(mixedSlots[0]).toMatchObject({
      startsAt: at(nextWeekday(), '09:00'),
      first: { id: male.id, gender: 'male' },
    });
    expect(mixedSlots.every((slot) => slot.first.id === male.id)).toBe(true);
  });
});

describe('holding a session for two', () => {
  it('holds both parts in one go, each with its own client, therapist and screening; each confirms their own', async () => {
    const { point, home } = newArea();
    const her = await homeTherapist(point, { gender: 'female' });
    const him = await homeTherapist(point, { gender: 'male' });
    const booker = await signUp(t.app, 'client', 'Bea Booker');
    const guest = await signUp(t.app, 'client', 'Gus Guest');
    const start = at(nextWeekday(), '10:00');

    const held = await holdPair(booker, { start, home, first: her, second: him, guest: guestOf(guest, 'Gus') });
    expect(held.statusCode, held.body).toBe(201);
    const pair = held.json();
    expect(pair).toMatchObject({
      you: 'booker',
      startsAt: start,
      durationMin: 60,
      address: home.address,
      timeZone: ZONE,
    });
    expect(pair.parts).toMatchObject([
      {
        person: 'booker',
        personName: 'Bea Booker',
        status: 'held',
        booking: { client: { id: booker.id }, pairId: pair.id },
      },
      { person: 'guest', personName: 'Gus Guest', status: 'held', booking: null },
    ]);
    const [mine] = await bookingsOf(booker.id);
    const [theirs] = await bookingsOf(guest.id);
    expect(mine).toMatchObject({ therapist_id: her.id, pair_id: pair.id, status: 'held', address: home.address });
    expect(theirs).toMatchObject({ therapist_id: him.id, pair_id: pair.id, status: 'held' });
    expect(theirs!.starts_at.getTime()).toBe(mine!.starts_at.getTime());
    // Each part was screened against its own client's consultation.
    const screened = await t.database.db
      .selectFrom('booking_screenings')
      .select(['booking_id', 'client_id'])
      .where('booking_id', 'in', [mine!.id, theirs!.id])
      .execute();
    expect(new Set(screened.map((row) => `${row.booking_id}:${row.client_id}`))).toEqual(
      new Set([`${mine!.id}:${booker.id}`, `${theirs!.id}:${guest.id}`]),
    );
    // The guest is told by e-mail, with a sign-in link, to confirm their part.
    const mail = await invitationsTo(guest.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body_text).toMatch(/Bea Booker has booked a deep tissue massage for two with you/);
    expect(mail[0]!.body_text).toMatch(/\/sign-in\/link#/);

    // Each confirms and pays for their own part; the guest sees the pair from their side.
    for (const [who, id] of [
      [booker, mine!.id],
      [guest, theirs!.id],
    ] as const) {
      const confirmed = await call(t.app, who, {
        method: 'POST',
        url: `/api/bookings/${id}/confirm`,
        payload: await payWithCard(t.app, who),
      });
      expect(confirmed.statusCode, confirmed.body).toBe(200);
    }
    const seen = await call(t.app, guest, { method: 'GET', url: `/api/bookings/pairs/${pair.id}` });
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json()).toMatchObject({
      you: 'guest',
      parts: [
        { person: 'booker', status: 'confirmed', booking: null },
        { person: 'guest', status: 'confirmed', booking: { id: theirs!.id } },
      ],
    });
  });

  it("holds neither part when the guest's therapist is busy, and names the guest's part", async () => {
    const { point, home } = newArea();
    // The busy therapist's part is tried last (parts are held in therapist-id order), so the first part was written
    // and must be rolled back.
    const sorted = [await homeTherapist(point), await homeTherapist(point)].sort((x, y) => x.id.localeCompare(y.id));
    const her = sorted[0]!;
    const him = sorted[1]!;
    const start = at(nextWeekday(), '11:00');
    const someone = await signUp(t.app, 'client');
    const single = await call(t.app, someone, {
      method: 'POST',
      url: '/api/bookings',
      payload: { therapistId: him.id, durationMin: 60, start, place: home },
    });
    expect(single.statusCode, single.body).toBe(201);

    const booker = await signUp(t.app, 'client', 'Bea');
    const guest = await signUp(t.app, 'client', 'Gus');
    const refused = await holdPair(booker, { start, home, first: her, second: him, guest: guestOf(guest, 'Gus') });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ code: 'slot_unavailable', part: 'second' });
    expect(refused.json().detail).toMatch(/^Gus's session/);
    expect(await bookingsOf(booker.id)).toEqual([]);
    expect(await bookingsOf(guest.id)).toEqual([]);
    expect(await pairsOf(booker.id)).toEqual([]);
    // The first therapist is still free then: a single booking with her holds.
    const alone = await call(t.app, booker, {
      method: 'POST',
      url: '/api/bookings',
      payload: { therapistId: her.id, durationMin: 60, start, place: home },
    });
    expect(alone.statusCode, alone.body).toBe(201);
  });

  it('names the booker’s part when the address is outside their therapist’s area', async () => {
    const { point, home } = newArea();
    const far = await homeTherapist({ lat: point.lat, lng: point.lng + 0.5 });
    const him = await homeTherapist(point, { gender: 'male' });
    const booker = await signUp(t.app, 'client');
    const guest = await signUp(t.app, 'client');
    const refused = await holdPair(booker, {
      start: at(nextWeekday(), '10:00'),
      home,
      first: far,
      second: him,
      guest: guestOf(guest),
    });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'outside_service_area',
      part: 'first',
      errors: [{ field: 'place.address', code: 'outside_service_area' }],
    });
    expect(await bookingsOf(guest.id)).toEqual([]);
  });

  it('lets only one of two pairs racing for the same therapist win, with no overlap', async () => {
    const { point, home } = newArea();
    const [a, b, shared] = await Promise.all([
      homeTherapist(point),
      homeTherapist(point),
      homeTherapist(point, { gender: 'male' }),
    ]);
    const start = at(nextWeekday(), '14:00');
    const [booker1, guest1, booker2, guest2] = await Promise.all([
      signUp(t.app, 'client'),
      signUp(t.app, 'client'),
      signUp(t.app, 'client'),
      signUp(t.app, 'client'),
    ]);
    const answers = await Promise.all([
      holdPair(booker1, { start, home, first: a, second: shared, guest: guestOf(guest1) }),
      holdPair(booker2, { start, home, first: shared, second: b, guest: guestOf(guest2) }),
    ]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const loser = answers.find((r) => r.statusCode === 409)!;
    expect(loser.json().code).toBe('slot_unavailable');
    const live = await t.database.db
      .selectFrom('bookings')
      .select(['therapist_id', 'client_id'])
      .where('therapist_id', 'in', [a.id, b.id, shared.id])
      .where('status', '=', 'held')
      .execute();
    // Two parts held (the winner's), one of them the shared therapist's; the loser holds nothing at all.
    expect(live).toHaveLength(2);
    expect(live.filter((row) => row.therapist_id === shared.id)).toHaveLength(1);
    const winnerIsFirst = answers[0].statusCode === 201;
    const loserClients = winnerIsFirst ? [booker2.id, guest2.id] : [booker1.id, guest1.id];
    expect(live.filter((row) => loserClients.includes(row.client_id))).toEqual([]);
  });
});

describe("each person's consultation gates their own session", () => {
  it('invites a guest without a consultation, holds nothing, and holds the pair once they have filled it in', async () => {
    const { point, home } = newArea();
    const her = await homeTherapist(point);
    const him = await homeTherapist(point, { gender: 'male' });
    const booker = await signUp(t.app, 'client', 'Bea Booker');
    const email = uniqueEmail('guest');
    const start = at(nextWeekday(), '15:00');

    const first = await holdPair(booker, { start, home, first: her, second: him, guest: { name: 'Nia', email } });
    expect(first.statusCode, first.body).toBe(422);
    expect(first.json()).toMatchObject({ code: 'guest_consultation_required', part: 'second' });
    expect(await bookingsOf(booker.id)).toEqual([]);
    const invitation = await invitationsTo(email);
    expect(invitation).toHaveLength(1);
    expect(invitation[0]!.subject).toBe('You are invited to a massage for two on Knotwork');
    expect(invitation[0]!.body_text).toMatch(/Bea Booker would like to book .* fill in your consultation/);
    // A new guest has no password: the invitation does not promise one still works.
    expect(invitation[0]!.body_text).not.toContain('password');
    expect(invitation[0]!.body_text).toContain('nothing is confirmed or paid for you until you do it yourself');

    // The guest signs in with the link (their new account has no password) and fills in their consultation.
    const token = /\/sign-in\/link#([\w-]+)$/m.exec(invitation[0]!.body_text)![1]!;
    const signedIn = await t.app.inject({ method: 'POST', url: '/api/sessions/link', payload: { token } });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const guest: Session = { id: signedIn.json().id, email, cookie: sessionCookie(signedIn) };
    expect(signedIn.json()).toMatchObject({ role: 'client', displayName: 'Nia' });
    const intake = await call(t.app, guest, { method: 'PUT', url: '/api/me/intake', payload: deskWorkerIntake() });
    expect(intake.statusCode, intake.body).toBe(200);

    const again = await holdPair(booker, { start, home, first: her, second: him, guest: { name: 'Nia', email } });
    expect(again.statusCode, again.body).toBe(201);
    expect((await bookingsOf(guest.id)).map((row) => row.status)).toEqual(['held']);
  });

  it('invites at most 5 new guests a day per booker: the 6th new address is 429 at second.guest.email, nothing written', async () => {
    const { point, home } = newArea();
    const her = await homeTherapist(point);
    const him = await homeTherapist(point, { gender: 'male' });
    const booker = await signUp(t.app, 'client', 'Sally Spammer');
    const start = at(nextWeekday(), '11:00');
    const tryGuest = (email: string) =>
      holdPair(booker, { start, home, first: her, second: him, guest: { name: 'Guest', email } });

    for (let i = 0; i < 5; i++) {
      const email = uniqueEmail(`new-guest-${i}`);
      const response = await tryGuest(email);
      expect(response.json(), response.body).toMatchObject({ code: 'guest_consultation_required' });
      expect(await invitationsTo(email)).toHaveLength(1);
    }

    const sixth = uniqueEmail('sixth-guest');
    const refused = await tryGuest(sixth);
    expect(refused.statusCode, refused.body).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ code: 'rate_limited' });
    expect(refused.json().errors[0]).toMatchObject({ field: 'second.guest.email', code: 'too_many_new_guests' });
    const sixthUser = await t.database.db.selectFrom('users').select('id').where('email', '=', sixth).execute();
    expect(sixthUser).toEqual([]);
    expect(await pairsOf(booker.id)).toEqual([]);
    expect(await bookingsOf(booker.id)).toEqual([]);

    // Someone who already has an account is no new invitation: still booked for.
    const friend = await signUp(t.app, 'client', 'Known Friend', { intake: deskWorkerIntake() });
    const withFriend = await tryGuest(friend.email);
    expect(withFriend.statusCode, withFriend.body).toBe(201);

    // Another booker is not limited by this one; and a day later this booker may invite again.
    const other = await signUp(t.app, 'client', 'Other Booker');
    const otherTry = await holdPair(other, {
      start: at(nextWeekday(), '13:00'),
      home,
      first: her,
      second: him,
      guest: { name: 'Guest', email: uniqueEmail('other-guest') },
    });
    expect(otherTry.json(), otherTry.body).toMatchObject({ code: 'guest_consultation_required' });
    t.clock.set(TEST_NOW + DAY + 60_000);
    const nextDay = await holdPair(booker, {
      start: at(nextWeekday(), '15:00'),
      home,
      first: her,
      second: him,
      guest: { name: 'Guest', email: sixth },
    });
    expect(nextDay.json(), nextDay.body).toMatchObject({ code: 'guest_consultation_required' });
    expect(await invitationsTo(sixth)).toHaveLength(1);
  });

  it('counts new guests invited at the same moment: 8 at once make exactly 5 accounts, the other 3 are refused', async () => {
    const booker = await signUp(t.app, 'client', 'Sam Simultaneous');
    const user = { id: booker.id, email: booker.email, role: 'client' as const, displayName: 'Sam Simultaneous' };
    const inviter = { user, now: t.clock.now() };
    const emails = Array.from({ length: 8 }, (_, i) => uniqueEmail(`at-once-${i}`));
    const answers = await Promise.allSettled(
      emails.map((email) => findOrCreateInvitedClient(t.database.db, email, 'Guest', 'second.guest.email', inviter)),
    );
    expect(answers.filter((answer) => answer.status === 'fulfilled')).toHaveLength(5);
    const refusals = answers.flatMap((answer) => (answer.status === 'rejected' ? [answer.reason as ProblemError] : []));
    expect(refusals.map((problem) => problem.code)).toEqual(['rate_limited', 'rate_limited', 'rate_limited']);
    const made = await t.database.db.selectFrom('users').select('email').where('email', 'in', emails).execute();
    expect(made).toHaveLength(5);
  });

  it("refuses the pair when the guest's consultation refuses the session, without telling the booker why", async () => {
    const { point, home } = newArea();
    const her = await homeTherapist(point);
    const him = await homeTherapist(point, { gender: 'male' });
    const booker = await signUp(t.app, 'client', 'Bea');
    const CLOT = { legClotSigns: { side: 'left', signs: ['swelling', 'warmth'] } } satisfies IntakeInput['conditions'];
    const guest = await signUp(t.app, 'client', 'Swollen Calf', {
      intake: { ...deskWorkerIntake(), conditions: CLOT },
    });
    const refused = await holdPair(booker, {
      start: at(nextWeekday(), '10:00'),
      home,
      first: her,
      second: him,
      guest: guestOf(guest, 'Sol'),
    });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'guest_screening_refused', part: 'second' });
    expect(refused.body).not.toMatch(/clot|blood|swelling|reasons|ruleId|medicalUrgency/i);
    expect(await bookingsOf(booker.id)).toEqual([]);
    expect(await bookingsOf(guest.id)).toEqual([]);

    // The booker's own refusal is theirs to read in full.
    const selfRefused = await holdPair(guest, {
      start: at(nextWeekday(), '10:00'),
      home,
      first: her,
      second: him,
      guest: guestOf(booker, 'Bea'),
    });
    expect(selfRefused.statusCode, selfRefused.body).toBe(422);
    expect(selfRefused.json()).toMatchObject({ code: 'screening_not_today', part: 'first', outcome: 'not_today' });
  });
});

describe('privacy between the two', () => {
  it("shows neither person the other's booking, screening or consultation, nor a therapist the other client's", async () => {
    const { point, home } = newArea();
    const her = await homeTherapist(point);
    const him = await homeTherapist(point, { gender: 'male' });
    const booker = await signUp(t.app, 'client');
    const guest = await signUp(t.app, 'client');
    const held = await holdPair(booker, {
      start: at(nextWeekday(), '12:00'),
      home,
      first: her,
      second: him,
      guest: guestOf(guest),
    });
    expect(held.statusCode, held.body).toBe(201);
    const [mine] = await bookingsOf(booker.id);
    const [theirs] = await bookingsOf(guest.id);
    const get = (who: Session, url: string) => call(t.app, who, { method: 'GET', url });

    expect((await get(booker, `/api/bookings/${theirs!.id}`)).statusCode).toBe(404);
    expect((await get(booker, `/api/bookings/${theirs!.id}/screening`)).statusCode).toBe(404);
    expect((await get(booker, `/api/clients/${guest.id}/intake`)).statusCode).toBe(403);
    expect((await get(guest, `/api/bookings/${mine!.id}/screening`)).statusCode).toBe(404);
    expect((await get(guest, `/api/clients/${booker.id}/intake`)).statusCode).toBe(403);
    // Each therapist sees only their own client.
    expect((await get(her.session, `/api/bookings/${mine!.id}/screening`)).statusCode).toBe(200);
    expect((await get(her.session, `/api/bookings/${theirs!.id}`)).statusCode).toBe(404);
    expect((await get(her.session, `/api/clients/${guest.id}/intake`)).statusCode).toBe(403);
    expect((await get(him.session, `/api/clients/${guest.id}/intake`)).statusCode).toBe(200);
    expect((await get(him.session, `/api/clients/${booker.id}/intake`)).statusCode).toBe(403);
    // The pair as each sees it: the other part is who, with whom and its status only.
    const asBooker = (await get(booker, `/api/bookings/pairs/${held.json().id}`)).json();
    expect(asBooker.parts[1]).toEqual({
      person: 'guest',
      personName: 'Test Client',
      therapistName: 'Test Therapist',
      status: 'held',
      booking: null,
    });
    // Anybody else: not found.
    const stranger = await signUp(t.app, 'client');
    expect((await get(stranger, `/api/bookings/pairs/${held.json().id}`)).statusCode).toBe(404);
    expect((await get(her.session, `/api/bookings/pairs/${held.json().id}`)).statusCode).toBe(404);
    expect((await get(operator, `/api/bookings/pairs/${held.json().id}`)).json().parts[1].booking).not.toBeNull();
  });
});

describe('cancelling', () => {
  it('cancels both parts together, or one alone leaving the other as a single session', async () => {
    const { point, home } = newArea();
    const her = await homeTherapist(point);
    const him = await homeTherapist(point, { gender: 'male' });
    const booker = await signUp(t.app, 'client');
    const guest = await signUp(t.app, 'client');
    const pairAt = async (hhmm: string) => {
      const held = await holdPair(booker, {
        start: at(nextWeekday(), hhmm),
        home,
        first: her,
        second: him,
        guest: guestOf(guest),
      });
      expect(held.statusCode, held.body).toBe(201);
      return held.json().id as string;
    };
    const together = await pairAt('09:00');
    const cancelled = await call(t.app, guest, { method: 'POST', url: `/api/bookings/pairs/${together}/cancel` });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().parts.map((p: { status: string }) => p.status)).toEqual(['cancelled', 'cancelled']);
    const twice = await call(t.app, booker, { method: 'POST', url: `/api/bookings/pairs/${together}/cancel` });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('invalid_transition');

    const apart = await pairAt('11:00');
    const guestPart = (await bookingsOf(guest.id)).find((row) => row.pair_id === apart)!;
    const one = await call(t.app, guest, { method: 'POST', url: `/api/bookings/${guestPart.id}/cancel` });
    expect(one.statusCode, one.body).toBe(200);
    const view = await call(t.app, booker, { method: 'GET', url: `/api/bookings/pairs/${apart}` });
    expect(view.json().parts.map((p: { status: string }) => p.status)).toEqual(['held', 'cancelled']);

    // The booker is told their own session stays, on its own (once, however often the notices are read); cancelling
    // the whole pair told nobody that.
    const background = createBackgroundWork({ db: t.database.db, clock: t.clock, config: t.config }, { sender: null });
    await background.runRound();
    await background.runRound();
    const told = await t.database.db
      .selectFrom('messages')
      .select(['user_id', 'subject', 'body_text', 'booking_id'])
      .where('kind', '=', 'booking.pair_part_cancelled')
      .where('user_id', 'in', [booker.id, guest.id])
      .execute();
    const bookerPart = (await bookingsOf(booker.id)).find((row) => row.pair_id === apart)!;
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ user_id: booker.id, booking_id: bookerPart.id });
    expect(told[0]!.body_text).toMatch(/cancelled their part of your session for two .* stays booked, on its own/);
  });
});

describe('bad input', () => {
  it('names the field for one therapist twice, booking yourself as the guest, a studio, and a therapist as guest', async () => {
    const { point, home } = newArea();
    const her = await homeTherapist(point);
    const booker = await signUp(t.app, 'client');
    const start = at(nextWeekday(), '10:00');
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { second: { therapistId: her.id, guest: { name: 'G', email: uniqueEmail('g') } } },
        'second.therapistId',
        'same_therapist',
      ],
      [
        { second: { therapistId: crypto.randomUUID(), guest: { name: 'G', email: booker.email } } },
        'second.guest.email',
        'is_you',
      ],
      [
        { second: { therapistId: crypto.randomUUID(), guest: { name: 'G', email: her.session.email } } },
        'second.guest.email',
        'not_a_client',
      ],
      [{ place: { mode: 'studio', studioId: crypto.randomUUID() } }, 'place.mode', 'invalid_value'],
      [
        { second: { therapistId: crypto.randomUUID(), guest: { name: 'G', email: 'nope' } } },
        'second.guest.email',
        'invalid_format',
      ],
    ];
    for (const [change, field, code] of cases) {
      const response = await call(t.app, booker, {
        method: 'POST',
        url: '/api/bookings/pairs',
        payload: {
          durationMin: 60,
          start,
          place: home,
          first: { therapistId: her.id },
          second: { therapistId: crypto.randomUUID(), guest: { name: 'G', email: uniqueEmail('g') } },
          ...change,
        },
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().errors, JSON.stringify(change)).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, code })]),
      );
    }
    expect(await bookingsOf(booker.id)).toEqual([]);
    const unknownPair = await call(t.app, booker, { method: 'GET', url: `/api/bookings/pairs/${crypto.randomUUID()}` });
    expect(unknownPair.statusCode).toBe(404);
    const therapistBooks = await call(t.app, her.session, {
      method: 'POST',
      url: '/api/bookings/pairs',
      payload: {
        durationMin: 60,
        start,
        place: home,
        first: { therapistId: her.id },
        second: { therapistId: crypto.randomUUID(), guest: { name: 'G', email: uniqueEmail('g') } },
      },
    });
    expect(therapistBooks.statusCode).toBe(403);
  });
});
