import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../../src/accounts/sessions.js';
import { bookSession } from '../support/booking-fixture.js';
import { type LiveTestClient, joinLive, openLive } from '../support/live-client.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  type Session,
  type TestApp,
  TEST_METRICS_TOKEN,
  TEST_NOW,
  call,
  createOperator,
  sessionCookie,
  signUp,
  startTestApp,
} from '../support/test-app.js';

let t: TestApp;
let baseUrl: string;
let operator: Session;
let therapist: TherapistFixture;
let otherTherapist: TherapistFixture;
let client: Session;
let stranger: Session;
let otherClient: Session;

const MINUTE = 60_000;
const nyAt = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();
type Booking = Awaited<ReturnType<typeof bookSession>>;
const open: LiveTestClient[] = [];

async function join(bookingId: string, who: Session) {
  const live = await joinLive(baseUrl, bookingId, who.cookie);
  open.push(live);
  return live;
}

/** Books a session and checks the client in five minutes before it starts. */
async function checkedInSession(date: string, hhmm: string, who = client): Promise<Booking> {
  t.clock.set(TEST_NOW);
  const booking = await bookSession(t, who, therapist, nyAt(date, hhmm));
  t.clock.set(Date.parse(booking.startsAt) - 5 * MINUTE);
  const checkedIn = await call(t.app, therapist.session, {
    method: 'POST',
    url: `/api/bookings/${booking.id}/check-in`,
  });
  expect(checkedIn.statusCode, checkedIn.body).toBe(200);
  return booking;
}

const storedSignals = (bookingId: string) =>
  t.database.db
    .selectFrom('live_signals')
    .select(['seq', 'sender_role', 'kind', 'level', 'region', 'client_message_id'])
    .where('booking_id', '=', bookingId)
    .orderBy('seq')
    .execute();

beforeAll(async () => {
  t = await startTestApp();
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  operator = await createOperator(t);
  therapist = await createTherapist(t, { displayName: 'Dana Deep' }, operator);
  otherTherapist = await createTherapist(t, {}, operator);
  client = await signUp(t.app, 'client', 'Casey Client');
  stranger = await signUp(t.app, 'client', 'Sam Stranger');
  otherClient = await signUp(t.app, 'client', 'Olive Other');
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await t.close();
});

