import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import { bookSession } from '../support/booking-fixture.js';
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

let t: TestApp;
let work: BackgroundWork;
let operator: Session;
let therapist: TherapistFixture;
let client: Session;
let stranger: Session;

const MINUTE = 60_000;
const ALERT_MIN = 20;
const nyAt = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();
type Booking = Awaited<ReturnType<typeof bookSession>>;
const post = (who: Session | null, url: string, payload?: unknown) =>
  call(t.app, who, { method: 'POST', url, ...(payload === undefined ? {} : { payload }) });
const get = (who: Session | null, url: string) => call(t.app, who, { method: 'GET', url });

beforeAll(async () => {
  t = await startTestApp({ config: { liveCheckoutAlertMin: ALERT_MIN } });
  work = createBackgroundWork({ db: t.database.db, clock: t.clock, config: t.config }, { sender: null });
  operator = await createOperator(t);
  therapist = await createTherapist(t, { displayName: 'Dana Deep' }, operator);
  client = await signUp(t.app, 'client', 'Casey Client');
  stranger = await signUp(t.app, 'client', 'Sam Stranger');
});
afterAll(() => t.close());

async function checkIn(booking: Booking) {
  t.clock.set(Date.parse(booking.startsAt) - 5 * MINUTE);
  const checkedIn = await post(therapist.session, `/api/bookings/${booking.id}/check-in`);
  expect(checkedIn.statusCode, checkedIn.body).toBe(200);
}

async function book(date: string, hhmm: string, who = client) {
  t.clock.set(TEST_NOW);
  return bookSession(t, who, therapist, nyAt(date, hhmm));
}

const incidentsOf = (bookingId: string) =>
  t.database.db
    .selectFrom('incidents')
    .select(['kind', 'status', 'reporter_role'])
    .where('booking_id', '=', bookingId)
    .execute();
const messagesOf = (userId: string, kind: string) =>
  t.database.db
    .selectFrom('messages')
    .select(['subject', 'booking_id'])
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .execute();

describe('overdue check-out', () => {
  it('alerts the operators once when the session is still checked in the configured minutes after its end', async () => {
    const booking = await book('2026-11-24', '10:00');
    await checkIn(booking);
    t.clock.set(Date.parse(booking.endsAt) + (ALERT_MIN - 1) * MINUTE);
    await work.runRound();
    expect(await incidentsOf(booking.id)).toEqual([]);

    t.clock.set(Date.parse(booking.endsAt) + ALERT_MIN * MINUTE);
    expect((await work.runRound()).jobs.done).toBeGreaterThanOrEqual(1);
    expect(await incidentsOf(booking.id)).toEqual([
      { kind: 'overdue_checkout', status: 'open', reporter_role: 'system' },
    ]);
    expect(await messagesOf(operator.id, 'safety.checkout_overdue')).toEqual([
      { subject: 'Safety: a session has not been checked out', booking_id: booking.id },
    ]);
    expect(await messagesOf(therapist.id, 'safety.checkout_overdue')).toEqual([
      { subject: 'Please check out your session', booking_id: booking.id },
    ]);

    t.clock.advance(60 * MINUTE);
    await work.runRound();
    expect(await incidentsOf(booking.id)).toHaveLength(1);
    const queue = await get(operator, '/api/operator/incidents?kind=overdue_checkout');
    expect(queue.json()).toEqual([
      expect.objectContaining({
        bookingId: booking.id,
        kind: 'overdue_checkout',
        kindLabel: 'Check-out overdue',
        reporter: null,
        status: 'open',
      }),
    ]);
    await post(therapist.session, `/api/bookings/${booking.id}/check-out`);
  });

  it('stays quiet for a session checked out in time', async () => {
    const booking = await book('2026-11-24', '13:00');
    await checkIn(booking);
    t.clock.set(Date.parse(booking.endsAt) + 2 * MINUTE);
    expect((await post(therapist.session, `/api/bookings/${booking.id}/check-out`)).statusCode).toBe(200);
    t.clock.set(Date.parse(booking.endsAt) + (ALERT_MIN + 1) * MINUTE);
    await work.runRound();
    expect(await incidentsOf(booking.id)).toEqual([]);
    const job = await t.database.db
      .selectFrom('jobs')
      .select('status')
      .where('dedupe_key', '=', `live.checkout_overdue:${booking.id}`)
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('done');
  });
});

