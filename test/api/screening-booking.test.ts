import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import type { IntakeInput } from '../../src/intake/engine/intake-schema.js';
import { bookingClearedForCheckIn } from '../../src/screening/booking-screening.js';
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
let therapist: TherapistFixture;
beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
  therapist = await createTherapist(t, {}, operator);
});
afterAll(() => t.close());
beforeEach(() => t.clock.set(TEST_NOW));

/** A local time in New York (UTC-5 in these weeks). */
const at = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();
const SLOTS = [
  '2026-11-24',
  '2026-11-25',
  '2026-11-26',
  '2026-11-27',
  '2026-11-30',
  '2026-12-01',
  '2026-12-02',
  '2026-12-03',
  '2026-12-04',
].flatMap((date) => ['09:00', '11:00', '13:00', '15:00'].map((hhmm) => at(date, hhmm)));
let slot = 0;
/** A distinct free slot of the shared therapist for each booking (two hours apart, so buffers never collide). */
const nextSlot = () => SLOTS[slot++]!;

const hold = (client: Session, extra: Record<string, unknown> = {}, who: TherapistFixture = therapist) =>
  call(t.app, client, {
    method: 'POST',
    url: '/api/bookings',
    payload: {
      therapistId: who.id,
      durationMin: 60,
      start: nextSlot(),
      place: { mode: 'studio', studioId: who.studioId },
      ...extra,
    },
  });
const confirm = async (client: Session, id: string) =>
  call(t.app, client, {
    method: 'POST',
    url: `/api/bookings/${id}/confirm`,
    payload: await payWithCard(t.app, client),
  });
const saveIntake = (client: Session, intake: IntakeInput) =>
  call(t.app, client, { method: 'PUT', url: '/api/me/intake', payload: intake });
const clientWith = (conditions: IntakeInput['conditions']) =>
  signUp(t.app, 'client', 'Screened Client', { intake: { ...deskWorkerIntake(), conditions } });
const messagesOf = (userId: string, kind: string) =>
  t.database.db
    .selectFrom('messages')
    .select(['kind', 'subject', 'body_text', 'booking_id'])
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .execute();

