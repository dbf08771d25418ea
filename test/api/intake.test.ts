import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { REGION_REFS } from '../../src/domain/body-regions.js';
import { createTherapist } from '../support/therapist-fixture.js';
import { type TestApp, call, createOperator, signUp, startTestApp } from '../support/test-app.js';
import { payWithCard } from '../support/payment-fixture.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('consultation intake', () => {
  it('keeps every version: a change makes a new one, and each stays readable', async () => {
    const client = await signUp(t.app, 'client', 'Versioned', { intake: null });
    expect((await call(t.app, client, { method: 'GET', url: '/api/me/intake' })).statusCode).toBe(404);
    const first = await call(t.app, client, { method: 'PUT', url: '/api/me/intake', payload: deskWorkerIntake() });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      version: { version: 1, clientId: client.id },
      preview: { outcome: 'proceed', headline: 'Deep tissue massage suits you today.' },
      rescreened: [],
    });
    const second = await call(t.app, client, {
      method: 'PUT',
      url: '/api/me/intake',
      payload: { ...deskWorkerIntake(), conditions: { fibromyalgia: true } },
    });
    expect(second.json()).toMatchObject({
      version: { version: 2 },
      preview: { outcome: 'adapt', messages: [expect.stringMatching(/fibromyalgia/)] },
    });
    expect((await call(t.app, client, { method: 'GET', url: '/api/me/intake' })).json()).toMatchObject({
      version: 2,
      intake: { conditions: { fibromyalgia: true } },
    });
    expect((await call(t.app, client, { method: 'GET', url: '/api/me/intake?version=1' })).json()).toMatchObject({
      version: 1,
      intake: { conditions: {} },
    });
  });

  it('numbers concurrent saves one after another', async () => {
    const client = await signUp(t.app, 'client', 'Concurrent', { intake: null });
    const saves = await Promise.all(
      Array.from({ length: 5 }, () =>
        call(t.app, client, { method: 'PUT', url: '/api/me/intake', payload: deskWorkerIntake() }),
      ),
    );
    expect(saves.map((s) => s.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(saves.map((s) => s.json().version.version).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('accepts today’s date wherever the client lives (already tomorrow east of UTC)', async () => {
    const client = await signUp(t.app, 'client', 'Auckland', { intake: null });
    t.clock.set('2026-11-23T20:00:00Z'); // 09:00 on 24 November in Auckland
    const saved = await call(t.app, client, {
      method: 'PUT',
      url: '/api/me/intake',
      payload: { ...deskWorkerIntake(), injuries: [{ kind: 'sprain', regions: ['feet.left'], date: '2026-11-24' }] },
    });
    expect(saved.statusCode, saved.body).toBe(200);
  });

  it('screens upcoming bookings again but only tells anyone when the outcome changed', async () => {
    const operator = await createOperator(t);
    const therapist = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    t.clock.set('2026-11-23T12:00:00Z');
    const held = await call(t.app, client, {
      method: 'POST',
      url: '/api/bookings',
      payload: {
        therapistId: therapist.id,
        durationMin: 60,
        start: '2026-11-24T15:00:00Z',
        place: { mode: 'studio', studioId: therapist.studioId },
      },
    });
    await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${held.json().id}/confirm`,
      payload: await payWithCard(t.app, client),
    });
    const sameOutcome = await call(t.app, client, {
      method: 'PUT',
      url: '/api/me/intake',
      payload: { ...deskWorkerIntake(), goals: ['Run a marathon'] },
    });
    expect(sameOutcome.json().rescreened).toEqual([]);
    const screenings = await t.database.db
      .selectFrom('booking_screenings')
      .select(['stage', 'intake_version'])
      .where('booking_id', '=', held.json().id)
      .orderBy('id')
      .execute();
    expect(screenings).toEqual([
      { stage: 'hold', intake_version: 1 },
      { stage: 'confirm', intake_version: 1 },
      { stage: 'intake_changed', intake_version: 2 },
    ]);
    const changed = await call(t.app, client, {
      method: 'PUT',
      url: '/api/me/intake',
      payload: { ...deskWorkerIntake(), conditions: { pregnancy: { weeks: 16 } } },
    });
    expect(changed.json().rescreened).toEqual([{ bookingId: held.json().id, from: 'proceed', to: 'adapt' }]);
    const notices = await t.database.db
      .selectFrom('messages')
      .select('user_id')
      .where('kind', '=', 'screening.changed')
      .where('booking_id', '=', held.json().id)
      .execute();
    expect(notices.map((n) => n.user_id).sort()).toEqual([client.id, therapist.id].sort());
  });
});

describe('a consultation with details the client does not know', () => {
  it('saves "I don\'t know" (null), screens it as the strictest reading, and asks the therapist to confirm', async () => {
    const client = await signUp(t.app, 'client', 'Unsure', { intake: null });
    t.clock.set('2026-11-23T10:00:00Z');
    const saved = await call(t.app, client, {
      method: 'PUT',
      url: '/api/me/intake',
      payload: {
        ...deskWorkerIntake(),
        surgeries: [{ date: null, regions: ['abdomen'], cancerRelated: false }],
        conditions: {
          hypertension: { systolic: null, diastolic: null, measuredOn: null },
          heartAttack: { date: null },
          osteoporosis: { severity: null },
        },
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      version: { intake: { conditions: { hypertension: { systolic: null, diastolic: null, measuredOn: null } } } },
      preview: {
        outcome: 'not_today',
        messages: expect.arrayContaining([expect.stringMatching(/^You did not know your blood-pressure reading/)]),
      },
    });
    const screening = await call(t.app, client, { method: 'GET', url: '/api/me/screening' });
    expect(screening.statusCode, screening.body).toBe(200);
    const flags = screening.json().decision.flags as { ruleId: string; reason: string; facts: string | null }[];
    for (const ruleId of [
      'hypertension.reading_unknown',
      'heart.date_unknown',
      'osteoporosis.severity_unknown',
      'recent_surgery.date_unknown',
    ])
      expect(flags.find((f) => f.ruleId === ruleId)).toMatchObject({
        reason: expect.stringMatching(/^The client did not know .*Please confirm it with the client\.$/),
        facts: expect.stringMatching(/not known/),
      });
    // Each is screened as its strictest value.
    expect(flags.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining([
        'hypertension.severe',
        'heart.recovering',
        'osteoporosis.severe',
        'recent_surgery.healing',
      ]),
    );
  });

  it('tells a known reading its own numbers and the threshold it meets', async () => {
    const client = await signUp(t.app, 'client', 'Reading', { intake: null });
    t.clock.set('2026-11-23T10:00:00Z');
    const saved = await call(t.app, client, {
      method: 'PUT',
      url: '/api/me/intake',
      payload: {
        ...deskWorkerIntake(),
        conditions: { hypertension: { systolic: 170, diastolic: 100, measuredOn: '2026-11-20' } },
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().preview).toMatchObject({
      outcome: 'not_today',
      messages: [
        'Your blood pressure reading of 170/100 is too high for massage: the bottom number (diastolic) is 100 or higher. Please see your doctor about it, and rebook once it is under control.',
      ],
    });
  });

  it('refuses half a reading, naming the missing number', async () => {
    const client = await signUp(t.app, 'client', 'Half reading', { intake: null });
    const refused = await call(t.app, client, {
      method: 'PUT',
      url: '/api/me/intake',
      payload: {
        ...deskWorkerIntake(),
        conditions: { hypertension: { systolic: 150, diastolic: null, measuredOn: null } },
      },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.json().errors).toEqual([
      expect.objectContaining({ field: 'conditions.hypertension.diastolic', code: 'required' }),
    ]);
  });
});

describe('catalogues for the app', () => {
  it('lists the body map with every region reference and the endangerment sites', async () => {
    const regions = (await call(t.app, null, { method: 'GET', url: '/api/body-regions' })).json();
    expect(regions.flatMap((r: { refs: string[] }) => r.refs)).toEqual(REGION_REFS);
    expect(regions.find((r: { id: string }) => r.id === 'back_of_knee')).toMatchObject({
      lateral: true,
      endangerment: { sources: ['WRN-END'] },
    });
  });

  it('publishes the screening rules with what they do and their sources', async () => {
    const catalogue = (await call(t.app, null, { method: 'GET', url: '/api/screening/catalogue' })).json();
    const pregnancy = catalogue.conditions.find((c: { id: string }) => c.id === 'pregnancy');
    expect(pregnancy.sources.map((s: { key: string }) => s.key)).toEqual(['MG21', 'OSB', 'UCLH']);
    expect(pregnancy.rules[0].effects).toEqual(
      expect.arrayContaining(['Caps pressure at 2 (medium) on legs', 'Caps pressure at 1 (light) on Abdomen']),
    );
    expect(catalogue.conditions.find((c: { id: string }) => c.id === 'blood_clot').rules[0]).toMatchObject({
      class: 'A',
      overridable: false,
      effects: ['No massage: the booking cannot go ahead'],
    });
    expect(catalogue.windowsInHours).toMatchObject({ acuteInjuryHours: 72, surgeryHealingHours: 42 * 24 });
    expect(catalogue.sideLyingFromWeek).toBe(13);
  });
});

describe('the client’s day, west of UTC in the evening', () => {
  // 21:30 on 6 December in Los Angeles is already 7 December in UTC.
  const EVENING_IN_LA = '2026-12-07T05:30:00Z';
  const LA = 'America%2FLos_Angeles';

  it('screens the preview for today in the client’s zone, not UTC’s', async () => {
    const client = await signUp(t.app, 'client', 'Pacific Evening');
    t.clock.set(EVENING_IN_LA);
    const today = await call(t.app, client, { method: 'GET', url: `/api/me/screening?zone=${LA}` });
    expect(today.statusCode, today.body).toBe(200);
    expect(today.json()).toMatchObject({
      date: '2026-12-06',
      forClient: { headline: 'Deep tissue massage suits you today.' },
    });
    // The client's own today, given as the date, is "today" too (not "this session" on a later day).
    const dated = await call(t.app, client, { method: 'GET', url: `/api/me/screening?date=2026-12-06&zone=${LA}` });
    expect(dated.json()).toMatchObject({ forClient: { headline: 'Deep tissue massage suits you today.' } });
  });

  it('dates what the intake fills in on the client’s day', async () => {
    const client = await signUp(t.app, 'client', 'Pacific Pregnancy', { intake: null });
    t.clock.set(EVENING_IN_LA);
    const saved = await call(t.app, client, {
      method: 'PUT',
      url: `/api/me/intake?zone=${LA}`,
      payload: { ...deskWorkerIntake(), conditions: { pregnancy: { weeks: 14 } } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ version: { intake: { conditions: { pregnancy: { asOf: '2026-12-06' } } } } });
  });

  it('refuses a zone that is not an IANA zone, naming the field', async () => {
    const client = await signUp(t.app, 'client', 'Nowhere');
    for (const request of [
      { method: 'GET' as const, url: '/api/me/screening?zone=Mars%2FOlympus' },
      { method: 'PUT' as const, url: '/api/me/intake?zone=Mars%2FOlympus', payload: deskWorkerIntake() },
    ]) {
      const refused = await call(t.app, client, request);
      expect(refused.statusCode).toBe(400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({ field: 'zone' });
    }
  });
});
