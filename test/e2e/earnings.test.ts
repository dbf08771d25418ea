import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MoneyEvent } from '../../src/money/engine/ledger-postings.js';
import { postMoneyEvent } from '../../src/money/ledger-store.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import { type Session, createOperator, signUp } from '../support/test-app.js';
import {
  type BrowserSession,
  DESKTOP,
  PHONE,
  expectAccessible,
  launchChromium,
  newContext,
  shown,
  snap,
  textOf,
} from './support/browser.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';
import { addDaysIso, dateInNewYork, todayInNewYork } from './support/dates.js';
import { signIn } from './support/session-today.js';

const JOURNEY = 'earnings';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe.skipIf(!BROWSER_TESTS_RUN)('a therapist reads what they earned; an operator records the payout', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  let operator: Session;
  let therapist: TherapistFixture;
  /** Whether the earlier session (ten days ago) falls in this calendar month, as the clock makes it. */
  let earlierThisMonth: boolean;
  /** This week's Monday and the Monday after, in New York. */
  let week: { from: string; to: string };

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
    operator = await createOperator(server);
    therapist = await createTherapist(server, { displayName: 'Maya Okafor' }, operator);
    const client = await signUp(server.app, 'client', 'Sam Reyes');
    const now = server.clock.now();
    const post = (event: MoneyEvent, at: number) =>
      server.database.db
        .transaction()
        .execute((trx) =>
          postMoneyEvent(trx, event, { market: 'nyc', currency: 'USD', bookingId: null, occurredAt: at }),
        );
    const session = { clientId: client.id, therapistId: therapist.id };
    // Ten days ago (never this week; this month or not, as the clock has it).
    const today = todayInNewYork(server.clock);
    earlierThisMonth = dateInNewYork(now - 10 * DAY).slice(0, 7) === today.slice(0, 7);
    const monday = addDaysIso(today, -((new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7));
    week = { from: monday, to: addDaysIso(monday, 7) };
    await post({ kind: 'charge', ...session, amountMinor: 12_000, platformShareMinor: 2_400 }, now - 10 * DAY);
    // Minutes ago, so still today when the journeys' clock is just after midnight.
    await post({ kind: 'charge', ...session, amountMinor: 17_000, platformShareMinor: 3_400 }, now - 5 * MINUTE);
    await post({ kind: 'tip', ...session, amountMinor: 3_000 }, now - 2 * MINUTE);
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  async function openEarnings(page: Page) {
    await signIn(page, therapist.session, 'correct horse battery', '/therapist/schedule');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Earnings' }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Earnings');
  }

  it('on a desk: this month, this week, and the CSV link', async () => {
    const page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    await openEarnings(page);
    const totals = page.getByRole('table', { name: /to/ }).first();
    const row = (name: string) => totals.getByRole('row', { name: new RegExp(`^${name}`) });
    // 120 + 170 gross less a 20 % fee, and a 30 tip; or the recent session alone when the earlier one was last month.
    await textOf(row('Sessions')).toContain(earlierThisMonth ? '2' : '1');
    await textOf(row('Gross')).toContain(earlierThisMonth ? '$290' : '$170');
    await textOf(row('Platform fee')).toContain(earlierThisMonth ? '$58' : '$34');
    await textOf(row('Tips')).toContain('$30');
    await textOf(row('Net payable')).toContain(earlierThisMonth ? '$262' : '$166');
    await snap(page, JOURNEY, '01-desk-month');
    await expectAccessible(page, 'earnings, this month');

    await page.getByRole('radio', { name: 'This week' }).check();
    await textOf(row('Sessions')).toContain('1');
    await textOf(row('Net payable')).toContain('$166');
    const csv = page.getByRole('link', { name: 'Download CSV' });
    expect(await csv.getAttribute('href')).toBe(`/api/therapists/me/earnings.csv?from=${week.from}&to=${week.to}`);
    const response = await page.request.get((await csv.getAttribute('href'))!);
    expect(response.headers()['content-type']).toMatch(/^text\/csv/);
    expect((await response.text()).split('\r\n')[0]).toBe('date,booking,kind,currency,gross,platform fee,tip,net');

    await page.getByRole('radio', { name: 'Choose dates' }).check();
    await shown(page.getByLabel('Up to and including'));
    await expectAccessible(page, 'earnings, chosen dates');
  });

  it('on a phone, and after the operator records a payout', async () => {
    const desk = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    await signIn(desk, operator, 'operator password', '/operator/licences');
    await desk.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Money' }).click();
    await textOf(desk.getByRole('heading', { level: 1 })).toBe('Money');
    await textOf(desk.getByRole('table', { name: /Each therapist/ })).toContain('Maya Okafor');
    await expectAccessible(desk, 'operator money');
    await snap(desk, JOURNEY, '03-operator-money');
    await desk.getByLabel('Therapist', { exact: true }).selectOption({ label: 'Maya Okafor' });
    await desk.getByLabel(/^Amount/).fill('300');
    await desk.getByLabel('Transfer reference').fill('TR-0001');
    await desk.getByRole('button', { name: 'Record payout' }).click();
    await textOf(desk.getByText(/The payout is more than|owed/).first()).toMatch(/owed/i);
    await desk.getByLabel(/^Amount/).fill('232');
    await desk.getByRole('button', { name: 'Record payout' }).click();
    await textOf(desk.getByRole('status')).toContain('Payout of $232 recorded');

    const page = await (await newContext(chromium.browser, server, PHONE)).newPage();
    await openEarnings(page);
    await textOf(page.getByRole('heading', { name: 'Payouts' }).locator('..')).toContain('TR-0001');
    await snap(page, JOURNEY, '02-phone-month');
    await expectAccessible(page, 'earnings on a phone');
  });
});
