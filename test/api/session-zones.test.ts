import fc from 'fast-check';
import { DateTime } from 'luxon';
import ical from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackgroundWork, createBackgroundWork } from '../../src/background-work.js';
import { createSmtpSender, type MailSender } from '../../src/notify/mail-delivery.js';
import { formatSessionTime } from '../../src/domain/session-time.js';
import { bookSession } from '../support/booking-fixture.js';
import { type SmtpPeer, calendarEventsOf, icalText, startSmtpPeer } from '../support/smtp-peer.js';
import { createTherapist } from '../support/therapist-fixture.js';
import { type TestApp, call, createOperator, signUp, startTestApp } from '../support/test-app.js';

/**
 * A session happens at a place, and every rendering of it (the booking as the API gives it to a screen, the
 * confirmation e-mail's subject, text and HTML, its calendar file, the private calendar feed, the printable brief,
 * the operators' list, the search offer) shows the wall-clock time there: whatever the therapist's profile zone,
 * wherever the reader is, on both daylight-saving change days. Luxon, not our formatter, says what that time is.
 */

const PLACES = [
  { city: 'New York', lat: 40.7359, lng: -73.9911, zone: 'America/New_York', changes: ['2026-11-01', '2027-03-14'] },
  { city: 'Chicago', lat: 41.8781, lng: -87.6298, zone: 'America/Chicago', changes: ['2026-11-01', '2027-03-14'] },
  {
    city: 'Los Angeles',
    lat: 34.0522,
    lng: -118.2437,
    zone: 'America/Los_Angeles',
    changes: ['2026-11-01', '2027-03-14'],
  },
  { city: 'London', lat: 51.4995, lng: -0.1248, zone: 'Europe/London', changes: ['2026-10-25', '2027-03-28'] },
  { city: 'Sydney', lat: -33.8688, lng: 151.2093, zone: 'Australia/Sydney', changes: ['2026-10-04', '2027-04-04'] },
] as const;
const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Phoenix',
  'Europe/London',
  'Europe/Berlin',
  'Australia/Sydney',
  'Asia/Kolkata',
];
const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
  weekday,
  start: '00:00',
  end: '24:00',
  place: 'studio' as const,
}));

let t: TestApp;
let smtp: SmtpPeer;
let sender: MailSender;
let background: BackgroundWork;

beforeAll(async () => {
  t = await startTestApp({ config: { publicUrl: 'https://knotwork.example' } });
  smtp = await startSmtpPeer();
  sender = createSmtpSender(smtp.url);
  background = createBackgroundWork({ db: t.database.db, clock: t.clock, config: t.config }, { sender });
});
afterAll(async () => {
  sender.close?.();
  await smtp.close();
  await t.close();
});

/** A case: the studio's city, a different profile zone for the therapist, a third zone for the reader, a change day and a local time. */
const cases = fc
  .record({
    place: fc.constantFrom(...PLACES),
    therapistZone: fc.constantFrom(...ZONES),
    readerZone: fc.constantFrom(...ZONES),
    changeIndex: fc.constantFrom(0, 1),
    // Local minutes after midnight on the change day, on the half hour: around the change and through the day.
    localMinute: fc.constantFrom(60, 90, 180, 210, 570, 780, 1080, 1350),
  })
  .filter((c) => c.therapistZone !== c.place.zone && c.readerZone !== c.place.zone && c.readerZone !== c.therapistZone);

