import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
import { holdSession } from '../support/booking-fixture.js';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';

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

/** The local date (in New York) `days` after the clock's now. */
const localDate = (days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(t.clock.now() + days * DAY));
/** Wall-clock HH:mm in New York of an instant. */
const localTime = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(iso),
  );
const localDay = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(iso));

/** The first Tuesday at least `afterDays` after now, as a New York date. */
function tuesdayAfter(afterDays: number): string {
  for (let days = afterDays; ; days++) {
    const date = localDate(days);
    if (new Date(`${date}T12:00:00Z`).getUTCDay() === 2) return date;
  }
}

const course = (
  client: Session,
  therapist: TherapistFixture,
  payload: Record<string, unknown>,
  preview = false,
  headers: Record<string, string> = {},
) =>
  call(t.app, client, {
    method: 'POST',
    url: preview ? '/api/bookings/courses/preview' : '/api/bookings/courses',
    headers,
    payload: {
      therapistId: therapist.id,
      durationMin: 60,
      place: { mode: 'studio', studioId: therapist.studioId },
      rrule: 'FREQ=WEEKLY;COUNT=6',
      ...payload,
    },
  });

const bookingsOf = (client: Session) =>
  t.database.db
    .selectFrom('bookings')
    .select(['id', 'status', 'course_id'])
    .where('client_id', '=', client.id)
    .execute();

