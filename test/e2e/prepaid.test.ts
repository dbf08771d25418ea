import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInstant } from '../../src/domain/session-time.js';
import { addMonth } from '../../src/money/engine/memberships.js';
import { TEST_CARD, saveCard } from '../support/payment-fixture.js';
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
import { addDaysIso, todayInNewYork } from './support/dates.js';
import { type SmallMarket, createSmallMarket } from './support/market.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';
import { signIn } from './support/session-today.js';

const JOURNEY = 'prepaid';
const PASSWORD = 'correct horse battery';
const DAY_MS = 86_400_000;
const NEW_YORK = 'America/New_York';

/** A date as the screens write it ("Monday, December 6, 2027"), in New York where the browsers are. */
const dateWords = (instant: number) => formatInstant(instant, NEW_YORK, { style: 'date' });

/**
 * Paying ahead, as a client of Soothe or Zeel expects it. On a phone: from a therapist's search card to their
 * packages (the saving against single sessions, the expiry), a declined card said at the card, a package bought with
 * the test card typed into the processor's form, its credits in My packages, and a session booked that the credit pays.
 * At a desk: a monthly membership joined with a saved card (its renewal date), its card changed, resumed once paused, and it cancelled; a
 * gift card bought for someone, with the API's problems said at their fields, and its balance looked up.
 */
