import { describe, expect, it } from 'vitest';
import { documentText } from './printed-document.js';
import { type SuperbillInput, cptUnits, superbillDocument } from './superbill-document.js';

const input: SuperbillInput = {
  clientName: 'Jamie Fox',
  from: '2026-01-01',
  to: '2026-12-31',
  issuedAt: Date.parse('2026-12-02T15:00:00Z'),
  timeZone: 'America/New_York',
  providers: [
    { therapistId: 't1', name: 'Dana Deep', licenceNumber: 'LMT-123', licenceRegion: 'New York State' },
    { therapistId: 't2', name: 'Sam Stone', licenceNumber: null, licenceRegion: null },
    { therapistId: 't3', name: 'Nobody Here', licenceNumber: 'X', licenceRegion: 'Y' },
  ],
  sessions: [
    { therapistId: 't1', date: '2026-11-24', durationMin: 90, mode: 'home', paidMinor: 15_000, currency: 'USD' },
    { therapistId: 't1', date: '2026-03-02', durationMin: 60, mode: 'studio', paidMinor: 12_000, currency: 'USD' },
    { therapistId: 't2', date: '2026-05-05', durationMin: 120, mode: 'studio', paidMinor: 0, currency: 'USD' },
  ],
};

describe('CPT 97124 units', () => {
  it('counts one per 15 minutes by the midpoint rule', () => {
    expect([60, 90, 120].map(cptUnits)).toEqual([4, 6, 8]);
    expect([0, 7, 8, 22, 23].map(cptUnits)).toEqual([0, 0, 1, 1, 2]);
  });
});

describe('a superbill as a document', () => {
  it('lists each provider with their licence and their sessions by date, with codes, units, place and amount', () => {
    const text = documentText(superbillDocument(input));
    expect(text.slice(0, 4)).toEqual([
      'Superbill: massage therapy',
      'Patient: Jamie Fox',
      'Dates of service: January 1, 2026 to December 31, 2026',
      'Issued: December 2, 2026',
    ]);
    const dana = text.indexOf('Provider: Dana Deep');
    expect(text.slice(dana, dana + 9)).toEqual([
      'Provider: Dana Deep',
      'Licensed massage therapist: Dana Deep',
      'Licence number: LMT-123',
      'Licensing region: New York State',
      'Date | Service | CPT | Units | Place | Paid',
      '03/02/2026 | Massage therapy, 60 min | 97124 | 4 | 11 Office | $120',
      '11/24/2026 | Massage therapy, 90 min | 97124 | 6 | 12 Home | $150',
      'Total paid |  |  |  |  | $270',
      "Provider's statement: I, Dana Deep, certify that I provided the massage therapy services listed above on the dates shown, and that the patient paid the amounts shown.",
    ]);
    expect(text).toContain('Licence number: Not on file');
    expect(text).toContain('05/05/2026 | Massage therapy, 120 min | 97124 | 8 | 11 Office | $0');
    expect(text.some((l) => l.includes('Nobody Here'))).toBe(false);
    expect(text).toContain('Diagnosis codes (ICD-10-CM), from the referring physician: ____');
  });

  it('says so when no session took place in the dates', () => {
    const text = documentText(superbillDocument({ ...input, sessions: [] }));
    expect(text).toContain('No massage therapy sessions took place in these dates.');
    expect(text.some((l) => l.startsWith('Provider:'))).toBe(false);
  });
});
