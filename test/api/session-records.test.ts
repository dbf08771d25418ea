import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { bookSession } from '../support/booking-fixture.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  BACKEND,
  type Session,
  type TestApp,
  TEST_NOW,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';
import { bookingJournal } from '../../src/money/ledger-store.js';

let t: TestApp;
let operator: Session;

beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
});
afterAll(() => t.close());

const MINUTE = 60_000;
/** A local time in New York (UTC-5 in these weeks). */
const nyAt = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();
const minutesFrom = (iso: string, minutes: number) => Date.parse(iso) + minutes * MINUTE;

const post = (who: Session | null, url: string, payload?: unknown) =>
  call(t.app, who, { method: 'POST', url, ...(payload === undefined ? {} : { payload }) });
const get = (who: Session | null, url: string) => call(t.app, who, { method: 'GET', url });
const put = (who: Session | null, url: string, payload: unknown) => call(t.app, who, { method: 'PUT', url, payload });

type Booking = Awaited<ReturnType<typeof bookSession>>;

/** The pain the client reports at check-in before the sessions whose note is `hamstringNote()`. */
const REPORTED = [
  { region: 'hamstrings.left', score: 6 },
  { region: 'low_back.left', score: 5 },
];

/**
 * The therapist checks the client in five minutes before the start (with the client's pain now, when given) and
 * out two minutes after the end.
 */
async function holdSession(
  therapist: TherapistFixture,
  booking: Booking,
  painNow?: { region: string; score: number }[],
) {
  t.clock.set(minutesFrom(booking.startsAt, -5));
  const checkedIn = await post(
    therapist.session,
    `/api/bookings/${booking.id}/check-in`,
    painNow ? { painNow } : undefined,
  );
  expect(checkedIn.statusCode, checkedIn.body).toBe(200);
  t.clock.set(minutesFrom(booking.endsAt, 2));
  const checkedOut = await post(therapist.session, `/api/bookings/${booking.id}/check-out`);
  expect(checkedOut.statusCode, checkedOut.body).toBe(200);
}

const messagesOf = (userId: string, kind: string) =>
  t.database.db
    .selectFrom('messages')
    .select(['subject', 'body_text', 'booking_id'])
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .execute();

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('check-in, check-out and no-show', () => {
  let therapist: TherapistFixture;
  let other: TherapistFixture;
  let client: Session;

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    therapist = await createTherapist(t, { displayName: 'Dana Deep' }, operator);
    other = await createTherapist(t, {}, operator);
    client = await signUp(t.app, 'client');
  });

  it('records when the session started and ended, and asks the client to rate it', async () => {
    t.clock.set(TEST_NOW);
    const booking = await bookSession(t, client, therapist, nyAt('2026-11-24', '10:00'));
    const checkIn = `/api/bookings/${booking.id}/check-in`;

    t.clock.set(minutesFrom(booking.startsAt, -31));
    const early = await post(therapist.session, checkIn);
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({
      code: 'check_in_not_open',
      detail: expect.stringMatching(/30 minutes before/),
    });

    t.clock.set(minutesFrom(booking.startsAt, -10));
    expect((await post(client, checkIn)).json()).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await post(other.session, checkIn)).json()).toMatchObject({ status: 404, code: 'not_found' });
    expect((await post(operator, checkIn)).json()).toMatchObject({ status: 403 });

    const checkedIn = await post(therapist.session, checkIn);
    expect(checkedIn.statusCode, checkedIn.body).toBe(200);
    expect(checkedIn.json()).toMatchObject({
      status: 'checked_in',
      checkedInAt: new Date(minutesFrom(booking.startsAt, -10)).toISOString(),
      checkedOutAt: null,
      noShowAt: null,
    });
    expect((await post(therapist.session, checkIn)).json()).toMatchObject({ status: 409, code: 'invalid_transition' });
    expect((await get(client, `/api/bookings/${booking.id}`)).json().allowedActions).toEqual(['check_out']);

    t.clock.set(minutesFrom(booking.endsAt, 4));
    const checkedOut = await post(therapist.session, `/api/bookings/${booking.id}/check-out`);
    expect(checkedOut.json()).toMatchObject({
      status: 'completed',
      checkedInAt: new Date(minutesFrom(booking.startsAt, -10)).toISOString(),
      checkedOutAt: new Date(minutesFrom(booking.endsAt, 4)).toISOString(),
    });

    const events = await t.database.db
      .selectFrom('booking_events')
      .select(['to_status', 'actor_id'])
      .where('booking_id', '=', booking.id)
      .orderBy('id')
      .execute();
    expect(events.slice(-2)).toEqual([
      { to_status: 'checked_in', actor_id: therapist.id },
      { to_status: 'completed', actor_id: therapist.id },
    ]);
    expect(await messagesOf(client.id, 'session.rate')).toEqual([
      expect.objectContaining({ subject: 'How was your session with Dana Deep?', booking_id: booking.id }),
    ]);
  });

  it('closes check-in at the booked end: a session that never started is a no-show', async () => {
    t.clock.set(TEST_NOW);
    const booking = await bookSession(t, client, therapist, nyAt('2026-11-24', '14:00'));
    t.clock.set(minutesFrom(booking.endsAt, 0));
    expect((await post(therapist.session, `/api/bookings/${booking.id}/check-in`)).json()).toMatchObject({
      code: 'check_in_not_open',
    });
  });

  it('refuses check-in while a required medical clearance is not verified', async () => {
    t.clock.set(TEST_NOW);
    // Confirmed without a requirement; the consultation then changes and asks for a clearance (a session that needs
    // one when it is booked waits for it unconfirmed: test/api/clearance-before-confirmation.test.ts).
    const needsClearance = await signUp(t.app, 'client', 'Kidney Client');
    const booking = await bookSession(t, needsClearance, therapist, nyAt('2026-11-25', '10:00'));
    const changed = await call(t.app, needsClearance, {
      method: 'PUT',
      url: '/api/me/intake',
      payload: deskWorkerIntake({ conditions: { kidneyFailure: true } }),
    });
    expect(changed.statusCode, changed.body).toBe(200);
    t.clock.set(minutesFrom(booking.startsAt, -5));
    const refused = await post(therapist.session, `/api/bookings/${booking.id}/check-in`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'check_in_not_cleared', reason: 'clearance_pending' });
    expect((await get(therapist.session, `/api/bookings/${booking.id}`)).json().status).toBe('confirmed');

    const document = (
      await post(needsClearance, `/api/bookings/${booking.id}/clearance-documents`, {
        filename: 'gp-letter.pdf',
        contentBase64: PDF.toString('base64'),
      })
    ).json();
    await post(therapist.session, `/api/bookings/${booking.id}/clearance-documents/${document.id}/review`, {
      decision: 'verify',
    });
    expect((await post(therapist.session, `/api/bookings/${booking.id}/check-in`)).json()).toMatchObject({
      status: 'checked_in',
    });
  });

  it('refuses check-in when the client erased their consultation', async () => {
    t.clock.set(TEST_NOW);
    const erasing = await signUp(t.app, 'client');
    const booking = await bookSession(t, erasing, therapist, nyAt('2026-11-25', '14:00'));
    await call(t.app, erasing, { method: 'DELETE', url: '/api/me/health-data' });
    t.clock.set(minutesFrom(booking.startsAt, -5));
    expect((await post(therapist.session, `/api/bookings/${booking.id}/check-in`)).json()).toMatchObject({
      code: 'check_in_not_cleared',
      reason: 'not_screened',
    });
  });

  it('records a no-show after the grace period, charging the late fee and telling the client', async () => {
    t.clock.set(TEST_NOW);
    const booking = await bookSession(t, client, therapist, nyAt('2026-11-26', '10:00'));
    const noShow = `/api/bookings/${booking.id}/no-show`;
    t.clock.set(minutesFrom(booking.startsAt, 14));
    expect((await post(therapist.session, noShow)).json()).toMatchObject({ status: 422, code: 'no_show_too_early' });

    t.clock.set(minutesFrom(booking.startsAt, 15));
    const recorded = await post(therapist.session, noShow);
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect(recorded.json()).toMatchObject({
      status: 'no_show',
      noShowAt: new Date(minutesFrom(booking.startsAt, 15)).toISOString(),
      noShowFeeCents: 6000,
      currency: 'USD',
    });
    const ledger = await bookingJournal(t.database.db, booking.id);
    expect(ledger).toEqual([
      { kind: 'charge', amountMinor: 12_000 },
      { kind: 'refund', amountMinor: 12_000 },
      { kind: 'cancellation_fee', amountMinor: 6000 },
    ]);
    expect((await messagesOf(client.id, 'session.no_show'))[0]!.body_text).toMatch(/late fee of \$60\b/);
    expect((await post(therapist.session, `/api/bookings/${booking.id}/check-in`)).json()).toMatchObject({
      status: 409,
      code: 'invalid_transition',
    });
  });
});