async function book(client: Session, extra: Record<string, unknown> = {}) {
  const held = await hold(client, extra);
  expect(held.statusCode, held.body).toBe(201);
  const confirmed = await confirm(client, held.json().id);
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return confirmed.json();
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('a session that must not happen', () => {
  it('refuses to book a client with a painful, swollen calf, telling them to see a doctor today, and writes nothing', async () => {
    const client = await clientWith({ legClotSigns: { side: 'left', signs: ['swelling', 'warmth'] } });
    const before = await t.database.db.selectFrom('bookings').select('id').execute();
    const refused = await hold(client);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = refused.json();
    expect(problem).toMatchObject({
      code: 'screening_not_today',
      outcome: 'not_today',
      medicalUrgency: 'same_day',
      headline: 'Please get medical advice today. This session cannot go ahead.',
    });
    expect(problem.detail).toMatch(/medical advice today/);
    expect(problem.detail).toMatch(/contact your doctor or an urgent care service today/);
    expect(problem.reasons).toEqual([
      expect.objectContaining({
        ruleId: 'blood_clot.suspected',
        class: 'A',
        sources: expect.arrayContaining(['UCLH', 'W-Thromb']),
      }),
    ]);
    expect(await t.database.db.selectFrom('bookings').select('id').execute()).toHaveLength(before.length);
  });

  it('refuses to confirm when the intake changed during the hold, and tells both sides the outcome changed', async () => {
    const client = await signUp(t.app, 'client');
    const held = (await hold(client)).json();
    expect(held.screening).toMatchObject({ outcome: 'proceed', clearance: 'not_required', intakeVersion: 1 });
    const updated = await saveIntake(client, deskWorkerIntake({ conditions: { feverOrInfection: true } }));
    expect(updated.json().rescreened).toEqual([{ bookingId: held.id, from: 'proceed', to: 'not_today' }]);
    const refused = await confirm(client, held.id);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toMatch(/rebook once you are well/);
    for (const userId of [client.id, therapist.id]) {
      const [message] = await messagesOf(userId, 'screening.changed');
      expect(message).toMatchObject({ booking_id: held.id });
      expect(message!.body_text).toMatch(
        /changed from "deep tissue massage can go ahead" to "the session cannot go ahead"/,
      );
      expect(message!.body_text).not.toMatch(/fever/i);
    }
  });

  it('cannot go ahead as deep tissue when every focus region has to be avoided, but can with another focus', async () => {
    const client = await clientWith({ varicoseVeins: { severity: 'severe', regions: ['calves.left'] } });
    const refused = await hold(client, { focusRegions: ['calves.left', 'feet.left'] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'focus_regions_excluded',
      reasons: [expect.objectContaining({ ruleId: 'focus_regions_excluded', sources: ['W-Var'] })],
    });
    const held = await hold(client, { focusRegions: ['calves.left', 'hamstrings.left'] });
    expect(held.statusCode, held.body).toBe(201);
    expect(held.json().screening.outcome).toBe('adapt');
    const screening = (
      await call(t.app, client, { method: 'GET', url: `/api/bookings/${held.json().id}/screening` })
    ).json();
    expect(screening.decision.plan.regions).toEqual([
      { region: 'hamstrings.left', label: 'Back of the thigh (hamstrings) (left)', allowedPressure: 4 },
      { region: 'calves.left', label: 'Calf (left)', allowedPressure: null },
    ]);
    expect(screening.forClient.messages).toEqual([expect.stringMatching(/severe varicose veins/)]);
  });

  it('needs a consultation before booking', async () => {
    const newcomer = await signUp(t.app, 'client', 'No Intake', { intake: null });
    const refused = await hold(newcomer);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('intake_required');
  });
});

describe('medical clearance', () => {
  it('keeps a session that needs clearance awaiting it, and confirms it and lets it start only once the therapist verified a document', async () => {
    const client = await clientWith({ kidneyFailure: true });
    const booking = await book(client);
    expect(booking.status).toBe('awaiting_clearance');
    expect(booking.screening).toMatchObject({
      outcome: 'clearance_required',
      clearance: 'pending',
      documentsToReview: 0,
    });
    expect(await bookingClearedForCheckIn(t.database.db, booking.id)).toMatchObject({
      cleared: false,
      reason: 'clearance_pending',
    });
    const screening = (
      await call(t.app, client, { method: 'GET', url: `/api/bookings/${booking.id}/screening` })
    ).json();
    expect(screening.forClient).toMatchObject({
      outcome: 'clearance_required',
      clearance: [{ level: 'required', from: 'your kidney doctor' }],
    });
    expect(screening.clearance).toEqual({ status: 'pending', requiredFor: ['kidney_failure'] });

    const upload = (who: Session, filename: string, content: Buffer) =>
      call(t.app, who, {
        method: 'POST',
        url: `/api/bookings/${booking.id}/clearance-documents`,
        payload: { filename, contentBase64: content.toString('base64') },
      });
    const gif = await upload(client, 'note.pdf', Buffer.from('GIF89a fake pdf'));
    expect(gif.statusCode).toBe(415);
    expect(gif.json()).toMatchObject({ code: 'unsupported_document_type', field: 'contentBase64' });
    const huge = await upload(client, 'scan.pdf', Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]));
    expect(huge.statusCode).toBe(413);
    const stranger = await signUp(t.app, 'client');
    expect((await upload(stranger, 'mine.pdf', PDF)).statusCode).toBe(404);

    const uploaded = await upload(client, '../../Dr Patel "clearance".pdf', PDF);
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const document = uploaded.json();
    expect(document).toMatchObject({
      filename: 'Dr Patel _clearance_.pdf',
      contentType: 'application/pdf',
      sizeBytes: PDF.length,
      status: 'submitted',
    });
    expect(
      (await call(t.app, client, { method: 'GET', url: `/api/bookings/${booking.id}` })).json().screening,
    ).toMatchObject({ clearance: 'pending', documentsToReview: 1 });
    expect(await messagesOf(therapist.id, 'clearance.uploaded')).toHaveLength(1);

    const download = await call(t.app, therapist.session, {
      method: 'GET',
      url: `/api/bookings/${booking.id}/clearance-documents/${document.id}`,
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="Dr Patel _clearance_.pdf"/);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.rawPayload.equals(PDF)).toBe(true);

    const otherTherapist = await createTherapist(t, {}, operator);
    const review = (who: Session, payload: unknown) =>
      call(t.app, who, {
        method: 'POST',
        url: `/api/bookings/${booking.id}/clearance-documents/${document.id}/review`,
        payload,
      });
    expect((await review(otherTherapist.session, { decision: 'verify' })).statusCode).toBe(404);
    expect((await review(client, { decision: 'verify' })).statusCode).toBe(403);
    expect((await review(therapist.session, { decision: 'reject' })).json()).toMatchObject({
      code: 'validation_failed',
      field: 'note',
    });
    const verified = await review(therapist.session, {
      decision: 'verify',
      note: 'Letter from the nephrologist, dated last week',
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({ status: 'verified', covers: ['kidney_failure'] });
    expect((await review(operator, { decision: 'reject', note: 'Again' })).json().code).toBe('already_reviewed');

    expect((await call(t.app, client, { method: 'GET', url: `/api/bookings/${booking.id}` })).json()).toMatchObject({
      status: 'confirmed',
      screening: { clearance: 'verified', documentsToReview: 0 },
    });
    expect(await bookingClearedForCheckIn(t.database.db, booking.id)).toEqual({ cleared: true });
    expect(await messagesOf(client.id, 'clearance.reviewed')).toEqual([
      expect.objectContaining({ subject: 'Your clearance document was accepted' }),
    ]);
  });

  it('reviews no document of a session that will not take place', async () => {
    const client = await clientWith({ kidneyFailure: true });
    const booking = await book(client);
    const document = (
      await call(t.app, client, {
        method: 'POST',
        url: `/api/bookings/${booking.id}/clearance-documents`,
        payload: { filename: 'a.pdf', contentBase64: PDF.toString('base64') },
      })
    ).json();
    expect(
      (await call(t.app, client, { method: 'POST', url: `/api/bookings/${booking.id}/cancel`, payload: {} }))
        .statusCode,
    ).toBe(200);
    const reviewBy = (who: Session) =>
      call(t.app, who, {
        method: 'POST',
        url: `/api/bookings/${booking.id}/clearance-documents/${document.id}/review`,
        payload: { decision: 'verify' },
      });
    expect((await reviewBy(therapist.session)).statusCode).toBe(403);
    const review = await reviewBy(operator);
    expect(review.statusCode).toBe(409);
    expect(review.json().code).toBe('invalid_transition');
    const stored = await t.database.db
      .selectFrom('clearance_documents')
      .select(['status', 'reviewed_by'])
      .where('id', '=', document.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'submitted', reviewed_by: null });
  });

  it('asks for clearance again when a new requirement appears that the verified document did not cover', async () => {
    const client = await clientWith({ kidneyFailure: true });
    const booking = await book(client);
    const document = (
      await call(t.app, client, {
        method: 'POST',
        url: `/api/bookings/${booking.id}/clearance-documents`,
        payload: { filename: 'a.pdf', contentBase64: PDF.toString('base64') },
      })
    ).json();
    await call(t.app, operator, {
      method: 'POST',
      url: `/api/bookings/${booking.id}/clearance-documents/${document.id}/review`,
      payload: { decision: 'verify' },
    });
    expect(await bookingClearedForCheckIn(t.database.db, booking.id)).toEqual({ cleared: true });
    await saveIntake(
      client,
      deskWorkerIntake({ conditions: { kidneyFailure: true, heartAttack: { date: '2026-09-01' } } }),
    );
    expect(await bookingClearedForCheckIn(t.database.db, booking.id)).toMatchObject({
      cleared: false,
      reason: 'clearance_pending',
    });
    expect(
      (await call(t.app, client, { method: 'GET', url: `/api/bookings/${booking.id}` })).json().screening.clearance,
    ).toBe('pending');
  });
});

