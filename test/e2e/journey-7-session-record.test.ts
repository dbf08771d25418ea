import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoRecords } from '../../src/demo/demo-records.js';
import type { TherapistFixture } from '../support/therapist-fixture.js';
import type { Session } from '../support/test-app.js';
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
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';
import { dateInNewYork } from './support/dates.js';
import { openScheduleDay, sessionToday, signIn } from './support/session-today.js';

const JOURNEY = 'journey-7-session-record';
describe.skipIf(!BROWSER_TESTS_RUN)(
  'journey 7: the therapist records the session in a minute, and both see the progress',
  () => {
    let server: BrowserServer;
    let chromium: BrowserSession;
    let therapist: TherapistFixture;
    let client: Session;
    let startsAt: string;
    let therapistPage: Page;
    let clientPage: Page;

    beforeAll(async () => {
      chromium = await launchChromium();
      server = await startBrowserServer();
      ({ therapist, client, startsAt } = await sessionToday(server, {
        checkIn: false,
        // Three weekly sessions already held, with signed notes and questionnaires: the history the charts show.
        prepare: (people) =>
          seedDemoRecords(
            server.database.db,
            people.client.id,
            people.therapist.id,
            server.clock.now(),
            server.config.slotStepMin,
          ),
      }));
      therapistPage = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
      clientPage = await (await newContext(chromium.browser, server, PHONE)).newPage();
    });
    afterAll(async () => {
      await chromium?.close();
      await server?.close();
    });

    it('opens the session from the schedule and checks the client in, asking their pain now', async () => {
      const page = therapistPage;
      await signIn(page, therapist.session, 'correct horse battery', '/therapist/schedule');
      // Late on a Sunday the session is tomorrow's, in next week.
      await openScheduleDay(page, dateInNewYork(startsAt));
      await page.getByRole('link', { name: 'Jamie Fox', exact: true }).click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Session with Jamie Fox');
      // The session has not started: a no-show cannot be recorded yet, and the button says from when.
      const noShow = page.getByRole('button', { name: 'Client did not come' });
      expect(await noShow.isDisabled()).toBe(true);
      await textOf(page.getByTestId('no-show-closed')).toMatch(
        /^A no-show can be recorded from \d{1,2}:\d{2} (AM|PM), 15 minutes after the start/,
      );
      const painNow = page.getByRole('group', { name: 'Pain now: ask Jamie Fox' });
      await painNow.getByLabel('Back of the thigh (hamstrings), left').fill('2');
      await snap(page, JOURNEY, '01-session-before');
      await page.setViewportSize(PHONE.viewport);
      await snap(page, JOURNEY, '01-session-before-phone');
      await page.setViewportSize(DESKTOP.viewport);
      await expectAccessible(page, 'session before check-in');
      await page.getByRole('button', { name: 'Check in' }).click();
      await textOf(page.locator('.badge')).toBe('In session');
      await shown(page.getByText('Checked in'));
      await textOf(page.getByTestId('pain-at-check-in')).toBe(
        'Low back, left: not asked · Back of the thigh (hamstrings), left: 2/10 · Back of the thigh (hamstrings), right: not asked',
      );
    });

    it('gets the note drafted from the template for the booking’s focus, and signs it after two edits', async () => {
      const page = therapistPage;
      expect(await page.getByLabel('Template').inputValue()).toBe('hamstrings_deep');
      // Prefilled: the regions worked with techniques, tools, pressure and minutes, and the pain the client gave at
      // check-in; the areas not asked stay so (the consultation's weeks-old scores are not copied in).
      const hamstrings = page.getByRole('group', { name: 'Back of the thigh (hamstrings), left' });
      expect(await hamstrings.getByLabel('Highest pressure, Back of the thigh (hamstrings), left').inputValue()).toBe(
        '4',
      );
      await textOf(hamstrings.locator('summary')).toContain(
        'Myofascial release, Stripping, Trigger point (ischaemic) compression · forearm, knuckles, elbow',
      );
      expect(await hamstrings.getByLabel('Minutes, Back of the thigh (hamstrings), left').inputValue()).toBe('15');
      await textOf(page.getByTestId('pain-before')).toMatch(
        /Low back, left\s+not asked\s+Back of the thigh \(hamstrings\), left\s+2\/10\s+Back of the thigh \(hamstrings\), right\s+not asked/i,
      );
      await snap(page, JOURNEY, '02-note-drafted');
      await expectAccessible(page, 'the drafted note');

      await page.getByLabel('After, Back of the thigh (hamstrings), left').fill('1');
      await page.getByLabel('Active knee extension, left, reading (°)').fill('25');
      await page.getByRole('button', { name: 'Sign note' }).click();

      await textOf(page.getByRole('heading', { name: 'Session note', exact: true })).toBe('Session note');
      const note = page.locator('.soap');
      await textOf(note).toContain('Pain after, Back of the thigh (hamstrings), left: 1/10');
      await textOf(note).toContain('Active knee extension (left): 25°');
      await textOf(note).toContain('Worked Back of the thigh (hamstrings), left, 15 min');
      await snap(page, JOURNEY, '03-note-signed');
    });

    it('corrects the signed note with an amendment, keeping the original readable', async () => {
      const page = therapistPage;
      await page.getByRole('button', { name: 'Amend note' }).click();
      await page
        .getByRole('textbox', { name: 'Assessment' })
        .fill('Hamstrings softer; client reports less pull behind the knee');
      await page.getByLabel('Reason for the amendment').fill('Added the assessment after the session');
      await page.getByRole('button', { name: 'Save amendment' }).click();
      const amendments = page.getByRole('region', { name: 'Amendments' });
      await textOf(amendments).toContain('Dana Whitfield: Added the assessment after the session');
      await textOf(amendments).toContain('Changed: assessment');
      await textOf(page.locator('.soap').first()).toContain('Hamstrings softer');
      await amendments.getByText('The note as originally signed').click();
      await textOf(amendments.locator('.soap')).not.toContain('Hamstrings softer');
      await snap(page, JOURNEY, '04-note-amended');
      await expectAccessible(page, 'the amended note');

      await page.getByRole('button', { name: 'Check out' }).click();
      await textOf(page.locator('.badge')).toBe('Completed');
    });

    it('keeps the treatment plan with the client, and sees the share of clients improved', async () => {
      const page = therapistPage;
      await page.getByRole('link', { name: 'Progress and treatment plan' }).click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Client progress');
      await shown(page.getByRole('figure', { name: /Oswestry Disability Index/ }));
      await page.getByLabel('Number of sessions').fill('8');
      await page.getByRole('button', { name: 'Save plan' }).click();
      await shown(page.getByText('Plan saved.'));
      const plan = page.getByRole('article', { name: 'Treatment plan with Dana Whitfield' });
      await textOf(plan).toContain('1 session a week, 4 of 8 done');
      await textOf(plan).toContain('Touch my toes again');
      await snap(page, JOURNEY, '05-client-progress-and-plan');
      await expectAccessible(page, 'client progress and plan');

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outcomes' }).click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Outcomes');
      await textOf(page.getByRole('row', { name: /Dana Whitfield/ })).toContain('1 (100%)');
      await snap(page, JOURNEY, '06-outcomes');
      await expectAccessible(page, 'outcomes');
    });

    it('shows the client their progress, pain, disability and flexibility charted with meaningful change marked', async () => {
      const page = clientPage;
      await signIn(page, client, 'correct horse battery', '/search');
      await page.getByRole('link', { name: 'Progress' }).click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Your progress');

      const pain = page.getByRole('figure', {
        name: /Pain \(numeric rating, 0-10\), Back of the thigh \(hamstrings\), left/,
      });
      // Today's point is the 2 the client gave at check-in, not a copy of their consultation.
      await textOf(pain.locator('.chart-summary')).toMatch(
        /^6 on .*, 2 on .* \(−4, improved\): a meaningful improvement\.$/,
      );
      await countOf(pain.locator('circle.chart-point')).toBe(4);
      await countOf(pain.locator('circle.chart-ring')).toBe(2);
      expect(await pain.getByRole('img').getAttribute('aria-labelledby')).toBeTruthy();
      await pain.getByText('Show the numbers').click();
      // On a phone the table's header row is hidden and each cell carries its own label.
      const rows = pain.getByRole('row');
      await countOf(rows).toBe(4);
      await textOf(rows.nth(0)).toContain('Baseline');
      await textOf(rows.nth(3)).toContain('Yes');

      const odi = page.getByRole('figure', { name: /Oswestry Disability Index/ });
      await textOf(odi.locator('.chart-summary')).toMatch(/36% on .*, 22% on .*: a meaningful improvement/);
      const ake = page.getByRole('figure', { name: /Active knee extension \(hamstrings\), Left/ });
      await textOf(ake.locator('.chart-summary')).toMatch(/38° .* 25° .*no meaningful-change threshold is published/);
      await textOf(page.getByRole('article', { name: 'Treatment plan with Dana Whitfield' })).toContain(
        'Run 5 km without hamstring pain',
      );
      await snap(page, JOURNEY, '07-progress');
      await expectAccessible(page, 'progress');
    });

    it('lets the client rate the activities they chose for the next check, and rate the session', async () => {
      const page = clientPage;
      await page.getByRole('link', { name: 'Answer the questionnaires before your next session' }).click();
      await page.getByRole('button', { name: 'Activities (PSFS)' }).click();
      expect(await page.getByLabel('Activity 1', { exact: true }).inputValue()).toBe('Run 5 km');
      await page.getByLabel('How well, activity 1 (0–10)').fill('8');
      await page.getByLabel('How well, activity 2 (0–10)').fill('8');
      await page.getByRole('button', { name: 'Send answers' }).click();
      await textOf(page.getByRole('status').filter({ hasText: 'Thank you' })).toContain(
        'Patient-Specific Functional Scale (average)',
      );
      await snap(page, JOURNEY, '08-questionnaire');
      await expectAccessible(page, 'questionnaires');

      await page.getByRole('link', { name: 'My bookings' }).click();
      await page.getByRole('button', { name: 'Show past and cancelled bookings' }).click();
      // Oldest first: today's session is the last one.
      await page
        .getByRole('article')
        .filter({ hasText: 'Completed' })
        .last()
        .getByRole('link', { name: 'Details' })
        .click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Your session');
      await page.getByText('5 stars').click();
      await page.getByText('I would like them again').click();
      await page.getByRole('button', { name: 'Send rating' }).click();
      await textOf(page.getByRole('region', { name: 'Rate your session' })).toContain(
        'You rated this session 5 out of 5',
      );
      await textOf(page.locator('.soap')).toContain('Hamstrings softer');
      await snap(page, JOURNEY, '09-rated');
      await expectAccessible(page, 'the rated session');
    });
  },
);