/** A session note as a therapist records it after a hamstring session (the client reported REPORTED at check-in). */
const hamstringNote = (overrides: Record<string, unknown> = {}) => ({
  painBefore: REPORTED,
  findings: {
    palpation: [
      {
        kind: 'trigger_point',
        region: 'hamstrings.left',
        muscle: 'biceps_femoris',
        note: 'Refers to the back of the knee',
      },
    ],
    rangeOfMotion: [
      { test: 'ake', side: 'left', trials: [34] },
      { test: 'ake', side: 'right', trials: [30] },
    ],
  },
  regionsWorked: [
    {
      region: 'hamstrings.left',
      techniques: ['stripping', 'trigger_point_compression'],
      tools: ['forearm', 'elbow'],
      maxPressure: 4,
      minutes: 20,
    },
  ],
  painAfter: [{ region: 'hamstrings.left', score: 3 }],
  assessment: 'Less tender after compression',
  plan: 'Re-test AKE next week',
  freeText: '',
  ...overrides,
});

describe('the session note', () => {
  let therapist: TherapistFixture;
  let client: Session;
  let booking: Booking;
  let noteUrl: string;

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    therapist = await createTherapist(t, { displayName: 'Noah Notes' }, operator);
    client = await signUp(t.app, 'client');
    booking = await bookSession(t, client, therapist, nyAt('2026-11-24', '11:00'));
    noteUrl = `/api/bookings/${booking.id}/note`;
  });

  it('is written only once the session has started, by the booked therapist', async () => {
    t.clock.set(TEST_NOW);
    expect((await put(therapist.session, noteUrl, { note: hamstringNote() })).json()).toMatchObject({
      status: 409,
      code: 'session_not_taken_place',
    });
    await holdSession(therapist, booking, REPORTED);
    expect((await put(client, noteUrl, { note: hamstringNote() })).json()).toMatchObject({ status: 403 });
  });

  it('drafts from the template that fits the booking’s focus, within its screening, with the pain the client reported at check-in', async () => {
    t.clock.set(TEST_NOW);
    const templated = await bookSession(t, client, therapist, nyAt('2026-11-24', '14:00'));
    await holdSession(therapist, templated, [
      { region: 'hamstrings.left', score: 4 },
      { region: 'low_back.left', score: 5 },
    ]);
    const draft = await get(therapist.session, `/api/bookings/${templated.id}/note/draft`);
    expect(draft.statusCode, draft.body).toBe(200);
    const body = draft.json();
    expect(body).toMatchObject({ templateId: 'hamstrings_deep', sides: 'both', adjustments: [] });
    expect(
      body.note.regionsWorked.map((w: { region: string; maxPressure: number; minutes: number }) => [
        w.region,
        w.maxPressure,
        w.minutes,
      ]),
    ).toEqual([
      ['hamstrings.left', 4, 15],
      ['hamstrings.right', 4, 15],
      ['glutes.left', 4, 7],
      ['glutes.right', 4, 7],
      ['calves.left', 3, 3],
      ['calves.right', 3, 3],
    ]);
    // The client's own report for this session, not the consultation's body map (hamstrings 3 and 2 weeks ago).
    expect(body.note.painBefore).toEqual([
      { region: 'hamstrings.left', score: 4 },
      { region: 'low_back.left', score: 5 },
    ]);
    expect(body.limits).toEqual(
      expect.arrayContaining([
        {
          region: 'back_of_knee.left',
          label: 'Back of the knee, left',
          excluded: false,
          cap: 1,
          reasons: ['Endangerment sites: nerves, vessels or organs near the surface; broad light pressure only.'],
        },
      ]),
    );
    // The focus regions, in body-map order; one the client was not asked about is marked so (null).
    expect((await get(therapist.session, `/api/bookings/${templated.id}/session-record`)).json().painReports).toEqual([
      { region: 'low_back.left', label: 'Low back, left', score: 5 },
      { region: 'hamstrings.left', label: 'Back of the thigh (hamstrings), left', score: 4 },
      { region: 'hamstrings.right', label: 'Back of the thigh (hamstrings), right', score: null },
    ]);
    expect(
      (await get(therapist.session, `/api/bookings/${templated.id}/note/draft?template=low_back&sides=left`))
        .json()
        .note.regionsWorked.map((w: { region: string }) => w.region),
    ).toEqual(['low_back.left', 'glutes.left', 'hamstrings.left']);
    // The common case: the draft, with the pain after the session added, signs as it is.
    const signed = await post(therapist.session, `/api/bookings/${templated.id}/note/sign`, {
      note: { ...body.note, painAfter: [{ region: 'hamstrings.left', score: 1 }] },
      templateId: body.templateId,
    });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({ status: 'signed', templateId: 'hamstrings_deep' });
  });

  it('saves drafts, then signs: the pain before and range of motion become outcome measurements', async () => {
    const saved = await put(therapist.session, noteUrl, {
      note: hamstringNote({ assessment: 'first draft' }),
      templateId: 'hamstrings_deep',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      status: 'draft',
      templateId: 'hamstrings_deep',
      original: null,
      current: { note: { assessment: 'first draft' } },
    });
    expect((await get(client, `/api/bookings/${booking.id}/session-record`)).json().note).toBeNull();

    const resaved = await put(therapist.session, noteUrl, { note: hamstringNote() });
    expect(resaved.json().current.note.assessment).toBe('Less tender after compression');

    t.clock.advance(3 * MINUTE);
    const signed = await post(therapist.session, `${noteUrl}/sign`);
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({
      status: 'signed',
      signedAt: new Date(t.clock.now()).toISOString(),
      signedBy: { id: therapist.id, displayName: 'Noah Notes' },
      original: { note: { assessment: 'Less tender after compression' } },
      amendments: [],
      exceedances: [],
    });
    expect(signed.json().soap.subjective).toEqual([
      'Pain before, Back of the thigh (hamstrings), left: 6/10',
      'Pain before, Low back, left: 5/10',
    ]);

    const record = (await get(client, `/api/bookings/${booking.id}/session-record`)).json();
    expect(record.note.status).toBe('signed');
    expect(record.attendance).toMatchObject({
      status: 'completed',
      checkedInAt: expect.any(String),
      checkedOutAt: expect.any(String),
    });
    // Pain before is the client's report from check-in (source client); the note adds its range of motion.
    expect(
      record.measurements.map(
        (m: { measure: string; key: string; value: number; source: string; sessionDate: string }) => [
          m.measure,
          m.key,
          m.value,
          m.source,
          m.sessionDate,
        ],
      ),
    ).toEqual([
      ['nprs', 'hamstrings.left', 6, 'client', '2026-11-24'],
      ['nprs', 'low_back.left', 5, 'client', '2026-11-24'],
      ['ake', 'left', 34, 'note', '2026-11-24'],
      ['ake', 'right', 30, 'note', '2026-11-24'],
    ]);
  });

  it('cannot change once signed, through the API or in the database', async () => {
    expect(
      (await put(therapist.session, noteUrl, { note: hamstringNote({ assessment: 'quietly edited' }) })).json(),
    ).toMatchObject({ status: 409, code: 'note_signed' });
    expect((await post(therapist.session, `${noteUrl}/sign`)).json()).toMatchObject({
      status: 409,
      code: 'note_signed',
    });
    const db = t.database.db;
    await expect(
      db
        .updateTable('session_notes')
        .set({ content: JSON.stringify(hamstringNote({ assessment: 'edited in SQL' })) })
        .where('booking_id', '=', booking.id)
        .execute(),
    ).rejects.toThrow(/cannot be changed/);
    await expect(db.deleteFrom('session_notes').where('booking_id', '=', booking.id).execute()).rejects.toThrow(
      /cannot be changed/,
    );
    const stored = await db
      .selectFrom('session_notes')
      .select(['content', 'status'])
      .where('booking_id', '=', booking.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'signed', content: { assessment: 'Less tender after compression' } });
  });

  it('is corrected by attributed, timestamped amendments, the original staying readable', async () => {
    const amendments = `${noteUrl}/amendments`;
    expect(
      (await post(therapist.session, amendments, { note: hamstringNote(), reason: 'No change at all' })).json(),
    ).toMatchObject({ status: 422, code: 'amendment_changes_nothing' });
    expect(
      (await post(therapist.session, amendments, { note: hamstringNote({ painAfter: [] }), reason: 'short' })).json(),
    ).toMatchObject({ status: 400, field: 'reason' });

    t.clock.advance(60 * MINUTE);
    // Pain before is what the client reported at check-in: an amendment cannot rewrite it.
    const rewritten = await post(therapist.session, amendments, {
      note: hamstringNote({ painBefore: [{ region: 'hamstrings.left', score: 7 }] }),
      reason: 'Client said it was worse than that',
    });
    expect(rewritten.statusCode).toBe(422);
    expect(rewritten.json()).toMatchObject({
      code: 'pain_before_not_reported',
      field: 'note.painBefore.0.score',
      errors: [{ code: 'pain_differs_from_report' }],
    });
    const amended = await post(therapist.session, amendments, {
      note: hamstringNote({
        painBefore: [{ region: 'hamstrings.left', score: 6 }],
        painAfter: [{ region: 'hamstrings.left', score: 2 }],
      }),
      reason: 'Only the hamstrings were treated; pain after corrected',
    });
    expect(amended.statusCode, amended.body).toBe(201);
    const view = amended.json();
    expect(view.amendments).toEqual([
      expect.objectContaining({
        author: { id: therapist.id, displayName: 'Noah Notes' },
        createdAt: new Date(t.clock.now()).toISOString(),
        reason: 'Only the hamstrings were treated; pain after corrected',
        changedFields: ['painBefore', 'painAfter'],
      }),
    ]);
    expect(view.original.note.painBefore).toEqual([
      { region: 'hamstrings.left', score: 6 },
      { region: 'low_back.left', score: 5 },
    ]);
    expect(view.current.note.painBefore).toEqual([{ region: 'hamstrings.left', score: 6 }]);
    // Both read in the SOAP layout, as the server writes it: the note as it stands and the original as signed.
    expect(view.soap.subjective).toEqual(['Pain before, Back of the thigh (hamstrings), left: 6/10']);
    expect(view.original.soap.subjective).toEqual([
      'Pain before, Back of the thigh (hamstrings), left: 6/10',
      'Pain before, Low back, left: 5/10',
    ]);

    // The session's pain stays what the client reported; the note's range of motion follows the amendment.
    const record = (await get(therapist.session, `/api/bookings/${booking.id}/session-record`)).json();
    expect(
      record.measurements
        .filter((m: { measure: string }) => m.measure === 'nprs')
        .map((m: { key: string; value: number; source: string }) => [m.key, m.value, m.source]),
    ).toEqual([
      ['hamstrings.left', 6, 'client'],
      ['low_back.left', 5, 'client'],
    ]);
    await expect(
      t.database.db.updateTable('session_note_amendments').set({ reason: 'rewritten history' }).execute(),
    ).rejects.toThrow(/cannot be changed/);
    await expect(t.database.db.deleteFrom('session_note_amendments').execute()).rejects.toThrow(/cannot be changed/);
  });

  it('needs a reason for every region worked beyond the screening before signing', async () => {
    t.clock.set(TEST_NOW);
    const second = await bookSession(t, client, therapist, nyAt('2026-11-25', '11:00'));
    await holdSession(therapist, second);
    const beyond = hamstringNote({
      painBefore: [],
      regionsWorked: [
        { region: 'hamstrings.left', techniques: ['stripping'], tools: ['forearm'], maxPressure: 4, minutes: 20 },
        { region: 'back_of_knee.left', techniques: ['direct_pressure'], tools: ['thumb'], maxPressure: 3, minutes: 2 },
      ],
    });
    const url = `/api/bookings/${second.id}/note`;
    const draft = (await put(therapist.session, url, { note: beyond })).json();
    expect(draft.exceedances).toEqual([
      {
        region: 'back_of_knee.left',
        label: 'Back of the knee, left',
        kind: 'pressure_above_cap',
        recordedIn: 'note',
        description: 'Back of the knee, left: worked at 3/5, above the screening cap of 1/5',
        reason: null,
      },
    ]);
    const refused = await post(therapist.session, `${url}/sign`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'exceedance_reason_required',
      field: 'note.regionsWorked.1.maxPressure',
    });
    expect(
      (
        await put(therapist.session, url, {
          note: beyond,
          exceedanceReasons: [{ region: 'calves.left', reason: 'A reason for nothing at all' }],
        })
      ).json(),
    ).toMatchObject({
      status: 400,
      field: 'exceedanceReasons.0.region',
    });
    const signed = await post(therapist.session, `${url}/sign`, {
      note: beyond,
      exceedanceReasons: [
        { region: 'back_of_knee.left', reason: 'Popliteus trigger point, client consented, brief and monitored' },
      ],
    });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json().exceedances[0].reason).toBe('Popliteus trigger point, client consented, brief and monitored');
  });

  it('shows signed notes and measurements of earlier sessions in the next brief', async () => {
    t.clock.set(TEST_NOW);
    const next = await bookSession(t, client, therapist, nyAt('2026-11-30', '11:00'));
    t.clock.set(Date.parse('2026-11-29T12:00:00Z'));
    const brief = (await get(therapist.session, `/api/bookings/${next.id}/brief`)).json();
    const first = brief.previousSessions.find((s: { bookingId: string }) => s.bookingId === booking.id);
    expect(first.sessionRecord.note).toMatchObject({
      amendments: 1,
      soap: { subjective: ['Pain before, Back of the thigh (hamstrings), left: 6/10'] },
    });
    expect(first.sessionRecord.measurements).toEqual(
      expect.arrayContaining([
        {
          measure: 'ake',
          name: 'Active knee extension (hamstrings)',
          keyLabel: 'Left',
          value: 34,
          unit: 'degrees',
          band: null,
        },
      ]),
    );
    const page = (await get(therapist.session, `/bookings/${next.id}/brief`)).body;
    expect(page).toContain('Pain before, Back of the thigh (hamstrings), left: 6/10');
    expect(page).toContain('Amended 1 time(s) after signing.');
  });
});

