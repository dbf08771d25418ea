import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { bookingClearedForCheckIn } from '../../src/screening/booking-screening.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  type Call,
  type Session,
  type TestApp,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';
import { bookingJournal } from '../../src/money/ledger-store.js';
import { payWithCard } from '../support/payment-fixture.js';

let t: TestApp;
let operator: Session;
let client: Session;
let otherClient: Session;
let booked: TherapistFixture;
let unbooked: TherapistFixture;
let cancelledOnly: TherapistFixture;
let bookingId: string;
let cancelledBookingId: string;

const tuesdayAt = (hhmm: string) => new Date(Date.parse(`2026-11-24T${hhmm}:00-05:00`)).toISOString();
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

async function holdAndConfirm(who: Session, therapist: TherapistFixture, start: string) {
  const held = await call(t.app, who, {
    method: 'POST',
    url: '/api/bookings',
    payload: {
      therapistId: therapist.id,
      durationMin: 60,
      start,
      place: { mode: 'studio', studioId: therapist.studioId },
    },
  });
  expect(held.statusCode, held.body).toBe(201);
  const confirmed = await call(t.app, who, {
    method: 'POST',
    url: `/api/bookings/${held.json().id}/confirm`,
    payload: await payWithCard(t.app, who),
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return held.json().id as string;
}

beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
  [booked, unbooked, cancelledOnly] = [
    await createTherapist(t, {}, operator),
    await createTherapist(t, {}, operator),
    await createTherapist(t, {}, operator),
  ];
  client = await signUp(t.app, 'client', 'Jamie Fox', {
    intake: { ...deskWorkerIntake(), conditions: { kidneyFailure: true } },
  });
  otherClient = await signUp(t.app, 'client');
  bookingId = await holdAndConfirm(client, booked, tuesdayAt('10:00'));
  cancelledBookingId = await holdAndConfirm(client, cancelledOnly, tuesdayAt('13:00'));
  const cancelled = await call(t.app, client, {
    method: 'POST',
    url: `/api/bookings/${cancelledBookingId}/cancel`,
    payload: {},
  });
  expect(cancelled.json().status).toBe('cancelled');
  const uploaded = await call(t.app, client, {
    method: 'POST',
    url: `/api/bookings/${bookingId}/clearance-documents`,
    payload: { filename: 'note.pdf', contentBase64: PDF.toString('base64') },
  });
  expect(uploaded.statusCode).toBe(201);
});
afterAll(() => t.close());

const healthReads = async () =>
  t.database.db
    .selectFrom('audit_log')
    .select(['actor_id', 'actor_role', 'subject_type', 'subject_id', 'subject_user_id'])
    .where('action', '=', 'health.read')
    .orderBy('id')
    .execute();

type Viewer =
  | 'client'
  | 'other client'
  | 'booked therapist'
  | 'unbooked therapist'
  | 'therapist whose booking was cancelled'
  | 'operator'
  | 'anonymous';
const viewers: Record<Viewer, () => Session | null> = {
  client: () => client,
  'other client': () => otherClient,
  'booked therapist': () => booked.session,
  'unbooked therapist': () => unbooked.session,
  'therapist whose booking was cancelled': () => cancelledOnly.session,
  operator: () => operator,
  anonymous: () => null,
};

interface Resource {
  name: string;
  record: string;
  request: (viewer: Viewer) => Call;
  /** Expected status per viewer. */
  expect: Record<Viewer, number>;
}

/** Booking-scoped reads: the therapist whose booking was cancelled asks about that booking; strangers get 404. */
const bookingFor = (viewer: Viewer) =>
  viewer === 'therapist whose booking was cancelled' ? cancelledBookingId : bookingId;
const bookingScoped = {
  client: 200,
  'other client': 404,
  'booked therapist': 200,
  'unbooked therapist': 404,
  'therapist whose booking was cancelled': 403,
  operator: 200,
  anonymous: 401,
} as const;

/** Client-scoped reads: anybody signed in may ask, only those with access are answered. */
const clientScoped = {
  client: 200,
  'other client': 403,
  'booked therapist': 200,
  'unbooked therapist': 403,
  'therapist whose booking was cancelled': 403,
  operator: 200,
  anonymous: 401,
} as const;