describe.skipIf(!BROWSER_TESTS_RUN)('prepaid: packages, memberships and gift cards', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  let market: SmallMarket;

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
    market = await createSmallMarket(server);
    const offer = async (who: Session, url: string, payload: unknown) => {
      const created = await call(server.app, who, { method: 'POST', url, payload });
      expect(created.statusCode, created.body).toBe(201);
    };
    // Dana's 60-minute session is $120 (test/support/therapist-fixture.ts), her 90-minute one $170.
    await offer(market.dana.session, '/api/package-offers', {
      market: 'nyc',
      name: '5 × 60 minutes',
      durationMin: 60,
      sessions: 5,
      priceMinor: 50_000,
      validDays: 180,
    });
    await offer(market.operator, '/api/package-offers', {
      market: 'nyc',
      name: '3 × 90 minutes',
      durationMin: 90,
      sessions: 3,
      priceMinor: 45_000,
      validDays: 365,
    });
    await offer(market.operator, '/api/membership-plans', {
      market: 'nyc',
      name: 'Monthly reset',
      priceMinor: 11_000,
      creditsPerMonth: 1,
      durationMin: 90,
      memberDiscountBp: 1500,
    });
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  async function typeCard(page: Page, number: string) {
    await page.getByLabel('Card number').fill(number);
    await page.getByLabel('Expiry (MM/YY)').fill('12/30');
    await page.getByLabel('Security code (CVC)').fill('123');
  }

  /** Search for Dana's 60-minute studio sessions from two days on (by the clock), and her card in the results. */
  async function danaInSearch(page: Page) {
    const from = addDaysIso(todayInNewYork(server.clock), 2);
    await page.goto(
      `/search?duration=60&mode=studio&near=Midtown&lat=40.7549&lng=-73.984&radius=5&from=${from}&to=${addDaysIso(from, 6)}&sort=earliest`,
    );
    const dana = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Dana Whitfield' }) });
    await shown(dana.locator('.slots button'));
    return dana;
  }

  it('on a phone: buys a package from a therapist’s card, declined first at the card, then books a session the credit pays', async () => {
    const client = await signUp(server.app, 'client', 'Sam Ortiz');
    const page = await (await newContext(chromium.browser, server, PHONE)).newPage();
    await signIn(page, client, PASSWORD, '/search');

    // Dana's card in the search says she offers packages, and from what a session.
    const dana = await danaInSearch(page);
    await textOf(dana.locator('.offer-packages')).toBe(
      'Packages with Dana Whitfield from $100 a session (5 × 60 minutes)',
    );
    await dana.getByRole('link', { name: 'Packages with Dana Whitfield' }).tap();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Buy a package');

    // Hers and the market's, each with its saving against her single sessions and its expiry counted from now.
    const choices = page.getByRole('group', { name: 'Choose a package' });
    const hers = choices.locator('label', { hasText: '5 × 60 minutes' });
    await textOf(hers).toContain('With Dana Whitfield');
    await textOf(hers).toContain('$500 · $100 a session');
    await textOf(hers).toContain('Save $100 (16%) on 5 single sessions at $120');
    await textOf(hers).toContain(`Use by ${dateWords(server.clock.now() + 180 * DAY_MS)} (180 days after buying)`);
    const marketWide = choices.locator('label', { hasText: '3 × 90 minutes' });
    await textOf(marketWide).toContain('With any therapist in New York City');
    await textOf(marketWide).toContain('Save $60 (11%) on 3 single sessions at $170 with Dana Whitfield');
    expect(await choices.getByRole('radio').first().isChecked()).toBe(true);

    // No card saved yet: the test processor's form is open. The declined card is saved, and its refusal said at it.
    await typeCard(page, '4000 0000 0000 0002');
    await snap(page, JOURNEY, '01-phone-packages-and-card-form');
    await expectAccessible(page, 'buying a package');
    await page.getByRole('button', { name: 'Buy 5 × 60 minutes for $500' }).tap();
    const declinedCard = page.getByRole('radio', { name: /ending 0002/ });
    await shown(declinedCard);
    await expect.poll(() => declinedCard.evaluate((el) => el.matches(':focus'))).toBe(true);
    expect(await declinedCard.getAttribute('aria-invalid')).toBe('true');
    const why = page.locator(`[id="${await declinedCard.getAttribute('aria-describedby')}"]`);
    await textOf(why).toMatch(/declined/i);
    await snap(page, JOURNEY, '02-phone-declined-at-the-card');
    await expectAccessible(page, 'a package refused at the card');
    const nothing = await call(server.app, client, { method: 'GET', url: '/api/me/packages' });
    expect(nothing.json().items).toEqual([]);

    await page.getByRole('radio', { name: /Add a card/ }).check();
    await countOf(why).toBe(0);
    await typeCard(page, '4242 4242 4242 4242');
    await page.getByRole('button', { name: 'Buy 5 × 60 minutes for $500' }).tap();
    await page.waitForURL(/\/packages\?bought=/);
    await textOf(page.getByRole('status').filter({ hasText: 'is yours' })).toBe(
      `5 × 60 minutes is yours: 5 credits to use by ${dateWords(server.clock.now() + 180 * DAY_MS)}. Book a 60-minute session and a credit pays for it.`,
    );
    const held = page.getByRole('list', { name: 'My packages and membership months' }).getByRole('listitem');
    await countOf(held).toBe(1);
    await textOf(held).toContain('5 of 5 credits left · 60-minute sessions · $500');
    await snap(page, JOURNEY, '03-phone-my-packages');
    await expectAccessible(page, 'my packages after buying');

    // A session with Dana: the credit pays its price, the card only what is left (nothing, in this market).
    const again = await danaInSearch(page);
    await again.locator('.slots button').first().tap();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
    await textOf(page.getByText(/^Paid with a package credit/)).toBe('Paid with a package credit (4 left).');
    await snap(page, JOURNEY, '04-phone-paid-with-a-credit');
    await expectAccessible(page, 'checkout paid with a credit');
    await page.getByRole('button', { name: /^Confirm/ }).tap();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('You are booked');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Packages' }).tap();
    await textOf(held).toContain('4 of 5 credits left');

    // The other ways to pay ahead start here too, phone-sized.
    await page.getByRole('link', { name: 'Memberships' }).tap();
    await shown(page.getByRole('button', { name: 'Join for $110 a month' }));
    await snap(page, JOURNEY, '05-phone-memberships');
    await expectAccessible(page, 'memberships on a phone');
    await page.goto('/packages');
    await page.getByRole('link', { name: 'Give a gift card' }).tap();
    await shown(page.getByRole('button', { name: 'Pay $100' }));
    await snap(page, JOURNEY, '06-phone-gift-card');
    await expectAccessible(page, 'a gift card on a phone');
    await page.context().close();
  });

  /** Holds Dana's first open 60-minute studio time two days on for `client`, through the API. */
  async function holdWithDana(client: Session): Promise<string> {
    const from = addDaysIso(todayInNewYork(server.clock), 2);
    const search = await call(server.app, null, {
      method: 'GET',
      url: `/api/availability?durationMin=60&from=${from}&to=${addDaysIso(from, 6)}&zone=America/New_York&mode=studio&lat=40.7549&lng=-73.984&radiusKm=5&therapistId=${market.dana.id}`,
    });
    const offer = search.json().results[0].offers[0];
    const held = await call(server.app, client, {
      method: 'POST',
      url: '/api/bookings',
      payload: {
        therapistId: market.dana.id,
        durationMin: 60,
        start: offer.slots[0],
        place: { mode: 'studio', studioId: offer.place.studioId },
      },
    });
    expect(held.statusCode, held.body).toBe(201);
    return held.json<{ id: string }>().id;
  }

  it('at a desk: buys a package from a held booking and comes back to it, joins a membership, changes its card, resumes it once paused, cancels it, and gives a gift card', async () => {
    const client = await signUp(server.app, 'client', 'Lee Park');
    await saveCard(server.app, client, TEST_CARD.visa);
    const page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    await signIn(page, client, PASSWORD, '/search');

    // Under a held booking's total, Dana's packages; bought with the saved card, back to the booking the credit pays.
    const bookingId = await holdWithDana(client);
    await page.goto(`/bookings/${bookingId}`);
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Review and confirm');
    await textOf(page.locator('.offer-packages')).toBe(
      'Packages with Dana Whitfield from $100 a session (5 × 60 minutes)',
    );
    await expectAccessible(page, 'a held booking with the therapist’s packages');
    await page.getByRole('link', { name: 'Packages with Dana Whitfield' }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Buy a package');
    expect(await page.getByRole('radio', { name: /Visa ending 4242/ }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Buy 5 × 60 minutes for $500' }).click();
    await page.waitForURL(`**/bookings/${bookingId}`);
    await textOf(page.getByText(/^Paid with a package credit/)).toBe('Paid with a package credit (4 left).');
    await countOf(page.getByRole('link', { name: 'Packages with Dana Whitfield' })).toBe(0);
    await page.getByRole('button', { name: /^Confirm/ }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('You are booked');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Packages' }).click();
    await page.getByRole('link', { name: 'Memberships' }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Memberships');
    await textOf(page.getByRole('region', { name: 'My memberships' })).toContain(
      'You are not a member of any plan yet.',
    );

    const join = page.getByRole('form', { name: 'Join a plan' });
    const plan = join.getByRole('radio', { name: /Monthly reset/ });
    expect(await plan.isChecked()).toBe(true);
    await textOf(join.locator('label', { hasText: 'Monthly reset' })).toContain(
      '1 × 90-minute session each month, and 15% off other sessions',
    );
    // The saved card is chosen; the card form stays closed.
    expect(await join.getByRole('radio', { name: /Visa ending 4242/ }).isChecked()).toBe(true);
    await snap(page, JOURNEY, '07-desk-plans');
    await expectAccessible(page, 'memberships to join');
    await join.getByRole('button', { name: 'Join for $110 a month' }).click();
    const renewsOn = dateWords(addMonth(server.clock.now()));
    await textOf(page.getByRole('status').filter({ hasText: 'member' })).toBe(
      `You are a member of Monthly reset. It renews on ${renewsOn}.`,
    );
    const mine = page.getByRole('region', { name: 'My memberships' }).getByRole('listitem');
    await countOf(mine).toBe(1);
    await textOf(mine.locator('.badge')).toBe('Active');
    await textOf(mine).toContain(`Renews on ${renewsOn} for $110, charged to your Visa ending 4242.`);
    // The month's credit is in My packages too; the plan is no longer one to join.
    const packages = await call(server.app, client, { method: 'GET', url: '/api/me/packages' });
    expect(packages.json().items).toMatchObject([
      { kind: 'membership', creditsLeft: 1, durationMin: 90 },
      { kind: 'package', creditsLeft: 4 },
    ]);
    await countOf(join.getByRole('radio', { name: /Monthly reset/, disabled: true })).toBe(1);
    await snap(page, JOURNEY, '08-desk-member');
    await expectAccessible(page, 'a membership joined');

    // Its renewals move to a new card, typed into the processor's form.
    await mine.getByRole('button', { name: 'Change card for Monthly reset' }).click();
    const change = page.getByRole('form', { name: 'Change the card for Monthly reset' });
    await change.getByRole('radio', { name: /Add a card/ }).check();
    await typeCard(page, '5555 5555 5555 4444');
    await expectAccessible(page, 'changing a membership’s card');
    await change.getByRole('button', { name: 'Use this card' }).click();
    await textOf(page.getByRole('status').filter({ hasText: 'renews on your' })).toBe(
      'Monthly reset now renews on your Mastercard ending 4444.',
    );
    await textOf(mine).toContain('charged to your Mastercard ending 4444');

    // Its renewals failing a month on pause it (test/api/memberships.test.ts drives that through the renewal job);
    // here the pause is set directly, and the client resumes it on the Visa: a month charged now, from today.
    await server.database.db
      .updateTable('memberships')
      .set({ status: 'paused', failed_attempts: 3 })
      .where('client_id', '=', client.id)
      .execute();
    await page.reload();
    await textOf(mine.locator('.badge')).toBe('Paused');
    await textOf(mine).toContain('Resume it with a card that works, or cancel it.');
    await mine.getByRole('button', { name: 'Resume Monthly reset' }).click();
    const resume = page.getByRole('form', { name: 'Resume Monthly reset' });
    await resume.getByRole('radio', { name: /Visa ending 4242/ }).check();
    await expectAccessible(page, 'resuming a paused membership');
    await resume.getByRole('button', { name: 'Resume and pay $110' }).click();
    await textOf(page.getByRole('status').filter({ hasText: 'active again' })).toBe(
      'Monthly reset is active again: $110 was charged and this month’s credits are yours.',
    );
    await textOf(mine.locator('.badge')).toBe('Active');
    await textOf(mine).toContain('charged to your Visa ending 4242');

    // Cancelled, it runs to the month's end and does not renew.
    await mine.getByRole('button', { name: 'Cancel Monthly reset' }).click();
    await textOf(page.getByRole('group', { name: 'Cancel Monthly reset?' })).toContain(
      `It will not renew. This month runs until ${renewsOn}`,
    );
    await page
      .getByRole('group', { name: 'Cancel Monthly reset?' })
      .getByRole('button', { name: 'Cancel membership' })
      .click();
    await textOf(mine.locator('.badge')).toBe('Ends');
    await textOf(mine).toContain(`Cancelled: it does not renew. This month runs until ${renewsOn}`);
    await countOf(mine.getByRole('button')).toBe(0);
    await snap(page, JOURNEY, '09-desk-cancelled');
    await expectAccessible(page, 'a membership cancelled');

    // A gift card for someone: the API's problems are said at their fields.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Packages' }).click();
    await page.getByRole('link', { name: 'Give a gift card' }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Buy a gift card');
    const form = page.getByRole('form', { name: 'Buy a gift card' });
    await form.getByRole('radio', { name: 'Other amount' }).check();
    await form.getByLabel('Amount (USD)').fill('2');
    await form.getByLabel('Their name').fill('Robin');
    await form.getByLabel('Their e-mail').fill('robin@');
    await form.getByRole('button', { name: 'Pay $2' }).click();
    const amount = form.getByLabel('Amount (USD)');
    await expect.poll(() => amount.getAttribute('aria-invalid')).toBe('true');
    await textOf(page.locator(`[id="${(await amount.getAttribute('aria-describedby'))!.split(' ').at(-1)}"]`)).toBe(
      'A gift card is at least 5.00',
    );
    const email = form.getByLabel('Their e-mail');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    await textOf(form.locator('.field', { has: page.getByLabel('Their e-mail') }).locator('.field-error')).toBe(
      'Enter a valid e-mail address',
    );
    await snap(page, JOURNEY, '10-desk-gift-card-problems');
    await expectAccessible(page, 'a gift card with problems');

    await amount.fill('75');
    await email.fill('Robin@example.com');
    await form.getByLabel('Message (optional)').fill('For your shoulders');
    await form.getByRole('button', { name: 'Pay $75' }).click();
    await textOf(page.getByRole('heading', { level: 2 })).toBe('Your gift card is on its way');
    const bought = await server.database.db
      .selectFrom('messages')
      .select('body_text')
      .where('user_id', '=', client.id)
      .where('kind', '=', 'money.gift_card_bought')
      .executeTakeFirstOrThrow();
    const code = /KNOT-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(bought.body_text)![0];
    await textOf(page.getByRole('status').filter({ hasText: 'You paid' })).toBe(
      `You paid $75 for a gift card for Robin. Its code (ending ${code.slice(-4)}) is e-mailed now: to Robin at robin@example.com, with your message, when that address has a Knotwork account; otherwise to you, to pass on. The code is shown nowhere else.`,
    );
    await snap(page, JOURNEY, '11-desk-gift-card-bought');
    await expectAccessible(page, 'a gift card bought');
    await page.getByRole('link', { name: 'check its balance' }).click();
    await page.getByLabel('Gift card code').fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Check balance' }).click();
    await textOf(page.getByRole('status').filter({ hasText: 'left of' })).toBe(
      `The card ending ${code.slice(-4)} has $75 left of $75.`,
    );
    await page.context().close();
  });
});
