import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TherapistFixture } from '../support/therapist-fixture.js';
import type { Session } from '../support/test-app.js';
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
import { sessionToday, signIn } from './support/session-today.js';

const JOURNEY = 'journey-8-aftercare-check-in';

describe.skipIf(!BROWSER_TESTS_RUN)('journey 8: aftercare after the note, and a check-in that needs a doctor', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  let therapist: TherapistFixture;
  let client: Session;
  let operator: Session;
  let bookingId: string;
  let therapistPage: Page;
  let clientPage: Page;

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
    ({ operator, therapist, client, bookingId } = await sessionToday(server, { checkIn: true }));
    therapistPage = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    clientPage = await (await newContext(chromium.browser, server, PHONE)).newPage();
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('signs the note, reviews the aftercare drafted from it, changes the home programme and sends it', async () => {
    const page = therapistPage;
    await signIn(page, therapist.session, 'correct horse battery', '/therapist/schedule');
    await page.goto(`/therapist/sessions/${bookingId}`);
    await page.getByRole('button', { name: 'Sign note' }).click();
    await textOf(page.getByRole('heading', { name: 'Session note', exact: true })).toBe('Session note');
    await page.getByRole('link', { name: 'Aftercare for the client' }).click();

    await textOf(page.getByRole('heading', { level: 1 })).toBe('Aftercare for the client');
    const stretches = page.getByRole('region', { name: 'Stretches' });
    await shown(stretches.getByRole('textbox', { name: 'What to do' }));
    const before = await stretches.getByRole('textbox', { name: 'What to do' }).count();
    await snap(page, JOURNEY, '01-aftercare-draft');
    await expectAccessible(page, 'the aftercare editor');

    await stretches
      .getByRole('button', { name: /^Remove/ })
      .first()
      .click();
    expect(await stretches.getByRole('textbox', { name: 'What to do' }).count()).toBe(before - 1);
    await page.getByLabel('Add an exercise').selectOption('doorway_chest_stretch');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect
      .poll(() => stretches.getByRole('textbox', { name: 'What to do' }).last().inputValue())
      .toMatch(/^Doorway chest stretch/);
    const firstExpect = page
      .getByRole('region', { name: 'What to expect' })
      .getByRole('textbox', { name: 'What to do' })
      .first();
    await firstExpect.fill('Expect some soreness in the backs of your thighs until Thursday; it is normal.');

    await page.getByRole('button', { name: 'Send to client' }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Aftercare sent');
    await textOf(page.locator('.aftercare-plan')).toContain(
      'Expect some soreness in the backs of your thighs until Thursday',
    );
    await snap(page, JOURNEY, '02-aftercare-sent');

    await page.goto(`/therapist/sessions/${bookingId}`);
    await page.getByRole('button', { name: 'Check out' }).click();
    await textOf(page.locator('.badge')).toBe('Completed');
  });

  it('shows the client the aftercare and home programme on a phone', async () => {
    const page = clientPage;
    await signIn(page, client, 'correct horse battery', '/search');
    await page.getByRole('link', { name: 'Aftercare', exact: true }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Aftercare');
    await page.getByRole('link', { name: /with Dana Whitfield/ }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Your aftercare');
    await textOf(page.locator('.aftercare-plan')).toContain(
      'Expect some soreness in the backs of your thighs until Thursday',
    );
    await textOf(page.getByRole('region', { name: 'Stretches' })).toContain('Doorway chest stretch');
    await textOf(page.getByRole('region', { name: 'When to get help' })).toContain(
      'Emergency: Sudden breathlessness or chest pain.',
    );
    const guides = page.getByRole('region', { name: 'Read more about what was worked on' });
    await textOf(guides).toContain('Is soreness after a massage normal?');
    expect(await guides.getByRole('link', { name: 'Is soreness after a massage normal?' }).getAttribute('href')).toBe(
      '/guides/soreness-after-massage',
    );
    await snap(page, JOURNEY, '03-client-aftercare');
    await expectAccessible(page, 'the client’s aftercare');
  });

  it('opens the check-in when due; the client answers a warning sign and is told to call the emergency number', async () => {
    // Bring the first check-in forward as if a day had passed; the background work opens it.
    const first = await server.database.db
      .selectFrom('check_ins')
      .select('id')
      .where('booking_id', '=', bookingId)
      .where('seq', '=', 1)
      .executeTakeFirstOrThrow();
    await server.database.db
      .updateTable('check_ins')
      .set({ due_at: new Date(server.clock.now() - 60_000) })
      .where('id', '=', first.id)
      .execute();
    await server.database.db
      .updateTable('jobs')
      .set({ run_at: new Date(server.clock.now() - 60_000) })
      .where('dedupe_key', '=', `check_in.open:${first.id}`)
      .execute();
    await expect
      .poll(
        async () =>
          (
            await server.database.db
              .selectFrom('check_ins')
              .select('status')
              .where('id', '=', first.id)
              .executeTakeFirstOrThrow()
          ).status,
        { timeout: 15_000 },
      )
      .toBe('open');

    const page = clientPage;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Aftercare', exact: true }).click();
    await page.getByRole('link', { name: 'Answer the check-in' }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('How are you feeling?');
    await snap(page, JOURNEY, '04-check-in-form');
    await expectAccessible(page, 'the check-in form');

    // Nothing answered: every question says so at its place.
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await shown(page.getByRole('group', { name: 'How sore are you now?' }).locator('.field-error'));
    await shown(
      page.getByRole('group', { name: 'Have you had sudden breathlessness or chest pain?' }).locator('.field-error'),
    );

    await page
      .getByRole('group', { name: 'How sore are you now?' })
      .getByRole('radio', { name: '4', exact: true })
      .check();
    await page.getByRole('radio', { name: 'About the same' }).check();
    for (const group of await page
      .locator('fieldset')
      .filter({ has: page.getByRole('radio', { name: 'Yes' }) })
      .all()) {
      await group.getByRole('radio', { name: 'No' }).check();
    }
    await page
      .getByRole('group', { name: 'Have you had sudden breathlessness or chest pain?' })
      .getByRole('radio', { name: 'Yes' })
      .check();
    await page.getByRole('button', { name: 'Send my answers' }).click();

    const alert = page.getByRole('alert');
    await textOf(alert.getByRole('heading')).toBe('Call your local emergency number now');
    await textOf(alert).toContain('911 in the US and Canada');
    await textOf(alert).toContain('You told us: sudden breathlessness or chest pain');
    await snap(page, JOURNEY, '05-check-in-emergency');
    await expectAccessible(page, 'the emergency result');
    // Read again later, the answer says the same.
    await page.reload();
    await textOf(page.getByRole('alert').getByRole('heading')).toBe('Call your local emergency number now');
  });

  it('puts the alert in the therapist’s and the operator’s queue, where it is acknowledged', async () => {
    const page = therapistPage;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Care alerts' }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Care alerts');
    const card = page.locator('.care-alert').filter({ hasText: 'Jamie Fox' });
    await textOf(card).toContain('Emergency');
    await textOf(card).toContain('Sudden breathlessness or chest pain.');
    await textOf(card).toContain('Soreness 4/10, about the same.');
    await snap(page, JOURNEY, '06-therapist-care-alerts');
    await expectAccessible(page, 'the therapist’s care alerts');

    const operatorPage = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    await signIn(operatorPage, operator, 'operator password', '/operator/licences');
    await operatorPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Care alerts' }).click();
    const operatorCard = operatorPage.locator('.care-alert').filter({ hasText: 'Jamie Fox' });
    await operatorCard.getByRole('button', { name: 'Acknowledge' }).click();
    await shown(operatorCard.locator('.field-error'));
    await operatorCard.getByLabel('What you did').fill('Phoned Jamie: an ambulance was on its way.');
    await operatorCard.getByRole('button', { name: 'Acknowledge' }).click();
    await shown(operatorPage.getByText('No open alerts.'));
    await operatorPage.getByLabel('Show').selectOption('acknowledged');
    await textOf(operatorPage.locator('.care-alert').filter({ hasText: 'Jamie Fox' })).toContain(
      'Acknowledged by Test Operator',
    );
    await snap(operatorPage, JOURNEY, '07-operator-acknowledged');
    await expectAccessible(operatorPage, 'acknowledged care alerts');
  });
});
