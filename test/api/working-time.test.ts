import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MIDTOWN, type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
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
beforeEach(() => t.clock.set(TEST_NOW));

const ZONE = 'America/New_York';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

interface WorkingTime {
  therapistId: string;
  timeZone: string;
  days: {
    date: string;
    working: {
      start: string;
      end: string;
      place: { mode: 'studio'; studioId: string; name: string } | { mode: 'home' };
    }[];
    overrides: { kind: 'off' | 'extra'; note: string | null; intervals: { start: string; end: string }[] }[];
  }[];
}

async function workingTime(
  who: Session,
  from: string,
  to: string,
  url = '/api/therapists/me/working-time',
): Promise<WorkingTime> {
  const response = await call(t.app, who, { method: 'GET', url: `${url}?from=${from}&to=${to}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/**
 * What the slot engine offers on one local date at one place, as spans of time: the union of every offered
 * 60-minute slot. With no buffers, no notice and hours on the 15-minute grid of at least an hour each, this is
 * exactly the working time the engine used.
 */
async function offeredSpans(
  therapist: TherapistFixture,
  date: string,
  mode: 'studio' | 'home',
  point = MIDTOWN,
): Promise<string[]> {
  const query = new URLSearchParams({
    durationMin: '60',
    from: date,
    to: date,
    zone: ZONE,
    mode,
    lat: String(point.lat),
    lng: String(point.lng),
    radiusKm: '1',
    therapistId: therapist.id,
    slotsPerTherapist: '500',
  });
  const response = await call(t.app, null, { method: 'GET', url: `/api/availability?${query.toString()}` });
  expect(response.statusCode, response.body).toBe(200);
  const slots: string[] = response.json().results[0]?.offers[0]?.slots ?? [];
  const spans: [number, number][] = [];
  for (const start of slots.map(Date.parse)) {
    const last = spans.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], start + HOUR);
    else spans.push([start, start + HOUR]);
  }
  return spans.map(([s, e]) => `${new Date(s).toISOString()}–${new Date(e).toISOString()}`);
}

const spansAt = (day: WorkingTime['days'][number], mode: 'studio' | 'home') =>
  day.working.filter((w) => w.place.mode === mode).map((w) => `${w.start}–${w.end}`);

const localClock = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(iso),
  );
const localSpans = (day: WorkingTime['days'][number]) =>
  day.working.map((w) => `${localClock(w.start)}–${localClock(w.end)} ${w.place.mode}`);

describe('a therapist’s working time per date', () => {
  let therapist: TherapistFixture;
  let schedule: WorkingTime;

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    // Monday 23 November 2026, 07:00 in New York. A split shift at the studio and home visits in the evening, every day.
    const home = { lat: MIDTOWN.lat + 0.01, lng: MIDTOWN.lng };
    therapist = await createTherapist(
      t,
      {
        studio: MIDTOWN,
        mobileArea: { ...home, radiusKm: 5 },
        bufferAfterMin: 0,
        minNoticeMin: 0,
        hours: EVERY_DAY.flatMap((weekday) => [
          { weekday, start: '09:00', end: '12:00', place: 'studio' as const },
          { weekday, start: '13:00', end: '17:00', place: 'studio' as const },
          { weekday, start: '18:00', end: '20:00', place: 'home' as const },
        ]),
      },
      operator,
    );
    const add = async (payload: object) => {
      const response = await call(t.app, therapist.session, {
        method: 'POST',
        url: '/api/therapists/me/overrides',
        payload,
      });
      expect(response.statusCode, response.body).toBe(201);
    };
    await add({ kind: 'off', date: '2026-11-25', note: 'Day off' });
    await add({
      kind: 'extra',
      date: '2026-11-26',
      intervals: [{ start: '20:00', end: '22:00', place: { mode: 'studio', studioId: therapist.studioId } }],
      note: 'Evening clinic',
    });
    await add({ kind: 'off', date: '2026-11-27', intervals: [{ start: '14:00', end: '16:00' }], note: 'Dentist' });
    schedule = await workingTime(therapist.session, '2026-11-24', '2026-11-27');
  });

  it('lists every date in the therapist’s zone with its working intervals per place and its overrides’ notes', () => {
    expect(schedule.therapistId).toBe(therapist.id);
    expect(schedule.timeZone).toBe(ZONE);
    expect(schedule.days.map((d) => d.date)).toEqual(['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']);
    const [plain, dayOff, extra, partOff] = schedule.days;
    expect(localSpans(plain!)).toEqual(['09:00–12:00 studio', '13:00–17:00 studio', '18:00–20:00 home']);
    expect(plain!.working[0]!.place).toEqual({ mode: 'studio', studioId: therapist.studioId, name: 'Studio' });
    expect(plain!.overrides).toEqual([]);
    expect(dayOff!.working).toEqual([]);
    expect(dayOff!.overrides).toMatchObject([{ kind: 'off', note: 'Day off', intervals: [] }]);
    expect(localSpans(extra!)).toEqual([
      '09:00–12:00 studio',
      '13:00–17:00 studio',
      '18:00–20:00 home',
      '20:00–22:00 studio',
    ]);
    expect(extra!.overrides).toMatchObject([{ kind: 'extra', note: 'Evening clinic' }]);
    expect(localSpans(partOff!)).toEqual([
      '09:00–12:00 studio',
      '13:00–14:00 studio',
      '16:00–17:00 studio',
      '18:00–20:00 home',
    ]);
    expect(partOff!.overrides).toMatchObject([
      { kind: 'off', note: 'Dentist', intervals: [{ start: '14:00', end: '16:00' }] },
    ]);
  });

  it('equals the time the slot engine offers at each place: day off, extra hours, partial day off', async () => {
    for (const day of schedule.days) {
      expect(spansAt(day, 'studio'), `studio on ${day.date}`).toEqual(
        await offeredSpans(therapist, day.date, 'studio'),
      );
      expect(spansAt(day, 'home'), `home on ${day.date}`).toEqual(
        await offeredSpans(therapist, day.date, 'home', { lat: MIDTOWN.lat + 0.01, lng: MIDTOWN.lng }),
      );
    }
  });

  it('agrees with booking: a session in the extra hours can be held, one on the day off cannot', async () => {
    const client = await signUp(t.app, 'client');
    const hold = (start: string) =>
      call(t.app, client, {
        method: 'POST',
        url: '/api/bookings',
        payload: {
          therapistId: therapist.id,
          durationMin: 60,
          start,
          place: { mode: 'studio', studioId: therapist.studioId },
        },
      });
    const extra = schedule.days[2]!.working.at(-1)!;
    expect((await hold(extra.start)).statusCode).toBe(201);
    const refused = await hold(schedule.days[0]!.working[0]!.start.replace('2026-11-24', '2026-11-25'));
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().code).toBe('slot_not_offered');
  });

  it('is shown to operators for any therapist, and to nobody else', async () => {
    const url = `/api/therapists/${therapist.id}/working-time`;
    expect(await workingTime(operator, '2026-11-24', '2026-11-27', url)).toEqual(schedule);
    expect(await workingTime(therapist.session, '2026-11-24', '2026-11-27', url)).toEqual(schedule);
    const other = await createTherapist(t, {}, operator);
    const client = await signUp(t.app, 'client');
    const range = '?from=2026-11-24&to=2026-11-27';
    const status = async (who: Session | null, path: string) =>
      (await call(t.app, who, { method: 'GET', url: `${path}${range}` })).json();
    expect(await status(other.session, url)).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await status(client, url)).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await status(client, '/api/therapists/me/working-time')).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await status(null, url)).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(await status(operator, `/api/therapists/${client.id}/working-time`)).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    const newcomer = await signUp(t.app, 'therapist');
    expect(await status(newcomer, '/api/therapists/me/working-time')).toMatchObject({
      status: 422,
      code: 'profile_incomplete',
    });
  });
});

describe('working time on daylight-saving change days in New York', () => {
  const cases = [
    { date: '2026-11-01', change: 'fall back', nightHours: 6 },
    { date: '2027-03-14', change: 'spring forward', nightHours: 4 },
  ];
  for (const [i, c] of cases.entries()) {
    it(`keeps local hours and equals the slot engine on ${c.date} (${c.change})`, async () => {
      t.clock.set(Date.parse(`${c.date}T12:00:00Z`) - 3 * 86_400_000);
      const spot = { lat: 40.62 - i * 0.05, lng: -74.25 };
      const therapist = await createTherapist(t, {
        studio: spot,
        bufferAfterMin: 0,
        minNoticeMin: 0,
        hours: EVERY_DAY.flatMap((weekday) => [
          { weekday, start: '00:00', end: '05:00', place: 'studio' as const },
          { weekday, start: '09:00', end: '17:00', place: 'studio' as const },
        ]),
      });
      const [day] = (await workingTime(therapist.session, c.date, c.date)).days;
      expect(localSpans(day!)).toEqual(['00:00–05:00 studio', '09:00–17:00 studio']);
      expect(day!.working.map((w) => (Date.parse(w.end) - Date.parse(w.start)) / HOUR)).toEqual([c.nightHours, 8]);
      expect(spansAt(day!, 'studio')).toEqual(await offeredSpans(therapist, c.date, 'studio', spot));
    });
  }
});

describe('the range is validated', () => {
  let therapist: TherapistFixture;
  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    therapist = await createTherapist(t, { studio: { lat: 40.5, lng: -74.4 } }, operator);
  });

  const cases = [
    {
      name: 'a date that does not exist',
      query: 'from=2026-02-30&to=2026-03-02',
      field: 'from',
      code: 'invalid_format',
    },
    { name: 'a missing end', query: 'from=2026-11-24', field: 'to', code: 'invalid_type' },
    { name: 'an end before the start', query: 'from=2026-11-30&to=2026-11-24', field: 'to', code: 'range_reversed' },
    { name: 'more than 31 days', query: 'from=2026-11-24&to=2026-12-31', field: 'to', code: 'range_too_long' },
    { name: 'dates years ago', query: 'from=2020-01-01&to=2020-01-07', field: 'from', code: 'out_of_range' },
    { name: 'dates years ahead', query: 'from=2030-01-01&to=2030-01-07', field: 'to', code: 'out_of_range' },
    {
      name: 'an unknown field',
      query: 'from=2026-11-24&to=2026-11-25&place=home',
      field: 'place',
      code: 'unknown_field',
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}, naming ${c.field}`, async () => {
      const response = await call(t.app, therapist.session, {
        method: 'GET',
        url: `/api/therapists/me/working-time?${c.query}`,
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({
        code: 'validation_failed',
        field: c.field,
        errors: [{ field: c.field, in: 'query', code: c.code }],
      });
    });
  }
});
