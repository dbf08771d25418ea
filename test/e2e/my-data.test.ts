import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCalendarDate } from '../../src/domain/session-time.js';
import { fhirR4Errors } from '../support/fhir-validator.js';
import { workedNote } from '../support/session-fixture.js';
import { type Session, call, uniqueEmail } from '../support/test-app.js';
import {
  type BrowserSession,
  PHONE,
  expectAccessible,
  launchChromium,
  newContext,
  snap,
  textOf,
} from './support/browser.js';
import { completeShortConsultation } from './support/consultation.js';
import { addYearsIso, todayInNewYork } from './support/dates.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';
import { sessionToday } from './support/session-today.js';

/**
 * A client downloads their health data (JSON and FHIR), reads what erasure does (a signed session note is kept,
 * restricted, for the market's six years), and erases it.
 */
describe.skipIf(!BROWSER_TESTS_RUN)('my data', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  let page: Page;
  let client: Session;

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
    page = await (await newContext(chromium.browser, server, PHONE)).newPage();
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  const download = async (name: string) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
    return JSON.parse(await readFile(await file.path(), 'utf8'));
  };

  it('downloads the consultation as JSON and as a FHIR R4 Bundle that validates', async () => {
    const email = uniqueEmail('my-data');
    await page.goto('/sign-up');
    await page.getByLabel('Your name').fill('Robin Records');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('lantern orchard quietly');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/consultation'));
    await completeShortConsultation(page);

    await page.goto('/account');
    const section = page.getByRole('region', { name: 'My data' });
    await textOf(section).toContain('Download everything');
    const json = await download('Download (JSON)');
    expect(json.client.displayName).toBe('Robin Records');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'kw_session')!;
    client = { id: json.client.id, email, cookie: `kw_session=${cookie.value}` };
    expect(json.intakeVersions).toHaveLength(1);
    const bundle = await download('Download for another clinic (FHIR R4)');
    expect(fhirR4Errors(bundle)).toEqual([]);
    expect(bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType)).toEqual([
      'Patient',
      'QuestionnaireResponse',
    ]);
    await expectAccessible(page, 'my data');
    await snap(page, 'my-data', '01-downloads', section);
  });

  it('says what goes at once, which signed notes are kept and until when, then erases and says what happened', async () => {
    // A session today with a signed note, made through the API for the client of the browser.
    const { therapist, bookingId } = await sessionToday(server, { checkIn: true, client });
    const signed = await call(server.app, therapist.session, {
      method: 'POST',
      url: `/api/bookings/${bookingId}/note/sign`,
      payload: { note: workedNote([['hamstrings.left', 2]]) },
    });
    expect(signed.statusCode, signed.body).toBe(200);
    await page.reload();
    const section = page.getByRole('region', { name: 'My data' });
    await page.getByRole('button', { name: 'Erase my health information…' }).click();
    const confirm = page.getByRole('group', { name: 'Erase your health information' });
    await textOf(confirm).toContain('Draft session notes (signed ones are kept restricted, then deleted: see below)');
    // New York keeps clinical records six years (src/demo/demo-market.ts), counted from today there.
    const lastDay = formatCalendarDate(addYearsIso(todayInNewYork(server.clock), 6), {
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
    });
    await textOf(confirm).toContain(
      `1 signed session note is kept for 6 years, as clinical records in New York City must be: restricted, so no one reads them (your therapist neither), and deleted after ${lastDay}.`,
    );
    await textOf(confirm).toContain('The access log');
    const erase = page.getByRole('button', { name: 'Erase my health information', exact: true });
    expect(await erase.isDisabled()).toBe(true);
    await expectAccessible(page, 'erasure confirmation');
    await snap(page, 'my-data', '02-confirm', section);
    await confirm.getByLabel('I understand that erased health information cannot be recovered').check();
    await erase.click();
    await textOf(section.getByRole('status')).toContain('Your health information is erased.');
    await textOf(section.getByRole('status')).toContain('Intake versions: 1 erased');
    await textOf(section.getByRole('status')).toContain(`deleted after ${lastDay}.`);
    await snap(page, 'my-data', '03-erased', section);
    const after = await download('Download (JSON)');
    expect(after.intakeVersions).toEqual([]);
    expect(after.sessionNotes).toEqual([]);
  });
});