describe('courses of sessions', () => {
  it('holds a course of home visits, every session at the client’s address in its zone', async () => {
    const therapist = await createTherapist(
      t,
      {
        studio: null,
        mobileArea: { lat: 40.7549, lng: -73.984, radiusKm: 8 },
        hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
          weekday,
          start: '09:00',
          end: '17:00',
          place: 'home' as const,
        })),
      },
      operator,
    );
    const client = await signUp(t.app, 'client');
    const first = tuesdayAfter(1);
    const home = { mode: 'home', address: '350 5th Ave, New York', lat: 40.7484, lng: -73.9857 };

    const preview = await course(
      client,
      therapist,
      { place: home, firstStart: `${first}T11:00`, rrule: 'FREQ=WEEKLY;COUNT=3' },
      true,
    );
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().sessions.every((s: { available: boolean }) => s.available)).toBe(true);

    const held = await course(client, therapist, {
      place: home,
      firstStart: `${first}T11:00`,
      rrule: 'FREQ=WEEKLY;COUNT=3',
    });
    expect(held.statusCode, held.body).toBe(201);
    const body = held.json();
    expect(body.timeZone).toBe(ZONE);
    expect(body.sessions).toHaveLength(3);
    for (const session of body.sessions) {
      expect(localTime(session.startsAt)).toBe('11:00');
      expect(session.booking).toMatchObject({
        status: 'held',
        mode: 'home',
        address: home.address,
        courseId: body.courseId,
      });
    }
    const rows = await t.database.db
      .selectFrom('bookings')
      .select(['mode', 'address', 'lat', 'lng', 'time_zone', 'course_id'])
      .where('client_id', '=', client.id)
      .execute();
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toMatchObject({ mode: 'home', address: home.address, time_zone: ZONE, course_id: body.courseId });
      expect(Number(row.lat)).toBeCloseTo(home.lat, 4);
      expect(Number(row.lng)).toBeCloseTo(home.lng, 4);
    }

    // Outside the therapist's area: every date is refused, nothing held.
    const far = { mode: 'home', address: '1 Main St, Philadelphia', lat: 39.9526, lng: -75.1652 };
    const outside = await course(client, therapist, {
      place: far,
      firstStart: `${tuesdayAfter(30)}T11:00`,
      rrule: 'FREQ=WEEKLY;COUNT=2',
    });
    expect(outside.statusCode, outside.body).not.toBe(201);
    expect(await bookingsOf(client)).toHaveLength(3);
  });

  it('holds a 6-week course in one go, each session an ordinary booking that is cancelled or moved on its own', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const first = tuesdayAfter(1);

    const preview = await course(client, therapist, { firstStart: `${first}T10:00` }, true);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().courseId).toBeNull();
    expect(preview.json().sessions.every((s: { available: boolean }) => s.available)).toBe(true);
    expect(await bookingsOf(client)).toEqual([]);

    const held = await course(client, therapist, { firstStart: `${first}T10:00` });
    expect(held.statusCode, held.body).toBe(201);
    const body = held.json();
    expect(body.timeZone).toBe(ZONE);
    expect(body.sessions).toHaveLength(6);
    for (const [index, session] of body.sessions.entries()) {
      expect(session.available).toBe(true);
      expect(session.booking).toMatchObject({ status: 'held', startsAt: session.startsAt, courseId: body.courseId });
      expect(localTime(session.startsAt)).toBe('10:00');
      expect(localDay(session.startsAt)).toBe(
        new Date(Date.parse(`${first}T12:00:00Z`) + index * 7 * DAY).toISOString().slice(0, 10),
      );
    }
    const rows = await bookingsOf(client);
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((row) => row.course_id))).toEqual(new Set([body.courseId]));

    // One session cancelled alone.
    const [firstSession, secondSession] = body.sessions.map((s: { booking: { id: string } }) => s.booking.id);
    const cancelled = await call(t.app, client, { method: 'POST', url: `/api/bookings/${firstSession}/cancel` });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    // Another confirmed (paid on its own) and moved alone, staying in the course.
    const confirmed = await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${secondSession}/confirm`,
      payload: await payWithCard(t.app, client),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const moved = await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${secondSession}/reschedule`,
      payload: { start: new Date(Date.parse(body.sessions[1].startsAt) + 2 * 3_600_000).toISOString() },
    });
    expect(moved.statusCode, moved.body).toBe(201);
    const after = await bookingsOf(client);
    const statusOf = (id: string) => after.find((row) => row.id === id)?.status;
    expect(statusOf(firstSession)).toBe('cancelled');
    expect(statusOf(secondSession)).toBe('rescheduled');
    expect(after.find((row) => row.id === moved.json().id)?.course_id).toBe(body.courseId);
    expect(after.filter((row) => row.status === 'held')).toHaveLength(4);
    // The other four are left as they were: same times, same course, still held.
    const others = await t.database.db
      .selectFrom('bookings')
      .select(['starts_at', 'status', 'course_id'])
      .where(
        'id',
        'in',
        body.sessions.slice(2).map((s: { booking: { id: string } }) => s.booking.id),
      )
      .orderBy('starts_at')
      .execute();
    expect(others.map((row) => row.starts_at.toISOString())).toEqual(
      body.sessions.slice(2).map((s: { startsAt: string }) => s.startsAt),
    );
    expect(others.every((row) => row.status === 'held' && row.course_id === body.courseId)).toBe(true);
  });

  it('refuses the whole course with 409 and the nearest free times when week 3 is taken, holding nothing', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const other = await signUp(t.app, 'client');
    const client = await signUp(t.app, 'client');
    const first = tuesdayAfter(1);
    const week3 = new Date(Date.parse(`${first}T12:00:00Z`) + 14 * DAY).toISOString().slice(0, 10);
    const preview = await course(
      other,
      therapist,
      {
        firstStart: `${week3}T10:00`,
        rrule: 'FREQ=WEEKLY;COUNT=2',
      },
      true,
    );
    const taken = preview.json().sessions[0].startsAt as string;
    const single = await call(t.app, other, {
      method: 'POST',
      url: '/api/bookings',
      payload: {
        therapistId: therapist.id,
        durationMin: 60,
        start: taken,
        place: { mode: 'studio', studioId: therapist.studioId },
      },
    });
    expect(single.statusCode, single.body).toBe(201);

    const refused = await course(client, therapist, { firstStart: `${first}T10:00` });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = refused.json();
    expect(problem).toMatchObject({ code: 'course_unavailable', status: 409, timeZone: ZONE });
    expect(problem.conflicts).toHaveLength(1);
    expect(problem.conflicts[0]).toMatchObject({ index: 2, startsAt: taken, reason: 'slot_unavailable' });
    // The other session blocks 10:00–11:15 (15 minutes' buffer after): the nearest free starts are after it.
    expect(problem.conflicts[0].alternatives.map(localTime)).toEqual(['11:15', '11:30', '11:45']);
    expect(problem.conflicts[0].alternatives.map(localDay)).toEqual([week3, week3, week3]);
    expect(await bookingsOf(client)).toEqual([]);
    const courses = await t.database.db
      .selectFrom('booking_courses')
      .select('id')
      .where('client_id', '=', client.id)
      .execute();
    expect(courses).toEqual([]);

    // The preview says the same without a problem.
    const preview2 = await course(client, therapist, { firstStart: `${first}T10:00` }, true);
    expect(preview2.statusCode).toBe(200);
    expect(preview2.json().sessions.map((s: { available: boolean }) => s.available)).toEqual([
      true,
      true,
      false,
      true,
      true,
      true,
    ]);
  });

  it('replaces the client’s held time: the preview sees it free, it stays held until the course is, and only such a hold is replaced', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const other = await signUp(t.app, 'client');
    const first = tuesdayAfter(1);
    const week3 = new Date(Date.parse(`${first}T12:00:00Z`) + 14 * DAY).toISOString().slice(0, 10);
    const startOf = async (date: string) =>
      (await course(client, therapist, { firstStart: `${date}T10:00`, rrule: 'FREQ=WEEKLY;COUNT=2' }, true)).json()
        .sessions[0].startsAt as string;
    const hold = (who: Session, start: string) => holdSession(t, who, therapist, start);
    const single = await hold(client, await startOf(first));
    await hold(other, await startOf(week3));
    const statusOf = async (id: string) =>
      (await t.database.db.selectFrom('bookings').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status;
    const available = async (payload: Record<string, unknown>) =>
      (await course(client, therapist, { firstStart: `${first}T10:00`, ...payload }, true))
        .json()
        .sessions.map((s: { available: boolean }) => s.available);

    // Without it, the client's own hold takes the first date; replacing it, the preview sees it free.
    expect(await available({})).toEqual([false, true, false, true, true, true]);
    expect(await available({ replacesBookingId: single })).toEqual([true, true, false, true, true, true]);
    expect(await statusOf(single)).toBe('held');

    // A course that cannot be held keeps the time held.
    const refused = await course(client, therapist, { firstStart: `${first}T10:00`, replacesBookingId: single });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(await statusOf(single)).toBe('held');

    // Someone else's hold, or a time that is not held, is not replaced: 400 at the field, nothing written.
    const theirs = (await bookingsOf(other))[0]!.id;
    const notMine = await course(client, therapist, {
      firstStart: `${first}T10:00`,
      changes: [{ index: 2, startsAt: null }],
      replacesBookingId: theirs,
    });
    expect(notMine.statusCode, notMine.body).toBe(400);
    expect(notMine.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(notMine.json().errors[0]).toMatchObject({ field: 'replacesBookingId', code: 'not_replaceable' });
    expect(await statusOf(theirs)).toBe('held');

    // The course held (week 3 left out) releases the time in the same transaction and holds it again as its first.
    const held = await course(client, therapist, {
      firstStart: `${first}T10:00`,
      changes: [{ index: 2, startsAt: null }],
      replacesBookingId: single,
    });
    expect(held.statusCode, held.body).toBe(201);
    expect(await statusOf(single)).toBe('cancelled');
    const rows = await bookingsOf(client);
    expect(rows.filter((row) => row.status === 'held' && row.course_id === held.json().courseId)).toHaveLength(5);

    // A session of a course is not replaced by another course.
    const inCourse = held.json().sessions[0].booking.id as string;
    const again = await course(client, therapist, {
      firstStart: `${tuesdayAfter(60)}T10:00`,
      replacesBookingId: inCourse,
    });
    expect(again.statusCode, again.body).toBe(400);
    expect(again.json().errors[0]).toMatchObject({ field: 'replacesBookingId', code: 'not_replaceable' });
    expect(await statusOf(inCourse)).toBe('held');
  });

  it('keeps the local time across a daylight-saving change', async () => {
    // The next change of New York's offset, found from the clock; the clock moves on to the week before.
    const offsetAt = (ms: number) =>
      new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'shortOffset' })
        .formatToParts(new Date(ms))
        .find((part) => part.type === 'timeZoneName')!.value;
    let days = 1;
    while (offsetAt(t.clock.now() + days * DAY) === offsetAt(t.clock.now() + (days + 21) * DAY)) days++;
    t.clock.set(t.clock.now() + days * DAY - 7 * DAY);
    // Sessions made at the old time have run out by then: a fresh operator approves the therapist.
    const therapist = await createTherapist(t);
    const client = await signUp(t.app, 'client');
    const first = tuesdayAfter(7);
    const held = await course(client, therapist, { firstStart: `${first}T10:00`, rrule: 'FREQ=WEEKLY;COUNT=4' });
    expect(held.statusCode, held.body).toBe(201);
    const starts: string[] = held.json().sessions.map((s: { startsAt: string }) => s.startsAt);
    expect(starts.map(localTime)).toEqual(['10:00', '10:00', '10:00', '10:00']);
    const utcHours = new Set(starts.map((iso) => new Date(iso).getUTCHours()));
    expect(utcHours.size).toBe(2);
  });

  it('answers bad input naming the field', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const first = tuesdayAfter(1);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ firstStart: `${first}T10:00`, rrule: 'FREQ=DAILY;COUNT=6' }, 'rrule', 'not_weekly'],
      [{ firstStart: `${first}T10:00`, rrule: 'FREQ=WEEKLY;COUNT=20' }, 'rrule', 'count_out_of_range'],
      [{ firstStart: `${first}T10:00`, therapistId: '00000000-0000-4000-8000-000000000000' }, 'therapistId', 'unknown'],
      [{ firstStart: `${first}T25:00` }, 'firstStart', 'invalid'],
    ];
    for (const [payload, field, code] of cases) {
      const response = await course(client, therapist, payload);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().errors[0]).toMatchObject({ field, code });
    }
    expect(await bookingsOf(client)).toEqual([]);
  });

  it('lists the sessions screening refuses with their reason (safety first, even over a taken time), holds nothing, then holds exactly the ones the client keeps', async () => {
    const therapist = await createTherapist(t, {}, operator);
    // A heart attack 28 days ago: no massage for 6 weeks after it (to the end of day 14 from now), then only with a
    // clearance, which a hold does not need yet. Sessions 0 and 1 (days 1..14) are refused, 2.. can be held.
    const client = await signUp(t.app, 'client', 'Recovering Heart', {
      intake: deskWorkerIntake({ conditions: { heartAttack: { date: localDate(-28) } } }),
    });
    const other = await signUp(t.app, 'client');
    const first = tuesdayAfter(1);
    const plain = await course(other, therapist, { firstStart: `${first}T10:00` }, true);
    const starts: string[] = plain.json().sessions.map((s: { startsAt: string }) => s.startsAt);
    // Session 1's time is also taken: the safety refusal still answers for it.
    const taken = await call(t.app, other, {
      method: 'POST',
      url: '/api/bookings',
      payload: {
        therapistId: therapist.id,
        durationMin: 60,
        start: starts[1],
        place: { mode: 'studio', studioId: therapist.studioId },
      },
    });
    expect(taken.statusCode, taken.body).toBe(201);

    const preview = await course(client, therapist, { firstStart: `${first}T10:00` }, true);
    expect(preview.statusCode, preview.body).toBe(200);
    const sessions = preview.json().sessions;
    expect(sessions.map((s: { reason: string | null }) => s.reason)).toEqual([
      'screening_not_today',
      'screening_not_today',
      null,
      null,
      null,
      null,
    ]);
    expect(sessions.map((s: { index: number }) => s.index)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const refused of sessions.slice(0, 2)) {
      expect(refused.available).toBe(false);
      expect(refused.message).toMatch(/heart attack/i);
      expect(refused.alternatives).toEqual([]);
    }

    // Holding the course as it is: 409, each refused session listed with its reason, nothing held.
    const refused = await course(client, therapist, { firstStart: `${first}T10:00` });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json().code).toBe('course_unavailable');
    expect(refused.json().conflicts).toEqual([
      expect.objectContaining({ index: 0, startsAt: starts[0], reason: 'screening_not_today', alternatives: [] }),
      expect.objectContaining({ index: 1, startsAt: starts[1], reason: 'screening_not_today', alternatives: [] }),
    ]);
    expect(await bookingsOf(client)).toEqual([]);

    // Moving a refused session to another time that day does not get round screening.
    const moved = await course(client, therapist, {
      firstStart: `${first}T10:00`,
      changes: [
        { index: 0, startsAt: new Date(Date.parse(starts[0]!) + 3 * 3_600_000).toISOString() },
        { index: 1, startsAt: null },
      ],
    });
    expect(moved.statusCode, moved.body).toBe(409);
    expect(moved.json().conflicts).toEqual([expect.objectContaining({ index: 0, reason: 'screening_not_today' })]);
    expect(await bookingsOf(client)).toEqual([]);

    // Leaving both out: exactly the four others are held, together.
    const held = await course(client, therapist, {
      firstStart: `${first}T10:00`,
      changes: [
        { index: 0, startsAt: null },
        { index: 1, startsAt: null },
      ],
    });
    expect(held.statusCode, held.body).toBe(201);
    expect(held.json().sessions.map((s: { index: number }) => s.index)).toEqual([2, 3, 4, 5]);
    expect(held.json().sessions.map((s: { startsAt: string }) => s.startsAt)).toEqual(starts.slice(2));
    const rows = await bookingsOf(client);
    expect(rows).toHaveLength(4);
    expect(rows.every((row) => row.status === 'held' && row.course_id === held.json().courseId)).toBe(true);
  });

  it('holds a taken session at the alternative the client chose, the others at the course time', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const other = await signUp(t.app, 'client');
    const client = await signUp(t.app, 'client');
    const first = tuesdayAfter(1);
    const plain = await course(
      client,
      therapist,
      { firstStart: `${first}T10:00`, rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=3' },
      true,
    );
    const starts: string[] = plain.json().sessions.map((s: { startsAt: string }) => s.startsAt);
    expect(localDay(starts[1]!)).toBe(new Date(Date.parse(`${first}T12:00:00Z`) + 14 * DAY).toISOString().slice(0, 10));
    const taken = await call(t.app, other, {
      method: 'POST',
      url: '/api/bookings',
      payload: {
        therapistId: therapist.id,
        durationMin: 60,
        start: starts[1],
        place: { mode: 'studio', studioId: therapist.studioId },
      },
    });
    expect(taken.statusCode, taken.body).toBe(201);
    const body = { firstStart: `${first}T10:00`, rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=3' };
    const preview = await course(client, therapist, body, true);
    const alternative = preview.json().sessions[1].alternatives[0] as string;
    expect(localTime(alternative)).toBe('11:15');
    const held = await course(client, therapist, { ...body, changes: [{ index: 1, startsAt: alternative }] });
    expect(held.statusCode, held.body).toBe(201);
    expect(held.json().sessions.map((s: { startsAt: string }) => s.startsAt)).toEqual([
      starts[0],
      alternative,
      starts[2],
    ]);
    expect(held.json().sessions.map((s: { booking: { startsAt: string } }) => s.booking.startsAt)).toEqual([
      starts[0],
      alternative,
      starts[2],
    ]);
  });

  it('answers a retry with the same Idempotency-Key with the same course, and refuses the key for another course', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const first = tuesdayAfter(1);
    const key = { 'idempotency-key': 'course-retry-1' };
    const once = await course(
      client,
      therapist,
      { firstStart: `${first}T10:00`, rrule: 'FREQ=WEEKLY;COUNT=3' },
      false,
      key,
    );
    expect(once.statusCode, once.body).toBe(201);
    const again = await course(
      client,
      therapist,
      { firstStart: `${first}T10:00`, rrule: 'FREQ=WEEKLY;COUNT=3' },
      false,
      key,
    );
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toEqual(once.json());
    expect(await bookingsOf(client)).toHaveLength(3);
    const courses = await t.database.db
      .selectFrom('booking_courses')
      .select('id')
      .where('client_id', '=', client.id)
      .execute();
    expect(courses).toHaveLength(1);

    const other = await course(
      client,
      therapist,
      { firstStart: `${first}T14:00`, rrule: 'FREQ=WEEKLY;COUNT=3' },
      false,
      key,
    );
    expect(other.statusCode, other.body).toBe(422);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(other.json().code).toBe('idempotency_key_reused');
    expect(await bookingsOf(client)).toHaveLength(3);

    // A refused attempt stores nothing under its key: sent again it is tried again, and the key can then be used for
    // the course the client settles on.
    const retryKey = { 'idempotency-key': 'course-retry-2' };
    const blocked = { firstStart: `${first}T10:00`, rrule: 'FREQ=WEEKLY;COUNT=2' };
    expect((await course(client, therapist, blocked, false, retryKey)).statusCode).toBe(409);
    expect((await course(client, therapist, blocked, false, retryKey)).statusCode).toBe(409);
    const settled = await course(client, therapist, { ...blocked, firstStart: `${first}T14:00` }, false, retryKey);
    expect(settled.statusCode, settled.body).toBe(201);
    expect(await bookingsOf(client)).toHaveLength(5);
  });

  it('answers bad changes naming the field, writing nothing', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const first = tuesdayAfter(1);
    const firstStart = `${first}T10:00`;
    const cases: [Record<string, unknown>, string, string][] = [
      [{ firstStart, changes: [{ index: 6, startsAt: null }] }, 'changes.0.index', 'out_of_range'],
      [{ firstStart, changes: [{ index: 12, startsAt: null }] }, 'changes.0.index', 'too_big'],
      [
        {
          firstStart,
          changes: [
            { index: 1, startsAt: null },
            { index: 1, startsAt: null },
          ],
        },
        'changes',
        'duplicate',
      ],
      [{ firstStart, changes: [{ index: 1, startsAt: '2026-12-01 10:00' }] }, 'changes.0.startsAt', 'invalid_format'],
      [{ firstStart, changes: [{ index: 1, startsAt: '1999-12-01T10:00:00Z' }] }, 'changes.0.startsAt', 'out_of_range'],
      [
        {
          firstStart,
          rrule: 'FREQ=WEEKLY;COUNT=2',
          changes: [
            { index: 1, startsAt: null },
            { index: 0, startsAt: null },
          ],
        },
        'changes',
        'nothing_left',
      ],
    ];
    for (const [payload, field, code] of cases) {
      for (const preview of [false, true]) {
        const response = await course(client, therapist, payload, preview);
        expect(response.statusCode, response.body).toBe(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json().errors[0]).toMatchObject({ field, code });
      }
    }
    expect(await bookingsOf(client)).toEqual([]);
  });
});
