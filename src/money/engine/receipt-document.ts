import { formatCalendarDate, formatInstant, formatMoney, localDateOf } from '../../domain/session-time.js';
import type { DocumentBlock, PrintedDocument } from './printed-document.js';

/**
 * A receipt as the client reads it (the PDF on the payments page, the e-mail's summary): who was paid, for what, by
 * which card, when, and its number. Pure: every fact arrives as it was copied into the receipt at issue.
 */

export type ReceiptPurpose = 'booking' | 'fee' | 'tip' | 'package' | 'membership' | 'gift_card';

export interface ReceiptFacts {
  number: string;
  kind: 'charge' | 'refund';
  purpose: ReceiptPurpose;
  amountMinor: number;
  currency: string;
  description: string;
  lines: { label: string; amountMinor: number }[];
  clientName: string;
  therapistName: string | null;
  paymentMethod: string | null;
  issuedAt: number;
  timeZone: string;
}

/** What a charge of each purpose is called when the payer gave no words of their own. */
export const PURPOSE_WORDS: Record<ReceiptPurpose, string> = {
  booking: 'Massage session',
  fee: 'Cancellation fee',
  tip: 'Tip',
  package: 'Session package',
  membership: 'Membership',
  gift_card: 'Gift card',
};

export function receiptTitle(facts: Pick<ReceiptFacts, 'kind'>): string {
  return facts.kind === 'refund' ? 'Refund receipt' : 'Receipt';
}

/** The receipt's key facts as label and value pairs (the PDF's header, the e-mail's summary). */
export function receiptSummary(facts: ReceiptFacts): [string, string][] {
  const rows: [string, string][] = [
    ['Receipt number', facts.number],
    [
      'Date',
      formatCalendarDate(localDateOf(facts.issuedAt, facts.timeZone), {
        year: 'numeric',
        month: 'long',
        day: 'numeric',
      }),
    ],
    ['Billed to', facts.clientName],
  ];
  if (facts.therapistName) rows.push(['Therapist', facts.therapistName]);
  rows.push(['For', facts.description]);
  rows.push([facts.kind === 'refund' ? 'Refunded' : 'Paid', formatMoney(facts.amountMinor, facts.currency)]);
  if (facts.paymentMethod) rows.push([facts.kind === 'refund' ? 'Refunded to' : 'Paid with', facts.paymentMethod]);
  return rows;
}

export function receiptDocument(facts: ReceiptFacts): PrintedDocument {
  const money = (minor: number) => formatMoney(minor, facts.currency);
  const blocks: DocumentBlock[] = [
    { kind: 'fields', rows: receiptSummary(facts) },
    {
      kind: 'table',
      columns: [
        { header: 'Item', width: 0.7, align: 'left' },
        { header: 'Amount', width: 0.3, align: 'right' },
      ],
      rows: facts.lines.map((line) => [line.label, money(line.amountMinor)]),
      total: [facts.kind === 'refund' ? 'Total refunded' : 'Total paid', money(facts.amountMinor)],
    },
    {
      kind: 'paragraph',
      text:
        facts.kind === 'refund'
          ? `The refund goes back to the card it was paid with; banks usually show it within 5 to 10 business days. Issued ${formatInstant(facts.issuedAt, facts.timeZone, { style: 'full' })}.`
          : `Issued ${formatInstant(facts.issuedAt, facts.timeZone, { style: 'full' })}. Keep this receipt for your records; your payments page in Knotwork lists every receipt.`,
    },
  ];
  return {
    title: `${receiptTitle(facts)} ${facts.number}`,
    subject: `${receiptTitle(facts)} ${facts.number}: ${facts.description}`,
    author: 'Knotwork',
    issuedAt: facts.issuedAt,
    blocks,
  };
}