describe('pain now, asked at check-in', () => {
  let therapist: TherapistFixture;

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    therapist = await createTherapist(t, { displayName: 'Asa Asks' }, operator);
  });

  /** The pain series of a client, per region: the values and the sessions they belong to. */
  const painSeries = async (client: Session) => {
    const progress = (await get(client, `/api/clients/${client.id}/progress`)).json();
    return (
      progress.series as { measure: string; key: string; points: { value: number; bookingId: string | null }[] }[]
    )
      .filter((s) => s.measure === 'nprs')
      .map((s) => [s.key, s.points.map((p) => p.value)]);
  };

  /** The draft signed as it comes, after pain after is added: the common case. */
  const signDraft = async (booking: Booking) => {
    const draft = (await get(therapist.session, `/api/bookings/${booking.id}/note/draft`)).json();
    const signed = await post(therapist.session, `/api/bookings/${booking.id}/note/sign`, {
      note: draft.note,
      templateId: draft.templateId,
    });
    expect(signed.statusCode, signed.body).toBe(200);
    return draft;
  };

  it('refuses a bad answer naming the field, and checks nobody in', async () => {
    const client = await signUp(t.app, 'client');
    t.clock.set(TEST_NOW);
    const booking = await bookSession(t, client, therapist, nyAt('2026-11-24', '09:00'));
    t.clock.set(minutesFrom(booking.startsAt, -5));
    const checkIn = `/api/bookings/${booking.id}/check-in`;
    expect(
      (await post(therapist.session, checkIn, { painNow: [{ region: 'hamstrings.left', score: 11 }] })).json(),
    ).toMatchObject({ status: 400, field: 'painNow.0.score' });
    expect((await post(therapist.session, checkIn, { painNow: [{ region: 'tail', score: 3 }] })).json()).toMatchObject({
      status: 400,
      field: 'painNow.0.region',
    });
    const twice = await post(therapist.session, checkIn, {
      painNow: [
        { region: 'hamstrings.left', score: 3 },
        { region: 'hamstrings.left', score: 4 },
      ],
    });
    expect(twice.json()).toMatchObject({
      status: 400,
      code: 'validation_failed',
      field: 'painNow.1.region',
      errors: [{ code: 'duplicate_region' }],
    });
    expect((await get(therapist.session, `/api/bookings/${booking.id}`)).json().status).toBe('confirmed');
    expect(
      await t.database.db
        .selectFrom('outcome_measurements')
        .select('id')
        .where('booking_id', '=', booking.id)
        .execute(),
    ).toEqual([]);
  });

  it('records the client’s answer as their own report for the session, shown in their progress', async () => {
    const client = await signUp(t.app, 'client');
    t.clock.set(TEST_NOW);
    const booking = await bookSession(t, client, therapist, nyAt('2026-11-24', '13:00'));
    await holdSession(therapist, booking, [{ region: 'hamstrings.left', score: 4 }]);
    const stored = await t.database.db
      .selectFrom('outcome_measurements')
      .select(['measure', 'key', 'value', 'source', 'recorded_by', 'session_date'])
      .where('booking_id', '=', booking.id)
      .execute();
    expect(stored).toEqual([
      {
        measure: 'nprs',
        key: 'hamstrings.left',
        value: 4,
        source: 'client',
        recorded_by: therapist.id,
        session_date: '2026-11-24',
      },
    ]);
    expect(await painSeries(client)).toEqual([['hamstrings.left', [4]]]);

    // Signing the drafted note repeats the report, and adds no second point.
    const draft = await signDraft(booking);
    expect(draft.note.painBefore).toEqual([{ region: 'hamstrings.left', score: 4 }]);
    expect(await painSeries(client)).toEqual([['hamstrings.left', [4]]]);
  });

  it('leaves pain before empty when the client was not asked: signing the draft adds nothing to progress', async () => {
    // The consultation says hamstrings 3 and 2, low back 5: weeks old, and never copied into the session.
    const client = await signUp(t.app, 'client');
    t.clock.set(TEST_NOW);
    const first = await bookSession(t, client, therapist, nyAt('2026-11-25', '09:00'));
    const second = await bookSession(t, client, therapist, nyAt('2026-12-02', '09:00'));
    await holdSession(therapist, first, [{ region: 'hamstrings.left', score: 6 }]);
    await signDraft(first);
    await holdSession(therapist, second);
    const record = (await get(therapist.session, `/api/bookings/${second.id}/session-record`)).json();
    expect(record.painReports.map((p: { region: string; score: number | null }) => [p.region, p.score])).toEqual([
      ['low_back.left', null],
      ['hamstrings.left', null],
      ['hamstrings.right', null],
    ]);
    const draft = await signDraft(second);
    expect(draft.note.painBefore).toEqual([]);
    expect(await painSeries(client)).toEqual([['hamstrings.left', [6]]]);
    expect(
      await t.database.db
        .selectFrom('outcome_measurements')
        .select('id')
        .where('booking_id', '=', second.id)
        .where('measure', '=', 'nprs')
        .execute(),
    ).toEqual([]);

    // Nor can a note put a value the client never gave into the session.
    const third = await bookSession(t, client, therapist, nyAt('2026-12-09', '09:00'));
    await holdSession(therapist, third);
    const copied = await post(therapist.session, `/api/bookings/${third.id}/note/sign`, { note: hamstringNote() });
    expect(copied.statusCode).toBe(422);
    expect(copied.json()).toMatchObject({
      code: 'pain_before_not_reported',
      field: 'note.painBefore.0.region',
      errors: [{ code: 'pain_not_reported' }, { code: 'pain_not_reported' }],
    });
    expect(await painSeries(client)).toEqual([['hamstrings.left', [6]]]);
  });

  it('tells the therapist in their words why screening stops a check-in', async () => {
    const client = await signUp(t.app, 'client');
    t.clock.set(TEST_NOW);
    const booking = await bookSession(t, client, therapist, nyAt('2026-11-26', '09:00'));
    expect(
      (await put(client, '/api/me/intake', deskWorkerIntake({ conditions: { feverOrInfection: true } }))).statusCode,
    ).toBe(200);
    t.clock.set(minutesFrom(booking.startsAt, -5));
    const refused = await post(therapist.session, `/api/bookings/${booking.id}/check-in`);
    expect(refused.json()).toMatchObject({
      code: 'check_in_not_cleared',
      reason: 'not_today',
      detail: 'The client’s screening says this session cannot go ahead today; the brief gives the reasons',
    });
  });
});