describe('incident reports', () => {
  let booking: Booking;
  let incidentId: string;

  beforeAll(async () => {
    booking = await book('2026-11-25', '10:00');
  });

  it('are refused before the session starts, and to anyone but its two parties', async () => {
    t.clock.set(Date.parse(booking.startsAt) - 60 * MINUTE);
    const report = { kind: 'safety', description: 'The studio door was locked from inside.' };
    expect((await post(client, `/api/bookings/${booking.id}/incidents`, report)).json()).toMatchObject({
      status: 409,
      code: 'incident_not_reportable',
    });
    await checkIn(booking);
    expect((await post(stranger, `/api/bookings/${booking.id}/incidents`, report)).json()).toMatchObject({
      status: 404,
    });
    expect((await post(operator, `/api/bookings/${booking.id}/incidents`, report)).json()).toMatchObject({
      status: 403,
    });
    expect((await post(null, `/api/bookings/${booking.id}/incidents`, report)).json()).toMatchObject({ status: 401 });
    const short = await post(client, `/api/bookings/${booking.id}/incidents`, { kind: 'injury', description: 'ouch' });
    expect(short.json()).toMatchObject({ status: 400, field: 'description' });
    expect(await incidentsOf(booking.id)).toEqual([]);
  });

  it('go to the operators’ queue during the session and after it, and stay with the booking for their reporter', async () => {
    const during = await post(client, `/api/bookings/${booking.id}/incidents`, {
      kind: 'inappropriate_conduct',
      description: 'The therapist made remarks that made me uncomfortable.',
    });
    expect(during.statusCode, during.body).toBe(201);
    incidentId = during.json().id;
    expect(during.json()).toMatchObject({
      kind: 'inappropriate_conduct',
      status: 'open',
      reporter: { id: client.id, displayName: 'Casey Client', role: 'client' },
      session: { clientName: 'Casey Client', therapistName: 'Dana Deep', status: 'checked_in' },
      history: [{ from: null, to: 'open', by: null, note: null }],
    });
    expect(await messagesOf(operator.id, 'safety.incident')).toEqual([
      { subject: 'Safety: incident reported (Inappropriate conduct)', booking_id: booking.id },
    ]);

    t.clock.set(Date.parse(booking.endsAt));
    await post(therapist.session, `/api/bookings/${booking.id}/check-out`);
    t.clock.advance(24 * 60 * MINUTE);
    const after = await post(therapist.session, `/api/bookings/${booking.id}/incidents`, {
      kind: 'other',
      description: 'The client left without paying attention to the aftercare.',
    });
    expect(after.statusCode).toBe(201);

    expect(
      (await get(client, `/api/bookings/${booking.id}/incidents`)).json().map((i: { id: string }) => i.id),
    ).toEqual([incidentId]);
    expect(
      (await get(therapist.session, `/api/bookings/${booking.id}/incidents`)).json().map((i: { id: string }) => i.id),
    ).toEqual([after.json().id]);
    expect((await get(operator, `/api/bookings/${booking.id}/incidents`)).json()).toHaveLength(2);
    expect((await get(stranger, `/api/bookings/${booking.id}/incidents`)).statusCode).toBe(404);
    expect((await get(client, '/api/operator/incidents')).statusCode).toBe(403);
    expect(
      (await get(operator, `/api/operator/incidents?kind=inappropriate_conduct&bookingId=${booking.id}`))
        .json()
        .map((i: { id: string }) => i.id),
    ).toEqual([incidentId]);
  });

  it('move open -> in review -> resolved with the operator’s notes, kept in the history and the audit log', async () => {
    const move = (to: string, note?: string) =>
      post(operator, `/api/operator/incidents/${incidentId}/transitions`, { to, ...(note ? { note } : {}) });
    const queued = async (status: string) =>
      (await get(operator, `/api/operator/incidents?status=${status}`)).json().map((i: { id: string }) => i.id);
    expect(await queued('active')).toContain(incidentId);
    expect((await move('in_review', 'Calling the client')).json()).toMatchObject({ status: 'in_review' });
    // Under review it leaves the open list but stays in the queue's default view of what still needs an operator.
    expect(await queued('open')).not.toContain(incidentId);
    expect(await queued('active')).toContain(incidentId);
    expect((await move('resolved')).json()).toMatchObject({ status: 400, field: 'note' });
    const resolved = await move('resolved', 'Spoke to both; the therapist is warned and the pair is blocked.');
    expect(resolved.json()).toMatchObject({
      status: 'resolved',
      history: [
        { from: null, to: 'open' },
        { from: 'open', to: 'in_review', by: 'Test Operator', note: 'Calling the client' },
        {
          from: 'in_review',
          to: 'resolved',
          by: 'Test Operator',
          note: 'Spoke to both; the therapist is warned and the pair is blocked.',
        },
      ],
    });
    expect((await move('in_review')).json()).toMatchObject({ status: 409, code: 'incident_transition_not_allowed' });
    expect(
      (
        await call(t.app, therapist.session, {
          method: 'POST',
          url: `/api/operator/incidents/${incidentId}/transitions`,
          payload: { to: 'dismissed', note: 'x' },
        })
      ).statusCode,
    ).toBe(403);
    // The reporter sees the state and its history, without the operators' notes.
    const mine = (await get(client, `/api/bookings/${booking.id}/incidents`)).json()[0];
    expect(mine).toMatchObject({ status: 'resolved' });
    expect(mine.history.map((h: { note: string | null; by: string | null }) => [h.note, h.by])).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
    const audits = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('subject_id', '=', incidentId)
      // Reads of the incident are audited too (health.read, tested under "reading incidents").
      .where('action', '=', 'incident.status')
      .execute();
    expect(audits).toEqual([
      { action: 'incident.status', actor_id: operator.id },
      { action: 'incident.status', actor_id: operator.id },
    ]);
    expect(
      (await get(operator, '/api/operator/incidents?status=resolved')).json().map((i: { id: string }) => i.id),
    ).toContain(incidentId);
    expect(
      (await get(operator, '/api/operator/incidents?status=open')).json().map((i: { id: string }) => i.id),
    ).not.toContain(incidentId);
    expect(await queued('active')).not.toContain(incidentId);
  });
});