describe('who may join a session’s live channel', () => {
  let booking: Booking;
  let othersBooking: Booking;
  let confirmedOnly: Booking;

  beforeAll(async () => {
    othersBooking = await checkedInSession('2026-11-24', '09:00', otherClient);
    t.clock.set(TEST_NOW);
    confirmedOnly = await bookSession(t, client, therapist, nyAt('2026-11-25', '15:00'));
    booking = await checkedInSession('2026-11-24', '10:30');
  });

  const refusal = async (bookingId: string, cookie: string | null, headers: Record<string, string> = {}) => {
    const result = await openLive(baseUrl, bookingId, cookie, headers);
    if (!('refused' in result)) {
      open.push(result);
      throw new Error('the channel opened');
    }
    return { status: result.status, code: result.body.code };
  };

  it('admits the booking’s client and therapist, and audits the join as a health read', async () => {
    const before = await t.database.db
      .selectFrom('audit_log')
      .select('id')
      .where('subject_type', '=', 'live_signals')
      .execute();
    const mine = await join(booking.id, client);
    const theirs = await join(booking.id, therapist.session);
    expect(mine.of('ready')[0]).toMatchObject({ bookingId: booking.id, role: 'client', latestSeq: 0 });
    const metrics = { authorization: `Bearer ${TEST_METRICS_TOKEN}` };
    expect((await call(t.app, null, { method: 'GET', url: '/metrics', headers: metrics })).body).toMatch(
      /^knotwork_live_connections 2$/m,
    );
    expect(theirs.of('ready')[0]).toMatchObject({ role: 'therapist' });
    const audits = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'subject_user_id', 'action'])
      .where('subject_type', '=', 'live_signals')
      .execute();
    expect(audits.length - before.length).toBe(2);
    expect(audits.slice(-2)).toEqual([
      { actor_id: client.id, subject_user_id: client.id, action: 'health.read' },
      { actor_id: therapist.id, subject_user_id: client.id, action: 'health.read' },
    ]);
  });

  it('refuses strangers, the other booking’s parties, operators and cross-site pages before the upgrade', async () => {
    expect(await refusal(booking.id, null)).toEqual({ status: 401, code: 'unauthenticated' });
    expect(await refusal(booking.id, stranger.cookie)).toEqual({ status: 404, code: 'not_found' });
    expect(await refusal(booking.id, otherTherapist.session.cookie)).toEqual({ status: 404, code: 'not_found' });
    expect(await refusal(booking.id, otherClient.cookie)).toEqual({ status: 404, code: 'not_found' });
    expect(await refusal(othersBooking.id, client.cookie)).toEqual({ status: 404, code: 'not_found' });
    expect(await refusal(booking.id, operator.cookie)).toEqual({ status: 403, code: 'forbidden' });
    expect(await refusal(booking.id, client.cookie, { origin: 'https://evil.example' })).toEqual({
      status: 403,
      code: 'cross_origin_refused',
    });
    expect(await refusal('not-a-uuid', client.cookie)).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await refusal('00000000-0000-4000-8000-000000000000', client.cookie)).toEqual({
      status: 404,
      code: 'not_found',
    });
  });

  it('answers a plain GET with 426 and writes nothing', async () => {
    const before = await t.database.db.selectFrom('audit_log').select('id').execute();
    const plain = await call(t.app, client, { method: 'GET', url: `/api/bookings/${booking.id}/live` });
    expect(plain.statusCode).toBe(426);
    expect(plain.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(plain.json()).toMatchObject({ code: 'websocket_required' });
    expect(await t.database.db.selectFrom('audit_log').select('id').execute()).toHaveLength(before.length);
  });

  it('refuses expired and signed-out sessions', async () => {
    const signIn = async () =>
      sessionCookie(
        await call(t.app, null, {
          method: 'POST',
          url: '/api/sessions',
          payload: { email: client.email, password: 'correct horse battery' },
        }),
      );
    const expiring = await signIn();
    const hashOf = (cookie: string) => tokenHash(cookie.slice(cookie.indexOf('=') + 1));
    await t.database.db
      .updateTable('sessions')
      .set({ created_at: new Date(t.clock.now() - 2), expires_at: new Date(t.clock.now() - 1) })
      .where('token_hash', '=', hashOf(expiring))
      .execute();
    expect(await refusal(booking.id, expiring)).toEqual({ status: 401, code: 'unauthenticated' });
    const signedOut = await signIn();
    await call(
      t.app,
      { id: client.id, email: client.email, cookie: signedOut },
      { method: 'DELETE', url: '/api/sessions/current' },
    );
    expect(await refusal(booking.id, signedOut)).toEqual({ status: 401, code: 'unauthenticated' });
  });

  it('closes a socket when its sign-in signs out, on every instance (a trigger on sessions)', async () => {
    const cookie = sessionCookie(
      await call(t.app, null, {
        method: 'POST',
        url: '/api/sessions',
        payload: { email: client.email, password: 'correct horse battery' },
      }),
    );
    const live = await joinLive(baseUrl, booking.id, cookie);
    const other = await join(booking.id, client);
    await call(
      t.app,
      { id: client.id, email: client.email, cookie },
      { method: 'DELETE', url: '/api/sessions/current' },
    );
    expect(await live.waitForClose()).toEqual({ code: 4401, reason: 'signed_out' });
    expect(live.of('ended')).toEqual([{ type: 'ended', reason: 'signed_out' }]);
    // The same person's other sign-in stays connected.
    other.send({ type: 'ping' });
    await other.waitFor(() => other.of('pong').length === 1);
    expect(other.closed).toBeNull();
  });

  it('answers a flood of frames with rate_limited errors and keeps the connection', async () => {
    const live = await join(booking.id, therapist.session);
    for (let i = 0; i < 60; i += 1) live.send({ type: 'ping' });
    await live.waitFor(() => live.of('pong').length + live.of('error').length === 60);
    expect(live.of('error').length).toBeGreaterThanOrEqual(20);
    expect(new Set(live.of('error').map((e) => e.code))).toEqual(new Set(['rate_limited']));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pongs = live.of('pong').length;
    live.send({ type: 'ping' });
    await live.waitFor(() => live.of('pong').length === pongs + 1);
    expect(live.closed).toBeNull();
  });

  it('opens at check-in and closes at check-out', async () => {
    expect(await refusal(confirmedOnly.id, client.cookie)).toEqual({ status: 409, code: 'live_session_not_open' });
    const mine = await join(othersBooking.id, otherClient);
    const theirs = await join(othersBooking.id, therapist.session);
    t.clock.set(Date.parse(othersBooking.endsAt) + MINUTE);
    expect(
      (await call(t.app, therapist.session, { method: 'POST', url: `/api/bookings/${othersBooking.id}/check-out` }))
        .statusCode,
    ).toBe(200);
    for (const side of [mine, theirs]) {
      expect(await side.waitForClose()).toEqual({ code: 4410, reason: 'checked_out' });
      expect(side.of('ended')).toEqual([{ type: 'ended', reason: 'checked_out' }]);
    }
    expect(await refusal(othersBooking.id, otherClient.cookie)).toEqual({ status: 409, code: 'live_session_not_open' });
  });
});

