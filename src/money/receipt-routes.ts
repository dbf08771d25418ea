import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError } from '../domain/problems.js';
import { receiptDocument } from './engine/receipt-document.js';
import { renderPdf } from './receipt-pdf.js';
import { type StoredReceipt, paymentsOfClient, receiptById } from './receipts.js';

const purposeSchema = z.enum(['booking', 'fee', 'tip', 'package', 'membership', 'gift_card']);

export const receiptSchema = z
  .object({
    id: z.uuid(),
    number: z.string().describe('"KW-2026-000042": unique, printed on the receipt'),
    kind: z.enum(['charge', 'refund']),
    purpose: purposeSchema,
    amountMinor: z.int().describe('What was paid (charge) or given back (refund), in minor units'),
    currency: z.string(),
    description: z.string(),
    lines: z.array(z.object({ label: z.string(), amountMinor: z.int() })),
    therapistName: z.string().nullable(),
    paymentMethod: z.string().nullable(),
    issuedAt: z.iso.datetime(),
    timeZone: z
      .string()
      .describe(
        'Where the money moved (the session’s place, or the market for a purchase): the receipt’s times are written there',
      ),
    pdfUrl: z.string().describe('The receipt as a PDF'),
  })
  .meta({ id: 'Receipt' });

const paymentSchema = z
  .object({
    id: z.uuid(),
    purpose: purposeSchema,
    status: z
      .enum(['authorized', 'captured', 'voided', 'failed'])
      .describe('authorized: held on the card, not taken yet; captured: taken; voided: released; failed'),
    description: z.string(),
    therapistName: z.string().nullable(),
    currency: z.string(),
    amountAuthorizedMinor: z.int(),
    amountCapturedMinor: z.int(),
    amountRefundedMinor: z.int(),
    paymentMethod: z.string().nullable(),
    createdAt: z.iso.datetime(),
    capturedAt: z.iso.datetime().nullable(),
    bookingId: z.uuid().nullable(),
    refunds: z.array(
      z.object({
        id: z.uuid(),
        amountMinor: z.int(),
        status: z.enum(['pending', 'succeeded', 'failed']),
        createdAt: z.iso.datetime(),
      }),
    ),
    receipts: z.array(receiptSchema),
  })
  .meta({ id: 'ClientPayment' });

const toReceiptView = (r: StoredReceipt) => ({
  id: r.id,
  number: r.number,
  kind: r.kind,
  purpose: r.purpose,
  amountMinor: r.amountMinor,
  currency: r.currency,
  description: r.description,
  lines: r.lines,
  therapistName: r.therapistName,
  paymentMethod: r.paymentMethod,
  issuedAt: new Date(r.issuedAt).toISOString(),
  timeZone: r.timeZone,
  pdfUrl: `/api/me/receipts/${r.id}.pdf`,
});

const PAGE_MAX = 100;

/** The client's payments page and their receipts as PDFs (issue 16). The superbill is booking's (superbill-routes). */
export function registerReceiptRoutes(app: App, ctx: AppContext) {
  const { db } = ctx;

  app.get(
    '/api/me/payments',
    {
      schema: {
        tags: ['money'],
        summary: 'Your payments, newest first, with their refunds and receipts',
        description:
          'Every payment you made (sessions, fees, tips, packages, memberships, gift cards), including ones only held on the card, with the refunds made from each and every receipt issued: one when money was taken, one per refund. Paged: `limit` (default 20, at most 100) after `offset`; `hasMore` says whether there is a next page.',
        querystring: z
          .object({
            limit: z.coerce.number().int().min(1).max(PAGE_MAX).default(20),
            offset: z.coerce.number().int().min(0).max(100_000).default(0),
          })
          .strict(),
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: z.object({ items: z.array(paymentSchema), hasMore: z.boolean() }) },
      },
    },
    async (request) => {
      const user = requireUser(request, 'client');
      const page = await paymentsOfClient(db, user.id, request.query);
      return {
        hasMore: page.hasMore,
        items: page.items.map((p) => ({
          ...p,
          createdAt: new Date(p.createdAt).toISOString(),
          capturedAt: p.capturedAt === null ? null : new Date(p.capturedAt).toISOString(),
          refunds: p.refunds.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() })),
          receipts: p.receipts.map(toReceiptView),
        })),
      };
    },
  );

  app.get(
    '/api/me/receipts/:id.pdf',
    {
      schema: {
        tags: ['money'],
        summary: 'A receipt as a PDF (application/pdf)',
        description:
          'Your own receipt; operators may read any. Someone else’s receipt is 404, as an unknown one is. The PDF is the same bytes every time it is asked for.',
        params: z.object({ id: z.uuid() }).strict(),
        produces: ['application/pdf'],
        problems: ['unauthenticated', 'not_found'],
        querystring: z.object({}).strict(),
        response: { 200: z.unknown().describe('The receipt (application/pdf)') },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const receipt = await receiptById(db, request.params.id);
      if (!receipt || (user.role !== 'operator' && receipt.clientId !== user.id)) {
        throw new ProblemError('not_found', 'No such receipt');
      }
      const pdf = await renderPdf(receiptDocument(receipt));
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `inline; filename="knotwork-receipt-${receipt.number}.pdf"`)
        .send(pdf);
    },
  );
}
