import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { MIDTOWN, type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  type Call,
  type Session,
  type TestApp,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';

let t: TestApp;
let client: Session;
let otherClient: Session;
let operator: Session;
let therapist: TherapistFixture;
let otherTherapist: TherapistFixture;
let bookingId: string;
let otherOverrideId: string;
let otherFeedId: string;

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
  therapist = await createTherapist(t, {}, operator);
  otherTherapist = await createTherapist(t, {}, operator);
  client = await signUp(t.app, 'client');
  otherClient = await signUp(t.app, 'client');
  const held = await call(t.app, otherClient, {
    method: 'POST',
    url: '/api/bookings',
    payload: {
      therapistId: therapist.id,
      durationMin: 60,
      start: '2026-11-24T15:00:00Z',
      place: { mode: 'studio', studioId: therapist.studioId },
    },
  });
  bookingId = held.json().id;
  const override = await call(t.app, otherTherapist.session, {
    method: 'POST',
    url: '/api/therapists/me/overrides',
    payload: { kind: 'off', date: '2026-12-01' },
  });
  otherOverrideId = override.json().id;
  otherFeedId = (await call(t.app, otherClient, { method: 'POST', url: '/api/calendar-feeds' })).json().id;
});
afterAll(() => t.close());

async function rowCounts(): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(
    t.database.db,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table_name)}`.execute(
      t.database.db,
    );
    counts[table_name] = result.rows[0]!.n;
  }
  return counts;
}

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; json: () => any; body: string },
  status: number,
  code: string,
  field?: string,
) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.json();
  expect(problem).toMatchObject({ status, code, title: expect.any(String), detail: expect.any(String) });
  if (field !== undefined) {
    expect(problem.field, response.body).toBe(field);
    expect(problem.errors[0]).toMatchObject({ field, code: expect.any(String), message: expect.any(String) });
  }
}

interface Operation {
  method: Call['method'];
  path: string;
  hasBody: boolean;
  pathParams: string[];
  queryParams: string[];
}

async function operations(): Promise<Operation[]> {
  const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries<Record<string, any>>(spec.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) {
      const params: { in: string; name: string }[] = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase() as Call['method'],
        path,
        hasBody: op.requestBody !== undefined,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
      });
    }
  }
  return ops;
}

describe('every endpoint rejects malformed input with problem+json, never a 500, and writes nothing', () => {
  it('covers every operation in the OpenAPI document', async () => {
    // A throwaway user: the sweep also calls sign-out, which legitimately deletes its session row.
    const sweeper = await signUp(t.app, 'client');
    const { sessions: _ignored, ...before } = await rowCounts();
    const ops = await operations();
    expect(ops.length).toBeGreaterThanOrEqual(25);
    for (const op of ops) {
      const concrete = op.path.replace(/\{(\w+)\}/g, UNKNOWN_ID);
      const label = `${op.method} ${op.path}`;
      for (const param of op.pathParams) {
        // Upper case and an underscore: no path parameter (a uuid, a market id, a provider name) takes it.
        const url = op.path.replace(`{${param}}`, 'Not_A_Valid_Id').replace(/\{(\w+)\}/g, UNKNOWN_ID);
        const response = await call(t.app, sweeper, { method: op.method, url, ...(op.hasBody ? { payload: {} } : {}) });
        expect(response.statusCode, `${label} with a bad ${param}`).toBe(400);
        expect(
          response.json().errors.map((e: { field: string; in: string }) => `${e.in}:${e.field}`),
          label,
        ).toContain(`path:${param}`);
      }
      const extraQuery = await call(t.app, sweeper, {
        method: op.method,
        url: `${concrete}?surprise=1`,
        ...(op.hasBody ? { payload: {} } : {}),
      });
      expect(extraQuery.statusCode, `${label} with an unknown query field`).toBeLessThan(500);
      if (op.queryParams.length > 0) expectProblem(extraQuery, 400, 'validation_failed');
      if (op.hasBody) {
        const extraField = await call(t.app, sweeper, {
          method: op.method,
          url: concrete,
          payload: { surprise: true },
        });
        expectProblem(extraField, 400, 'validation_failed');
        expect(
          extraField.json().errors.map((e: { code: string }) => e.code),
          label,
        ).toEqual(expect.arrayContaining([expect.stringMatching(/unknown_field|required|invalid_union|invalid_type/)]));
        const notJson = await t.app.inject({
          method: op.method,
          url: concrete,
          headers: { cookie: sweeper.cookie, 'content-type': 'application/json' },
          payload: '{"broken": ',
        });
        expectProblem(notJson, 400, 'malformed_json');
        const wrongType = await call(t.app, sweeper, { method: op.method, url: concrete, payload: [1, 2, 3] });
        expectProblem(wrongType, 400, 'validation_failed');
        const xml = await t.app.inject({
          method: op.method,
          url: concrete,
          headers: { cookie: sweeper.cookie, 'content-type': 'application/xml' },
          payload: '<a/>',
        });
        expectProblem(xml, 415, 'unsupported_media_type');
      }
    }
    const { sessions: _alsoIgnored, ...after } = await rowCounts();
    expect(after).toEqual(before);
  });

  it('answers unknown routes with a 404 problem', async () => {
    expectProblem(await call(t.app, null, { method: 'GET', url: '/api/nothing-here' }), 404, 'not_found');
  });
});

interface Case {
  name: string;
  who: () => Session | null;
  request: () => Call;
  status: number;
  code: string;
  field?: string;
}

const profile = (overrides: Record<string, unknown>) => ({
  market: 'nyc',
  gender: 'female',
  licence: { number: 'LMT-1', region: 'New York State', expiresOn: '2028-01-01' },
  timeZone: 'America/New_York',
  ...overrides,
});
const booking = (overrides: Record<string, unknown>) => ({
  therapistId: therapist.id,
  durationMin: 60,
  start: '2026-11-25T15:00:00Z',
  place: { mode: 'studio', studioId: therapist.studioId },
  ...overrides,
});
const course = (overrides: Record<string, unknown>) => ({
  therapistId: therapist.id,
  durationMin: 60,
  place: { mode: 'studio', studioId: therapist.studioId },
  firstStart: '2026-12-01T10:00',
  rrule: 'FREQ=WEEKLY;COUNT=6',
  ...overrides,
});
const intake = (overrides: Record<string, unknown>) => ({ ...deskWorkerIntake(), ...overrides });
const withCondition = (conditions: Record<string, unknown>) => intake({ conditions });
const putIntake = (payload: unknown): Call => ({ method: 'PUT', url: '/api/me/intake', payload });
const search = (overrides: Record<string, string>) =>
  `/api/availability?${new URLSearchParams({ durationMin: '60', from: '2026-11-24', to: '2026-11-25', zone: 'America/New_York', mode: 'studio', lat: String(MIDTOWN.lat), lng: String(MIDTOWN.lng), ...overrides }).toString()}`;

const worked = (overrides: Record<string, unknown>) => ({
  region: 'calves.left',
  techniques: ['stripping'],
  tools: ['forearm'],
  maxPressure: 3,
  minutes: 10,
  ...overrides,
});
const sessionNote = (overrides: Record<string, unknown>) => ({
  note: {
    painBefore: [],
    findings: { palpation: [], rangeOfMotion: [] },
    regionsWorked: [worked({})],
    painAfter: [],
    assessment: '',
    plan: '',
    freeText: '',
    ...overrides,
  },
});
const putNote = (payload: unknown): Call => ({ method: 'PUT', url: `/api/bookings/${bookingId}/note`, payload });
const outcome = (payload: unknown): Call => ({
  method: 'POST',
  url: `/api/clients/${otherClient.id}/outcomes`,
  payload,
});
const putPlan = (overrides: Record<string, unknown>): Call => ({
  method: 'PUT',
  url: `/api/clients/${otherClient.id}/treatment-plan`,
  payload: {
    goals: [{ measure: 'ake', key: 'left', comparator: '<', target: 20 }],
    frequency: { sessions: 1, per: 'week' },
    plannedSessions: 6,
    reviewOn: '2026-12-20',
    ...overrides,
  },
});

const cases: Case[] = [
  // Characters PostgreSQL cannot store, in otherwise valid requests: each was a 500 before the one check
  // (src/http/unstorable-text.ts) refused them with the field named.
  {
    name: 'a sign-up name with a NUL',
    who: () => null,
    request: () => ({
      method: 'POST',
      url: '/api/accounts',
      payload: {
        email: 'nul@example.test',
        password: 'long enough password',
        displayName: 'Dana\u0000',
        role: 'client',
      },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'displayName',
  },
  {
    name: 'a calendar-feed label with a NUL',
    who: () => client,
    request: () => ({ method: 'POST', url: '/api/calendar-feeds', payload: { label: 'Phone\u0000' } }),
    status: 400,
    code: 'validation_failed',
    field: 'label',
  },
  {
    name: 'an intake goal with a NUL',
    who: () => client,
    request: () => putIntake(intake({ goals: ['Touch my toes\u0000'] })),
    status: 400,
    code: 'validation_failed',
    field: 'goals.0',
  },
  {
    name: 'an intake body-map note with an unpaired surrogate',
    who: () => client,
    request: () =>
      putIntake(intake({ bodyMap: [{ region: 'calves.left', tightness: 5, pain: 2, note: 'knot \uD800' }] })),
    status: 400,
    code: 'validation_failed',
    field: 'bodyMap.0.note',
  },
  {
    name: 'a studio address with a NUL',
    who: () => therapist.session,
    request: () => ({
      method: 'POST',
      url: '/api/therapists/me/studios',
      payload: { name: 'Second room', address: '1 Main St\u0000', lat: MIDTOWN.lat, lng: MIDTOWN.lng },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'address',
  },
  {
    name: 'a licence review note with a NUL',
    who: () => operator,
    request: () => ({
      method: 'POST',
      url: `/api/operator/licences/${therapist.id}/review`,
      payload: { decision: 'reject', note: 'Expired\u0000' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'note',
  },
  {
    name: 'sign-up without an e-mail',
    who: () => null,
    request: () => ({
      method: 'POST',
      url: '/api/accounts',
      payload: { password: 'long enough password', displayName: 'X' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'email',
  },
  {
    name: 'sign-up with a malformed e-mail',
    who: () => null,
    request: () => ({
      method: 'POST',
      url: '/api/accounts',
      payload: { email: 'not-an-email', password: 'long enough password', displayName: 'X' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'email',
  },
  {
    name: 'sign-up with a short password',
    who: () => null,
    request: () => ({
      method: 'POST',
      url: '/api/accounts',
      payload: { email: 'short@example.test', password: 'short', displayName: 'X' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'password',
  },
  {
    name: 'sign-up with a numeric name',
    who: () => null,
    request: () => ({
      method: 'POST',
      url: '/api/accounts',
      payload: { email: 'num@example.test', password: 'long enough password', displayName: 42 },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'displayName',
  },
  {
    name: 'sign-in without a password',
    who: () => null,
    request: () => ({ method: 'POST', url: '/api/sessions', payload: { email: 'a@example.test' } }),
    status: 400,
    code: 'validation_failed',
    field: 'password',
  },
  {
    name: 'a profile in an unknown time zone',
    who: () => therapist.session,
    request: () => ({ method: 'PUT', url: '/api/therapists/me', payload: profile({ timeZone: 'Mars/Olympus_Mons' }) }),
    status: 400,
    code: 'validation_failed',
    field: 'timeZone',
  },
  {
    name: 'a licence expiring on 30 February',
    who: () => therapist.session,
    request: () => ({
      method: 'PUT',
      url: '/api/therapists/me',
      payload: profile({ licence: { number: 'LMT-1', region: 'NY', expiresOn: '2027-02-30' } }),
    }),
    status: 400,
    code: 'validation_failed',
    field: 'licence.expiresOn',
  },
  {
    name: 'an already expired licence',
    who: () => therapist.session,
    request: () => ({
      method: 'PUT',
      url: '/api/therapists/me',
      payload: profile({ licence: { number: 'LMT-1', region: 'NY', expiresOn: '2020-01-01' } }),
    }),
    status: 400,
    code: 'validation_failed',
    field: 'licence.expiresOn',
  },
  {
    name: 'an unknown market',
    who: () => therapist.session,
    request: () => ({ method: 'PUT', url: '/api/therapists/me', payload: profile({ market: 'atlantis' }) }),
    status: 400,
    code: 'validation_failed',
    field: 'market',
  },
  {
    name: 'a negative buffer',
    who: () => therapist.session,
    request: () => ({ method: 'PUT', url: '/api/therapists/me', payload: profile({ bufferAfterMin: -5 }) }),
    status: 400,
    code: 'validation_failed',
    field: 'bufferAfterMin',
  },
  {
    name: 'an absurd booking window',
    who: () => therapist.session,
    request: () => ({ method: 'PUT', url: '/api/therapists/me', payload: profile({ bookingWindowDays: 5000 }) }),
    status: 400,
    code: 'validation_failed',
    field: 'bookingWindowDays',
  },
  {
    name: 'an unknown specialty',
    who: () => therapist.session,
    request: () => ({ method: 'PUT', url: '/api/therapists/me', payload: profile({ specialties: ['reiki'] }) }),
    status: 400,
    code: 'validation_failed',
    field: 'specialties.0',
  },
  {
    name: 'a 45-minute service',
    who: () => therapist.session,
    request: () => ({
      method: 'PUT',
      url: '/api/therapists/me/services',
      payload: { services: [{ durationMin: 45, priceCents: 9000, currency: 'USD' }] },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'services.0.durationMin',
  },
  {
    name: 'a lower-case currency',
    who: () => therapist.session,
    request: () => ({
      method: 'PUT',
      url: '/api/therapists/me/services',
      payload: { services: [{ durationMin: 60, priceCents: 9000, currency: 'usd' }] },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'services.0.currency',
  },
  {
    name: 'a studio north of the pole',
    who: () => therapist.session,
    request: () => ({
      method: 'POST',
      url: '/api/therapists/me/studios',
      payload: { name: 'Polar', address: '1 Ice Road', lat: 91, lng: 0 },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'lat',
  },
  {
    name: 'another therapist’s studio',
    who: () => therapist.session,
    request: () => ({
      method: 'PUT',
      url: `/api/therapists/me/studios/${otherTherapist.studioId}`,
      payload: { name: 'Mine now', address: '1 Test Street', lat: 40.7, lng: -73.9 },
    }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'archiving another therapist’s studio',
    who: () => therapist.session,
    request: () => ({ method: 'DELETE', url: `/api/therapists/me/studios/${otherTherapist.studioId}` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'weekday 8',
    who: () => therapist.session,
    request: () => ({
      method: 'PUT',
      url: '/api/therapists/me/weekly-hours',
      payload: {
        rules: [{ weekday: 8, start: '09:00', end: '17:00', place: { mode: 'studio', studioId: therapist.studioId } }],
      },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'rules.0.weekday',
  },
  {
    name: 'hours at 25:00',
    who: () => therapist.session,
    request: () => ({
      method: 'PUT',
      url: '/api/therapists/me/weekly-hours',
      payload: {
        rules: [{ weekday: 1, start: '09:00', end: '25:00', place: { mode: 'studio', studioId: therapist.studioId } }],
      },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'rules.0.end',
  },
  {
    name: 'an override on 13/2026',
    who: () => therapist.session,
    request: () => ({
      method: 'POST',
      url: '/api/therapists/me/overrides',
      payload: { kind: 'off', date: '2026-13-01' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'date',
  },
  {
    name: 'an override of an unknown kind',
    who: () => therapist.session,
    request: () => ({
      method: 'POST',
      url: '/api/therapists/me/overrides',
      payload: { kind: 'vacation', date: '2026-12-01' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'kind',
  },
  {
    name: 'extra hours without intervals',
    who: () => therapist.session,
    request: () => ({
      method: 'POST',
      url: '/api/therapists/me/overrides',
      payload: { kind: 'extra', date: '2026-12-01', intervals: [] },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'intervals',
  },
  {
    name: 'overrides listed backwards',
    who: () => therapist.session,
    request: () => ({ method: 'GET', url: '/api/therapists/me/overrides?from=2026-12-10&to=2026-12-01' }),
    status: 400,
    code: 'validation_failed',
    field: 'to',
  },
  {
    name: 'deleting another therapist’s override',
    who: () => therapist.session,
    request: () => ({ method: 'DELETE', url: `/api/therapists/me/overrides/${otherOverrideId}` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'an unknown therapist profile',
    who: () => null,
    request: () => ({ method: 'GET', url: `/api/therapists/${UNKNOWN_ID}` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a search for 45 minutes',
    who: () => null,
    request: () => ({ method: 'GET', url: search({ durationMin: '45' }) }),
    status: 400,
    code: 'validation_failed',
    field: 'durationMin',
  },
  {
    name: 'a search that ends before it starts',
    who: () => null,
    request: () => ({ method: 'GET', url: search({ from: '2026-11-25', to: '2026-11-24' }) }),
    status: 400,
    code: 'validation_failed',
    field: 'to',
  },
  {
    name: 'a search over 40 days',
    who: () => null,
    request: () => ({ method: 'GET', url: search({ to: '2027-01-03' }) }),
    status: 400,
    code: 'validation_failed',
    field: 'to',
  },
  {
    name: 'a search in 1999',
    who: () => null,
    request: () => ({ method: 'GET', url: search({ from: '1999-01-01', to: '1999-01-02' }) }),
    status: 400,
    code: 'validation_failed',
    field: 'from',
  },
  {
    name: 'a search at latitude 200',
    who: () => null,
    request: () => ({ method: 'GET', url: search({ lat: '200' }) }),
    status: 400,
    code: 'validation_failed',
    field: 'lat',
  },
  {
    name: 'a search by car',
    who: () => null,
    request: () => ({ method: 'GET', url: search({ mode: 'car' }) }),
    status: 400,
    code: 'validation_failed',
    field: 'mode',
  },
  {
    name: 'a search without a zone',
    who: () => null,
    request: () => ({ method: 'GET', url: search({ zone: '' }) }),
    status: 400,
    code: 'validation_failed',
    field: 'zone',
  },
  {
    name: 'a booking without a start',
    who: () => client,
    request: () => ({ method: 'POST', url: '/api/bookings', payload: booking({ start: undefined }) }),
    status: 400,
    code: 'validation_failed',
    field: 'start',
  },
  {
    name: 'a start without a zone',
    who: () => client,
    request: () => ({ method: 'POST', url: '/api/bookings', payload: booking({ start: '2026-11-25T15:00:00' }) }),
    status: 400,
    code: 'validation_failed',
    field: 'start',
  },
  {
    name: 'a start in 1999',
    who: () => client,
    request: () => ({ method: 'POST', url: '/api/bookings', payload: booking({ start: '1999-11-25T15:00:00Z' }) }),
    status: 400,
    code: 'validation_failed',
    field: 'start',
  },
  {
    name: 'a start in 2999',
    who: () => client,
    request: () => ({ method: 'POST', url: '/api/bookings', payload: booking({ start: '2999-11-25T15:00:00Z' }) }),
    status: 400,
    code: 'validation_failed',
    field: 'start',
  },
  {
    name: 'a 1000-minute session',
    who: () => client,
    request: () => ({ method: 'POST', url: '/api/bookings', payload: booking({ durationMin: 1000 }) }),
    status: 400,
    code: 'validation_failed',
    field: 'durationMin',
  },
  {
    name: 'an unknown therapist',
    who: () => client,
    request: () => ({ method: 'POST', url: '/api/bookings', payload: booking({ therapistId: UNKNOWN_ID }) }),
    status: 400,
    code: 'validation_failed',
    field: 'therapistId',
  },
  {
    name: 'another therapist’s studio in a booking',
    who: () => client,
    request: () => ({
      method: 'POST',
      url: '/api/bookings',
      payload: booking({ place: { mode: 'studio', studioId: otherTherapist.studioId } }),
    }),
    status: 400,
    code: 'validation_failed',
    field: 'place.studioId',
  },
  {
    name: 'a home visit without an address',
    who: () => client,
    request: () => ({
      method: 'POST',
      url: '/api/bookings',
      payload: booking({ place: { mode: 'home', lat: 40.7, lng: -73.9 } }),
    }),
    status: 400,
    code: 'validation_failed',
    field: 'place.address',
  },
  {
    name: 'a booking by a therapist',
    who: () => therapist.session,
    request: () => ({ method: 'POST', url: '/api/bookings', payload: booking({}) }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a booking by nobody',
    who: () => null,
    request: () => ({ method: 'POST', url: '/api/bookings', payload: booking({}) }),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'confirming an unknown booking',
    who: () => client,
    request: () => ({ method: 'POST', url: `/api/bookings/${UNKNOWN_ID}/confirm` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'confirming another client’s hold',
    who: () => client,
    request: () => ({ method: 'POST', url: `/api/bookings/${bookingId}/confirm` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'confirming with a card id that is not a uuid',
    who: () => client,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/confirm`,
      payload: { paymentMethodId: '4242' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'paymentMethodId',
  },
  {
    name: 'the checkout of another client’s booking',
    who: () => client,
    request: () => ({ method: 'GET', url: `/api/bookings/${bookingId}/checkout` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'cancelling another client’s booking',
    who: () => client,
    request: () => ({ method: 'POST', url: `/api/bookings/${bookingId}/cancel`, payload: {} }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a cancellation reason of 600 characters',
    who: () => otherClient,
    request: () => ({ method: 'POST', url: `/api/bookings/${bookingId}/cancel`, payload: { reason: 'x'.repeat(600) } }),
    status: 400,
    code: 'validation_failed',
    field: 'reason',
  },
  {
    name: 'a quote for another client’s booking',
    who: () => client,
    request: () => ({ method: 'GET', url: `/api/bookings/${bookingId}/cancellation-quote` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'rescheduling another client’s booking',
    who: () => client,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/reschedule`,
      payload: { start: '2026-11-25T15:00:00Z' },
    }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'rescheduling to 1999',
    who: () => otherClient,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/reschedule`,
      payload: { start: '1999-11-25T15:00:00Z' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'start',
  },
  {
    name: 'rescheduling a hold (not yet confirmed)',
    who: () => otherClient,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/reschedule`,
      payload: { start: '2026-11-25T16:00:00Z' },
    }),
    status: 409,
    code: 'invalid_transition',
  },
  {
    name: 'listing bookings by an unknown status',
    who: () => client,
    request: () => ({ method: 'GET', url: '/api/bookings?status=confirmed,happy' }),
    status: 400,
    code: 'validation_failed',
    field: 'status.1',
  },
  {
    name: 'listing bookings backwards',
    who: () => client,
    request: () => ({ method: 'GET', url: '/api/bookings?from=2026-12-10&to=2026-12-01' }),
    status: 400,
    code: 'validation_failed',
    field: 'to',
  },
  {
    name: 'page 0',
    who: () => client,
    request: () => ({ method: 'GET', url: '/api/bookings?page=0' }),
    status: 400,
    code: 'validation_failed',
    field: 'page',
  },
  {
    name: 'another user’s booking',
    who: () => client,
    request: () => ({ method: 'GET', url: `/api/bookings/${bookingId}` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a licence decision of maybe',
    who: () => operator,
    request: () => ({
      method: 'POST',
      url: `/api/operator/licences/${therapist.id}/review`,
      payload: { decision: 'maybe' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'decision',
  },
  {
    name: 'reviewing an unknown therapist',
    who: () => operator,
    request: () => ({
      method: 'POST',
      url: `/api/operator/licences/${UNKNOWN_ID}/review`,
      payload: { decision: 'approve' },
    }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a licence review by a therapist',
    who: () => therapist.session,
    request: () => ({
      method: 'POST',
      url: `/api/operator/licences/${therapist.id}/review`,
      payload: { decision: 'approve' },
    }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'operator bookings for a malformed therapist id',
    who: () => operator,
    request: () => ({ method: 'GET', url: '/api/operator/bookings?therapistId=42' }),
    status: 400,
    code: 'validation_failed',
    field: 'therapistId',
  },
  {
    name: 'a calendar feed label of 61 characters',
    who: () => client,
    request: () => ({ method: 'POST', url: '/api/calendar-feeds', payload: { label: 'x'.repeat(61) } }),
    status: 400,
    code: 'validation_failed',
    field: 'label',
  },
  {
    name: 'a calendar feed for an operator',
    who: () => operator,
    request: () => ({ method: 'POST', url: '/api/calendar-feeds' }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'calendar feeds for nobody',
    who: () => null,
    request: () => ({ method: 'GET', url: '/api/calendar-feeds' }),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'revoking another user’s calendar feed',
    who: () => client,
    request: () => ({ method: 'DELETE', url: `/api/calendar-feeds/${otherFeedId}` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'rotating another user’s calendar feed',
    who: () => client,
    request: () => ({ method: 'POST', url: `/api/calendar-feeds/${otherFeedId}/rotate` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a calendar feed token of the wrong shape',
    who: () => null,
    request: () => ({ method: 'GET', url: '/calendar/short.ics' }),
    status: 400,
    code: 'validation_failed',
    field: 'token',
  },
  {
    name: 'an unknown calendar feed token',
    who: () => null,
    request: () => ({ method: 'GET', url: `/calendar/${'x'.repeat(43)}.ics` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'an attachment of an unknown message',
    who: () => client,
    request: () => ({ method: 'GET', url: `/api/messages/${UNKNOWN_ID}/attachments/0` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'attachment number -1',
    who: () => client,
    request: () => ({ method: 'GET', url: `/api/messages/${UNKNOWN_ID}/attachments/-1` }),
    status: 400,
    code: 'validation_failed',
    field: 'index',
  },
  {
    name: 'messages page 0',
    who: () => client,
    request: () => ({ method: 'GET', url: '/api/messages?page=0' }),
    status: 400,
    code: 'validation_failed',
    field: 'page',
  },
  {
    name: 'an injury dated tomorrow',
    who: () => client,
    request: () => putIntake(intake({ injuries: [{ kind: 'sprain', regions: ['feet.left'], date: '2026-11-25' }] })),
    status: 400,
    code: 'validation_failed',
    field: 'injuries.0.date',
  },
  {
    name: 'a clot resolved in 1850',
    who: () => client,
    request: () => putIntake(withCondition({ dvtHistory: { resolvedOn: '1850-01-01', cancerRelated: false } })),
    status: 400,
    code: 'validation_failed',
    field: 'conditions.dvtHistory.resolvedOn',
  },
  {
    name: 'a body-map region that does not exist',
    who: () => client,
    request: () => putIntake(intake({ bodyMap: [{ region: 'elbow.left', tightness: 3, pain: 3 }] })),
    status: 400,
    code: 'validation_failed',
    field: 'bodyMap.0.region',
  },
  {
    name: 'a lateral region without its side',
    who: () => client,
    request: () => putIntake(intake({ bodyMap: [{ region: 'hamstrings', tightness: 3, pain: 3 }] })),
    status: 400,
    code: 'validation_failed',
    field: 'bodyMap.0.region',
  },
  {
    name: 'the same region marked twice',
    who: () => client,
    request: () =>
      putIntake(
        intake({
          bodyMap: [
            { region: 'calves.left', tightness: 3, pain: 3 },
            { region: 'calves.left', tightness: 1, pain: 1 },
          ],
        }),
      ),
    status: 400,
    code: 'validation_failed',
    field: 'bodyMap.1.region',
  },
  {
    name: 'pain of 11',
    who: () => client,
    request: () => putIntake(intake({ bodyMap: [{ region: 'calves.left', tightness: 3, pain: 11 }] })),
    status: 400,
    code: 'validation_failed',
    field: 'bodyMap.0.pain',
  },
  {
    name: 'tightness of 2.5',
    who: () => client,
    request: () => putIntake(intake({ bodyMap: [{ region: 'calves.left', tightness: 2.5, pain: 1 }] })),
    status: 400,
    code: 'validation_failed',
    field: 'bodyMap.0.tightness',
  },
  {
    name: 'pregnancy at 43 weeks',
    who: () => client,
    request: () => putIntake(withCondition({ pregnancy: { weeks: 43 } })),
    status: 400,
    code: 'validation_failed',
    field: 'conditions.pregnancy.weeks',
  },
  {
    name: 'a blood pressure of 80/120',
    who: () => client,
    request: () =>
      putIntake(withCondition({ hypertension: { systolic: 80, diastolic: 120, measuredOn: '2026-11-20' } })),
    status: 400,
    code: 'validation_failed',
    field: 'conditions.hypertension.systolic',
  },
  {
    name: 'a systolic pressure of 300',
    who: () => client,
    request: () =>
      putIntake(withCondition({ hypertension: { systolic: 300, diastolic: 90, measuredOn: '2026-11-20' } })),
    status: 400,
    code: 'validation_failed',
    field: 'conditions.hypertension.systolic',
  },
  {
    name: 'hypertension without a reading',
    who: () => client,
    request: () => putIntake(withCondition({ hypertension: {} })),
    status: 400,
    code: 'validation_failed',
    field: 'conditions.hypertension.systolic',
  },
  {
    name: 'a condition the catalogue does not know',
    who: () => client,
    request: () => putIntake(withCondition({ astrology: true })),
    status: 400,
    code: 'validation_failed',
    field: 'conditions.astrology',
  },
  {
    name: 'a skin infection with no place and not widespread',
    who: () => client,
    request: () => putIntake(withCondition({ skinInfection: { regions: [], widespread: false } })),
    status: 400,
    code: 'validation_failed',
    field: 'conditions.skinInfection.regions',
  },
  {
    name: 'a pressure preference of 6',
    who: () => client,
    request: () => putIntake(intake({ pressure: { preference: 6, avoidRegions: [] } })),
    status: 400,
    code: 'validation_failed',
    field: 'pressure.preference',
  },
  {
    name: 'an intake without consent to keep it',
    who: () => client,
    request: () => putIntake(intake({ consent: { treatment: true, dataProcessing: false } })),
    status: 422,
    code: 'consent_required',
    field: 'consent.dataProcessing',
  },
  {
    name: 'an intake without consent to treatment',
    who: () => client,
    request: () => putIntake(intake({ consent: { treatment: false, dataProcessing: true } })),
    status: 422,
    code: 'consent_required',
    field: 'consent.treatment',
  },
  {
    name: 'an intake by a therapist',
    who: () => therapist.session,
    request: () => putIntake(intake({})),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'intake version 0',
    who: () => client,
    request: () => ({ method: 'GET', url: '/api/me/intake?version=0' }),
    status: 400,
    code: 'validation_failed',
    field: 'version',
  },
  {
    name: 'an intake version that does not exist',
    who: () => client,
    request: () => ({ method: 'GET', url: '/api/me/intake?version=99' }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'another client’s intake',
    who: () => client,
    request: () => ({ method: 'GET', url: `/api/clients/${otherClient.id}/intake` }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'an intake of a client the therapist has not met',
    who: () => otherTherapist.session,
    request: () => ({ method: 'GET', url: `/api/clients/${otherClient.id}/intake` }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a focus region that does not exist',
    who: () => client,
    request: () => ({
      method: 'POST',
      url: '/api/bookings',
      payload: booking({ focusRegions: ['low_back.left', 'tail'] }),
    }),
    status: 400,
    code: 'validation_failed',
    field: 'focusRegions.1',
  },
  {
    name: 'an empty focus',
    who: () => client,
    request: () => ({ method: 'POST', url: '/api/bookings', payload: booking({ focusRegions: [] }) }),
    status: 400,
    code: 'validation_failed',
    field: 'focusRegions',
  },
  {
    name: 'a screening preview for 1999',
    who: () => client,
    request: () => ({ method: 'GET', url: '/api/me/screening?date=1999-01-01' }),
    status: 400,
    code: 'validation_failed',
    field: 'date',
  },
  {
    name: 'a screening preview for an unknown region',
    who: () => client,
    request: () => ({ method: 'GET', url: '/api/me/screening?focusRegions=wing.left' }),
    status: 400,
    code: 'validation_failed',
    field: 'focusRegions.0',
  },
  {
    name: 'the screening of another client’s booking',
    who: () => client,
    request: () => ({ method: 'GET', url: `/api/bookings/${bookingId}/screening` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'an override without a reason',
    who: () => therapist.session,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/screening/overrides`,
      payload: { ruleId: 'fibromyalgia', reason: '' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'reason',
  },
  {
    name: 'an override of a flag the booking does not have',
    who: () => therapist.session,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/screening/overrides`,
      payload: { ruleId: 'fibromyalgia', reason: 'Assessed in person' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'ruleId',
  },
  {
    name: 'an override by the client',
    who: () => otherClient,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/screening/overrides`,
      payload: { ruleId: 'fibromyalgia', reason: 'I know my body' },
    }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a clearance document that is not base64',
    who: () => otherClient,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/clearance-documents`,
      payload: { filename: 'a.pdf', contentBase64: 'not base64!' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'contentBase64',
  },
  {
    name: 'a clearance document that is an HTML page',
    who: () => otherClient,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/clearance-documents`,
      payload: {
        filename: 'a.pdf',
        contentBase64: Buffer.from('<html><script>alert(1)</script></html>').toString('base64'),
      },
    }),
    status: 415,
    code: 'unsupported_document_type',
    field: 'contentBase64',
  },
  {
    name: 'a clearance document for another client’s booking',
    who: () => client,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/clearance-documents`,
      payload: { filename: 'a.pdf', contentBase64: Buffer.from('%PDF-1.4 x').toString('base64') },
    }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'the clearance documents of another client’s booking',
    who: () => client,
    request: () => ({ method: 'GET', url: `/api/bookings/${bookingId}/clearance-documents` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a clearance review of maybe',
    who: () => therapist.session,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/clearance-documents/${UNKNOWN_ID}/review`,
      payload: { decision: 'maybe' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'decision',
  },
  {
    name: 'a review of a document that does not exist',
    who: () => therapist.session,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/clearance-documents/${UNKNOWN_ID}/review`,
      payload: { decision: 'verify' },
    }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a download of a document that does not exist',
    who: () => otherClient,
    request: () => ({ method: 'GET', url: `/api/bookings/${bookingId}/clearance-documents/${UNKNOWN_ID}` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'the brief of a booking that does not exist',
    who: () => therapist.session,
    request: () => ({ method: 'GET', url: `/api/bookings/${UNKNOWN_ID}/brief` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'the brief of another therapist’s booking',
    who: () => otherTherapist.session,
    request: () => ({ method: 'GET', url: `/bookings/${bookingId}/brief` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'the brief without signing in',
    who: () => null,
    request: () => ({ method: 'GET', url: `/bookings/${bookingId}/brief` }),
    status: 401,
    code: 'unauthenticated',
  },
  {
    name: 'a health-data export by a therapist',
    who: () => therapist.session,
    request: () => ({ method: 'GET', url: '/api/me/health-data' }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a health-data erasure with a query',
    who: () => client,
    request: () => ({ method: 'DELETE', url: '/api/me/health-data?everything=1' }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'an erasure preview with a query (the retention is the market’s, not the client’s)',
    who: () => client,
    request: () => ({ method: 'GET', url: '/api/me/health-data/erasure?noteRetentionYears=1' }),
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a legal-hold read without its reason',
    who: () => operator,
    request: () => ({ method: 'GET', url: `/api/operator/clients/${client.id}/restricted-notes` }),
    status: 400,
    code: 'validation_failed',
    field: 'reason',
  },
  {
    name: 'a legal-hold read of nobody',
    who: () => operator,
    request: () => ({
      method: 'GET',
      url: `/api/operator/clients/${UNKNOWN_ID}/restricted-notes?reason=${encodeURIComponent('Court order 12-345')}`,
    }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a legal-hold read by the client',
    who: () => client,
    request: () => ({
      method: 'GET',
      url: `/api/operator/clients/${client.id}/restricted-notes?reason=${encodeURIComponent('Court order 12-345')}`,
    }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'checking in a session that is only held',
    who: () => therapist.session,
    request: () => ({ method: 'POST', url: `/api/bookings/${bookingId}/check-in` }),
    status: 409,
    code: 'invalid_transition',
  },
  {
    name: 'a no-show recorded by the client',
    who: () => otherClient,
    request: () => ({ method: 'POST', url: `/api/bookings/${bookingId}/no-show` }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a note for a session that has not taken place',
    who: () => therapist.session,
    request: () => putNote(sessionNote({})),
    status: 409,
    code: 'session_not_taken_place',
  },
  {
    name: 'a note with an unknown technique',
    who: () => therapist.session,
    request: () => putNote(sessionNote({ regionsWorked: [worked({ techniques: ['reiki'] })] })),
    status: 400,
    code: 'validation_failed',
    field: 'note.regionsWorked.0.techniques.0',
  },
  {
    name: 'a note with pressure 6',
    who: () => therapist.session,
    request: () => putNote(sessionNote({ regionsWorked: [worked({ maxPressure: 6 })] })),
    status: 400,
    code: 'validation_failed',
    field: 'note.regionsWorked.0.maxPressure',
  },
  {
    name: 'a note without any region worked',
    who: () => therapist.session,
    request: () => putNote(sessionNote({ regionsWorked: [] })),
    status: 400,
    code: 'validation_failed',
    field: 'note.regionsWorked',
  },
  {
    name: 'a knot in a muscle of another region',
    who: () => therapist.session,
    request: () =>
      putNote(
        sessionNote({
          findings: {
            palpation: [{ kind: 'knot', region: 'calves.left', muscle: 'biceps_femoris' }],
            rangeOfMotion: [],
          },
        }),
      ),
    status: 400,
    code: 'validation_failed',
    field: 'note.findings.palpation.0.muscle',
  },
  {
    name: 'pain before of 11',
    who: () => therapist.session,
    request: () => putNote(sessionNote({ painBefore: [{ region: 'calves.left', score: 11 }] })),
    status: 400,
    code: 'validation_failed',
    field: 'note.painBefore.0.score',
  },
  {
    name: 'a straight leg raise with one trial in a note',
    who: () => therapist.session,
    request: () =>
      putNote(
        sessionNote({ findings: { palpation: [], rangeOfMotion: [{ test: 'slr', side: 'left', trials: [60] }] } }),
      ),
    status: 400,
    code: 'validation_failed',
    field: 'note.findings.rangeOfMotion.0.trials',
  },
  {
    name: 'an exceedance reason of two words',
    who: () => therapist.session,
    request: () =>
      putNote({ note: sessionNote({}).note, exceedanceReasons: [{ region: 'calves.left', reason: 'felt ok' }] }),
    status: 400,
    code: 'validation_failed',
    field: 'exceedanceReasons.0.reason',
  },
  {
    name: 'an amendment without a reason',
    who: () => therapist.session,
    request: () => ({ method: 'POST', url: `/api/bookings/${bookingId}/note/amendments`, payload: sessionNote({}) }),
    status: 400,
    code: 'validation_failed',
    field: 'reason',
  },
  {
    name: 'a note draft from an unknown template',
    who: () => therapist.session,
    request: () => ({ method: 'GET', url: `/api/bookings/${bookingId}/note/draft?template=reiki` }),
    status: 400,
    code: 'validation_failed',
    field: 'template',
  },
  {
    name: 'an Oswestry answer of 6',
    who: () => otherClient,
    request: () => outcome({ measure: 'odi', answers: { pain_intensity: 6 } }),
    status: 400,
    code: 'validation_failed',
    field: 'answers.pain_intensity',
  },
  {
    name: 'an Oswestry section that does not exist',
    who: () => otherClient,
    request: () => outcome({ measure: 'odi', answers: { mood: 2 } }),
    status: 400,
    code: 'validation_failed',
    field: 'answers.mood',
  },
  {
    name: 'a questionnaire nobody has heard of',
    who: () => otherClient,
    request: () => outcome({ measure: 'sf36', answers: {} }),
    status: 400,
    code: 'validation_failed',
    field: 'measure',
  },
  {
    name: 'four PSFS activities',
    who: () => otherClient,
    request: () =>
      outcome({
        measure: 'psfs',
        ratings: ['run', 'swim', 'cycle', 'lift'].map((activity) => ({ activity, score: 5 })),
      }),
    status: 400,
    code: 'validation_failed',
    field: 'ratings',
  },
  {
    name: 'a PSFS rating of 11',
    who: () => otherClient,
    request: () => outcome({ measure: 'psfs', ratings: [{ activity: 'run', score: 11 }] }),
    status: 400,
    code: 'validation_failed',
    field: 'ratings.0.score',
  },
  {
    name: 'pain in a region that does not exist',
    who: () => otherClient,
    request: () => outcome({ measure: 'nprs', ratings: [{ region: 'tail', score: 4 }] }),
    status: 400,
    code: 'validation_failed',
    field: 'ratings.0.region',
  },
  {
    name: 'a questionnaire for another client’s session',
    who: () => client,
    request: () => ({
      method: 'POST',
      url: `/api/clients/${client.id}/outcomes`,
      payload: { measure: 'nprs', bookingId, ratings: [{ region: 'calves.left', score: 4 }] },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'bookingId',
  },
  {
    name: 'a questionnaire for another client',
    who: () => client,
    request: () => outcome({ measure: 'nprs', ratings: [{ region: 'calves.left', score: 4 }] }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a knee extension without its side',
    who: () => therapist.session,
    request: () => outcome({ measure: 'ake', side: null, trials: [30] }),
    status: 400,
    code: 'validation_failed',
    field: 'side',
  },
  {
    name: 'a sit-and-reach with two trials',
    who: () => therapist.session,
    request: () => outcome({ measure: 'sit_and_reach', side: null, trials: [30, 31] }),
    status: 400,
    code: 'validation_failed',
    field: 'trials',
  },
  {
    name: 'a flexibility test recorded by the client',
    who: () => otherClient,
    request: () => outcome({ measure: 'slr', side: 'left', trials: [60, 62] }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a measurement by a therapist the client never booked',
    who: () => otherTherapist.session,
    request: () => outcome({ measure: 'ake', side: 'left', trials: [30] }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'another client’s progress',
    who: () => client,
    request: () => ({ method: 'GET', url: `/api/clients/${otherClient.id}/progress` }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'an improvement share after 0 sessions',
    who: () => therapist.session,
    request: () => ({ method: 'GET', url: '/api/outcomes/improvement-share?sessions=0' }),
    status: 400,
    code: 'validation_failed',
    field: 'sessions',
  },
  {
    name: 'an improvement share of a flexibility test',
    who: () => therapist.session,
    request: () => ({ method: 'GET', url: '/api/outcomes/improvement-share?measure=ake' }),
    status: 400,
    code: 'validation_failed',
    field: 'measure',
  },
  {
    name: 'a goal that aims the wrong way',
    who: () => therapist.session,
    request: () => putPlan({ goals: [{ measure: 'nprs', key: 'low_back.left', comparator: '>', target: 2 }] }),
    status: 400,
    code: 'validation_failed',
    field: 'goals.0.comparator',
  },
  {
    name: 'a knee extension goal for the middle side',
    who: () => therapist.session,
    request: () => putPlan({ goals: [{ measure: 'ake', key: 'middle', comparator: '<', target: 20 }] }),
    status: 400,
    code: 'validation_failed',
    field: 'goals.0.key',
  },
  {
    name: 'a pain goal of 12',
    who: () => therapist.session,
    request: () => putPlan({ goals: [{ measure: 'nprs', key: 'calves.left', comparator: '<=', target: 12 }] }),
    status: 400,
    code: 'validation_failed',
    field: 'goals.0.target',
  },
  {
    name: 'the same goal twice',
    who: () => therapist.session,
    request: () =>
      putPlan({
        goals: [
          { measure: 'psfs_activity', key: 'Run 5 km', comparator: '>=', target: 8 },
          { measure: 'psfs_activity', key: 'run 5 KM', comparator: '>=', target: 9 },
        ],
      }),
    status: 400,
    code: 'validation_failed',
    field: 'goals.1.key',
  },
  {
    name: 'a plan reviewed in the past',
    who: () => therapist.session,
    request: () => putPlan({ reviewOn: '2026-01-01' }),
    status: 400,
    code: 'validation_failed',
    field: 'reviewOn',
  },
  {
    name: 'a plan of 60 sessions',
    who: () => therapist.session,
    request: () => putPlan({ plannedSessions: 60 }),
    status: 400,
    code: 'validation_failed',
    field: 'plannedSessions',
  },
  {
    name: 'a plan by a therapist the client never booked',
    who: () => otherTherapist.session,
    request: () => putPlan({}),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'six stars',
    who: () => otherClient,
    request: () => ({ method: 'POST', url: `/api/bookings/${bookingId}/rating`, payload: { stars: 6 } }),
    status: 400,
    code: 'validation_failed',
    field: 'stars',
  },
  {
    name: 'a rating before the session',
    who: () => otherClient,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/rating`,
      payload: { stars: 4, preference: 'prefer' },
    }),
    status: 409,
    code: 'session_not_taken_place',
  },
  {
    name: 'a preference of maybe',
    who: () => otherClient,
    request: () => ({
      method: 'PUT',
      url: `/api/me/pair-preferences/${therapist.id}`,
      payload: { preference: 'maybe' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'preference',
  },
  {
    name: 'never again without a session together',
    who: () => otherClient,
    request: () => ({
      method: 'PUT',
      url: `/api/me/pair-preferences/${therapist.id}`,
      payload: { preference: 'never' },
    }),
    status: 422,
    code: 'no_shared_session',
  },
  {
    name: 'a review of 2,001 characters',
    who: () => otherClient,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/rating`,
      payload: { stars: 4, review: 'x'.repeat(2001) },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'review',
  },
  {
    name: 'a profile photo that is a PDF',
    who: () => therapist.session,
    request: () => ({
      method: 'PUT',
      url: '/api/therapists/me/photo',
      payload: { contentBase64: Buffer.from('%PDF-1.4 a document').toString('base64') },
    }),
    status: 415,
    code: 'unsupported_image_type',
    field: 'contentBase64',
  },
  {
    name: 'a reply to a review that does not exist',
    who: () => therapist.session,
    request: () => ({ method: 'POST', url: `/api/reviews/${bookingId}/reply`, payload: { text: 'Thanks' } }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'hiding a review without a reason',
    who: () => operator,
    request: () => ({ method: 'POST', url: `/api/reviews/${bookingId}/hide`, payload: { reason: '' } }),
    status: 400,
    code: 'validation_failed',
    field: 'reason',
  },
  {
    name: 'a search for a therapist id that is not one',
    who: () => null,
    request: () => ({ method: 'GET', url: search({ therapistId: 'dana' }) }),
    status: 400,
    code: 'validation_failed',
    field: 'therapistId',
  },
  {
    name: 'flagged screenings with outcome proceed',
    who: () => operator,
    request: () => ({ method: 'GET', url: '/api/operator/screenings?outcome=adapt,proceed' }),
    status: 400,
    code: 'validation_failed',
    field: 'outcome.1',
  },
  {
    name: 'flagged screenings with an empty outcome',
    who: () => operator,
    request: () => ({ method: 'GET', url: '/api/operator/screenings?outcome=' }),
    status: 400,
    code: 'validation_failed',
    field: 'outcome.0',
  },
  {
    name: 'flagged screenings by clearance maybe',
    who: () => operator,
    request: () => ({ method: 'GET', url: '/api/operator/screenings?clearance=maybe' }),
    status: 400,
    code: 'validation_failed',
    field: 'clearance',
  },
  {
    name: 'flagged screenings backwards in time',
    who: () => operator,
    request: () => ({ method: 'GET', url: '/api/operator/screenings?from=2026-12-10&to=2026-12-01' }),
    status: 400,
    code: 'validation_failed',
    field: 'to',
  },
  {
    name: 'flagged screenings for a client',
    who: () => client,
    request: () => ({ method: 'GET', url: '/api/operator/screenings' }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'flagged screenings for a therapist',
    who: () => therapist.session,
    request: () => ({ method: 'GET', url: '/api/operator/screenings' }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'an incident of a kind nobody knows',
    who: () => otherClient,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/incidents`,
      payload: { kind: 'rudeness', description: 'Something happened that I want to report.' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'kind',
  },
  {
    name: 'an incident described in a word',
    who: () => otherClient,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/incidents`,
      payload: { kind: 'injury', description: 'ouch' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'description',
  },
  {
    name: 'an incident before the session started',
    who: () => otherClient,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/incidents`,
      payload: { kind: 'safety', description: 'The address looked unsafe from outside.' },
    }),
    status: 409,
    code: 'incident_not_reportable',
  },
  {
    name: 'an incident raised as overdue by hand',
    who: () => otherClient,
    request: () => ({
      method: 'POST',
      url: `/api/bookings/${bookingId}/incidents`,
      payload: { kind: 'overdue_checkout', description: 'The session went on for too long.' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'kind',
  },
  {
    name: 'an incident moved to closed',
    who: () => operator,
    request: () => ({
      method: 'POST',
      url: `/api/operator/incidents/${UNKNOWN_ID}/transitions`,
      payload: { to: 'closed' },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'to',
  },
  {
    name: 'the incident queue by status maybe',
    who: () => operator,
    request: () => ({ method: 'GET', url: '/api/operator/incidents?status=maybe' }),
    status: 400,
    code: 'validation_failed',
    field: 'status',
  },
  {
    name: 'the incident queue for a client',
    who: () => client,
    request: () => ({ method: 'GET', url: '/api/operator/incidents' }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a move of an incident that does not exist',
    who: () => operator,
    request: () => ({
      method: 'POST',
      url: `/api/operator/incidents/${UNKNOWN_ID}/transitions`,
      payload: { to: 'in_review' },
    }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'aftercare with an item without text',
    who: () => therapist.session,
    request: () => ({
      method: 'PUT',
      url: `/api/bookings/${bookingId}/aftercare`,
      payload: {
        plan: {
          sections: [{ id: 'stretches', title: 'Stretches', items: [{ id: 'x', text: '', why: '', sources: [] }] }],
        },
      },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'plan.sections.0.items.0.text',
  },
  {
    name: 'aftercare in an unknown section',
    who: () => therapist.session,
    request: () => ({
      method: 'PUT',
      url: `/api/bookings/${bookingId}/aftercare`,
      payload: { plan: { sections: [{ id: 'gossip', title: 'Gossip', items: [] }] } },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'plan.sections.0.id',
  },
  {
    name: 'aftercare before the note is signed',
    who: () => therapist.session,
    request: () => ({ method: 'POST', url: `/api/bookings/${bookingId}/aftercare/send` }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'aftercare edited by the client',
    who: () => otherClient,
    request: () => ({
      method: 'PUT',
      url: `/api/bookings/${bookingId}/aftercare`,
      payload: { plan: { sections: [] } },
    }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a check-in soreness of 11',
    who: () => otherClient,
    request: () => ({
      method: 'POST',
      url: `/api/check-ins/${UNKNOWN_ID}/answer`,
      payload: { soreness: 11, trend: 'same', redFlags: {} },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'soreness',
  },
  {
    name: 'a check-in with a red-flag question unanswered',
    who: () => otherClient,
    request: () => ({
      method: 'POST',
      url: `/api/check-ins/${UNKNOWN_ID}/answer`,
      payload: {
        soreness: 2,
        trend: 'same',
        redFlags: {
          chest_pain_or_breathlessness: false,
          saddle_numbness_bladder_or_leg_weakness: false,
          clot_in_leg: false,
          dark_urine_or_swelling: false,
        },
      },
    }),
    status: 400,
    code: 'validation_failed',
    field: 'redFlags.numbness_or_radiating_pain',
  },
  {
    name: 'an unknown check-in',
    who: () => otherClient,
    request: () => ({
      method: 'POST',
      url: `/api/check-ins/${UNKNOWN_ID}/answer`,
      payload: {
        soreness: 2,
        trend: 'same',
        redFlags: {
          chest_pain_or_breathlessness: false,
          saddle_numbness_bladder_or_leg_weakness: false,
          clot_in_leg: false,
          dark_urine_or_swelling: false,
          numbness_or_radiating_pain: false,
        },
      },
    }),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'care alerts for a client',
    who: () => client,
    request: () => ({ method: 'GET', url: '/api/care-alerts' }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a course with a session changed twice',
    who: () => client,
    request: () => ({
      method: 'POST',
      url: '/api/bookings/courses',
      payload: course({
        changes: [
          { index: 1, startsAt: null },
          { index: 1, startsAt: null },
        ],
      }),
    }),
    status: 400,
    code: 'validation_failed',
    field: 'changes',
  },
  {
    name: 'a course with a change past its last session',
    who: () => client,
    request: () => ({
      method: 'POST',
      url: '/api/bookings/courses',
      payload: course({ changes: [{ index: 6, startsAt: null }] }),
    }),
    status: 400,
    code: 'validation_failed',
    field: 'changes.0.index',
  },
  {
    name: 'a course with every session left out',
    who: () => client,
    request: () => ({
      method: 'POST',
      url: '/api/bookings/courses/preview',
      payload: course({
        rrule: 'FREQ=WEEKLY;COUNT=2',
        changes: [
          { index: 0, startsAt: null },
          { index: 1, startsAt: null },
        ],
      }),
    }),
    status: 400,
    code: 'validation_failed',
    field: 'changes',
  },
  {
    name: 'a course session moved to a time without a zone',
    who: () => client,
    request: () => ({
      method: 'POST',
      url: '/api/bookings/courses',
      payload: course({ changes: [{ index: 2, startsAt: '2026-12-15T11:15:00' }] }),
    }),
    status: 400,
    code: 'validation_failed',
    field: 'changes.0.startsAt',
  },
  {
    name: 'a daily course',
    who: () => client,
    request: () => ({ method: 'POST', url: '/api/bookings/courses', payload: course({ rrule: 'FREQ=DAILY;COUNT=6' }) }),
    status: 400,
    code: 'validation_failed',
    field: 'rrule',
  },
  {
    name: 'care alerts by status maybe',
    who: () => operator,
    request: () => ({ method: 'GET', url: '/api/care-alerts?status=maybe' }),
    status: 400,
    code: 'validation_failed',
    field: 'status',
  },
  {
    name: 'a care alert acknowledged without a note',
    who: () => operator,
    request: () => ({ method: 'POST', url: `/api/care-alerts/${UNKNOWN_ID}/acknowledge`, payload: { note: '' } }),
    status: 400,
    code: 'validation_failed',
    field: 'note',
  },
  {
    name: 'an unknown care alert acknowledged',
    who: () => operator,
    request: () => ({
      method: 'POST',
      url: `/api/care-alerts/${UNKNOWN_ID}/acknowledge`,
      payload: { note: 'Called them' },
    }),
    status: 404,
    code: 'not_found',
  },
  // Booking for two (issue 17): nothing is held and no guest account is made for a refused request.
  ...(
    [
      [
        'a guest name with a NUL',
        { guest: { name: 'Sam\u0000', email: 'pair-guest@example.test' } },
        'second.guest.name',
      ],
      ['a guest e-mail that is not one', { guest: { name: 'Sam', email: 'sam' } }, 'second.guest.email'],
      ['one therapist for both people', { sameTherapist: true }, 'second.therapistId'],
      ['an unknown therapist for the guest', { therapistId: UNKNOWN_ID }, 'second.therapistId'],
    ] as const
  ).map(([name, change, field]): Case => ({
    name: `a session for two with ${name}`,
    who: () => client,
    request: () => ({
      method: 'POST',
      url: '/api/bookings/pairs',
      payload: {
        durationMin: 60,
        start: '2026-11-24T15:00:00Z',
        place: { mode: 'home', address: '1 Home St, New York', lat: MIDTOWN.lat, lng: MIDTOWN.lng },
        first: { therapistId: therapist.id },
        second: {
          therapistId:
            'sameTherapist' in change ? therapist.id : 'therapistId' in change ? change.therapistId : otherTherapist.id,
          guest: 'guest' in change ? change.guest : { name: 'Sam', email: 'pair-guest@example.test' },
        },
      },
    }),
    status: 400,
    code: 'validation_failed',
    field,
  })),
  {
    name: 'a search for two with the range reversed',
    who: () => null,
    request: () => ({
      method: 'GET',
      url: `/api/availability/pairs?durationMin=60&from=2026-11-25&to=2026-11-24&zone=America/New_York&lat=${MIDTOWN.lat}&lng=${MIDTOWN.lng}`,
    }),
    status: 400,
    code: 'validation_failed',
    field: 'to',
  },
  {
    name: 'a search for two with an unknown gender',
    who: () => null,
    request: () => ({
      method: 'GET',
      url: `/api/availability/pairs?durationMin=60&from=2026-11-24&to=2026-11-24&zone=America/New_York&lat=${MIDTOWN.lat}&lng=${MIDTOWN.lng}&secondGender=robot`,
    }),
    status: 400,
    code: 'validation_failed',
    field: 'secondGender',
  },
  {
    name: 'a waitlist window whose hours end before they start',
    who: () => client,
    request: () => ({
      method: 'POST',
      url: '/api/waitlist',
      payload: waitlistJoin({ fromTime: '18:00', toTime: '17:00' }),
    }),
    status: 400,
    code: 'validation_failed',
    field: 'toTime',
  },
  {
    name: 'a waitlist for home visits without an address',
    who: () => client,
    request: () => ({ method: 'POST', url: '/api/waitlist', payload: waitlistJoin({ mode: 'home' }) }),
    status: 400,
    code: 'validation_failed',
    field: 'address',
  },
  {
    name: 'a waitlist for an unknown therapist',
    who: () => client,
    request: () => ({ method: 'POST', url: '/api/waitlist', payload: waitlistJoin({ therapistId: UNKNOWN_ID }) }),
    status: 400,
    code: 'validation_failed',
    field: 'therapistId',
  },
  {
    name: 'a claim without a start',
    who: () => client,
    request: () => ({ method: 'POST', url: `/api/waitlist/${UNKNOWN_ID}/claim`, payload: { therapistId: UNKNOWN_ID } }),
    status: 400,
    code: 'validation_failed',
    field: 'start',
  },
  {
    name: 'a claim of an unknown waitlist entry',
    who: () => client,
    request: () => ({
      method: 'POST',
      url: `/api/waitlist/${UNKNOWN_ID}/claim`,
      payload: { therapistId: UNKNOWN_ID, start: '2026-11-25T15:00:00Z' },
    }),
    status: 404,
    code: 'not_found',
  },
  ...selfCheckCases(),
];

/** A valid waitlist entry (tomorrow in New York, evenings), changed by `patch`. */
function waitlistJoin(patch: Record<string, unknown>) {
  return {
    durationMin: 60,
    mode: 'studio',
    lat: 40.7549,
    lng: -73.984,
    from: '2026-11-24',
    to: '2026-11-24',
    fromTime: '17:00',
    toTime: '20:00',
    ...patch,
  };
}

/** The self-check (POST /api/self-check): a visitor's answers, each fault named at its field. */
function selfCheckCases(): Case[] {
  const noFlags = {
    legClotSigns: false,
    bloodClot: false,
    unstableAngina: false,
    feverOrInfection: false,
    saddleNumbness: false,
    bladderOrBowelChange: false,
    progressiveLegWeakness: false,
    newNumbnessOrRadiatingPain: false,
  };
  const answers = (patch: Record<string, unknown>) => ({
    bodyMap: [{ region: 'hamstrings.left', tightness: 6, pain: 2 }],
    howLong: 'weeks',
    worseWith: [],
    betterWith: [],
    activity: { level: 'light', deskHoursPerDay: 8 },
    recentInjury: 'none',
    redFlags: noFlags,
    ...patch,
  });
  const selfCheck = (name: string, patch: Record<string, unknown>, field: string): Case => ({
    name: `a self-check with ${name}`,
    who: () => null,
    request: () => ({ method: 'POST', url: '/api/self-check', payload: answers(patch) }),
    status: 400,
    code: 'validation_failed',
    field,
  });
  return [
    selfCheck('nothing marked', { bodyMap: [] }, 'bodyMap'),
    selfCheck('an unknown region', { bodyMap: [{ region: 'wing.left', tightness: 5, pain: 0 }] }, 'bodyMap.0.region'),
    selfCheck(
      'a region marked twice',
      {
        bodyMap: [
          { region: 'calves.left', tightness: 5, pain: 0 },
          { region: 'calves.left', tightness: 2, pain: 1 },
        ],
      },
      'bodyMap.1.region',
    ),
    selfCheck('pain of 11', { bodyMap: [{ region: 'calves.left', tightness: 5, pain: 11 }] }, 'bodyMap.0.pain'),
    selfCheck('an unknown duration', { howLong: 'forever' }, 'howLong'),
    selfCheck('a cause given twice', { worseWith: ['sitting', 'sitting'] }, 'worseWith.1'),
    selfCheck('25 hours of sitting', { activity: { level: 'light', deskHoursPerDay: 25 } }, 'activity.deskHoursPerDay'),
    selfCheck(
      'a red flag left unanswered',
      { redFlags: { ...noFlags, saddleNumbness: undefined } },
      'redFlags.saddleNumbness',
    ),
    selfCheck('an unknown zone', { zone: 'Mars/Olympus' }, 'zone'),
    selfCheck('a note (the self-check keeps no words)', { note: 'my back' }, 'note'),
  ];
}

describe('each endpoint names the field at fault', () => {
  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      const before = await rowCounts();
      expectProblem(await call(t.app, c.who(), c.request()), c.status, c.code, c.field);
      expect(await rowCounts()).toEqual(before);
    });
  }
});
