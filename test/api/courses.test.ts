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

const course = (client: Session, therapist: TherapistFixture, payload: Record<string, unknown>, preview = false) =>
  call(t.app, client, {
    method: 'POST',
    url: preview ? '/api/bookings/courses/preview' : '/api/bookings/courses',
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
});