describe('therapist overrides', () => {
  it('lift a caution with a recorded reason, never an absolute contraindication', async () => {
    const client = await clientWith({ varicoseVeins: { severity: 'mild', regions: ['hamstrings.left'] } });
    const booking = await book(client);
    expect(booking.screening.outcome).toBe('adapt');
    const override = (who: Session, payload: unknown) =>
      call(t.app, who, { method: 'POST', url: `/api/bookings/${booking.id}/screening/overrides`, payload });
    expect((await override(client, { ruleId: 'varicose_veins.mild', reason: 'I feel fine about it' })).statusCode).toBe(
      403,
    );
    expect(
      (await override(therapist.session, { ruleId: 'varicose_veins.mild', reason: 'short' })).json(),
    ).toMatchObject({ code: 'validation_failed', field: 'reason' });
    expect(
      (await override(therapist.session, { ruleId: 'fibromyalgia', reason: 'Not flagged on this booking' })).json(),
    ).toMatchObject({ code: 'validation_failed', field: 'ruleId' });
    const done = await override(therapist.session, {
      ruleId: 'varicose_veins.mild',
      reason: 'Veins are small spider veins, assessed in person last month',
    });
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json()).toMatchObject({
      stage: 'override',
      decision: {
        outcome: 'proceed',
        flags: [expect.objectContaining({ ruleId: 'varicose_veins.mild', overridden: true })],
      },
      overrides: [
        {
          ruleId: 'varicose_veins.mild',
          reason: 'Veins are small spider veins, assessed in person last month',
          therapistId: therapist.id,
        },
      ],
    });
    expect(
      (await override(therapist.session, { ruleId: 'varicose_veins.mild', reason: 'Once more, please' })).json().code,
    ).toBe('already_overridden');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'action'])
      .where('subject_id', '=', booking.id)
      .where('action', '=', 'screening.override')
      .execute();
    expect(audit).toEqual([{ actor_id: therapist.id, action: 'screening.override' }]);
    expect(await messagesOf(client.id, 'screening.changed')).toHaveLength(1);

    // The client falls ill before the session: the fever flag can never be lifted, and check-in would refuse.
    await saveIntake(
      client,
      deskWorkerIntake({
        conditions: { feverOrInfection: true, varicoseVeins: { severity: 'mild', regions: ['hamstrings.left'] } },
      }),
    );
    const refused = await override(therapist.session, { ruleId: 'fever', reason: 'Client says it is only a cold' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'override_not_allowed', field: 'ruleId' });
    expect(await bookingClearedForCheckIn(t.database.db, booking.id)).toMatchObject({
      cleared: false,
      reason: 'not_today',
    });
  });
});