const RESOURCES: Resource[] = [
  {
    name: 'the intake',
    record: 'intake',
    request: () => ({ method: 'GET', url: `/api/clients/${client.id}/intake` }),
    expect: clientScoped,
  },
  {
    name: 'the brief',
    record: 'brief',
    request: (v) => ({ method: 'GET', url: `/api/bookings/${bookingFor(v)}/brief` }),
    expect: bookingScoped,
  },
  {
    name: 'the printable brief',
    record: 'brief',
    request: (v) => ({ method: 'GET', url: `/bookings/${bookingFor(v)}/brief` }),
    expect: bookingScoped,
  },
  {
    name: 'the booking’s screening',
    record: 'screening',
    request: (v) => ({ method: 'GET', url: `/api/bookings/${bookingFor(v)}/screening` }),
    expect: bookingScoped,
  },
  {
    name: 'the clearance documents',
    record: 'clearance_document',
    request: (v) => ({ method: 'GET', url: `/api/bookings/${bookingFor(v)}/clearance-documents` }),
    expect: bookingScoped,
  },
  {
    name: 'the session record',
    record: 'session_record',
    request: (v) => ({ method: 'GET', url: `/api/bookings/${bookingFor(v)}/session-record` }),
    expect: bookingScoped,
  },
  {
    name: 'the live signals',
    record: 'live_signals',
    request: (v) => ({ method: 'GET', url: `/api/bookings/${bookingFor(v)}/live/signals` }),
    expect: bookingScoped,
  },
  {
    name: 'a note drafted for the session',
    record: 'session_note',
    request: (v) => ({ method: 'GET', url: `/api/bookings/${bookingFor(v)}/note/draft` }),
    expect: { ...bookingScoped, client: 403, 'other client': 403, operator: 403 },
  },
  {
    name: 'the progress',
    record: 'outcomes',
    request: () => ({ method: 'GET', url: `/api/clients/${client.id}/progress` }),
    expect: clientScoped,
  },
  {
    name: 'the check-ins after a session',
    record: 'check_in',
    request: (v) => ({ method: 'GET', url: `/api/bookings/${bookingFor(v)}/check-ins` }),
    expect: bookingScoped,
  },
  {
    name: 'the treatment plans',
    record: 'treatment_plan',
    request: () => ({ method: 'GET', url: `/api/clients/${client.id}/treatment-plans` }),
    expect: clientScoped,
  },
];

describe('who may read health data', () => {
  for (const resource of RESOURCES) {
    for (const viewer of Object.keys(viewers) as Viewer[]) {
      const status = resource.expect[viewer];
      it(`${status === 200 ? 'shows' : 'refuses'} ${resource.name} to ${viewer === 'operator' || viewer === 'anonymous' ? 'an' : 'the'} ${viewer}${status === 200 ? ' and audits the read' : ` (${status})`}`, async () => {
        const who = viewers[viewer]();
        const before = await healthReads();
        const response = await call(t.app, who, resource.request(viewer));
        expect(response.statusCode, response.body).toBe(status);
        const after = await healthReads();
        if (status === 200) {
          expect(after.slice(before.length)).toEqual([
            {
              actor_id: who!.id,
              actor_role: viewer === 'operator' ? 'operator' : viewer === 'client' ? 'client' : 'therapist',
              subject_type: resource.record,
              subject_id: expect.any(String),
              subject_user_id: client.id,
            },
          ]);
        } else {
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(after).toHaveLength(before.length);
        }
      });
    }
  }

  it('shows the screening outcome on a booking only to those who may read the client’s health data', async () => {
    const view = async (who: Session, id: string) =>
      (await call(t.app, who, { method: 'GET', url: `/api/bookings/${id}` })).json().screening;
    expect(await view(client, bookingId)).toMatchObject({
      outcome: 'clearance_required',
      clearance: 'pending',
      documentsToReview: 1,
    });
    expect(await view(booked.session, bookingId)).toMatchObject({ outcome: 'clearance_required' });
    expect(await view(operator, bookingId)).toMatchObject({ outcome: 'clearance_required' });
    expect(await view(cancelledOnly.session, cancelledBookingId)).toBeNull();
    expect(await view(client, cancelledBookingId)).toMatchObject({ outcome: 'clearance_required' });
  });
});

