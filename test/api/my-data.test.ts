import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { ODI_SECTIONS } from '../../src/outcomes/engine/oswestry-questionnaire.js';
import { bookSession } from '../support/booking-fixture.js';
import { fhirR4Errors } from '../support/fhir-validator.js';
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
let operator: Session;

beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
});
afterAll(() => t.close());

const DAY = 86_400_000;
const MINUTE = 60_000;
const get = (who: Session | null, url: string) => call(t.app, who, { method: 'GET', url });
const send = (who: Session, method: 'POST' | 'PUT', url: string, payload?: unknown) =>
  call(t.app, who, { method, url, ...(payload === undefined ? {} : { payload }) });

/** A session held: checked in five minutes early (with the client's pain), out two minutes after the end. */
async function holdSession(therapist: TherapistFixture, booking: { id: string; startsAt: string; endsAt: string }) {
  t.clock.set(Date.parse(booking.startsAt) - 5 * MINUTE);
  const checkedIn = await send(therapist.session, 'POST', `/api/bookings/${booking.id}/check-in`, {
    painNow: [{ region: 'low_back.left', score: 6 }],
  });
  expect(checkedIn.statusCode, checkedIn.body).toBe(200);
  t.clock.set(Date.parse(booking.endsAt) + 2 * MINUTE);
  expect((await send(therapist.session, 'POST', `/api/bookings/${booking.id}/check-out`)).statusCode).toBe(200);
}

const note = {
  painBefore: [{ region: 'low_back.left', score: 6 }],
  findings: { palpation: [], rangeOfMotion: [{ test: 'ake', side: 'left', trials: [34] }] },
  regionsWorked: [
    { region: 'low_back.left', techniques: ['stripping'], tools: ['forearm'], maxPressure: 3, minutes: 20 },
  ],
  painAfter: [{ region: 'low_back.left', score: 3 }],
  assessment: 'Less tender after stripping',
  plan: 'Re-test next week',
  freeText: '',
};

describe('the FHIR R4 export', () => {
  let therapist: TherapistFixture;
  let client: Session;
  let other: Session;
  let bookingIds: string[];

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    therapist = await createTherapist(t, { displayName: 'Dana Deep' }, operator);
    client = await signUp(t.app, 'client', 'Sam Client');
    other = await signUp(t.app, 'client', 'Olive Other');
    for (const who of [client, other]) {
      expect((await send(who, 'PUT', '/api/me/intake', deskWorkerIntake())).statusCode).toBe(200);
    }
    const first = await bookSession(t, client, therapist, new Date(TEST_NOW + 2 * DAY + 120 * MINUTE).toISOString());
    const later = await bookSession(t, client, therapist, new Date(TEST_NOW + 9 * DAY + 120 * MINUTE).toISOString());
    const others = await bookSession(t, other, therapist, new Date(TEST_NOW + 3 * DAY + 120 * MINUTE).toISOString());
    bookingIds = [first.id, later.id, others.id];
    t.clock.set(Date.parse(first.startsAt) - 60 * MINUTE);
    const odi = await send(client, 'POST', `/api/clients/${client.id}/outcomes`, {
      measure: 'odi',
      bookingId: first.id,
      answers: Object.fromEntries(ODI_SECTIONS.map((s) => [s.id, 2])),
    });
    expect(odi.statusCode, odi.body).toBe(201);
    await holdSession(therapist, first);
    const signed = await send(therapist.session, 'POST', `/api/bookings/${first.id}/note/sign`, { note });
    expect(signed.statusCode, signed.body).toBe(200);
    const plan = await send(therapist.session, 'PUT', `/api/clients/${client.id}/treatment-plan`, {
      goals: [{ measure: 'ake', key: 'left', comparator: '<', target: 20 }],
      frequency: { sessions: 2, per: 'month' },
      plannedSessions: 4,
      reviewOn: new Date(TEST_NOW + 60 * DAY).toISOString().slice(0, 10),
    });
    expect(plan.statusCode, plan.body).toBe(200);
  });

  it('exports a collection Bundle that validates against FHIR R4, with every resource type and no one else’s data', async () => {
    const exported = await get(client, '/api/me/health-data/fhir');
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const bundle = exported.json();
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(fhirR4Errors(bundle)).toEqual([]);
    const types = new Set(bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType));
    expect([...types].sort()).toEqual(
      ['Appointment', 'CarePlan', 'Observation', 'Patient', 'Procedure', 'QuestionnaireResponse'].sort(),
    );
    const ofType = (type: string) =>
      bundle.entry
        .map((e: { resource: Record<string, unknown> }) => e.resource)
        .filter((r: { resourceType: string }) => r.resourceType === type);
    expect(ofType('Patient')).toEqual([expect.objectContaining({ id: client.id, name: [{ text: 'Sam Client' }] })]);
    expect(ofType('Appointment').map((a: { id: string }) => a.id)).toEqual(bookingIds.slice(0, 2));
    expect(ofType('Appointment')[0]).toMatchObject({ status: 'fulfilled' });
    expect(ofType('Appointment')[1]).toMatchObject({ status: 'booked' });
    expect(ofType('Procedure')).toEqual([
      expect.objectContaining({
        status: 'completed',
        note: [expect.objectContaining({ text: expect.stringContaining('Less tender') })],
      }),
    ]);
    expect(
      ofType('Observation').map((o: { code: { coding: { code: string }[] } }) => o.code.coding[0]!.code),
    ).toContain('odi');
    expect(ofType('QuestionnaireResponse').map((q: { questionnaire: string }) => q.questionnaire)).toEqual(
      expect.arrayContaining([expect.stringMatching(/consultation$/), expect.stringMatching(/odi$/)]),
    );
    const text = exported.body;
    expect(text).not.toContain(other.id);
    expect(text).not.toContain(bookingIds[2]);
    expect(text).not.toContain('Olive Other');
  });

  it('audits the read like the JSON export, and only the client may ask', async () => {
    const log = (await get(client, '/api/me/health-data')).json().accessLog;
    // The FHIR export of the test before, then this JSON export.
    expect(log.filter((e: { record: string }) => e.record === 'health_data_export')).toEqual([
      expect.objectContaining({ action: 'health.read', actor: expect.objectContaining({ id: client.id }) }),
      expect.objectContaining({ action: 'health.read', actor: expect.objectContaining({ id: client.id }) }),
    ]);
    expect((await get(therapist.session, '/api/me/health-data/fhir')).statusCode).toBe(403);
    expect((await get(operator, '/api/me/health-data/fhir')).statusCode).toBe(403);
    expect((await get(null, '/api/me/health-data/fhir')).statusCode).toBe(401);
  });
});

describe('erasing the client’s health information', () => {
  it('says beforehand what goes at once and what is kept, to the client only', async () => {
    const client = await signUp(t.app, 'client');
    const plan = await get(client, '/api/me/health-data/erasure');
    expect(plan.statusCode, plan.body).toBe(200);
    expect(plan.json().erases).toEqual(
      expect.arrayContaining([
        'intake versions',
        'draft session notes (signed ones are kept restricted, then deleted: see below)',
      ]),
    );
    expect(plan.json().erases).not.toContain('access log');
    expect(plan.json().keptRestricted).toEqual([]);
    expect(plan.json().kept).toEqual(expect.arrayContaining([expect.stringMatching(/access log/)]));
    const therapist = await signUp(t.app, 'therapist');
    expect((await get(therapist, '/api/me/health-data/erasure')).statusCode).toBe(403);
    expect((await get(null, '/api/me/health-data/erasure')).statusCode).toBe(401);
  });
});
