import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueReceipt } from '../../src/money/receipts.js';
import { type Session, signUp } from '../support/test-app.js';
import {
  type BrowserSession,
  DESKTOP,
  PHONE,
  expectAccessible,
  launchChromium,
  newContext,
  snap,
  textOf,
} from './support/browser.js';
import { signIn } from './support/session-today.js';
import { BROWSER_TESTS_RUN, type BrowserServer, startBrowserServer } from './support/server.js';

const JOURNEY = 'payments-page';

/**
 * The client's Payments page: a payment with its receipt to download, a refund, and the superbill form, which says
 * at the field when the dates run backwards. Payments are written as the payment service writes them.
 */
describe.skipIf(!BROWSER_TESTS_RUN)('Payments: receipts and the superbill', () => {
  let server: BrowserServer;
  let chromium: BrowserSession;
  let kim: Session;
  let receiptNumber: string;

  beforeAll(async () => {
    chromium = await launchChromium();
    server = await startBrowserServer();
    kim = await signUp(server.app, 'client', 'Kim Lee');
    const now = server.clock.now();
    const db = server.database.db;
    const method = await db
      .insertInto('payment_methods')
      .values({
        client_id: kim.id,
        provider: 'test',
        provider_token: 'pm_e2e_visa',
        brand: 'Visa',
        last4: '4242',
        exp_month: 12,
        exp_year: 2030,
        created_at: new Date(now),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const payment = await db
      .insertInto('payments')
      .values({
        market: 'nyc',
        currency: 'USD',
        client_id: kim.id,
        therapist_id: null,
        purpose: 'package',
        booking_id: null,
        payment_method_id: method.id,
        provider: 'test',
        provider_reference: 'ch_e2e_1',
        status: 'captured',
        amount_authorized_minor: 54_000,
        amount_captured_minor: 54_000,
        amount_refunded_minor: 6_000,
        breakdown: JSON.stringify({ description: '5 × 90 minutes' }) as never,
        authorized_at: new Date(now - 60_000),
        captured_at: new Date(now - 60_000),
        created_at: new Date(now - 60_000),
        updated_at: new Date(now),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const refund = await db
      .insertInto('payment_refunds')
      .values({
        payment_id: payment.id,
        amount_minor: 6_000,
        status: 'succeeded',
        provider_reference: 're_e2e_1',
        reason: null,
        requested_by: null,
        failure_message: null,
        created_at: new Date(now),
        updated_at: new Date(now),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    receiptNumber = await db.transaction().execute(async (trx) => {
      const charge = await issueReceipt(trx, { paymentId: payment.id }, now - 60_000);
      await issueReceipt(trx, { refundId: refund.id }, now);
      return charge.number;
    });
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  for (const [name, device] of [
    ['phone', PHONE],
    ['desk', DESKTOP],
  ] as const) {
    it(`lists the payment with its receipts, and the superbill form names a wrong field (${name})`, async () => {
      const page = await (await newContext(chromium.browser, server, device)).newPage();
      await signIn(page, kim, 'correct horse battery', '/search');
      if (name === 'phone') await page.goto('/payments');
      else await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Payments' }).click();
      await textOf(page.getByRole('heading', { level: 1 })).toBe('Payments');
      const payment = page.getByRole('list', { name: 'Payments' }).getByRole('listitem').first();
      await textOf(payment).toContain('5 × 90 minutes');
      await textOf(payment).toContain('$540');
      await textOf(payment.locator('.badge')).toBe('Paid, $60 refunded');
      await textOf(payment).toContain('Visa ending 4242');
      const receipt = payment.getByRole('link', { name: `Receipt ${receiptNumber} (PDF)` });
      const pdf = await page.request.get((await receipt.getAttribute('href'))!);
      expect(pdf.status()).toBe(200);
      expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
      await textOf(payment.getByRole('link', { name: /^Refund receipt KW-\d{4}-\d{6} \(PDF\)$/ })).toContain('Refund');
      await snap(page, JOURNEY, `01-payments-${name}`);
      await expectAccessible(page, `payments page (${name})`);

      await page.getByLabel('From').fill('2026-12-31');
      await page.getByLabel('To', { exact: true }).fill('2026-01-01');
      await page.getByRole('button', { name: 'Download superbill (PDF)' }).click();
      await textOf(page.locator('.field-invalid')).toContain('Choose a last date on or after the first date');
      await snap(page, JOURNEY, `02-superbill-error-${name}`);
      await expectAccessible(page, `superbill error (${name})`);

      await page.getByLabel('From').fill('2026-01-01');
      await page.getByLabel('To', { exact: true }).fill('2026-12-31');
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download superbill (PDF)' }).click();
      expect((await download).suggestedFilename()).toBe('knotwork-superbill-2026-01-01-to-2026-12-31.pdf');
      await textOf(page.getByRole('status').filter({ hasText: 'superbill' })).toBe('Your superbill is downloaded.');
      await page.context().close();
    });
  }
});