describe('the client’s data rights', () => {
  it('exports every intake version, screening, document and who read them', async () => {
    await call(t.app, client, {
      method: 'PUT',
      url: '/api/me/intake',
      payload: { ...deskWorkerIntake(), conditions: { kidneyFailure: true }, goals: ['Sleep without back pain'] },
    });
    await call(t.app, booked.session, { method: 'GET', url: `/api/clients/${client.id}/intake` });
    const exported = await call(t.app, client, { method: 'GET', url: '/api/me/health-data' });
    expect(exported.statusCode).toBe(200);
    const data = exported.json();
    expect(data.intakeVersions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(data.intakeVersions[1].intake.goals).toEqual(['Sleep without back pain']);
    expect(
      data.screenings
        .filter((s: { bookingId: string }) => s.bookingId === bookingId)
        .map((s: { stage: string }) => s.stage),
    ).toEqual(['hold', 'confirm', 'intake_changed']);
    expect(data.clearanceDocuments).toEqual([
      expect.objectContaining({ bookingId, filename: 'note.pdf', status: 'submitted', sizeBytes: PDF.length }),
    ]);
    expect(data.clearanceDocuments[0]).not.toHaveProperty('content');
    expect(data.accessLog).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'health.read',
          record: 'intake',
          actor: { id: booked.id, role: 'therapist', displayName: 'Test Therapist' },
        }),
        expect.objectContaining({
          action: 'health.read',
          record: 'health_data_export',
          actor: expect.objectContaining({ id: client.id }),
        }),
      ]),
    );
    expect((await call(t.app, booked.session, { method: 'GET', url: '/api/me/health-data' })).statusCode).toBe(403);
    expect((await call(t.app, null, { method: 'GET', url: '/api/me/health-data' })).statusCode).toBe(401);
  });

  it('erases intake versions, screenings and documents, keeps the booking and the ledger, and tells the therapist', async () => {
    const ledgerBefore = await bookingJournal(t.database.db, bookingId);
    expect((await call(t.app, booked.session, { method: 'DELETE', url: '/api/me/health-data' })).statusCode).toBe(403);
    const erased = await call(t.app, client, { method: 'DELETE', url: '/api/me/health-data' });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json().erased).toEqual({
      intakeVersions: 2,
      screenings: 5,
      overrides: 0,
      clearanceDocuments: 1,
      sessionNotes: 0,
      signedNotesRestricted: 0,
      outcomeMeasurements: 0,
      treatmentPlans: 0,
      liveSignals: 0,
      aftercare: 0,
      checkIns: 0,
      careAlerts: 0,
    });
    expect(erased.json().kept).toEqual(
      expect.arrayContaining([expect.stringMatching(/ledger/i), expect.stringMatching(/access log/i)]),
    );
    for (const table of ['intake_versions', 'booking_screenings', 'clearance_documents'] as const) {
      expect(
        await t.database.db.selectFrom(table).select('client_id').where('client_id', '=', client.id).execute(),
        table,
      ).toEqual([]);
    }
    expect((await call(t.app, client, { method: 'GET', url: '/api/me/intake' })).statusCode).toBe(404);
    expect(
      (await call(t.app, booked.session, { method: 'GET', url: `/api/clients/${client.id}/intake` })).statusCode,
    ).toBe(404);
    const booking = (await call(t.app, client, { method: 'GET', url: `/api/bookings/${bookingId}` })).json();
    // It waits for a clearance (never verified): still reserved, uncharged; the deadline releases it.
    expect(booking).toMatchObject({ status: 'awaiting_clearance', screening: null });
    expect(await bookingJournal(t.database.db, bookingId)).toEqual(ledgerBefore);
    expect(await bookingClearedForCheckIn(t.database.db, bookingId)).toMatchObject({
      cleared: false,
      reason: 'not_screened',
    });
    const withdrawn = await t.database.db
      .selectFrom('messages')
      .select(['user_id', 'body_text'])
      .where('kind', '=', 'screening.withdrawn')
      .where('booking_id', '=', bookingId)
      .execute();
    expect(withdrawn.map((m) => m.user_id).sort()).toEqual([booked.id, client.id].sort());
    const brief = (
      await call(t.app, booked.session, { method: 'GET', url: `/api/bookings/${bookingId}/brief` })
    ).json();
    expect(brief).toMatchObject({ intake: null, screening: null, bodyMap: [], healthHistory: [] });
    const log = (await call(t.app, client, { method: 'GET', url: '/api/me/health-data' })).json();
    expect(log.intakeVersions).toEqual([]);
    expect(log.accessLog.map((a: { action: string }) => a.action)).toContain('health.erased');

    // A new consultation screens the upcoming session again, and both sides hear of it.
    const again = await call(t.app, client, { method: 'PUT', url: '/api/me/intake', payload: deskWorkerIntake() });
    expect(again.json()).toMatchObject({
      version: { version: 1 },
      rescreened: [{ bookingId, from: null, to: 'proceed' }],
    });
    expect(await bookingClearedForCheckIn(t.database.db, bookingId)).toEqual({ cleared: true });
  });
});

describe('an unknown client', () => {
  it('is 404 not_found for an operator on every GET /api/clients/{clientId}/… route, and nothing is audited', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const paths = Object.entries(document.paths)
      .filter(([path, operations]) => path.startsWith('/api/clients/{clientId}') && 'get' in operations)
      .map(([path]) => path);
    expect(paths.length).toBeGreaterThanOrEqual(3);
    const before = (await healthReads()).length;
    for (const unknownId of ['00000000-0000-4000-8000-000000000000', booked.id]) {
      for (const path of paths) {
        const url = path.replace('{clientId}', unknownId);
        const response = await call(t.app, operator, { method: 'GET', url });
        expect(response.statusCode, `${url} ${response.body}`).toBe(404);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json()).toMatchObject({ code: 'not_found' });
      }
    }
    expect((await healthReads()).length).toBe(before);
  });
});