describe('blocking during a session', () => {
  it('lets either side block the other once the session has started, and refuses later holds between them', async () => {
    const other = await signUp(t.app, 'client', 'Blocked Client');
    const first = await book('2026-11-26', '10:00', other);
    const block = () =>
      call(t.app, therapist.session, {
        method: 'PUT',
        url: `/api/me/pair-preferences/${other.id}`,
        payload: { preference: 'never' },
      });
    t.clock.set(Date.parse(first.startsAt) - 60 * MINUTE);
    expect((await block()).json()).toMatchObject({ status: 422, code: 'no_shared_session' });
    await checkIn(first);
    expect((await block()).json()).toMatchObject({ preference: 'never', user: { id: other.id } });

    t.clock.set(TEST_NOW);
    const hold = await post(other, '/api/bookings', {
      therapistId: therapist.id,
      durationMin: 60,
      start: nyAt('2026-11-27', '10:00'),
      place: { mode: 'studio', studioId: therapist.studioId },
    });
    expect(hold.json()).toMatchObject({ status: 422, code: 'therapist_not_bookable' });
    // Another client still books the therapist at that time.
    expect(
      (
        await post(client, '/api/bookings', {
          therapistId: therapist.id,
          durationMin: 60,
          start: nyAt('2026-11-27', '10:00'),
          place: { mode: 'studio', studioId: therapist.studioId },
        })
      ).statusCode,
    ).toBe(201);
  });
});

describe('reading incidents', () => {
  it('is a health read: the operator’s and the reporters’ reads are in the client’s access log', async () => {
    const booking = await book('2026-11-25', '14:00');
    await checkIn(booking);
    const reported = await post(client, `/api/bookings/${booking.id}/incidents`, {
      kind: 'injury',
      description: 'My knee hurt sharply when it was pressed, and it is swollen now.',
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const incidentId = reported.json().id as string;
    const incidentReads = async () =>
      (await get(client, '/api/me/health-data'))
        .json()
        .accessLog.filter(
          (a: { record: string; subjectId: string }) => a.record === 'incident' && a.subjectId === incidentId,
        )
        .map((a: { actor: { id: string; role: string }; action: string; subjectId: string }) => ({
          actor: a.actor.role,
          action: a.action,
          subjectId: a.subjectId,
        }));
    expect(await incidentReads()).toEqual([]);

    expect((await get(operator, `/api/operator/incidents?bookingId=${booking.id}`)).json()).toHaveLength(1);
    expect((await get(operator, `/api/bookings/${booking.id}/incidents`)).json()).toHaveLength(1);
    expect((await get(client, `/api/bookings/${booking.id}/incidents`)).json()).toHaveLength(1);
    // The therapist reported nothing on this session: they read no incident, and nothing is written.
    expect((await get(therapist.session, `/api/bookings/${booking.id}/incidents`)).json()).toEqual([]);
    expect(await incidentReads()).toEqual([
      { actor: 'operator', action: 'health.read', subjectId: incidentId },
      { actor: 'operator', action: 'health.read', subjectId: incidentId },
      { actor: 'client', action: 'health.read', subjectId: incidentId },
    ]);
    const bases = await t.database.db
      .selectFrom('audit_log')
      .select(['detail'])
      .where('subject_type', '=', 'incident')
      .where('subject_id', '=', incidentId)
      .orderBy('id')
      .execute();
    expect(bases.map((b) => (typeof b.detail === 'string' ? JSON.parse(b.detail) : b.detail))).toEqual([
      { basis: 'operator', bookingId: booking.id },
      { basis: 'operator', bookingId: booking.id },
      { basis: 'self', bookingId: booking.id },
    ]);
  });
});