describe('signals', () => {
  let booking: Booking;
  let mine: LiveTestClient;
  let theirs: LiveTestClient;

  beforeAll(async () => {
    booking = await checkedInSession('2026-11-24', '13:00');
    mine = await join(booking.id, client);
    theirs = await join(booking.id, therapist.session);
  });

  it('reach the other side at once, are acknowledged to the sender and stored in order', async () => {
    theirs.send({ type: 'pressure', clientMessageId: 't-1', region: 'hamstrings.left', level: 3 });
    await mine.waitFor(() => mine.of('signal').find((f) => f.signal.clientMessageId === 't-1'));
    mine.send({ type: 'signal', clientMessageId: 'c-1', kind: 'more' });
    mine.send({ type: 'discomfort', clientMessageId: 'c-2', level: 4, region: 'hamstrings.left' });
    await theirs.waitFor(() => theirs.seqs.length === 3);
    expect(theirs.of('signal').map((f) => f.signal)).toEqual([
      expect.objectContaining({ seq: 1, by: 'therapist', kind: 'pressure', level: 3, region: 'hamstrings.left' }),
      expect.objectContaining({
        seq: 2,
        by: 'client',
        kind: 'more',
        level: null,
        region: null,
        clientMessageId: 'c-1',
      }),
      expect.objectContaining({ seq: 3, by: 'client', kind: 'discomfort', level: 4, region: 'hamstrings.left' }),
    ]);
    await mine.waitFor(() => mine.of('ack').length === 2);
    expect(mine.of('ack')).toEqual([
      { type: 'ack', clientMessageId: 'c-1', seq: 2, duplicate: false },
      { type: 'ack', clientMessageId: 'c-2', seq: 3, duplicate: false },
    ]);
    expect(await storedSignals(booking.id)).toEqual([
      {
        seq: 1,
        sender_role: 'therapist',
        kind: 'pressure',
        level: 3,
        region: 'hamstrings.left',
        client_message_id: 't-1',
      },
      { seq: 2, sender_role: 'client', kind: 'more', level: null, region: null, client_message_id: 'c-1' },
      {
        seq: 3,
        sender_role: 'client',
        kind: 'discomfort',
        level: 4,
        region: 'hamstrings.left',
        client_message_id: 'c-2',
      },
    ]);
  });

  it('rejects bad frames with an error frame and keeps the connection and its series', async () => {
    mine.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await mine.waitFor(() => mine.of('error').length === 1);
    expect(mine.of('error')[0]).toMatchObject({ code: 'validation_failed', message: 'Send JSON text frames' });
    mine.frames.splice(mine.frames.indexOf(mine.of('error')[0]!), 1);
    const bad = [
      ['{"type":', { code: 'malformed_json' }],
      [
        { type: 'discomfort', clientMessageId: 'c-bad', level: 11 },
        { code: 'validation_failed', field: 'level', clientMessageId: 'c-bad' },
      ],
      [
        { type: 'signal', clientMessageId: 'c-bad2', kind: 'harder' },
        { code: 'validation_failed', field: 'kind' },
      ],
      [
        { type: 'signal', clientMessageId: 'c-bad3', kind: 'good', region: 'tail.left' },
        { code: 'validation_failed', field: 'region' },
      ],
      [{ type: 'pressure', clientMessageId: 'c-bad4', region: 'neck.left', level: 2 }, { code: 'forbidden' }],
      [{ type: 'hello' }, { code: 'validation_failed', field: 'type' }],
    ] as const;
    for (const [frame] of bad) mine.send(frame);
    await mine.waitFor(() => mine.of('error').length === bad.length);
    expect(mine.of('error')).toEqual(bad.map(([, problem]) => expect.objectContaining({ type: 'error', ...problem })));
    expect(mine.closed).toBeNull();
    mine.send({ type: 'signal', clientMessageId: 'c-3', kind: 'good' });
    await theirs.waitFor(() => theirs.seqs.includes(4));
    expect(mine.of('ack').at(-1)).toEqual({ type: 'ack', clientMessageId: 'c-3', seq: 4, duplicate: false });
    expect((await storedSignals(booking.id)).map((s) => s.client_message_id)).toEqual(['t-1', 'c-1', 'c-2', 'c-3']);
  });

  it('resume after a reconnect: the missed signals exactly once, and a resend stored once', async () => {
    const lastSeen = Math.max(...mine.seqs);
    await mine.close();
    theirs.send({ type: 'pressure', clientMessageId: 't-2', region: 'hamstrings.left', level: 4 });
    theirs.send({ type: 'pressure', clientMessageId: 't-3', region: 'calves.left', level: 2 });
    await theirs.waitFor(() => theirs.of('ack').some((a) => a.clientMessageId === 't-3'));

    const again = await join(booking.id, client);
    expect(again.of('ready')[0]).toMatchObject({ latestSeq: 6 });
    again.send({ type: 'resume', lastSeq: lastSeen });
    // The client resends the signal it was not sure had arrived, then a new one.
    again.send({ type: 'signal', clientMessageId: 'c-3', kind: 'good' });
    again.send({ type: 'signal', clientMessageId: 'c-4', kind: 'less' });
    await again.waitFor(() => again.of('ack').length === 2);
    await again.waitFor(() => again.seqs.includes(7));
    expect(again.of('replayed')).toEqual([{ type: 'replayed', fromSeq: 4, toSeq: 6 }]);
    expect(again.seqs).toEqual([5, 6, 7]);
    expect(again.of('ack')).toEqual([
      { type: 'ack', clientMessageId: 'c-3', seq: 4, duplicate: true },
      { type: 'ack', clientMessageId: 'c-4', seq: 7, duplicate: false },
    ]);
    expect((await storedSignals(booking.id)).map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await theirs.waitFor(() => theirs.seqs.includes(7));
    expect(theirs.seqs).toEqual([1, 2, 3, 4, 5, 6, 7]);
    mine = again;
  });

  it('sums the series up per region for the session record, during and after the session', async () => {
    const series = await call(t.app, therapist.session, {
      method: 'GET',
      url: `/api/bookings/${booking.id}/live/signals`,
    });
    expect(series.statusCode, series.body).toBe(200);
    expect(series.json().signals).toHaveLength(7);
    // Hamstrings: 3 accepted (the client's last word while it was worked was "good"); 4 was worked without a word.
    expect(series.json().summary).toEqual([
      expect.objectContaining({
        region: 'hamstrings.left',
        highestAcceptedPressure: 3,
        highestPressureApplied: 4,
        more: 1,
        good: 1,
        less: 0,
        peakDiscomfort: 4,
      }),
      expect.objectContaining({
        region: 'calves.left',
        highestAcceptedPressure: null,
        highestPressureApplied: 2,
        less: 1,
      }),
    ]);
    t.clock.set(Date.parse(booking.endsAt));
    expect(
      (await call(t.app, therapist.session, { method: 'POST', url: `/api/bookings/${booking.id}/check-out` }))
        .statusCode,
    ).toBe(200);
    const record = await call(t.app, client, { method: 'GET', url: `/api/bookings/${booking.id}/session-record` });
    expect(record.json().liveSummary).toEqual(series.json().summary);
    expect(
      (await call(t.app, stranger, { method: 'GET', url: `/api/bookings/${booking.id}/live/signals` })).statusCode,
    ).toBe(404);
    expect(
      (await call(t.app, operator, { method: 'GET', url: `/api/bookings/${booking.id}/live/signals` })).statusCode,
    ).toBe(200);
  });

  it('tell the next session’s brief the pressure the client accepted', async () => {
    t.clock.set(TEST_NOW);
    const next = await bookSession(t, client, therapist, nyAt('2026-11-26', '10:00'));
    const brief = await call(t.app, therapist.session, { method: 'GET', url: `/api/bookings/${next.id}/brief` });
    expect(brief.statusCode, brief.body).toBe(200);
    const previous = brief.json().previousSessions.find((p: { bookingId: string }) => p.bookingId === booking.id);
    expect(previous.sessionRecord.liveSummary).toEqual([
      expect.objectContaining({ region: 'hamstrings.left', highestAcceptedPressure: 3, peakDiscomfort: 4 }),
      expect.objectContaining({ region: 'calves.left', highestAcceptedPressure: null }),
    ]);
    const page = await call(t.app, therapist.session, { method: 'GET', url: `/bookings/${next.id}/brief` });
    expect(page.body).toContain(
      'Live feedback: Back of the thigh (hamstrings) (left) accepted up to 3 of 5, peak discomfort 4/10',
    );
  });

  it('are erased with the client’s health data', async () => {
    const erased = await call(t.app, client, { method: 'DELETE', url: '/api/me/health-data' });
    expect(erased.json().erased).toMatchObject({ liveSignals: 7 });
    expect(await storedSignals(booking.id)).toEqual([]);
    expect(
      (await call(t.app, therapist.session, { method: 'GET', url: `/api/bookings/${booking.id}/live/signals` })).json(),
    ).toMatchObject({ signals: [], summary: [] });
  });
});