describe('time windows count to the session day', () => {
  it('lets a hamstring strain from today be worked on at a session four days later, but not tomorrow', async () => {
    const client = await signUp(t.app, 'client', 'Strained', {
      intake: deskWorkerIntake({ injuries: [{ kind: 'strain', regions: ['hamstrings.left'], date: '2026-11-23' }] }),
    });
    const own = await createTherapist(t, {}, operator);
    const holdAt = (start: string) =>
      call(t.app, client, {
        method: 'POST',
        url: '/api/bookings',
        payload: { therapistId: own.id, durationMin: 60, start, place: { mode: 'studio', studioId: own.studioId } },
      });
    expect((await holdAt(at('2026-11-24', '10:00'))).json().screening.outcome).toBe('adapt');
    expect((await holdAt(at('2026-11-27', '10:00'))).json().screening.outcome).toBe('proceed');
  });
});

describe('rescheduling', () => {
  it('screens the moved session and keeps its clearance documents and overrides', async () => {
    const client = await clientWith({ kidneyFailure: true, fibromyalgia: true });
    const booking = await book(client);
    await call(t.app, therapist.session, {
      method: 'POST',
      url: `/api/bookings/${booking.id}/screening/overrides`,
      payload: { ruleId: 'fibromyalgia', reason: 'Known client, tolerates firm pressure well' },
    });
    const document = (
      await call(t.app, client, {
        method: 'POST',
        url: `/api/bookings/${booking.id}/clearance-documents`,
        payload: { filename: 'a.pdf', contentBase64: PDF.toString('base64') },
      })
    ).json();
    await call(t.app, therapist.session, {
      method: 'POST',
      url: `/api/bookings/${booking.id}/clearance-documents/${document.id}/review`,
      payload: { decision: 'verify' },
    });
    const moved = await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${booking.id}/reschedule`,
      payload: { start: nextSlot() },
    });
    expect(moved.statusCode, moved.body).toBe(201);
    expect(moved.json().screening).toMatchObject({ outcome: 'clearance_required', clearance: 'verified' });
    const screening = (
      await call(t.app, therapist.session, { method: 'GET', url: `/api/bookings/${moved.json().id}/screening` })
    ).json();
    expect(screening).toMatchObject({
      stage: 'reschedule',
      overrides: [expect.objectContaining({ ruleId: 'fibromyalgia' })],
    });
    expect(await bookingClearedForCheckIn(t.database.db, moved.json().id)).toEqual({ cleared: true });
  });
});

describe('the client’s screening before booking', () => {
  it('says in plain words what will be adapted, and previews other days and focus regions', async () => {
    const client = await clientWith({ pregnancy: { weeks: 11 } });
    const saved = await call(t.app, client, { method: 'GET', url: '/api/me/intake' });
    expect(saved.json().intake.conditions.pregnancy).toEqual({ weeks: 11, asOf: '2026-11-23' });
    const today = (await call(t.app, client, { method: 'GET', url: '/api/me/screening' })).json();
    expect(today.forClient).toMatchObject({
      outcome: 'adapt',
      headline: 'Deep tissue massage suits you today, with some changes to keep it safe.',
      advice: [],
    });
    const later = (
      await call(t.app, client, {
        method: 'GET',
        url: '/api/me/screening?date=2026-12-21&focusRegions=calves.left,low_back.left',
      })
    ).json();
    expect(later.forClient.headline).toBe(
      'Deep tissue massage suits you for this session, with some changes to keep it safe.',
    );
    expect(later.forClient.advice).toEqual([expect.stringMatching(/Side-lying \(left side preferred\)/)]);
    expect(later.forClient.changes).toEqual(
      expect.arrayContaining([{ region: 'calves.left', label: 'Calf (left)', excluded: false, cap: 2 }]),
    );
    expect(later.decision.plan.regions).toEqual([
      { region: 'low_back.left', label: 'Low back (left)', allowedPressure: 4 },
      { region: 'calves.left', label: 'Calf (left)', allowedPressure: 2 },
    ]);
  });

  // Fails on main: the client's view listed a standing cap only on a planned region, so the front of the neck's
  // light-pressure cap [WRN-END] that the therapist's brief shows for a back-of-neck session was hidden from them.
  it('shows the client every cap next to their focus regions, in plain words, before and after booking', async () => {
    const client = await clientWith({});
    const frontOfNeck = {
      region: 'front_of_neck',
      label: 'Front of the neck',
      excluded: false,
      cap: 1,
      text: 'Pressure up to 1 (light) on the front of the neck.',
      why: [expect.stringMatching(/front of the neck, armpits, groin/)],
    };
    const preview = (
      await call(t.app, client, { method: 'GET', url: '/api/me/screening?focusRegions=neck.left,neck.right' })
    ).json();
    expect(preview.forClient.limits).toEqual(expect.arrayContaining([frontOfNeck]));
    expect(preview.forClient.limits).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ region: 'groin.left' })]),
    );
    const booked = await book(client, { focusRegions: ['neck.left', 'neck.right'] });
    const screening = (
      await call(t.app, client, { method: 'GET', url: `/api/bookings/${booked.id}/screening` })
    ).json();
    expect(screening.forClient.limits).toEqual(expect.arrayContaining([frontOfNeck]));
  });
});
