import { readFileSync } from 'node:fs';
import { type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import { MIDTOWN, type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import { type Session, type TestApp, call, createOperator, signUp, startTestApp } from '../support/test-app.js';

/**
 * A therapist's other calendar, served by a real HTTP server from real ICS files (Google, Apple and Outlook
 * shapes). The clock starts on Monday 8 March 2027, a week before New York changes to summer time.
 */
const START = Date.parse('2027-03-08T12:00:00Z');
const NEW_YORK = 'America/New_York';

const ics = (name: string) => readFileSync(new URL(`../support/ics/${name}`, import.meta.url), 'utf8');
const GOOGLE = ics('google-weekly-across-dst.ics');
const APPLE = ics('apple-all-day.ics');
const OUTLOOK = ics('outlook-cancelled-occurrences.ics');

type Answer = (response: ServerResponse) => void;
const serveIcs =
  (text: string): Answer =>
  (response) =>
    response.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' }).end(text);

/** What each path answers; tests change an answer to make a calendar fail or change. */
const answers = new Map<string, Answer>([
  ['/google/private-5e1f0a9b/basic.ics', serveIcs(GOOGLE)],
  ['/published/2/apple-home.ics', serveIcs(APPLE)],
  ['/owa/calendar/outlook.ics', serveIcs(OUTLOOK)],
  ['/slow.ics', () => {}],
]);

let server: Server;
let base: string;
let t: TestApp;
let background: BackgroundWork;
let operator: Session;

beforeAll(async () => {
  server = createServer((request, response) => {
    const answer = answers.get(new URL(request.url ?? '/', 'http://x').pathname);
    if (answer) answer(response);
    else response.writeHead(404).end('Not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await startTestApp({
    now: START,
    // The calendars are on 127.0.0.1 here; production refuses private addresses.
    config: {
      externalCalendars: { allowPrivateAddresses: true, timeoutMs: 1_000, maxBytes: 1_000_000, refreshMinutes: 15 },
    },
  });
  background = createBackgroundWork({ db: t.database.db, clock: t.clock, config: t.config }, { sender: null });
  operator = await createOperator(t);
});
afterAll(async () => {
  await t.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface CalendarView {
  id: string;
  address: string;
  addedAt: string;
  lastAttemptAt: string | null;
  lastRefreshedAt: string | null;
  error: { code: string; message: string } | null;
  busyTimes: number;
  busyUntil: string | null;
}

async function addCalendar(therapist: TherapistFixture, url: string) {
  const response = await call(t.app, therapist.session, {
    method: 'POST',
    url: '/api/therapists/me/external-calendars',
    payload: { url },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<CalendarView>();
}

const refresh = (therapist: TherapistFixture, id: string) =>
  call(t.app, therapist.session, { method: 'POST', url: `/api/therapists/me/external-calendars/${id}/refresh` });

/** The therapist's 60-minute slots at their studio on a New York date, as local times. */
async function slotsOn(therapist: TherapistFixture, date: string): Promise<string[]> {
  const query = new URLSearchParams({
    durationMin: '60',
    zone: NEW_YORK,
    radiusKm: '1',
    mode: 'studio',
    lat: String(MIDTOWN.lat),
    lng: String(MIDTOWN.lng),
    from: date,
    to: date,
    therapistId: therapist.id,
    slotsPerTherapist: '500',
  });
  const response = await call(t.app, null, { method: 'GET', url: `/api/availability?${query.toString()}` });
  expect(response.statusCode, response.body).toBe(200);
  const slots = response.json<{ results: { offers: { slots: string[] }[] }[] }>().results[0]?.offers[0]?.slots ?? [];
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: NEW_YORK,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return slots.map((slot) => local.format(new Date(slot)));
}

const hold = (client: Session, therapist: TherapistFixture, start: string) =>
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

describe('the therapist’s other calendar', () => {
  it('blocks search and holds with its busy times: weekly across DST, all-day, excluded, cancelled and moved', async () => {
    t.clock.set(START);
    const therapist = await createTherapist(t, { displayName: 'Robin Vale' }, operator);
    const client = await signUp(t.app, 'client', 'Alex Client');
    // Before: Tuesday 10:00 is free.
    expect(await slotsOn(therapist, '2027-03-16')).toContain('10:00');

    const google = await addCalendar(therapist, `${base}/google/private-5e1f0a9b/basic.ics`);
    expect(google).toMatchObject({
      address: `${new URL(base).host}/…ic.ics`,
      lastRefreshedAt: new Date(START).toISOString(),
      lastAttemptAt: new Date(START).toISOString(),
      error: null,
    });
    expect(JSON.stringify(google)).not.toContain('private-5e1f0a9b');
    expect(google.busyTimes).toBeGreaterThan(0);
    await addCalendar(therapist, `${base}/published/2/apple-home.ics`);
    await addCalendar(therapist, `${base}/owa/calendar/outlook.ics`);

    // Pilates, Tuesdays 10:00-11:00 New York, before and after the change to summer time: 10:00 is taken, 09:00 too
    // (its 15 minutes after would run into the class), 11:00 is free.
    for (const tuesday of ['2027-03-09', '2027-03-16']) {
      const slots = await slotsOn(therapist, tuesday);
      expect(slots, tuesday).not.toContain('09:00');
      expect(slots, tuesday).not.toContain('10:00');
      expect(slots, tuesday).toContain('11:00');
    }
    // The all-day conference takes Thursday; the transparent birthday leaves Friday free.
    expect(await slotsOn(therapist, '2027-03-11')).toEqual([]);
    expect(await slotsOn(therapist, '2027-03-12')).toContain('13:00');
    // Physio, Wednesdays 13:00: excluded on the 10th, cancelled on the 17th, moved to 15:00 on the 24th, kept on the 31st.
    expect(await slotsOn(therapist, '2027-03-10')).toContain('13:00');
    expect(await slotsOn(therapist, '2027-03-17')).toContain('13:00');
    const moved = await slotsOn(therapist, '2027-03-24');
    expect(moved).toContain('13:00');
    expect(moved).not.toContain('15:00');
    expect(await slotsOn(therapist, '2027-03-31')).not.toContain('13:00');
    // The session Knotwork published itself (UID …@knotwork) does not block: Monday 13:00 stays free.
    expect(await slotsOn(therapist, '2027-03-08')).toContain('13:00');

    // Holds: refused over the class (10:00 EDT = 14:00Z), accepted just after it.
    const refused = await hold(client, therapist, '2027-03-16T14:00:00Z');
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'slot_unavailable' });
    expect((await hold(client, therapist, '2027-03-16T15:00:00Z')).statusCode).toBe(201);

    // Removing the calendar frees its times at once (search's cache is told).
    const removed = await call(t.app, therapist.session, {
      method: 'DELETE',
      url: `/api/therapists/me/external-calendars/${google.id}`,
    });
    expect(removed.statusCode).toBe(204);
    expect(await slotsOn(therapist, '2027-03-23')).toContain('10:00');
    const listed = await call(t.app, therapist.session, {
      method: 'GET',
      url: '/api/therapists/me/external-calendars',
    });
    expect(
      listed
        .json<{ items: CalendarView[] }>()
        .items.map((c) => c.address)
        .sort(),
    ).toEqual([`${new URL(base).host}/…me.ics`, `${new URL(base).host}/…ok.ics`]);
  });

  it('shows a failed read and keeps the last good busy times; the schedule reads it again', async () => {
    t.clock.set(START);
    const therapist = await createTherapist(t, { displayName: 'Sam Reed' }, operator);
    answers.set('/flaky.ics', serveIcs(OUTLOOK));
    const calendar = await addCalendar(therapist, `${base}/flaky.ics`);
    expect(calendar.error).toBeNull();
    expect(await slotsOn(therapist, '2027-03-31')).not.toContain('13:00');

    answers.set('/flaky.ics', (response) => response.writeHead(503, 'Service Unavailable').end());
    t.clock.advance(60_000);
    const failed = await refresh(therapist, calendar.id);
    expect(failed.statusCode, failed.body).toBe(200);
    expect(failed.json()).toMatchObject({
      lastRefreshedAt: new Date(START).toISOString(),
      lastAttemptAt: new Date(START + 60_000).toISOString(),
      error: { code: 'http_status', message: 'The calendar’s server answered 503 Service Unavailable' },
      busyTimes: calendar.busyTimes,
    });
    expect(await slotsOn(therapist, '2027-03-31')).not.toContain('13:00');

    // Too soon for another read.
    const tooSoon = await refresh(therapist, calendar.id);
    expect(tooSoon.statusCode).toBe(429);
    expect(tooSoon.json()).toMatchObject({ code: 'rate_limited' });

    answers.set('/flaky.ics', (response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Sign in</title>'),
    );
    t.clock.advance(60_000);
    expect((await refresh(therapist, calendar.id)).json()).toMatchObject({ error: { code: 'not_ics' } });

    // The calendar changes; the scheduled read (every 15 minutes) picks it up and search follows.
    answers.set('/flaky.ics', serveIcs(GOOGLE));
    t.clock.set(START + 16 * 60_000);
    const round = await background.runRound();
    expect(round.jobs.done).toBeGreaterThanOrEqual(1);
    const listed = await call(t.app, therapist.session, {
      method: 'GET',
      url: '/api/therapists/me/external-calendars',
    });
    expect(listed.json<{ items: CalendarView[] }>().items[0]).toMatchObject({
      lastRefreshedAt: new Date(START + 16 * 60_000).toISOString(),
      error: null,
    });
    expect(await slotsOn(therapist, '2027-03-31')).toContain('13:00');
    expect(await slotsOn(therapist, '2027-03-30')).not.toContain('10:00');
  });

  it('records a server that does not answer in time', async () => {
    t.clock.set(START);
    const therapist = await createTherapist(t, { displayName: 'Kim Slow' }, operator);
    const calendar = await addCalendar(therapist, `${base}/slow.ics`);
    expect(calendar).toMatchObject({ lastRefreshedAt: null, busyTimes: 0, error: { code: 'timeout' } });
  });

  it('refuses what is not an http(s) address, the same calendar twice, and other people’s calendars', async () => {
    t.clock.set(START);
    const therapist = await createTherapist(t, { displayName: 'Lee Strict' }, operator);
    const other = await createTherapist(t, { displayName: 'Other Therapist' }, operator);
    const add = (who: Session, url: unknown) =>
      call(t.app, who, { method: 'POST', url: '/api/therapists/me/external-calendars', payload: { url } });
    for (const [url, code] of [
      ['not a url', 'not_a_url'],
      ['ftp://calendar.example.com/basic.ics', 'unsupported_scheme'],
      ['file:///etc/passwd', 'unsupported_scheme'],
      ['javascript:alert(1)', 'unsupported_scheme'],
    ] as const) {
      const response = await add(therapist.session, url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toMatchObject({ code: 'validation_failed', field: 'url', errors: [{ code }] });
    }
    expect((await add(therapist.session, '')).statusCode).toBe(400);

    const calendar = await addCalendar(therapist, `${base}/published/2/apple-home.ics`);
    const again = await add(therapist.session, `${base}/published/2/apple-home.ics`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'external_calendar_exists' });
    // webcal:// is read as https://, which this plain-HTTP server cannot answer: added, with the failure shown.
    const webcal = await add(therapist.session, `${base.replace('http://', 'webcal://')}/published/2/apple-home.ics`);
    expect(webcal.statusCode, webcal.body).toBe(201);
    expect(webcal.json()).toMatchObject({ error: { code: 'unreachable' } });

    for (let n = 0; n < 3; n++) await addCalendar(therapist, `${base}/published/2/apple-home.ics?copy=${n}`);
    const tooMany = await add(therapist.session, `${base}/published/2/apple-home.ics?copy=9`);
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json()).toMatchObject({ code: 'external_calendar_limit' });

    // Someone else's calendar is not there for them; a client has none.
    t.clock.advance(60_000);
    expect((await refresh(other, calendar.id)).statusCode).toBe(404);
    const removed = await call(t.app, other.session, {
      method: 'DELETE',
      url: `/api/therapists/me/external-calendars/${calendar.id}`,
    });
    expect(removed.statusCode).toBe(404);
    const client = await signUp(t.app, 'client', 'Curious Client');
    expect((await add(client, `${base}/published/2/apple-home.ics`)).statusCode).toBe(403);
  });
});
