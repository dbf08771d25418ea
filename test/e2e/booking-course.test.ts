import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskWorkerIntake } from '../../src/intake/engine/intake-fixtures.test-support.js';
import { type Session, call, signUp } from '../support/test-app.js';
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
import { saveCard } from '../support/payment-fixture.js';
import { typePayingCard } from './support/cards.js';
import { addDaysIso, todayInNewYork } from './support/dates.js';
import { type SmallMarket, createSmallMarket } from './support/market.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';

const JOURNEY = 'booking-course';
const PASSWORD = 'correct horse battery';

/**
 * Issue 17, deliverable 6: a course of sessions. From a held time, "Make it a course": every week, 4 sessions; the
 * dates are checked (one taken, with the nearest free times that day; tapping one uses it), all held in one go, then
 * confirmed with one card; each is its own booking in My bookings. From a treatment plan, "Book these sessions as a
 * course" opens the planner with the therapist and the count; a client recovering from a heart attack sees the
 * sessions screening refuses, each with its reason, and holds the others.
 */
describe.skipIf(!BROWSER_TESTS_RUN)('Book a course of sessions', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  let market: SmallMarket;
  let studioId: string;

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
    market = await createSmallMarket(server);
    studioId = market.dana.studioId!;
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  /** The instants of a weekly course at 10:00 New York time from `day`, as the API expands it (held by no one). */
  async function courseStarts(client: Session, day: string, count: number): Promise<string[]> {
    const preview = await call(server.app, client, {
      method: 'POST',
      url: '/api/bookings/courses/preview',
      payload: {
        therapistId: market.dana.id,
        durationMin: 60,
        place: { mode: 'studio', studioId },
        firstStart: `${day}T10:00`,
        rrule: `FREQ=WEEKLY;COUNT=${count}`,
      },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    return preview.json().sessions.map((s: { startsAt: string }) => s.startsAt);
  }

  async function holdOne(client: Session, start: string, durationMin = 60) {
    const held = await call(server.app, client, {
      method: 'POST',
      url: '/api/bookings',
      payload: { therapistId: market.dana.id, durationMin, start, place: { mode: 'studio', studioId } },
    });
    expect(held.statusCode, held.body).toBe(201);
    return held.json().id as string;
  }

  async function signInAs(page: Page, client: Session) {
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(client.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  }

  for (const [name, device, daysAhead] of [
    ['phone', PHONE, 2],
    ['desk', DESKTOP, 3],
  ] as const) {
    it(`makes a held time a weekly course, takes an alternative for a taken date, holds and confirms all (${name})`, async () => {
      const client = await signUp(server.app, 'client', `Course Client ${name}`);
      const other = await signUp(server.app, 'client', `Other Client ${name}`);
      const day = addDaysIso(todayInNewYork(server.clock), daysAhead);
      const starts = await courseStarts(client, day, 4);
      // The third date is already taken by someone else; the first is the time the client has just held.
      await holdOne(other, starts[2]!);
      const single = await holdOne(client, starts[0]!);

      const page = await (await newContext(chromium.browser, server, device)).newPage();
      await signInAs(page, client);
      await page.goto(`/bookings/${single}`);
      const makeCourse = page.getByRole('link', { name: 'Make it a course' });
      await makeCourse.waitFor();
      await snap(page, JOURNEY, `00-held-time-${name}`);
      await makeCourse.click();
      await page.waitForURL('**/courses/new?**');
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Book a course');
      await page.getByLabel('Every week').check();
      await page.getByLabel('Sessions', { exact: true }).fill('4');
      await page.getByRole('button', { name: 'Check the dates' }).click();

      const dates = page.getByRole('list', { name: 'Sessions of the course' }).getByRole('listitem');
      await countOf(dates).toBe(4);
      for (const index of [0, 1, 3]) await textOf(dates.nth(index)).toContain('Available');
      const taken = dates.nth(2);
      await textOf(taken).toContain('Taken');
      await textOf(taken).toContain('Nearest free times that day');
      await snap(page, JOURNEY, `01-dates-${name}`);
      await expectAccessible(page, `course dates (${name})`);

      const alternative = taken.getByRole('group').getByRole('button').first();
      const alternativeTime = (await alternative.innerText()).trim();
      await alternative.click();
      expect(await alternative.getAttribute('aria-pressed')).toBe('true');
      await textOf(taken).toContain(`Moved to ${alternativeTime}.`);
      // The time tapped is still the client's while they plan: the course releases it when it is held.
      const statusOf = async (id: string) =>
        (
          await server.database.db
            .selectFrom('bookings')
            .select('status')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).status;
      expect(await statusOf(single)).toBe('held');
      await page.getByRole('button', { name: 'Hold all 4' }).click();

      await textOf(page.getByRole('heading', { name: '4 sessions held with Dana Whitfield' })).toBe(
        '4 sessions held with Dana Whitfield',
      );
      const held = page.getByRole('list', { name: 'Sessions of your course' }).getByRole('listitem');
      await countOf(held).toBe(4);
      await textOf(held.nth(2)).toContain(alternativeTime);
      expect(await statusOf(single)).toBe('cancelled');
      await snap(page, JOURNEY, `02-held-${name}`);
      await expectAccessible(page, `held course (${name})`);

      await typePayingCard(page);
      await page.getByRole('button', { name: 'Confirm all 4' }).click();
      await textOf(page.getByRole('heading', { level: 2, name: 'Your course is booked' })).toBe(
        'Your course is booked',
      );
      await countOf(held.locator('.badge-confirmed')).toBe(4);
      await snap(page, JOURNEY, `03-confirmed-${name}`);

      // Each session is its own booking: in My bookings, part of the course, with its own move and cancel.
      await page.goto('/bookings');
      const items = page.getByRole('article', { name: 'Booking with Dana Whitfield' });
      await countOf(items).toBe(4);
      await countOf(items.filter({ hasText: 'Part of a course' })).toBe(4);
      await countOf(items.getByRole('link', { name: 'Reschedule' })).toBe(4);
      await countOf(items.getByRole('button', { name: 'Cancel' })).toBe(4);
      await snap(page, JOURNEY, `04-my-bookings-${name}`);
      await expectAccessible(page, `my bookings with a course (${name})`);
      const rows = await server.database.db
        .selectFrom('bookings')
        .select(['status', 'course_id'])
        .where('client_id', '=', client.id)
        .where('status', '=', 'confirmed')
        .execute();
      expect(rows).toHaveLength(4);
      expect(new Set(rows.map((row) => row.course_id)).size).toBe(1);
      await page.context().close();
    });
  }

  it('confirms a course its package credits pay without asking for a card, and asks when they run out (desk)', async () => {
    const client = await signUp(server.app, 'client', 'Prepaid Course Client');
    // Dana's 3 × 60 minutes, bought with a saved card before the course: the credits pay every session.
    const offer = await call(server.app, market.dana.session, {
      method: 'POST',
      url: '/api/package-offers',
      payload: {
        market: 'nyc',
        name: '3 × 60 minutes',
        durationMin: 60,
        sessions: 3,
        priceMinor: 33_000,
        validDays: 90,
      },
    });
    expect(offer.statusCode, offer.body).toBe(201);
    const bought = await call(server.app, client, {
      method: 'POST',
      url: '/api/packages',
      payload: { offerId: offer.json().id, paymentMethodId: await saveCard(server.app, client) },
    });
    expect(bought.statusCode, bought.body).toBe(201);

    const page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    await signInAs(page, client);
    const planAndHold = async (daysAhead: number, count: number) => {
      const day = addDaysIso(todayInNewYork(server.clock), daysAhead);
      const single = await holdOne(client, (await courseStarts(client, day, count))[0]!);
      await page.goto(`/bookings/${single}`);
      await page.getByRole('link', { name: 'Make it a course' }).click();
      await page.waitForURL('**/courses/new?**');
      await page.getByLabel('Sessions', { exact: true }).fill(String(count));
      await page.getByRole('button', { name: 'Check the dates' }).click();
      await page.getByRole('button', { name: `Hold all ${count}` }).click();
      await textOf(page.getByRole('heading', { level: 2, name: /sessions held with Dana Whitfield$/ })).toBe(
        `${count} sessions held with Dana Whitfield`,
      );
    };

    await planAndHold(6, 3);
    await textOf(page.locator('.notice-success')).toBe(
      'Your package credits pay for all 3 sessions: no card needed. The cancellation terms of each apply to it alone.',
    );
    expect(await page.getByRole('group', { name: 'Pay each session with' }).count()).toBe(0);
    await snap(page, JOURNEY, '09-paid-by-credits-desk');
    await expectAccessible(page, 'a course its credits pay');
    await page.getByRole('button', { name: 'Confirm all 3' }).click();
    await textOf(page.getByRole('heading', { level: 2, name: 'Your course is booked' })).toBe('Your course is booked');
    const packages = await call(server.app, client, { method: 'GET', url: '/api/me/packages' });
    expect(packages.json().items).toMatchObject([{ kind: 'package', creditsLeft: 0 }]);

    // No credit left: the next course asks for the card again.
    await planAndHold(7, 2);
    await shown(page.getByRole('group', { name: 'Pay each session with' }));
    expect(await page.locator('.notice-success').count()).toBe(0);
    await page.context().close();
  });

  it('makes a held home visit a weekly course at the same address, held and confirmed (phone)', async () => {
    const client = await signUp(server.app, 'client', 'Home Course Client');
    // Priya visits homes from 14:00 within 8 km of Chelsea; the first session five days ahead at 15:00.
    const home = { mode: 'home', address: '245 W 25th St, New York', lat: 40.7457, lng: -73.9966 } as const;
    const day = addDaysIso(todayInNewYork(server.clock), 5);
    const preview = await call(server.app, client, {
      method: 'POST',
      url: '/api/bookings/courses/preview',
      payload: {
        therapistId: market.priya.id,
        durationMin: 60,
        place: home,
        firstStart: `${day}T15:00`,
        rrule: 'FREQ=WEEKLY;COUNT=3',
      },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const first = preview.json().sessions[0].startsAt as string;
    const single = await call(server.app, client, {
      method: 'POST',
      url: '/api/bookings',
      payload: { therapistId: market.priya.id, durationMin: 60, start: first, place: home },
    });
    expect(single.statusCode, single.body).toBe(201);

    const page = await (await newContext(chromium.browser, server, PHONE)).newPage();
    await signInAs(page, client);
    await page.goto(`/bookings/${single.json().id}`);
    const makeCourse = page.getByRole('link', { name: 'Make it a course' });
    await makeCourse.waitFor();
    await makeCourse.click();
    await page.waitForURL('**/courses/new?**');
    await textOf(page.locator('main')).toContain(`with Priya Raman, at ${home.address}`);
    await page.getByLabel('Sessions', { exact: true }).fill('3');
    await page.getByRole('button', { name: 'Check the dates' }).click();
    const dates = page.getByRole('list', { name: 'Sessions of the course' }).getByRole('listitem');
    await countOf(dates).toBe(3);
    for (const index of [0, 1, 2]) await textOf(dates.nth(index)).toContain('Available');
    await snap(page, JOURNEY, '07-home-dates-phone');
    await expectAccessible(page, 'home course dates (phone)');
    await page.getByRole('button', { name: 'Hold all 3' }).click();
    const held = page.getByRole('list', { name: 'Sessions of your course' }).getByRole('listitem');
    await countOf(held).toBe(3);
    await typePayingCard(page);
    await page.getByRole('button', { name: 'Confirm all 3' }).click();
    await countOf(held.locator('.badge-confirmed')).toBe(3);
    await snap(page, JOURNEY, '08-home-confirmed-phone');

    // Every session is a home visit at the held visit's address, one course.
    const rows = await server.database.db
      .selectFrom('bookings')
      .select(['status', 'mode', 'address', 'lat', 'lng', 'course_id', 'starts_at'])
      .where('client_id', '=', client.id)
      .where('status', '=', 'confirmed')
      .orderBy('starts_at')
      .execute();
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((row) => row.course_id)).size).toBe(1);
    expect(rows[0]!.course_id).not.toBeNull();
    for (const row of rows) {
      expect(row.mode).toBe('home');
      expect(row.address).toBe(home.address);
      expect(Number(row.lat)).toBeCloseTo(home.lat, 4);
      expect(Number(row.lng)).toBeCloseTo(home.lng, 4);
    }
    expect(new Date(rows[0]!.starts_at).toISOString()).toBe(first);
    await page.context().close();
  });

  it('books a treatment plan’s sessions as a course, the dates screening refuses listed with their reason (desk)', async () => {
    const today = todayInNewYork(server.clock);
    // A heart attack 31 days ago: no massage for 6 weeks after it, so up to the end of 11 days from now.
    // (Its dates, 4, 11, 18 and 25 days ahead, are none of the other journeys' days.)
    const client = await signUp(server.app, 'client', 'Recovering Heart', {
      intake: deskWorkerIntake({ conditions: { heartAttack: { date: addDaysIso(today, -31) } } }),
    });
    const later = await courseStarts(client, addDaysIso(today, 30), 2);
    await holdOne(client, later[0]!, 90);
    const plan = await call(server.app, market.dana.session, {
      method: 'PUT',
      url: `/api/clients/${client.id}/treatment-plan`,
      payload: {
        goals: [{ measure: 'ake', key: 'left', comparator: '<', target: 20 }],
        frequency: { sessions: 1, per: 'week' },
        plannedSessions: 4,
        reviewOn: addDaysIso(today, 40),
      },
    });
    expect(plan.statusCode, plan.body).toBe(200);

    const page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    await signInAs(page, client);
    await page.goto('/progress');
    await page.getByRole('link', { name: 'Book these sessions as a course' }).click();
    await page.waitForURL('**/courses/new?**');
    await textOf(page.getByRole('heading', { name: 'Choose the first session' })).toBe('Choose the first session');
    await textOf(page.locator('main')).toContain('4 sessions, every week, from your treatment plan');
    // The length of the client's session with the therapist (the plan names none).
    expect(await page.getByLabel('90 min').isChecked()).toBe(true);
    await snap(page, JOURNEY, '05-plan-first-session-desk');
    await expectAccessible(page, 'course from a plan, first session');

    // The first session four days ahead: it and the one a week later fall in the six weeks.
    await page.getByLabel('From').fill(addDaysIso(today, 4));
    const firstDay = page.locator('button[aria-label*=" at "]').first();
    await firstDay.click();
    await textOf(page.getByRole('heading', { name: 'Make it a course' })).toBe('Make it a course');
    await textOf(page.locator('main')).toContain('90 minutes with Dana Whitfield');
    expect(await page.getByLabel('Sessions', { exact: true }).inputValue()).toBe('4');
    await page.getByRole('button', { name: 'Check the dates' }).click();
    const dates = page.getByRole('list', { name: 'Sessions of the course' }).getByRole('listitem');
    await countOf(dates).toBe(4);
    for (const index of [0, 1]) {
      await textOf(dates.nth(index)).toContain('Cannot go ahead');
      await textOf(dates.nth(index)).toMatch(/heart attack/i);
    }
    for (const index of [2, 3]) await textOf(dates.nth(index)).toContain('Available');
    await textOf(page.locator('main')).toContain('2 of the 4 dates are left out');
    await snap(page, JOURNEY, '06-plan-refused-desk');
    await expectAccessible(page, 'course with refused dates');

    await page.getByRole('button', { name: 'Hold all 2' }).click();
    const held = page.getByRole('list', { name: 'Sessions of your course' }).getByRole('listitem');
    await countOf(held).toBe(2);
    const rows = await server.database.db
      .selectFrom('bookings')
      .select(['status', 'course_id'])
      .where('client_id', '=', client.id)
      .where('course_id', 'is not', null)
      .execute();
    expect(rows.map((row) => row.status)).toEqual(['held', 'held']);
    await page.context().close();
  });
});
