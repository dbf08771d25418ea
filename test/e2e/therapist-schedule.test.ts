import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TherapistFixture, MIDTOWN, createTherapist } from '../support/therapist-fixture.js';
import { type Session, call, createOperator, signUp } from '../support/test-app.js';
import {
  type BrowserSession,
  DESKTOP,
  PHONE,
  countOf,
  expectAccessible,
  launchChromium,
  newContext,
  shown,
  snap,
  textOf,
} from './support/browser.js';
import { addDaysIso, todayInNewYork } from './support/dates.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';
import { signIn } from './support/session-today.js';
import { confirmWithCard } from './support/cards.js';

const JOURNEY = 'therapist-schedule';
const ZONE = 'America/New_York';
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

const localClock = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(iso),
  );
/** Intl writes a narrow no-break space before AM/PM; the assertions read plain spaces. */
const plain = (text: string) => text.replace(/\s+/g, ' ');

describe.skipIf(!BROWSER_TESTS_RUN)('the therapist’s schedule shows the working time search and booking use', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  let therapist: TherapistFixture;
  let client: Session;
  let today: string;
  let dayOff: string;
  let extraDay: string;

  /** Holds and confirms the client's session at a local time on a date, as the search offers it. */
  async function book(date: string, localTime: string) {
    const search = await call(server.app, null, {
      method: 'GET',
      url: `/api/availability?durationMin=60&from=${date}&to=${date}&zone=${ZONE}&mode=studio&lat=${MIDTOWN.lat}&lng=${MIDTOWN.lng}&radiusKm=1&therapistId=${therapist.id}&slotsPerTherapist=100`,
    });
    const slots: string[] = search.json().results[0].offers[0].slots;
    const start = slots.find((s) => localClock(s) === localTime);
    expect(start, `a ${localTime} slot on ${date} among ${slots.map(localClock).join(' ')}`).toBeDefined();
    const held = await call(server.app, client, {
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
    expect((await confirmWithCard(server.app, client, held.json().id)).statusCode).toBe(200);
  }

  async function addOverride(payload: object) {
    const response = await call(server.app, therapist.session, {
      method: 'POST',
      url: '/api/therapists/me/overrides',
      payload,
    });
    expect(response.statusCode, response.body).toBe(201);
  }

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
    today = todayInNewYork(server.clock);
    dayOff = addDaysIso(today, 2);
    extraDay = addDaysIso(today, 3);
    const operator = await createOperator(server);
    therapist = await createTherapist(
      server,
      {
        displayName: 'Dana Whitfield',
        minNoticeMin: 0,
        hours: EVERY_DAY.flatMap((weekday) => [
          { weekday, start: '09:00', end: '12:00', place: 'studio' as const },
          { weekday, start: '13:00', end: '17:00', place: 'studio' as const },
        ]),
      },
      operator,
    );
    client = await signUp(server.app, 'client', 'Jamie Fox');
    // Booked while the day was a working day; the day off taken afterwards does not cancel it.
    await book(dayOff, '10:00');
    await addOverride({ kind: 'off', date: dayOff, note: 'Conference' });
    await addOverride({
      kind: 'extra',
      date: extraDay,
      intervals: [{ start: '18:00', end: '20:00', place: { mode: 'studio', studioId: therapist.studioId } }],
      note: 'Evening clinic',
    });
    await book(extraDay, '18:00');
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  const column = (page: Page, date: string) => page.locator(`section[aria-labelledby="day-${date}"]`);

  /** Moves the shown week or day forward until the date is on screen. */
  async function showDate(page: Page, date: string, view: 'week' | 'day') {
    for (let i = 0; i < 3 && (await page.locator(`#day-${date}`).count()) === 0; i++) {
      await page.getByRole('button', { name: `Next ${view}` }).click();
    }
    await shown(column(page, date));
  }

  /** The day off reads as off with its note; its session is still there, marked outside working time. */
  async function expectDayOff(page: Page) {
    const day = column(page, dayOff);
    await textOf(day).toContain('Day off · Conference');
    expect(await day.innerText()).not.toContain('Not working');
    await countOf(day.getByRole('list', { name: /^Working time/ })).toBe(0);
    const session = day.locator('.session');
    await textOf(session).toContain('Jamie Fox');
    await textOf(session).toContain('Outside your working time');
  }

  /** The extra hours are working time after the split shift's break, and the session in them is not flagged. */
  async function expectExtraHours(page: Page) {
    const day = column(page, extraDay);
    await textOf(day).toContain('Extra hours · Evening clinic');
    const hours = day.getByRole('list', { name: /^Working time/ });
    await expect
      .poll(async () => (await hours.getByRole('listitem').allInnerTexts()).map(plain))
      .toEqual([
        '9:00 AM–12:00 PM Studio',
        'Break 12:00–1:00 PM',
        '1:00–5:00 PM Studio',
        'Break 5:00–6:00 PM',
        '6:00–8:00 PM Studio',
      ]);
    expect(await day.innerText()).not.toContain('Not working');
    const session = day.locator('.session');
    await expect.poll(async () => plain(await session.innerText())).toContain('6:00–7:00 PM');
    await textOf(session).toContain('Jamie Fox');
    expect(await session.innerText()).not.toContain('Outside your working time');
  }

  it('on a desktop: the week and each day show the day off with its session, and the session in extra hours', async () => {
    const page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    await signIn(page, therapist.session, 'correct horse battery', '/therapist/schedule');
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Schedule');
    await showDate(page, dayOff, 'week');
    await expectDayOff(page);
    await showDate(page, extraDay, 'week');
    await expectExtraHours(page);
    await snap(page, JOURNEY, '01-week-desktop');
    await expectAccessible(page, 'schedule week with a day off and extra hours');

    await column(page, extraDay).getByRole('button').click();
    await textOf(page.getByRole('heading', { level: 2 })).toContain(
      new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${extraDay}T12:00:00Z`)),
    );
    await expectExtraHours(page);
    await snap(page, JOURNEY, '02-day-extra-hours-desktop');
    await page.getByRole('button', { name: 'Previous day' }).click();
    await expectDayOff(page);
    await snap(page, JOURNEY, '03-day-off-desktop');
    await expectAccessible(page, 'schedule day off');
    await page.context().close();
  });

  it('on a phone in another time zone: the dates are the therapist’s, and the same day off and extra hours show', async () => {
    // Tokyo is 13 or 14 hours ahead of New York: on most hours of the day its date is not New York's.
    const context = await newContext(chromium.browser, server, { ...PHONE, timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    await signIn(page, therapist.session, 'correct horse battery', '/therapist/schedule');
    await shown(page.locator(`section.is-today[aria-labelledby="day-${today}"]`));
    await textOf(page.getByText(/^Times in/)).toMatch(
      /^Times in Eastern (Standard|Daylight) Time, your practice’s time zone\.$/,
    );
    await showDate(page, dayOff, 'week');
    await expectDayOff(page);
    await showDate(page, extraDay, 'week');
    await expectExtraHours(page);
    await snap(page, JOURNEY, '04-week-phone');

    await page.getByRole('button', { name: 'Day', exact: true }).click();
    await page.getByRole('button', { name: 'Today', exact: true }).click();
    await showDate(page, dayOff, 'day');
    await expectDayOff(page);
    await snap(page, JOURNEY, '05-day-off-phone');
    await showDate(page, extraDay, 'day');
    await expectExtraHours(page);
    await snap(page, JOURNEY, '06-day-extra-hours-phone');
    await expectAccessible(page, 'schedule day on a phone');
    await context.close();
  });
});
