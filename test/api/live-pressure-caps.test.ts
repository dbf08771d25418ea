import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookSession } from '../support/booking-fixture.js';
import { type LiveTestClient, joinLive } from '../support/live-client.js';
import { workedNote } from '../support/session-fixture.js';
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

/**
 * Pressure past a screening cap (issue 12): the live channel refuses it without a reason, keeps the reason with the
 * signal, and the session's note cannot be signed without a reason for it.
 */

let t: TestApp;
let baseUrl: string;
let therapist: TherapistFixture;
let client: Session;
let booking: { id: string; startsAt: string; endsAt: string };
let mine: LiveTestClient;
let theirs: LiveTestClient;

const MINUTE = 60_000;
const WHY = 'Client asked for firmer work on the scalenes; pulse and sensation checked first';
const storedSignals = () =>
  t.database.db
    .selectFrom('live_signals')
    .select(['seq', 'kind', 'level', 'region', 'reason'])
    .where('booking_id', '=', booking.id)
    .orderBy('seq')
    .execute();

beforeAll(async () => {
  t = await startTestApp();
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const operator = await createOperator(t);
  therapist = await createTherapist(t, { displayName: 'Dana Deep' }, operator);
  client = await signUp(t.app, 'client', 'Casey Client');
  booking = await bookSession(t, client, therapist, new Date(Date.parse('2026-11-24T10:00:00-05:00')).toISOString());
  t.clock.set(Date.parse(booking.startsAt) - 5 * MINUTE);
  const checkedIn = await call(t.app, therapist.session, {
    method: 'POST',
    url: `/api/bookings/${booking.id}/check-in`,
  });
  expect(checkedIn.statusCode, checkedIn.body).toBe(200);
  mine = await joinLive(baseUrl, booking.id, client.cookie);
  theirs = await joinLive(baseUrl, booking.id, therapist.session.cookie);
});
afterAll(async () => {
  await Promise.all([mine, theirs].map((c) => c?.close()));
  await t.close();
});

describe('pressure past a screening cap, live', () => {
  it('tells the therapist each region’s cap when they join, with the clinical reason', () => {
    const ready = theirs.of('ready')[0]!;
    expect(ready.limits).toEqual(
      expect.arrayContaining([
        {
          region: 'front_of_neck',
          label: 'Front of the neck',
          excluded: false,
          cap: 1,
          reasons: ['Endangerment sites: nerves, vessels or organs near the surface; broad light pressure only.'],
        },
      ]),
    );
    expect(mine.of('ready')[0]).not.toHaveProperty('limits');
  });

  it('refuses pressure above the cap without a reason, naming the field, and stores nothing', async () => {
    theirs.send({ type: 'pressure', clientMessageId: 't-over', region: 'front_of_neck', level: 5 });
    theirs.send({ type: 'pressure', clientMessageId: 't-short', region: 'front_of_neck', level: 5, reason: 'ok' });
    await theirs.waitFor(() => theirs.of('error').length === 2);
    expect(theirs.of('error')).toEqual([
      {
        type: 'error',
        code: 'exceedance_reason_required',
        field: 'reason',
        clientMessageId: 't-over',
        message:
          'Screening caps Front of the neck at 1 (light) for this client: confirm and give a reason (at least 10 characters) to go to 5',
      },
      expect.objectContaining({ code: 'validation_failed', field: 'reason', clientMessageId: 't-short' }),
    ]);
    expect(await storedSignals()).toEqual([]);
    expect(theirs.of('ack')).toEqual([]);
    expect(mine.of('signal')).toEqual([]);
  });

  it('accepts it with a reason, which travels with the signal and is stored with it', async () => {
    theirs.send({ type: 'pressure', clientMessageId: 't-1', region: 'hamstrings.left', level: 4 });
    theirs.send({ type: 'pressure', clientMessageId: 't-2', region: 'front_of_neck', level: 5, reason: WHY });
    await theirs.waitFor(() => theirs.of('ack').length === 2);
    await mine.waitFor(() => mine.seqs.length === 2);
    mine.send({ type: 'signal', clientMessageId: 'c-1', kind: 'good' });
    await theirs.waitFor(() => theirs.seqs.length === 3);
    expect(
      mine
        .of('signal')
        .flatMap((f) => (f.signal.kind === 'pressure' ? [[f.signal.region, f.signal.level, f.signal.reason]] : [])),
    ).toEqual([
      ['hamstrings.left', 4, null],
      ['front_of_neck', 5, WHY],
    ]);
    expect(await storedSignals()).toEqual([
      { seq: 1, kind: 'pressure', level: 4, region: 'hamstrings.left', reason: null },
      { seq: 2, kind: 'pressure', level: 5, region: 'front_of_neck', reason: WHY },
      { seq: 3, kind: 'good', level: null, region: null, reason: null },
    ]);
    const series = (
      await call(t.app, therapist.session, { method: 'GET', url: `/api/bookings/${booking.id}/live/signals` })
    ).json();
    expect(series.summary).toEqual([
      expect.objectContaining({
        region: 'front_of_neck',
        highestPressureApplied: 5,
        highestAcceptedPressure: 5,
        reasons: [WHY],
      }),
      expect.objectContaining({ region: 'hamstrings.left', highestPressureApplied: 4, reasons: [] }),
    ]);
  });

  it('keeps the database from storing a reason on anything but pressure', async () => {
    await expect(
      t.database.db
        .updateTable('live_signals')
        .set({ reason: 'A reason on a client signal' })
        .where('booking_id', '=', booking.id)
        .where('kind', '=', 'good')
        .execute(),
    ).rejects.toThrow(/live_signals_reason_on_pressure/);
  });
});

