import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TherapistFixture } from '../support/therapist-fixture.js';
import { type Session, call } from '../support/test-app.js';
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

const JOURNEY = 'live-session';

describe.skipIf(!BROWSER_TESTS_RUN)(
  'a live session: the client’s phone and the therapist’s screen see each other, and the operators see incidents',
  () => {
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

    it('opens the therapist’s live view from the session record and the client’s panel from the booking', async () => {
      await signIn(therapistPage, therapist.session, 'correct horse battery', '/therapist/schedule');
      await therapistPage.goto(`/therapist/sessions/${bookingId}`);
      await therapistPage.getByRole('link', { name: 'Open the live view' }).click();
      await textOf(therapistPage.getByRole('heading', { level: 1 })).toBe('Live: Jamie Fox');
      await textOf(therapistPage.getByRole('status').filter({ hasText: 'Connected' })).toBe('Connected');

      await signIn(clientPage, client, 'correct horse battery', '/search');
      await clientPage.goto(`/bookings/${bookingId}`);
      await clientPage.getByRole('link', { name: 'Open live feedback' }).click();
      await textOf(clientPage.getByRole('heading', { level: 1 })).toBe('Live feedback');
      await textOf(clientPage.getByRole('status').filter({ hasText: 'Connected' })).toBe('Connected');
      await textOf(clientPage.getByTestId('working')).toBe('Dana Whitfield has not started yet.');
    });

    it('shows the client where and how firmly the therapist works, and the therapist every tap and the discomfort', async () => {
      await therapistPage.getByLabel('Area being worked').selectOption('hamstrings.left');
      await therapistPage.getByRole('button', { name: '3 · Firm' }).click();
      await textOf(clientPage.getByTestId('working')).toBe(
        'Dana Whitfield is working on: Back of the thigh (hamstrings) (left), firm pressure (3 of 5)',
      );
      await snap(clientPage, JOURNEY, '01-client-panel');
      await expectAccessible(clientPage, 'the client’s live panel');

      await clientPage.getByRole('button', { name: /^More/ }).tap();
      await textOf(therapistPage.getByTestId('latest')).toBe('More');
      await therapistPage.getByRole('button', { name: '4 · Deep' }).click();
      await textOf(clientPage.getByTestId('working')).toContain('deep pressure (4 of 5)');
      await clientPage.getByRole('button', { name: /^Good/ }).tap();
      await textOf(therapistPage.getByTestId('latest')).toBe('Good');
      await clientPage.getByLabel(/How much does it hurt/).fill('6');
      await clientPage.getByRole('button', { name: 'Send discomfort 6' }).tap();
      await textOf(therapistPage.getByTestId('latest')).toBe('Discomfort 6/10');
      await textOf(clientPage.getByTestId('last-sent')).toBe('Last sent: discomfort 6');

      const row = therapistPage.getByRole('row', { name: /Back of the thigh \(hamstrings\) \(left\)/ });
      await textOf(row).toContain('4 · Deep');
      await textOf(row).toContain('6/10');
      await textOf(therapistPage.getByTestId('recent')).toContain(
        'You: pressure 4 · Back of the thigh (hamstrings) (left)',
      );
      await snap(therapistPage, JOURNEY, '02-therapist-view');
      await expectAccessible(therapistPage, 'the therapist’s live view');
    });

    it('shows the therapist each area’s screening cap, and asks for a confirmation and a reason to go past it', async () => {
      const page = therapistPage;
      const region = page.getByLabel('Area being worked');
      await region.selectOption('front_of_neck');
      await textOf(page.getByTestId('region-limit')).toBe(
        'Screening: up to 1 · Light on front of the neck. Endangerment sites: nerves, vessels or organs near the surface; broad light pressure only.',
      );
      const veryDeep = page.getByRole('button', { name: '5 · Very deep' });
      await textOf(veryDeep).toContain('past the cap');
      await veryDeep.click();
      const confirm = page.getByRole('group', { name: 'Go past the screening cap?' });
      await textOf(confirm).toContain('Screening caps front of the neck at 1 · Light for Jamie Fox.');
      await confirm.getByRole('button', { name: 'Send 5 · Very deep with this reason' }).click();
      await textOf(confirm.locator('.field-error')).toBe('Say why, in at least 10 characters');
      // Nothing went out: the client still sees the hamstrings being worked.
      await textOf(clientPage.getByTestId('working')).toContain(
        'Back of the thigh (hamstrings) (left), deep pressure (4 of 5)',
      );
      await page.setViewportSize(PHONE.viewport);
      await snap(page, JOURNEY, '03-past-cap-confirmation-phone');
      await page.setViewportSize(DESKTOP.viewport);
      await snap(page, JOURNEY, '03-past-cap-confirmation');
      await expectAccessible(page, 'the confirmation to go past a screening cap');

      await confirm
        .getByLabel('Reason for 5 · Very deep on front of the neck')
        .fill('Client asked for firm scalene work; pulse and sensation checked first');
      await confirm.getByRole('button', { name: 'Send 5 · Very deep with this reason' }).click();
      await textOf(clientPage.getByTestId('working')).toBe(
        'Dana Whitfield is working on: Front of the neck, very deep pressure (5 of 5)',
      );
      await textOf(page.getByTestId('applying')).toBe(
        'Now: Front of the neck at 5 of 5, past the screening cap (reason recorded)',
      );
      const row = page.getByRole('row', { name: /Front of the neck/ });
      await textOf(row).toContain('screening: up to 1 · Light');
      await textOf(page.locator('.past-cap-reasons')).toContain(
        'Front of the neck: Client asked for firm scalene work; pulse and sensation checked first',
      );
      // Within the cap needs no confirmation; back to the hamstrings for the rest of the session.
      await region.selectOption('hamstrings.left');
      await page.getByRole('button', { name: '4 · Deep' }).click();
      await textOf(clientPage.getByTestId('working')).toContain(
        'Back of the thigh (hamstrings) (left), deep pressure (4 of 5)',
      );
      await snap(page, JOURNEY, '04-past-cap-summary');

      // The note asks for the reason again, filled in from the live record.
      await page.getByRole('link', { name: 'Session record and check-out' }).click();
      const beyond = page.getByTestId('live-beyond');
      expect(await beyond.getByLabel('Why Front of the neck went beyond the screening').inputValue()).toBe(
        'Client asked for firm scalene work; pulse and sensation checked first',
      );
      await snap(page, JOURNEY, '05-note-with-live-reason');
      await expectAccessible(page, 'the note with a reason from the live record');
      await page.goBack();
    });

    it('lets the client report an incident and block the therapist from the panel', async () => {
      await clientPage.getByRole('link', { name: /Report a problem or block Dana Whitfield/ }).click();
      await textOf(clientPage.getByRole('heading', { level: 1 })).toBe('Report a problem');
      await clientPage.getByRole('button', { name: 'Send report' }).tap();
      await textOf(clientPage.locator('.field-error').first()).not.toBe('');
      await clientPage.getByText('Safety concern').tap();
      await clientPage
        .getByLabel('Describe it')
        .fill('The studio door was locked and I could not leave when I asked to.');
      await clientPage.getByText('Also block Dana Whitfield').tap();
      await clientPage.getByRole('button', { name: 'Send report' }).tap();
      await textOf(clientPage.getByRole('status').filter({ hasText: 'Reported' })).toContain(
        'Dana Whitfield can no longer book with you',
      );
      await shown(clientPage.getByRole('region', { name: 'Your reports about this session' }));
      await snap(clientPage, JOURNEY, '06-incident-reported');
      await expectAccessible(clientPage, 'the incident report');
      const preference = await call(server.app, client, { method: 'GET', url: '/api/me/pair-preferences' });
      expect(preference.json()).toEqual([
        expect.objectContaining({ preference: 'never', user: expect.objectContaining({ id: therapist.id }) }),
      ]);
    });

    it('puts the incident in the operators’ queue, where it is reviewed and resolved with a note', async () => {
      const page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
      await signIn(page, operator, 'operator password', '/operator/licences');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).click();
      const card = page.getByRole('article', { name: 'Safety concern: Jamie Fox with Dana Whitfield' });
      await textOf(card).toContain('The studio door was locked');
      await textOf(card).toContain('by Jamie Fox (client)');
      await card.getByRole('button', { name: 'Start review' }).click();
      // Under review, it stays in the queue's default view until it is closed.
      expect(await page.getByLabel('Status').inputValue()).toBe('active');
      await textOf(card.locator('.badge')).toBe('In review');
      await snap(page, JOURNEY, '07-operator-queue');
      await expectAccessible(page, 'the incident queue');
      await card.getByRole('button', { name: 'Resolve' }).click();
      await textOf(card.locator('.field-error')).toContain('Say what was done');
      await card.getByLabel('Operator note').fill('Called both; the studio has been suspended pending a visit.');
      await card.getByRole('button', { name: 'Resolve' }).click();
      await page.getByLabel('Status').selectOption('resolved');
      await textOf(card.locator('.badge')).toBe('Resolved');
      await card.getByText(/History/).click();
      await textOf(card).toContain('Called both; the studio has been suspended');

      // The incident stays in the booking's record.
      await card.getByRole('link', { name: 'Booking' }).click();
      const record = page.getByRole('region', { name: 'Incidents' });
      await textOf(record).toContain('Safety concern');
      await textOf(record).toContain('Resolved: Called both; the studio has been suspended pending a visit.');
      await expectAccessible(page, 'the booking with its incident');
    });
  },
);
