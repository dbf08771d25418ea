import { describe, expect, it } from 'vitest';
import { documentText } from './printed-document.js';
import { type ReceiptFacts, receiptDocument, receiptSummary } from './receipt-document.js';

const charge: ReceiptFacts = {
  number: 'KW-2026-000042',
  kind: 'charge',
  purpose: 'booking',
  amountMinor: 14_040,
  currency: 'USD',
  description: 'Massage session, 60 min',
  lines: [
    { label: 'Session', amountMinor: 12_000 },
    { label: 'Booking fee', amountMinor: 1_000 },
    { label: 'Sales tax', amountMinor: 1_040 },
  ],
  clientName: 'Jamie Fox',
  therapistName: 'Dana Deep',
  paymentMethod: 'Visa ending 4242',
  // 23:30 in New York is already the next day in UTC: the date is the one where the client is.
  issuedAt: Date.parse('2026-11-25T04:30:00Z'),
  timeZone: 'America/New_York',
};

describe('a receipt as a document', () => {
  it('names the number, the people, the card, every line and the total', () => {
    const doc = receiptDocument(charge);
    expect(doc.title).toBe('Receipt KW-2026-000042');
    expect(doc.issuedAt).toBe(charge.issuedAt);
    expect(documentText(doc)).toEqual([
      'Receipt KW-2026-000042',
      'Receipt number: KW-2026-000042',
      'Date: November 24, 2026',
      'Billed to: Jamie Fox',
      'Therapist: Dana Deep',
      'For: Massage session, 60 min',
      'Paid: $140.40',
      'Paid with: Visa ending 4242',
      'Item | Amount',
      'Session | $120',
      'Booking fee | $10',
      'Sales tax | $10.40',
      'Total paid | $140.40',
      'Issued Tuesday, November 24, 2026, 11:30 PM Eastern Standard Time. Keep this receipt for your records; your payments page in Knotwork lists every receipt.',
    ]);
  });

  it('says a refund is a refund, and leaves out what it does not know', () => {
    const refund: ReceiptFacts = {
      ...charge,
      kind: 'refund',
      purpose: 'tip',
      amountMinor: 500,
      description: 'Refund: Tip',
      lines: [{ label: 'Refund', amountMinor: 500 }],
      therapistName: null,
      paymentMethod: null,
    };
    expect(receiptDocument(refund).title).toBe('Refund receipt KW-2026-000042');
    expect(receiptSummary(refund)).toEqual([
      ['Receipt number', 'KW-2026-000042'],
      ['Date', 'November 24, 2026'],
      ['Billed to', 'Jamie Fox'],
      ['For', 'Refund: Tip'],
      ['Refunded', '$5'],
    ]);
    expect(documentText(receiptDocument(refund))).toContain('Total refunded | $5');
  });
});
