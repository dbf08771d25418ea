import ical from 'node-ical';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { bookSession } from '../support/booking-fixture.js';
import { buildApp } from '../../src/http/app.js';
import { icalText } from '../support/smtp-peer.js';
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
  t = await startTestApp({ config: { publicUrl: 'https://knotwork.example' } });
  operator = await createOperator(t);
});
afterAll(() => t.close());
beforeEach(() => t.clock.set(TEST_NOW));

const createFeed = async (who: Session, label?: string) => {
  const response = await call(t.app, who, {
    method: 'POST',
    url: '/api/calendar-feeds',
    ...(label ? { payload: { label } } : {}),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string; url: string; webcalUrl: string; label: string }>();
};

/** Fetches a feed the way a calendar app does: no cookie, just the URL. */
const fetchFeed = (url: string) => t.app.inject({ method: 'GET', url: new URL(url).pathname });

function eventsOf(body: string) {
  return Object.values(ical.sync.parseICS(body)).filter((c): c is ical.VEvent => c?.type === 'VEVENT');
}

describe('calendar feeds', () => {
  let therapist: TherapistFixture;
  let client: Session;
  beforeAll(async () => {
    therapist = await createTherapist(t, { displayName: 'Dana Smith' }, operator);
    client = await signUp(t.app, 'client', 'Jamie Fox');
  });

  it('publish each person’s sessions with exact instants, stable UIDs, rising SEQUENCE and cancellations', async () => {
    const kept = await bookSession(t, client, therapist, '2026-11-24T15:00:00Z');
    const cancelled = await bookSession(t, client, therapist, '2026-11-24T17:00:00Z');
    const moved = await bookSession(t, client, therapist, '2026-11-25T15:00:00Z');
    const held = await call(t.app, client, {
      method: 'POST',
      url: '/api/bookings',
      payload: {
        therapistId: therapist.id,
        durationMin: 90,
        start: '2026-11-26T15:00:00Z',
        place: { mode: 'studio', studioId: therapist.studioId },
      },
    });
    expect(held.statusCode).toBe(201);
    const clientFeed = await createFeed(client, 'Phone');
    const therapistFeed = await createFeed(therapist.session);
    expect(clientFeed.url).toMatch(/^https:\/\/knotwork\.example\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(clientFeed.webcalUrl).toBe(clientFeed.url.replace('https:', 'webcal:'));

    const before = eventsOf((await fetchFeed(clientFeed.url)).body);
    expect(before.map((e) => e.uid)).toEqual([kept.id, cancelled.id, moved.id].map((id) => `${id}@knotwork`));
    const cancelledBefore = before[1]!;

    await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${cancelled.id}/cancel`,
      payload: { reason: 'Herniated disc flare-up' },
    });
    const rescheduled = await call(t.app, client, {
      method: 'POST',
      url: `/api/bookings/${moved.id}/reschedule`,
      payload: { start: '2026-11-27T15:00:00Z' },
    });
    expect(rescheduled.statusCode, rescheduled.body).toBe(201);

    const response = await fetchFeed(clientFeed.url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect(response.body).not.toContain('Herniated');
    const events = eventsOf(response.body);
    expect(events.map((e) => [e.uid, e.status, e.start.toISOString(), e.end!.toISOString()])).toEqual([
      [`${kept.id}@knotwork`, 'CONFIRMED', kept.startsAt, kept.endsAt],
      [`${cancelled.id}@knotwork`, 'CANCELLED', cancelled.startsAt, cancelled.endsAt],
      [`${moved.id}@knotwork`, 'CANCELLED', moved.startsAt, moved.endsAt],
      [`${rescheduled.json().id}@knotwork`, 'CONFIRMED', '2026-11-27T15:00:00.000Z', '2026-11-27T16:00:00.000Z'],
    ]);
    // Instants in UTC: each calendar shows them in its user's zone.
    expect(events.map((e) => [e.start.tz, e.end!.tz])).toEqual(events.map(() => ['Etc/UTC', 'Etc/UTC']));
    expect(Number(events[1]!.sequence)).toBeGreaterThan(Number(cancelledBefore.sequence));
    expect(icalText(events[0]!.summary)).toBe('Deep tissue massage (60 min) with Dana Smith');
    expect(icalText(events[1]!.summary)).toBe('Cancelled: Deep tissue massage (60 min) with Dana Smith');
    expect(icalText(events[0]!.location)).toBe('Studio, 1 Test Street, New York');
    expect(icalText(events[0]!.description)).toContain(
      'Tuesday, November 24, 2026, 10:00–11:00 AM Eastern Standard Time',
    );

    const therapistEvents = eventsOf((await fetchFeed(therapistFeed.url)).body);
    expect(therapistEvents.map((e) => e.uid)).toEqual(events.map((e) => e.uid));
    expect(icalText(therapistEvents[0]!.summary)).toBe('Deep tissue massage (60 min): Jamie Fox');
  });

  it('show a session awaiting clearance as TENTATIVE, then the same event confirmed, or cancelled once released', async () => {
    const cautious = await createTherapist(t, { displayName: 'Robin Vale' }, operator);
    const kim = await signUp(t.app, 'client', 'Kim Lee', {
      intake: { ...deskWorkerIntake(), conditions: { kidneyFailure: true } },
    });
    const cleared = await bookSession(t, kim, cautious, '2026-11-25T15:00:00Z');
    const released = await bookSession(t, kim, cautious, '2026-11-26T15:00:00Z');
    expect([cleared.status, released.status]).toEqual(['awaiting_clearance', 'awaiting_clearance']);
    const feed = await createFeed(cautious.session);
    const waiting = eventsOf((await fetchFeed(feed.url)).body);
    expect(waiting.map((e) => [e.uid, e.status, e.transparency])).toEqual([
      [`${cleared.id}@knotwork`, 'TENTATIVE', 'OPAQUE'],
      [`${released.id}@knotwork`, 'TENTATIVE', 'OPAQUE'],
    ]);
    expect(icalText(waiting[0]!.summary)).toBe('Not confirmed: Deep tissue massage (60 min): Kim Lee');
    expect(icalText(waiting[0]!.description)).toContain(
      'Not confirmed yet: it is released, free of charge, unless it is confirmed by Tuesday, November 24, 2026, 10:00 AM Eastern Standard Time.',
    );
    // What is missing is health data: the calendar never says it.
    expect(icalText(waiting[0]!.description)).not.toMatch(/kidney|clearance/i);

    const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n').toString('base64');
    const verify = async (bookingId: string) => {
      const uploaded = await call(t.app, kim, {
        method: 'POST',
        url: `/api/bookings/${bookingId}/clearance-documents`,
        payload: { filename: 'nephrologist.pdf', contentBase64: PDF },
      });
      const review = await call(t.app, cautious.session, {
        method: 'POST',
        url: `/api/bookings/${bookingId}/clearance-documents/${uploaded.json().id}/review`,
        payload: { decision: 'verify' },
      });
      expect(review.statusCode, review.body).toBe(200);
    };
    await verify(cleared.id);
    // Verified only after its deadline: released, free of charge.
    t.clock.set('2026-11-25T15:30:00Z');
    await verify(released.id);

    const after = eventsOf((await fetchFeed(feed.url)).body);
    expect(after.map((e) => [e.uid, e.status])).toEqual([
      [`${cleared.id}@knotwork`, 'CONFIRMED'],
      [`${released.id}@knotwork`, 'CANCELLED'],
    ]);
    expect(Number(after[0]!.sequence)).toBeGreaterThan(Number(waiting[0]!.sequence));
    expect(Number(after[1]!.sequence)).toBeGreaterThan(Number(waiting[1]!.sequence));
    expect(icalText(after[0]!.summary)).toBe('Deep tissue massage (60 min): Kim Lee');
    expect(icalText(after[1]!.summary)).toBe('Cancelled: Deep tissue massage (60 min): Kim Lee');
  });

  it('show summer and winter sessions at their true instants across the DST change', async () => {
    const other = await signUp(t.app, 'client');
    // Friday 30 October (EDT, UTC-4) and Monday 2 November 2026 (EST, UTC-5), both 10:00 in New York.
    t.clock.set('2026-10-20T12:00:00Z');
    const summer = await bookSession(t, other, therapist, '2026-10-30T14:00:00Z');
    const winter = await bookSession(t, other, therapist, '2026-11-02T15:00:00Z');
    const feed = await createFeed(other);
    const events = eventsOf((await fetchFeed(feed.url)).body);
    expect(events.map((e) => e.start.toISOString())).toEqual([summer.startsAt, winter.startsAt]);
    expect(icalText(events[0]!.description)).toContain(
      'Friday, October 30, 2026, 10:00–11:00 AM Eastern Daylight Time',
    );
    expect(icalText(events[1]!.description)).toContain(
      'Monday, November 2, 2026, 10:00–11:00 AM Eastern Standard Time',
    );
  });

  it('can be listed without their secret, rotated and revoked; a revoked or unknown URL is a plain 404', async () => {
    const user = await signUp(t.app, 'client');
    const first = await createFeed(user, 'Laptop');
    t.clock.advance(1000);
    const second = await createFeed(user);
    const list = await call(t.app, user, { method: 'GET', url: '/api/calendar-feeds' });
    expect(list.json().items).toMatchObject([
      { id: second.id, label: 'Calendar feed', revokedAt: null, lastFetchedAt: null },
      { id: first.id, label: 'Laptop', revokedAt: null },
    ]);
    expect(list.body).not.toContain(new URL(first.url).pathname);

    expect((await fetchFeed(first.url)).statusCode).toBe(200);
    const listed = (await call(t.app, user, { method: 'GET', url: '/api/calendar-feeds' })).json().items;
    expect(listed.find((f: { id: string }) => f.id === first.id).lastFetchedAt).toBe(
      new Date(t.clock.now()).toISOString(),
    );

    const rotated = await call(t.app, user, { method: 'POST', url: `/api/calendar-feeds/${first.id}/rotate` });
    expect(rotated.statusCode, rotated.body).toBe(201);
    expect(rotated.json()).toMatchObject({ label: 'Laptop', revokedAt: null });
    expect((await fetchFeed(rotated.json().url)).statusCode).toBe(200);
    const revokedByRotation = await fetchFeed(first.url);
    const unknown = await t.app.inject({ method: 'GET', url: `/calendar/${'A'.repeat(43)}.ics` });
    expect(revokedByRotation.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(JSON.parse(revokedByRotation.body).detail).toBe(JSON.parse(unknown.body).detail);

    const revoked = await call(t.app, user, { method: 'DELETE', url: `/api/calendar-feeds/${second.id}` });
    expect(revoked.json()).toMatchObject({ id: second.id, revokedAt: new Date(t.clock.now()).toISOString() });
    expect((await fetchFeed(second.url)).statusCode).toBe(404);
    const again = await call(t.app, user, { method: 'DELETE', url: `/api/calendar-feeds/${second.id}` });
    expect(again.json()).toEqual(revoked.json());
    expect(
      (await call(t.app, user, { method: 'POST', url: `/api/calendar-feeds/${second.id}/rotate` })).statusCode,
    ).toBe(404);
  });

  it('limit how many feeds are active at once', async () => {
    const user = await signUp(t.app, 'client');
    const feeds = [];
    for (let i = 0; i < 10; i++) feeds.push(await createFeed(user));
    const eleventh = await call(t.app, user, { method: 'POST', url: '/api/calendar-feeds' });
    expect(eleventh.statusCode).toBe(409);
    expect(eleventh.json().code).toBe('calendar_feed_limit');
    await call(t.app, user, { method: 'DELETE', url: `/api/calendar-feeds/${feeds[0]!.id}` });
    await createFeed(user);
  });

  it('keep feed tokens out of the request log', async () => {
    const lines: string[] = [];
    const logged = await buildApp(
      { database: t.database, db: t.database.db, config: t.config, clock: t.clock },
      { logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } },
    );
    try {
      const user = await signUp(t.app, 'client', 'Logged Reader');
      const feed = await createFeed(user);
      const token = /\/calendar\/([^.]+)\.ics$/.exec(feed.url)![1]!;
      const response = await logged.inject({ method: 'GET', url: new URL(feed.url).pathname });
      expect(response.statusCode).toBe(200);
      const log = lines.join('');
      expect(log).toContain('/calendar/[redacted].ics');
      expect(log).not.toContain(token);
    } finally {
      await logged.close();
    }
  });
});