describe("every rendering of a session shows its place's local time", () => {
  it('in the API, e-mails, calendar files and feeds, the printable brief, the operator list and search', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ({ place, therapistZone, readerZone, changeIndex, localMinute }) => {
        const day = place.changes[changeIndex];
        // Luxon resolves the local time (moving one that falls in a spring-forward gap); the session is that instant.
        const local = DateTime.fromISO(day, { zone: place.zone }).plus({ minutes: localMinute });
        const startsAt = local.toUTC().toISO()!;
        t.clock.set(local.minus({ days: 3 }).toMillis());
        // Signed in now: sign-ins last days, and the cases jump months apart.
        const operator = await createOperator(t);

        const therapist = await createTherapist(
          t,
          {
            displayName: 'Dana Smith',
            zone: therapistZone,
            studio: { lat: place.lat, lng: place.lng },
            hours: ALL_DAY,
            minNoticeMin: 0,
            bookingWindowDays: 365,
          },
          operator,
        );
        const client = await signUp(t.app, 'client', 'Jamie Fox');
        const booking = await bookSession(t, client, therapist, startsAt);
        const endsAt = local.plus({ minutes: 60 });

        // What a person must read: Luxon's words for the local start.
        const date = local.toFormat('cccc, LLLL d, yyyy');
        const shortDate = local.toFormat('ccc, LLL d');
        const clock = local.toFormat('h:mm');
        const period = local.toFormat('a');
        // "9:30–10:30 AM", "11:30 AM–12:30 PM", or across a DST change "1:30 AM Eastern Daylight Time–1:30 AM …".
        const fullStart = new RegExp(`${date}, ${clock}( ${period})?( [A-Z][A-Za-z0-9 +:-]*)?–`);
        const expectFull = (text: string, where: string) =>
          expect(text, `${where}, ${place.city} ${startsAt}`).toMatch(fullStart);

        // The API: the booking carries its place's zone, and a screen in the reader's zone shows the local time, zone named.
        const view = (await call(t.app, client, { method: 'GET', url: `/api/bookings/${booking.id}` })).json();
        expect(view.timeZone).toBe(place.zone);
        const onScreen = formatSessionTime(view.startsAt, view.endsAt, view.timeZone, { readerZone });
        expect(onScreen.startsWith(`${shortDate}, ${clock}`)).toBe(true);
        if (local.offset !== DateTime.fromISO(startsAt, { zone: readerZone }).offset)
          expect(onScreen).toMatch(/ [A-Z][A-Za-z0-9+:-]+$/);

        // The confirmation, to both people: subject, text, HTML and its calendar file.
        await background.runRound();
        await background.runRound();
        const mails = smtp.received
          .filter((m) => m.subject.startsWith('Booking confirmed') || m.subject.startsWith('New booking'))
          .filter((m) => [client.email, therapist.session.email].some((e) => m.to.includes(e)));
        expect(mails).toHaveLength(2);
        for (const mail of mails) {
          expect(mail.subject).toContain(`${shortDate}, ${clock} ${period}`);
          expectFull(mail.text, 'e-mail text');
          expectFull(mail.html, 'e-mail HTML');
          const [event] = calendarEventsOf(mail);
          expect(event!.start.toISOString()).toBe(new Date(startsAt).toISOString());
          expect(event!.end!.toISOString()).toBe(endsAt.toUTC().toJSDate().toISOString());
          expectFull(icalText(event!.description), 'calendar file');
        }

        // The client's private calendar feed.
        const feed = (await call(t.app, client, { method: 'POST', url: '/api/calendar-feeds' })).json();
        const body = (await t.app.inject({ method: 'GET', url: new URL(feed.url).pathname })).body;
        const [entry] = Object.values(ical.sync.parseICS(body)).filter((c): c is ical.VEvent => c?.type === 'VEVENT');
        expect(entry!.start.toISOString()).toBe(new Date(startsAt).toISOString());
        expectFull(icalText(entry!.description), 'calendar feed');

        // The printable brief the therapist reads.
        const brief = await call(t.app, therapist.session, { method: 'GET', url: `/bookings/${booking.id}/brief` });
        expect(brief.statusCode).toBe(200);
        expectFull(brief.body.replaceAll('&#39;', "'"), 'printable brief');

        // The operators' list and the therapist's search offer carry the place's zone.
        const listed = (
          await call(t.app, operator, { method: 'GET', url: `/api/operator/bookings?therapistId=${therapist.id}` })
        ).json();
        expect(listed.items.map((b: { timeZone: string }) => b.timeZone)).toEqual([place.zone]);
        const search = await call(t.app, null, {
          method: 'GET',
          url: `/api/availability?durationMin=60&from=${day}&to=${day}&zone=${place.zone}&mode=studio&lat=${place.lat}&lng=${place.lng}&radiusKm=1&therapistId=${therapist.id}`,
        });
        expect(search.statusCode, search.body).toBe(200);
        expect(search.json().results[0].offers[0].timeZone).toBe(place.zone);
      }),
      { numRuns: 12, seed: 20261206 },
    );
  });
});
