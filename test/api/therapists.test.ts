import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIDTOWN, createTherapist } from '../support/therapist-fixture.js';
import { type Session, type TestApp, call, createOperator, signUp, startTestApp } from '../support/test-app.js';

let t: TestApp;
let operator: Session;
beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
});
afterAll(() => t.close());

const searchIds = async (who: Session | null, query = '') => {
  const response = await call(t.app, who, {
    method: 'GET',
    url: `/api/availability?durationMin=60&from=2026-11-24&to=2026-11-27&zone=America/New_York&mode=studio&lat=${MIDTOWN.lat}&lng=${MIDTOWN.lng}&radiusKm=2&pageSize=50${query}`,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().results.map((r: { therapist: { id: string } }) => r.therapist.id) as string[];
};

describe('therapist profile and licence review', () => {
  it('keeps a new therapist out of search until an operator approves the licence, and audits the review', async () => {
    const therapist = await createTherapist(t, { approve: false }, operator);
    const me = await call(t.app, therapist.session, { method: 'GET', url: '/api/therapists/me' });
    expect(me.json()).toMatchObject({
      licence: { status: 'pending' },
      searchable: false,
      timeZone: 'America/New_York',
    });
    expect(await searchIds(null)).not.toContain(therapist.id);
    expect((await call(t.app, null, { method: 'GET', url: `/api/therapists/${therapist.id}` })).statusCode).toBe(404);

    const queue = await call(t.app, operator, { method: 'GET', url: '/api/operator/licences?status=pending' });
    expect(queue.json().map((r: { therapistId: string }) => r.therapistId)).toContain(therapist.id);
    const rejectWithoutReason = await call(t.app, operator, {
      method: 'POST',
      url: `/api/operator/licences/${therapist.id}/review`,
      payload: { decision: 'reject' },
    });
    expect(rejectWithoutReason.json()).toMatchObject({ code: 'validation_failed', field: 'note' });
    const approved = await call(t.app, operator, {
      method: 'POST',
      url: `/api/operator/licences/${therapist.id}/review`,
      payload: { decision: 'approve' },
    });
    expect(approved.json()).toMatchObject({ licenceStatus: 'approved' });
    expect(await searchIds(null)).toContain(therapist.id);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('subject_id', '=', therapist.id)
      .execute();
    expect(audit).toMatchObject([{ action: 'licence.approve', actor_id: operator.id, subject_user_id: therapist.id }]);

    const publicView = await call(t.app, null, { method: 'GET', url: `/api/therapists/${therapist.id}` });
    expect(publicView.json()).toMatchObject({ searchable: true, licence: { status: 'approved', number: null } });
  });

  it('sends the licence back to review when its details change', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const profile = (await call(t.app, therapist.session, { method: 'GET', url: '/api/therapists/me' })).json();
    const update = {
      market: 'nyc',
      gender: profile.gender,
      licence: { number: 'NEW-NUMBER-1', region: profile.licence.region, expiresOn: profile.licence.expiresOn },
      timeZone: profile.timeZone,
    };
    const changed = await call(t.app, therapist.session, { method: 'PUT', url: '/api/therapists/me', payload: update });
    expect(changed.json()).toMatchObject({ licence: { status: 'pending', number: 'NEW-NUMBER-1' }, searchable: false });
    expect(await searchIds(null)).not.toContain(therapist.id);
  });

  it('drops therapists from search once their licence has expired', async () => {
    const therapist = await createTherapist(t, { licenceExpiresOn: '2026-11-25' }, operator);
    expect(await searchIds(null)).toContain(therapist.id);
    t.clock.set('2026-11-26T12:00:00Z');
    const later = await call(t.app, null, {
      method: 'GET',
      url: `/api/availability?durationMin=60&from=2026-11-26&to=2026-11-27&zone=America/New_York&mode=studio&lat=${MIDTOWN.lat}&lng=${MIDTOWN.lng}&radiusKm=2&pageSize=50`,
    });
    expect(later.json().results.map((r: { therapist: { id: string } }) => r.therapist.id)).not.toContain(therapist.id);
    t.clock.set('2026-11-23T12:00:00Z');
  });

  it('refuses weekly hours that overlap, name a studio that is not theirs, or visit homes without a service area', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const other = await createTherapist(t, {}, operator);
    const put = (rules: unknown[]) =>
      call(t.app, therapist.session, { method: 'PUT', url: '/api/therapists/me/weekly-hours', payload: { rules } });
    const studio = { mode: 'studio', studioId: therapist.studioId };
    const overlap = await put([
      { weekday: 1, start: '09:00', end: '13:00', place: studio },
      { weekday: 1, start: '12:00', end: '15:00', place: studio },
    ]);
    expect(overlap.json()).toMatchObject({
      code: 'validation_failed',
      field: 'rules.1',
      errors: [{ code: 'overlapping_hours' }],
    });
    const foreign = await put([
      { weekday: 2, start: '09:00', end: '13:00', place: { mode: 'studio', studioId: other.studioId } },
    ]);
    expect(foreign.json()).toMatchObject({ field: 'rules.0.place.studioId', errors: [{ code: 'unknown_studio' }] });
    const home = await put([{ weekday: 2, start: '09:00', end: '13:00', place: { mode: 'home' } }]);
    expect(home.json()).toMatchObject({ field: 'rules.0.place.mode', errors: [{ code: 'no_mobile_area' }] });
    const reversed = await put([{ weekday: 2, start: '13:00', end: '09:00', place: studio }]);
    expect(reversed.json()).toMatchObject({ field: 'rules.0.end', errors: [{ code: 'end_before_start' }] });
  });

  it('takes a day off and extra hours through date overrides', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const wednesday = async () => {
      const response = await call(t.app, null, {
        method: 'GET',
        url: `/api/availability?durationMin=60&from=2026-11-25&to=2026-11-25&zone=America/New_York&mode=studio&lat=${MIDTOWN.lat}&lng=${MIDTOWN.lng}&radiusKm=1&pageSize=50&slotsPerTherapist=200`,
      });
      return (response.json().results.find((r: { therapist: { id: string } }) => r.therapist.id === therapist.id)
        ?.offers[0]?.slots ?? []) as string[];
    };
    expect(await wednesday()).toHaveLength(29);
    const off = await call(t.app, therapist.session, {
      method: 'POST',
      url: '/api/therapists/me/overrides',
      payload: { kind: 'off', date: '2026-11-25', note: 'Dentist' },
    });
    expect(off.statusCode).toBe(201);
    expect(await wednesday()).toEqual([]);
    await call(t.app, therapist.session, { method: 'DELETE', url: `/api/therapists/me/overrides/${off.json().id}` });
    await call(t.app, therapist.session, {
      method: 'POST',
      url: '/api/therapists/me/overrides',
      payload: {
        kind: 'extra',
        date: '2026-11-25',
        intervals: [{ start: '18:00', end: '20:00', place: { mode: 'studio', studioId: therapist.studioId } }],
      },
    });
    const slots = await wednesday();
    expect(slots.at(-1)).toBe('2026-11-26T00:00:00.000Z');
    const listed = await call(t.app, therapist.session, {
      method: 'GET',
      url: '/api/therapists/me/overrides?from=2026-11-25&to=2026-11-25',
    });
    expect(listed.json()).toMatchObject([
      { kind: 'extra', date: '2026-11-25', intervals: [{ start: '18:00', end: '20:00', place: { mode: 'studio' } }] },
    ]);
  });

  it('lists the specialty catalogue and replaces services, refusing a duplicated duration', async () => {
    const therapist = await createTherapist(t, {}, operator);
    const catalogue = await call(t.app, null, { method: 'GET', url: '/api/catalogue/specialties' });
    expect(catalogue.json().map((s: { code: string }) => s.code)).toEqual([
      'hamstrings',
      'low_back',
      'neck_shoulders',
      'sports',
      'trigger_point',
      'myofascial',
      'prenatal',
    ]);
    const duplicate = await call(t.app, therapist.session, {
      method: 'PUT',
      url: '/api/therapists/me/services',
      payload: {
        services: [
          { durationMin: 60, priceCents: 9000, currency: 'USD' },
          { durationMin: 60, priceCents: 9500, currency: 'USD' },
        ],
      },
    });
    expect(duplicate.json()).toMatchObject({ field: 'services.1.durationMin', errors: [{ code: 'duplicate' }] });
    const replaced = await call(t.app, therapist.session, {
      method: 'PUT',
      url: '/api/therapists/me/services',
      payload: { services: [{ durationMin: 90, priceCents: 15000, currency: 'USD' }] },
    });
    expect(replaced.json().services).toEqual([{ durationMin: 90, priceCents: 15000, currency: 'USD' }]);
  });

  it('keeps profiles to therapists: clients cannot create one', async () => {
    const client = await signUp(t.app, 'client');
    const response = await call(t.app, client, {
      method: 'PUT',
      url: '/api/therapists/me',
      payload: {
        market: 'nyc',
        gender: 'male',
        licence: { number: 'X1', region: 'NY', expiresOn: '2030-01-01' },
        timeZone: 'America/New_York',
      },
    });
    expect(response.statusCode).toBe(403);
  });
});
