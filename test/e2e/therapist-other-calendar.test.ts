import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import { createOperator } from '../support/test-app.js';
import {
  type BrowserSession,
  DESKTOP,
  countOf,
  expectAccessible,
  launchChromium,
  newContext,
  shown,
  snap,
  textOf,
} from './support/browser.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';
import { signIn } from './support/session-today.js';

const JOURNEY = 'therapist-other-calendar';
const GOOGLE = readFileSync(new URL('../support/ics/google-weekly-across-dst.ics', import.meta.url), 'utf8');

describe.skipIf(!BROWSER_TESTS_RUN)('the therapist adds their other calendar on the Hours page', () => {
  let calendars: Server;
  let base: string;
  let server: BrowserServer;
  let chromium: BrowserSession;
  let therapist: TherapistFixture;

  beforeAll(async () => {
    calendars = createServer((request, response) => {
      if (request.url === '/calendar/private-7d2c/basic.ics')
        response.writeHead(200, { 'content-type': 'text/calendar' }).end(GOOGLE);
      else response.writeHead(404, 'Not Found').end();
    });
    await new Promise<void>((resolve) => calendars.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(calendars.address() as AddressInfo).port}`;
    chromium = await launchChromium();
    // The calendars are served on 127.0.0.1 here; production refuses private addresses.
    server = await startBrowserServer({
      config: {
        externalCalendars: { allowPrivateAddresses: true, timeoutMs: 2_000, maxBytes: 1_000_000, refreshMinutes: 15 },
      },
    });
    therapist = await createTherapist(server, { displayName: 'Dana Whitfield' }, await createOperator(server));
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    calendars?.closeAllConnections();
    await new Promise((resolve) => calendars?.close(resolve));
  });

  it('adds an address that fails and one that works, shows each one’s refresh, and removes one', async () => {
    const page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
    await signIn(page, therapist.session, 'correct horse battery', '/therapist/schedule');
    await page.getByRole('link', { name: 'Hours', exact: true }).click();
    const section = page.locator('section[aria-labelledby="other-calendar-heading"]');
    await shown(section);
    await textOf(section).toContain('No other calendar yet.');
    const address = section.getByLabel('Calendar address');

    await address.fill('ftp://calendar.example.com/basic.ics');
    await section.getByRole('button', { name: 'Add calendar' }).click();
    await textOf(section).toContain('The address must start with https://');

    await address.fill(`${base}/calendar/missing/basic.ics`);
    await section.getByRole('button', { name: 'Add calendar' }).click();
    const host = new URL(base).host;
    const broken = section.getByRole('listitem', { name: `${host}/…ic.ics` }).first();
    await countOf(section.getByRole('listitem')).toBe(1);
    await textOf(broken).toContain('Could not refresh');
    await textOf(broken).toContain('answered 404 Not Found');
    await textOf(broken).toContain('Not read yet');

    await address.fill(`${base}/calendar/private-7d2c/basic.ics`);
    await section.getByRole('button', { name: 'Add calendar' }).click();
    await countOf(section.getByRole('listitem')).toBe(2);
    const good = section.getByRole('listitem').filter({ hasText: 'Last refreshed' });
    await textOf(good).toMatch(/Last refreshed .* · \d+ busy times ahead/);
    await textOf(section).not.toContain('private-7d2c');
    await snap(page, JOURNEY, '01-two-calendars');
    await expectAccessible(page, 'hours page with other calendars');

    await section
      .getByRole('listitem')
      .filter({ hasText: 'Could not refresh' })
      .getByRole('button', { name: /^Remove/ })
      .click();
    await countOf(section.getByRole('listitem')).toBe(1);
    await textOf(section.getByRole('listitem')).toContain('Last refreshed');
    await page.context().close();
  });
});