const odiAnswers = (scores: (number | null)[]) =>
  Object.fromEntries(
    [
      'pain_intensity',
      'personal_care',
      'lifting',
      'walking',
      'sitting',
      'standing',
      'sleeping',
      'sex_life',
      'social_life',
      'travelling',
    ].map((id, i) => [id, scores[i]]),
  );

describe('outcome measures, progress and the treatment plan', () => {
  let therapist: TherapistFixture;
  let client: Session;
  let sessions: Booking[];

  const signNote = async (booking: Booking, note: Record<string, unknown>) => {
    const signed = await post(therapist.session, `/api/bookings/${booking.id}/note/sign`, {
      note: hamstringNote(note),
    });
    expect(signed.statusCode, signed.body).toBe(200);
  };

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    therapist = await createTherapist(t, { displayName: 'Pat Progress' }, operator);
    client = await signUp(t.app, 'client');
    sessions = [];
    for (const date of ['2026-11-24', '2026-12-01', '2026-12-08'])
      sessions.push(await bookSession(t, client, therapist, nyAt(date, '13:00')));
  });

  it('lets the client complete the Oswestry questionnaire before a session, scored with its band', async () => {
    t.clock.set(Date.parse('2026-11-24T08:00:00Z'));
    const outcomes = `/api/clients/${client.id}/outcomes`;
    const submitted = await post(client, outcomes, {
      measure: 'odi',
      bookingId: sessions[0]!.id,
      answers: odiAnswers([3, 2, 2, 1, 2, 2, 1, null, 2, 1]),
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const [odi] = submitted.json().measurements;
    expect(odi).toMatchObject({
      measure: 'odi',
      source: 'client',
      sessionDate: '2026-11-24',
      band: { id: 'moderate', label: 'Moderate disability' },
      detail: { answers: { sex_life: null } },
    });
    expect(odi.value).toBeCloseTo((16 / 45) * 100, 6);

    const tooFew = await post(client, outcomes, {
      measure: 'odi',
      bookingId: sessions[0]!.id,
      answers: odiAnswers([3, 2, 2, 1, 2, 2, 1, null, null, null]),
    });
    expect(tooFew.json()).toMatchObject({ status: 422, code: 'questionnaire_incomplete', field: 'answers' });
    // Answering again replaces the session's value.
    const again = await post(client, outcomes, {
      measure: 'odi',
      bookingId: sessions[0]!.id,
      answers: odiAnswers([4, 2, 2, 2, 2, 2, 2, 2, 2, 0]),
    });
    expect(again.json().measurements[0]).toMatchObject({ value: 40, band: { id: 'moderate' } });
    expect(again.json().progress).toEqual([
      expect.objectContaining({ measure: 'odi', measurements: 1, baseline: { sessionDate: '2026-11-24', value: 40 } }),
    ]);

    expect((await post(client, outcomes, { measure: 'ake', side: 'left', trials: [30] })).json()).toMatchObject({
      status: 403,
    });
    expect(
      (
        await post(client, outcomes, { measure: 'ndi', bookingId: sessions[0]!.id, answers: { pain_intensity: 1 } })
      ).json(),
    ).toMatchObject({ status: 422, code: 'questionnaire_incomplete' });
  });

  it('keeps the PSFS activities the client chose, unless they choose new ones', async () => {
    const outcomes = `/api/clients/${client.id}/outcomes`;
    const first = await post(client, outcomes, {
      measure: 'psfs',
      bookingId: sessions[0]!.id,
      ratings: [
        { activity: 'Run 5 km', score: 3 },
        { activity: 'Sit through a meeting', score: 4 },
      ],
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(
      first
        .json()
        .measurements.map((m: { measure: string; key: string | null; value: number }) => [m.measure, m.key, m.value]),
    ).toEqual([
      ['psfs', null, 3.5],
      ['psfs_activity', 'run 5 km', 3],
      ['psfs_activity', 'sit through a meeting', 4],
    ]);
    const changed = await post(client, outcomes, {
      measure: 'psfs',
      bookingId: sessions[0]!.id,
      ratings: [{ activity: 'Garden', score: 3 }],
    });
    expect(changed.json()).toMatchObject({
      status: 422,
      code: 'psfs_activities_changed',
      activities: ['Run 5 km', 'Sit through a meeting'],
    });
  });

  it('charts pain, disability and flexibility over the sessions, marking meaningful change', async () => {
    await holdSession(therapist, sessions[0]!, REPORTED);
    await signNote(sessions[0]!, {});
    t.clock.set(minutesFrom(sessions[1]!.startsAt, -120));
    await post(client, `/api/clients/${client.id}/outcomes`, {
      measure: 'psfs',
      bookingId: sessions[1]!.id,
      ratings: [
        { activity: 'sit through a meeting', score: 6 },
        { activity: 'run 5 KM', score: 5 },
      ],
    });
    await holdSession(therapist, sessions[1]!, [{ region: 'hamstrings.left', score: 5 }]);
    await signNote(sessions[1]!, {
      painBefore: [{ region: 'hamstrings.left', score: 5 }],
      findings: { palpation: [], rangeOfMotion: [{ test: 'ake', side: 'left', trials: [30] }] },
    });
    t.clock.set(minutesFrom(sessions[2]!.startsAt, -120));
    await post(client, `/api/clients/${client.id}/outcomes`, {
      measure: 'odi',
      bookingId: sessions[2]!.id,
      answers: odiAnswers([2, 1, 1, 1, 2, 1, 1, 1, 2, 1]),
    });
    await holdSession(therapist, sessions[2]!, [{ region: 'hamstrings.left', score: 3 }]);
    await signNote(sessions[2]!, {
      painBefore: [{ region: 'hamstrings.left', score: 3 }],
      findings: { palpation: [], rangeOfMotion: [{ test: 'ake', side: 'left', trials: [24] }] },
    });

    for (const viewer of [client, therapist.session, operator]) {
      const progress = await get(viewer, `/api/clients/${client.id}/progress`);
      expect(progress.statusCode, progress.body).toBe(200);
      const series = progress.json().series as {
        measure: string;
        key: string | null;
        keyLabel: string | null;
        points: { value: number; fromBaseline: { meaningful: boolean | null } | null; band: { id: string } | null }[];
        change: number;
        meaningful: boolean | null;
        meaningfulImprovement: boolean | null;
      }[];
      const find = (measure: string, key: string | null) => series.find((s) => s.measure === measure && s.key === key)!;
      const pain = find('nprs', 'hamstrings.left');
      expect(pain.points.map((p) => [p.value, p.fromBaseline?.meaningful ?? null])).toEqual([
        [6, null],
        [5, false],
        [3, true],
      ]);
      expect(pain).toMatchObject({
        keyLabel: 'Back of the thigh (hamstrings), left',
        change: -3,
        meaningfulImprovement: true,
      });
      const odi = find('odi', null);
      expect(odi.points.map((p) => [p.value, p.band?.id])).toEqual([
        [40, 'moderate'],
        [26, 'moderate'],
      ]);
      expect(odi).toMatchObject({ change: -14, meaningful: true, meaningfulImprovement: true });
      expect(find('ake', 'left')).toMatchObject({
        keyLabel: 'Left',
        change: -10,
        meaningful: null,
        meaningfulImprovement: null,
      });
      expect(find('psfs', null).points.map((p) => p.value)).toEqual([3.5, 5.5]);
      expect(find('psfs_activity', 'run 5 km')).toMatchObject({ keyLabel: 'run 5 KM', change: 2, meaningful: false });
      expect(progress.json().psfsActivities).toEqual([
        { key: 'sit through a meeting', activity: 'sit through a meeting' },
        { key: 'run 5 km', activity: 'run 5 KM' },
      ]);
    }
  });

  it('counts the therapist’s clients meaningfully improved after N sessions', async () => {
    const share = async (who: Session, query: string) => get(who, `/api/outcomes/improvement-share?${query}`);
    const afterTwo = (await share(therapist.session, 'measure=nprs&sessions=2')).json();
    expect(afterTwo).toMatchObject({
      measure: 'nprs',
      sessions: 2,
      therapists: [
        {
          therapist: { id: therapist.id, displayName: 'Pat Progress' },
          eligible: 1,
          improved: 1,
          share: 1,
          tooFewSessions: 0,
        },
      ],
    });
    expect((await share(therapist.session, 'measure=nprs&sessions=3')).json().therapists[0]).toMatchObject({
      eligible: 0,
      share: null,
      tooFewSessions: 1,
    });
    expect((await share(operator, `measure=odi&sessions=1&therapistId=${therapist.id}`)).json().therapists).toEqual([
      expect.objectContaining({ eligible: 1, improved: 1 }),
    ]);
    expect((await share(client, 'measure=nprs')).json()).toMatchObject({ status: 403 });
    expect((await share(therapist.session, `therapistId=${operator.id}`)).json()).toMatchObject({ status: 403 });
  });

  it('keeps a treatment plan with measurable goals and progress against each', async () => {
    const plan = {
      goals: [
        { measure: 'ake', key: 'left', comparator: '<', target: 20 },
        {
          measure: 'psfs_activity',
          key: 'Run 5 km',
          comparator: '>=',
          target: 8,
          label: 'Run 5 km without hamstring pain',
        },
      ],
      frequency: { sessions: 1, per: 'week' },
      plannedSessions: 6,
      reviewOn: '2026-12-22',
    };
    const saved = await put(therapist.session, `/api/clients/${client.id}/treatment-plan`, plan);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      version: 1,
      frequency: { sessions: 1, per: 'week' },
      plannedSessions: 6,
      startsOn: '2026-12-08',
      reviewDue: false,
      goals: [
        {
          measure: 'ake',
          key: 'left',
          description: 'Active knee extension (hamstrings), left: under 20°',
          progress: { achieved: false, percentOfWay: 71, baseline: 34, latest: 24, measurements: 3 },
        },
        {
          measure: 'psfs_activity',
          key: 'run 5 km',
          keyLabel: 'run 5 KM',
          label: 'Run 5 km without hamstring pain',
          progress: { achieved: false, percentOfWay: 40, baseline: 3, latest: 5 },
        },
      ],
    });
    const wrongWay = await put(therapist.session, `/api/clients/${client.id}/treatment-plan`, {
      ...plan,
      goals: [{ measure: 'nprs', key: 'low_back.left', comparator: '>=', target: 2 }],
    });
    expect(wrongWay.json()).toMatchObject({
      status: 400,
      errors: [{ field: 'goals.0.comparator', code: 'goal_points_the_wrong_way' }],
    });
    const resaved = await put(therapist.session, `/api/clients/${client.id}/treatment-plan`, {
      ...plan,
      plannedSessions: 8,
    });
    expect(resaved.json()).toMatchObject({ version: 2, plannedSessions: 8, startsOn: '2026-12-08' });

    t.clock.set(Date.parse('2026-12-22T15:00:00Z'));
    const plans = (await get(client, `/api/clients/${client.id}/treatment-plans`)).json();
    expect(plans).toEqual([
      expect.objectContaining({
        therapist: { id: therapist.id, displayName: 'Pat Progress' },
        reviewDue: true,
        sessionsDone: 1,
      }),
    ]);
  });
});

