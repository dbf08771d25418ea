import { z } from 'zod';
import { escapeHtml } from '../domain/escape-html.js';
import { receiptSummary, receiptTitle } from '../money/engine/receipt-document.js';
import { defineJob } from '../jobs/job-runner.js';
import { RECEIPT_MAIL_JOB, receiptById } from '../money/receipts.js';
import { enqueueMessages } from './outbox.js';

/**
 * A receipt's e-mail: money schedules this job in the receipt's transaction (money/receipts.ts issueReceipt), since
 * money sits below notify and writes no messages; the job queues the e-mail in the outbox, once per receipt. The
 * e-mail is the receipt's summary and a link to the payments page, where its PDF is.
 */
export function receiptMailJob(publicUrl: string | undefined) {
  return defineJob({
    kind: RECEIPT_MAIL_JOB,
    payload: z.object({ receiptId: z.uuid() }).strict(),
    async run(trx, { receiptId }, { now }) {
      const receipt = await receiptById(trx, receiptId);
      if (!receipt) return;
      const summary = receiptSummary(receipt);
      const pageUrl = publicUrl ? `${publicUrl}/payments` : null;
      const pdfUrl = publicUrl ? `${publicUrl}/api/me/receipts/${receipt.id}.pdf` : null;
      const intro =
        receipt.kind === 'refund'
          ? `Hello ${receipt.clientName}, we have refunded you. Here is the receipt.`
          : `Hello ${receipt.clientName}, thank you for your payment. Here is the receipt.`;
      const where = pageUrl
        ? `Every receipt, as a PDF to download, is on your payments page: ${pageUrl}`
        : 'Every receipt, as a PDF to download, is on the Payments page of Knotwork.';
      const text = [
        intro,
        '',
        ...summary.map(([label, value]) => `${label}: ${value}`),
        '',
        where,
        ...(pdfUrl ? [`This receipt as a PDF: ${pdfUrl}`] : []),
      ].join('\n');
      const html =
        `<p>${escapeHtml(intro)}</p><table>` +
        summary
          .map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
          .join('') +
        '</table>' +
        (pdfUrl && pageUrl
          ? `<p><a href="${escapeHtml(pdfUrl)}">Download this receipt (PDF)</a> · <a href="${escapeHtml(pageUrl)}">All your payments</a></p>`
          : `<p>${escapeHtml(where)}</p>`);
      await enqueueMessages(
        trx,
        [
          {
            userId: receipt.clientId,
            kind: receipt.kind === 'refund' ? 'money.refund_receipt' : 'money.receipt',
            subject: `Your Knotwork ${receiptTitle(receipt).toLowerCase()} ${receipt.number}`,
            text,
            html,
            bookingId: receipt.bookingId,
            dedupeKey: `receipt:${receipt.id}`,
          },
        ],
        now,
      );
    },
  });
}
