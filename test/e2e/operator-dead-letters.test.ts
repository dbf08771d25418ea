import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, createOperator } from '../support/test-app.js';
import {
  type BrowserSession,
  DESKTOP,
  expectAccessible,
  launchChromium,
  newContext,
  shown,
  snap,
  textOf,
} from './support/browser.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';

const JOURNEY = 'operator-dead-letters';

describe.skipIf(!BROWSER_TESTS_RUN)('operators see background work that failed for good, and try it again', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  let operator: Session;
  let page: Page;
  let jobId: number;

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
    operator = await createOperator(server);
    const now = new Date(server.clock.now());
    // A reminder that failed on every attempt (its booking is gone, so once replayed it quietly does nothing).
    const job = await server.database.db
      .insertInto('jobs')
      .values({
        kind: 'booking.reminder',
        payload: JSON.stringify({ bookingId: '00000000-0000-4000-8000-000000000001' }),
        run_at: now,
        status: 'failed',
        attempts: 10,
        last_error: 'connection terminated unexpectedly',
        created_at: now,
        updated_at: now,
        finished_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    jobId = Number(job.id);
    page = await (await newContext(chromium.browser, server, DESKTOP)).newPage();
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('lists the dead letter with its error, and a replay runs it', async () => {
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(operator.email);
    await page.getByLabel('Password').fill('operator password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/operator/licences');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Failed work' }).click();
    await textOf(page.getByRole('heading', { level: 1 })).toBe('Failed background work');
    const card = page.getByRole('article', { name: 'Session reminder' });
    await textOf(card).toContain('connection terminated unexpectedly');
    await textOf(card).toContain('10');
    await snap(page, JOURNEY, '01-dead-letters');
    await expectAccessible(page, 'dead letters');
    await card.getByRole('button', { name: 'Try again' }).click();
    await shown(page.getByText('Nothing has failed.'));
    await expect
      .poll(
        async () =>
          (
            await server.database.db
              .selectFrom('jobs')
              .select(['status', 'replays'])
              .where('id', '=', jobId)
              .executeTakeFirstOrThrow()
          ).status,
        { timeout: 15_000 },
      )
      .toBe('done');
  });
});
