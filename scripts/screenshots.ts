/**
 * The README's screenshots: `npm run screenshots`. Starts Knotwork on an in-memory database with the demo
 * market, walks the main screens in Chromium as the demo client (on a phone), therapist and operator, and
 * writes docs/screenshots/*.png. Needs /usr/bin/chromium, like the browser tests, and runs on their clock
 * (the same day and hour each time, or E2E_CLOCK).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { DEMO_PASSWORD, seedDemoData } from '../src/demo/seed.js';
import { buildApp } from '../src/http/app.js';
import { createOffer } from '../src/money/packages.js';
import { createPaymentProvider } from '../src/money/payment-providers.js';
import { DESKTOP, PHONE, launchChromium, newContext } from '../test/e2e/support/browser.js';
import { FlowingClock } from '../test/e2e/support/clock.js';
import { addDaysIso, todayInNewYork } from '../test/e2e/support/dates.js';
import { ensureWebBuild } from './build-web.js';

const OUT = resolve(fileURLToPath(import.meta.url), '../../docs/screenshots');

await ensureWebBuild({ quiet: true });
const database = await openDatabase({ memory: true });
await migrate(database);
const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), port: 0 };
const clock = new FlowingClock();
// The demo seed's second phase saves the demo client's test card and authorises the demo sessions through it.
const paymentProvider = createPaymentProvider(config.payments, { db: database.db, clock });
await seedDemoData(database.db, clock.now(), {
  stepMin: config.slotStepMin,
  graceMinutes: config.graceMinutes,
  paymentProvider,
});
const app = await buildApp({ database, db: database.db, config, clock }, { logger: false, paymentProvider });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const server = { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, clock };
const chromium = await launchChromium();
mkdirSync(OUT, { recursive: true });

const shot = (page: Page, name: string, fullPage = false) =>
  page.screenshot({ path: resolve(OUT, `${name}.png`), fullPage });

async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

try {
  const phone = await (await newContext(chromium.browser, server, { ...PHONE, deviceScaleFactor: 1 })).newPage();
  await phone.goto('/');
  await shot(phone, 'home-phone');
  await signIn(phone, 'client@knotwork.test');
  const from = todayInNewYork(clock);
  await phone.goto(
    `/search?duration=90&mode=studio&near=Midtown&lat=40.7549&lng=-73.984&radius=5&from=${from}&to=${addDaysIso(from, 6)}&sort=earliest&specialty=hamstrings`,
  );
  await phone.getByRole('heading', { name: /with open times/ }).scrollIntoViewIfNeeded();
  await phone.locator('.slots button').first().waitFor();
  await shot(phone, 'search-results-phone');
  await phone.locator('.slots button').nth(2).click();
  const confirm = phone.getByRole('button', { name: /^Confirm and authorise/ });
  await confirm.waitFor();
  await shot(phone, 'hold-and-terms-phone');
  await confirm.scrollIntoViewIfNeeded();
  await shot(phone, 'checkout-phone');
  await confirm.click();
  await phone.getByRole('heading', { name: 'You are booked' }).waitFor();
  await phone.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My bookings' }).click();
  await phone.getByRole('article').first().getByRole('button', { name: 'Cancel' }).click();
  await phone.getByText(/Cancelling now/).waitFor();
  await shot(phone, 'my-bookings-cancel-phone');
  await phone.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Progress' }).click();
  const pain = phone.getByRole('figure', { name: /Back of the thigh \(hamstrings\), left/ });
  await pain.waitFor();
  await pain.scrollIntoViewIfNeeded();
  await shot(phone, 'client-progress-phone');
  await phone.goto('/payments');
  await phone.getByRole('heading', { name: 'Payments', exact: true }).waitFor();
  await shot(phone, 'payments-phone', true);
  // Packages on offer: the demo therapist's own and a market-wide one, as the therapist and an operator offer them.
  const people = await database.db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('email', 'in', ['therapist@knotwork.test', 'operator@knotwork.test'])
    .execute();
  const idOf = (email: string) => people.find((p) => p.email === email)!.id;
  const therapistId = idOf('therapist@knotwork.test');
  const offered = { market: 'nyc', currency: 'USD' };
  await createOffer(
    database.db,
    {
      ...offered,
      therapistId,
      name: '5 × 90 minutes',
      durationMin: 90,
      sessions: 5,
      priceMinor: 60_000,
      validDays: 365,
    },
    therapistId,
    clock.now(),
  );
  await createOffer(
    database.db,
    {
      ...offered,
      therapistId: null,
      name: '3 × 60 minutes',
      durationMin: 60,
      sessions: 3,
      priceMinor: 30_000,
      validDays: 180,
    },
    idOf('operator@knotwork.test'),
    clock.now(),
  );
  await phone.goto(`/packages/buy?therapist=${therapistId}`);
  await phone.getByRole('group', { name: 'Choose a package' }).waitFor();
  await phone.getByRole('group', { name: 'Pay with' }).waitFor();
  await shot(phone, 'prepaid-phone', true);
  // The therapist as clients see them: photo or initials, rating with its count, practice, prices and reviews.
  await phone.goto(`/therapists/${therapistId}`);
  await phone.getByRole('heading', { level: 1 }).waitFor();
  await phone.getByRole('heading', { name: /Reviews/ }).waitFor();
  await shot(phone, 'therapist-profile-phone', true);
  // The account: e-mail, password, phone, which e-mails to get, closing it.
  await phone.goto('/account');
  await phone.getByRole('heading', { name: 'E-mails', exact: true }).waitFor();
  await shot(phone, 'account-settings-phone', true);
  await phone.goto('/consultation/edit');
  await phone.getByRole('button', { name: 'Back', exact: true }).click();
  await phone.getByRole('heading', { name: /Areas you marked/ }).waitFor();
  // The picture is of the body map itself: the step's sticky Next button would sit on top of it.
  // Hidden through the CSSOM, which the page's security policy allows (an added <style> element it refuses).
  await phone
    .locator('.sticky-actions')
    .evaluate((element) => ((element as unknown as { style: { display: string } }).style.display = 'none'));
  await phone.locator('.body-map').screenshot({ path: resolve(OUT, 'consultation-body-map-phone.png') });

  const pregnant = await (await newContext(chromium.browser, server, { ...PHONE, deviceScaleFactor: 1 })).newPage();
  await signIn(pregnant, 'client2@knotwork.test');
  await pregnant.goto('/consultation');
  await pregnant.getByRole('region', { name: 'Is deep tissue massage right for you?' }).waitFor();
  await shot(pregnant, 'screening-result-phone', true);

  const therapist = await (await newContext(chromium.browser, server, { ...DESKTOP, deviceScaleFactor: 1 })).newPage();
  await signIn(therapist, 'therapist@knotwork.test');
  await therapist.getByRole('heading', { name: /^Week of/ }).waitFor();
  await therapist.waitForLoadState('networkidle');
  // The demo's sessions fall over the next six days, which may start next week.
  if ((await therapist.locator('.session').count()) < 2)
    await therapist.getByRole('button', { name: 'Next week' }).click();
  await therapist.locator('.session').first().waitFor();
  await shot(therapist, 'therapist-schedule-week');
  await therapist.locator('.session-brief').first().click();
  await therapist.getByRole('heading', { name: 'Referred pain' }).waitFor();
  await shot(therapist, 'therapist-brief');
  await therapist.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Hours' }).click();
  await therapist.getByRole('heading', { name: 'Weekly hours' }).waitFor();
  await shot(therapist, 'therapist-weekly-hours');
  await therapist
    .getByRole('region', { name: 'Your other calendar' })
    .screenshot({ path: resolve(OUT, 'therapist-other-calendar.png') });
  const lastSession = await database.db
    .selectFrom('session_notes as n')
    .innerJoin('bookings as b', 'b.id', 'n.booking_id')
    .select('b.id')
    .orderBy('b.starts_at', 'desc')
    .executeTakeFirstOrThrow();
  await therapist.goto(`/therapist/sessions/${lastSession.id}`);
  await therapist.getByRole('heading', { name: 'Session note', exact: true }).waitFor();
  await shot(therapist, 'therapist-session-note', true);
  await therapist.goto('/therapist/earnings');
  await therapist.getByRole('heading', { name: 'Earnings', exact: true }).waitFor();
  await shot(therapist, 'therapist-earnings', true);

  const operator = await (await newContext(chromium.browser, server, { ...DESKTOP, deviceScaleFactor: 1 })).newPage();
  await signIn(operator, 'operator@knotwork.test');
  await operator.getByRole('article').first().waitFor();
  await shot(operator, 'operator-licences');
  await operator.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bookings' }).click();
  await operator.locator('tbody tr').first().waitFor();
  await shot(operator, 'operator-bookings');
  await operator.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flagged screenings' }).click();
  await operator.locator('tbody tr').first().waitFor();
  await shot(operator, 'operator-flagged-screenings');
  await operator.goto('/operator/money');
  await operator.getByRole('heading', { name: 'Money', exact: true }).waitFor();
  await shot(operator, 'operator-money', true);
  console.log(`Screenshots written to ${OUT}`);
} finally {
  await chromium.close();
  await app.close();
  await database.close();
}