describe('the client’s rights over their records', () => {
  it('exports notes with amendments, measurements and plans, and erases them, signed notes kept restricted (note-retention.test.ts)', async () => {
    t.clock.set(TEST_NOW);
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const booking = await bookSession(t, client, therapist, nyAt('2026-11-27', '09:00'));
    await holdSession(therapist, booking, REPORTED);
    await post(therapist.session, `/api/bookings/${booking.id}/note/sign`, { note: hamstringNote() });
    await post(therapist.session, `/api/bookings/${booking.id}/note/amendments`, {
      note: hamstringNote({ freeText: 'Prefers the forearm to the elbow' }),
      reason: 'Added the client’s preference',
    });
    await put(therapist.session, `/api/clients/${client.id}/treatment-plan`, {
      goals: [{ measure: 'ake', key: 'left', comparator: '<', target: 20 }],
      frequency: { sessions: 2, per: 'month' },
      plannedSessions: 4,
      reviewOn: '2027-01-15',
    });
    await call(t.app, therapist.session, {
      method: 'POST',
      url: `/api/bookings/${booking.id}/rating`,
      payload: { stars: 5 },
    });

    const exported = (await get(client, '/api/me/health-data')).json();
    expect(exported.sessionNotes).toEqual([
      expect.objectContaining({
        bookingId: booking.id,
        status: 'signed',
        amendments: [expect.objectContaining({ reason: 'Added the client’s preference' })],
      }),
    ]);
    expect(exported.outcomeMeasurements).toHaveLength(4);
    expect(exported.treatmentPlans).toEqual([
      expect.objectContaining({ therapistId: therapist.id, plannedSessions: 4 }),
    ]);

    const erased = await call(t.app, client, { method: 'DELETE', url: '/api/me/health-data' });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json().erased).toMatchObject({
      sessionNotes: 0,
      signedNotesRestricted: 1,
      outcomeMeasurements: 4,
      treatmentPlans: 1,
    });
    const record = (await get(therapist.session, `/api/bookings/${booking.id}/session-record`)).json();
    expect(record).toMatchObject({
      note: null,
      measurements: [],
      attendance: { status: 'completed', checkedInAt: expect.any(String) },
    });
    expect((await get(therapist.session, `/api/clients/${client.id}/treatment-plans`)).json()).toEqual([]);
    expect(
      await t.database.db.selectFrom('session_ratings').select('stars').where('booking_id', '=', booking.id).execute(),
    ).toEqual([{ stars: 5 }]);
  });
});