describe('the note of a session that went past a cap', () => {
  const noteUrl = () => `/api/bookings/${booking.id}/note`;

  beforeAll(async () => {
    t.clock.set(Date.parse(booking.endsAt) + 2 * MINUTE);
    const checkedOut = await call(t.app, therapist.session, {
      method: 'POST',
      url: `/api/bookings/${booking.id}/check-out`,
    });
    expect(checkedOut.statusCode, checkedOut.body).toBe(200);
  });

  it('is drafted with the reason given during the session, to confirm', async () => {
    const draft = await call(t.app, therapist.session, { method: 'GET', url: `${noteUrl()}/draft` });
    expect(draft.statusCode, draft.body).toBe(200);
    expect(draft.json().exceedanceReasons).toEqual([{ region: 'front_of_neck', reason: WHY }]);
    expect(draft.json().adjustments).toContain(
      'Front of the neck: 5/5 applied during the session (live record), above the screening cap of 1/5: the reason given then is filled in; confirm or rewrite it.',
    );
  });

  it('cannot be signed without a reason for the region, whatever pressure the note itself records', async () => {
    const sign = (payload: unknown) =>
      call(t.app, therapist.session, { method: 'POST', url: `${noteUrl()}/sign`, payload });
    const silent = await sign({ note: workedNote([['hamstrings.left', 4]]) });
    expect(silent.statusCode).toBe(422);
    expect(silent.json()).toMatchObject({
      code: 'exceedance_reason_required',
      field: 'exceedanceReasons',
      detail: expect.stringMatching(/^Front of the neck: 5\/5 applied during the session \(live record\)/),
    });
    const understated = await sign({
      note: workedNote([
        ['hamstrings.left', 4],
        ['front_of_neck', 1],
      ]),
    });
    expect(understated.json()).toMatchObject({
      code: 'exceedance_reason_required',
      field: 'note.regionsWorked.1.maxPressure',
    });
    expect(
      await t.database.db.selectFrom('session_notes').select('status').where('booking_id', '=', booking.id).execute(),
    ).toEqual([]);
  });

  it('signs with the reason, and the signed note and the session record keep it', async () => {
    const signed = await call(t.app, therapist.session, {
      method: 'POST',
      url: `${noteUrl()}/sign`,
      payload: {
        note: workedNote([['hamstrings.left', 4]]),
        exceedanceReasons: [{ region: 'front_of_neck', reason: WHY }],
      },
    });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json().exceedances).toEqual([
      {
        region: 'front_of_neck',
        label: 'Front of the neck',
        kind: 'pressure_above_cap',
        recordedIn: 'live',
        description: 'Front of the neck: 5/5 applied during the session (live record), above the screening cap of 1/5',
        reason: WHY,
      },
    ]);
    const record = (
      await call(t.app, client, { method: 'GET', url: `/api/bookings/${booking.id}/session-record` })
    ).json();
    expect(record.note.exceedances).toEqual([expect.objectContaining({ region: 'front_of_neck', reason: WHY })]);
    expect(record.liveSummary).toEqual(
      expect.arrayContaining([expect.objectContaining({ region: 'front_of_neck', reasons: [WHY] })]),
    );
  });

  it('refuses a reason for a region neither the note nor the live record shows worked', async () => {
    t.clock.set(TEST_NOW);
    const other = await bookSession(
      t,
      client,
      therapist,
      new Date(Date.parse('2026-11-25T10:00:00-05:00')).toISOString(),
    );
    t.clock.set(Date.parse(other.startsAt) - 5 * MINUTE);
    await call(t.app, therapist.session, { method: 'POST', url: `/api/bookings/${other.id}/check-in` });
    const saved = await call(t.app, therapist.session, {
      method: 'PUT',
      url: `/api/bookings/${other.id}/note`,
      payload: {
        note: workedNote([['hamstrings.left', 4]]),
        exceedanceReasons: [{ region: 'front_of_neck', reason: WHY }],
      },
    });
    expect(saved.json()).toMatchObject({ status: 400, code: 'validation_failed', field: 'exceedanceReasons.0.region' });
  });
});