describe('ratings and never-again', () => {
  let rated: TherapistFixture;
  let avoided: TherapistFixture;
  let client: Session;
  let otherClient: Session;

  const searchFor = async (who: Session | null) => {
    const query = new URLSearchParams({
      durationMin: '60',
      from: '2026-12-14',
      to: '2026-12-15',
      zone: 'America/New_York',
      mode: 'studio',
      lat: '40.7549',
      lng: '-73.984',
      pageSize: '50',
    });
    const response = await get(who, `/api/availability?${query.toString()}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().results.map((r: { therapist: { id: string } }) => r.therapist.id) as string[];
  };

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    rated = await createTherapist(t, { displayName: 'Rae Rated' }, operator);
    avoided = await createTherapist(t, { displayName: 'Avery Avoided' }, operator);
    client = await signUp(t.app, 'client');
    otherClient = await signUp(t.app, 'client');
  });

  it('lets each side rate once after the session and feeds the therapist’s rating', async () => {
    t.clock.set(TEST_NOW);
    const first = await bookSession(t, client, rated, nyAt('2026-11-24', '15:00'));
    const second = await bookSession(t, otherClient, rated, nyAt('2026-11-25', '15:00'));
    const rate = (who: Session, booking: Booking, body: unknown) =>
      post(who, `/api/bookings/${booking.id}/rating`, body);
    expect((await rate(client, first, { stars: 5 })).json()).toMatchObject({
      status: 409,
      code: 'session_not_taken_place',
    });
    await holdSession(rated, first);
    await holdSession(rated, second);

    expect(
      (await rate(client, first, { stars: 5, preference: 'prefer', comment: 'Found the knot at once' })).statusCode,
    ).toBe(201);
    expect((await rate(client, first, { stars: 1 })).json()).toMatchObject({ status: 409, code: 'already_rated' });
    expect((await rate(otherClient, second, { stars: 2 })).statusCode).toBe(201);
    expect((await rate(rated.session, first, { stars: 4, preference: 'prefer' })).json()).toMatchObject({
      status: 400,
      field: 'preference',
    });
    expect((await rate(rated.session, first, { stars: 4 })).statusCode).toBe(201);

    const profile = await t.database.db
      .selectFrom('therapists')
      .select(['rating_average', 'rating_count'])
      .where('user_id', '=', rated.id)
      .executeTakeFirstOrThrow();
    expect(profile).toEqual({ rating_average: 3.5, rating_count: 2 });
    expect((await get(client, `/api/bookings/${first.id}/rating`)).json()).toMatchObject({
      canRate: false,
      client: { stars: 5 },
      therapist: null,
    });
    expect((await get(rated.session, `/api/bookings/${first.id}/rating`)).json()).toMatchObject({
      canRate: false,
      client: null,
      therapist: { stars: 4 },
    });
    expect((await get(operator, `/api/bookings/${first.id}/rating`)).json()).toMatchObject({
      client: { stars: 5 },
      therapist: { stars: 4 },
    });
    expect((await get(client, '/api/me/pair-preferences')).json()).toEqual([
      expect.objectContaining({
        user: { id: rated.id, displayName: 'Rae Rated', role: 'therapist' },
        preference: 'prefer',
      }),
    ]);

    t.clock.set(Date.parse('2026-12-01T12:00:00Z'));
    const ranked = await get(
      null,
      `/api/availability?${new URLSearchParams({ durationMin: '60', from: '2026-12-14', to: '2026-12-15', zone: 'America/New_York', mode: 'studio', lat: '40.7549', lng: '-73.984', pageSize: '50', sort: 'rating' }).toString()}`,
    );
    expect(ranked.json().results[0].therapist).toMatchObject({ id: rated.id, rating: { average: 3.5, count: 2 } });
  });

  it('hides a pair marked never from each other, both ways, and refuses to book them', async () => {
    t.clock.set(TEST_NOW);
    const clientsSession = await bookSession(t, client, avoided, nyAt('2026-11-26', '15:00'));
    const othersSession = await bookSession(t, otherClient, avoided, nyAt('2026-11-27', '15:00'));
    await holdSession(avoided, clientsSession);
    t.clock.set(minutesFrom(othersSession.startsAt, 20));
    await post(avoided.session, `/api/bookings/${othersSession.id}/no-show`);

    t.clock.set(Date.parse('2026-12-01T12:00:00Z'));
    expect(await searchFor(client)).toContain(avoided.id);
    // The client marks the therapist never.
    expect(
      (await post(client, `/api/bookings/${clientsSession.id}/rating`, { stars: 1, preference: 'never' })).statusCode,
    ).toBe(201);
    // The therapist marks the other client never after they did not come.
    expect(
      (await post(avoided.session, `/api/bookings/${othersSession.id}/rating`, { stars: 1, preference: 'never' }))
        .statusCode,
    ).toBe(201);

    for (const who of [client, otherClient]) {
      expect(await searchFor(who)).not.toContain(avoided.id);
      const hold = await post(who, '/api/bookings', {
        therapistId: avoided.id,
        durationMin: 60,
        start: nyAt('2026-12-14', '10:00'),
        place: { mode: 'studio', studioId: avoided.studioId },
      });
      expect(hold.json()).toMatchObject({
        status: 422,
        code: 'therapist_not_bookable',
        detail: 'This therapist cannot be booked',
      });
    }
    expect(await searchFor(null)).toContain(avoided.id);
    expect(await searchFor(client)).toContain(rated.id);

    // Changing one's mind lifts it.
    const lifted = await put(client, `/api/me/pair-preferences/${avoided.id}`, { preference: 'neutral' });
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect(await searchFor(client)).toContain(avoided.id);
    expect(
      (await put(client, `/api/me/pair-preferences/${operator.id}`, { preference: 'never' })).json(),
    ).toMatchObject({ status: 422, code: 'no_shared_session' });
  });
});

describe(`on ${BACKEND}`, () => {
  it('never leaves a half-written note: a refused signature keeps the draft as it was', async () => {
    t.clock.set(TEST_NOW);
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const booking = await bookSession(t, client, therapist, nyAt('2026-11-24', '09:00'));
    await holdSession(therapist, booking);
    await put(therapist.session, `/api/bookings/${booking.id}/note`, { note: hamstringNote() });
    const beyond = hamstringNote({
      regionsWorked: [
        { region: 'back_of_knee.right', techniques: ['stripping'], tools: ['thumb'], maxPressure: 4, minutes: 3 },
      ],
    });
    expect((await post(therapist.session, `/api/bookings/${booking.id}/note/sign`, { note: beyond })).statusCode).toBe(
      422,
    );
    const stored = await t.database.db
      .selectFrom('session_notes')
      .select(['status', 'content'])
      .where('booking_id', '=', booking.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'draft', content: { regionsWorked: [{ region: 'hamstrings.left' }] } });
    expect(
      await t.database.db
        .selectFrom('outcome_measurements')
        .select('id')
        .where('booking_id', '=', booking.id)
        .execute(),
    ).toEqual([]);
  });
});
