import { describe, expect, it } from 'vitest';
import {
  clearanceStatus,
  clearanceSummary,
  documentSchema,
  toDocumentMeta,
  toDocumentView,
} from './screening-views.js';

describe('clearance views', () => {
  it('is cleared only when every required rule is covered by a verified document', () => {
    expect(clearanceStatus([], [])).toBe('not_required');
    expect(clearanceStatus(['dvt.recent'], [])).toBe('pending');
    expect(clearanceStatus(['dvt.recent', 'pregnancy.high_risk'], [['dvt.recent']])).toBe('pending');
    expect(clearanceStatus(['dvt.recent', 'pregnancy.high_risk'], [['dvt.recent'], ['pregnancy.high_risk']])).toBe(
      'verified',
    );
  });

  it('summarises a booking’s documents: only verified ones count, submitted ones wait for review', () => {
    const documents = [
      { status: 'verified', covers: ['dvt.recent'] },
      { status: 'rejected', covers: ['pregnancy.high_risk'] },
      { status: 'submitted', covers: [] },
      { status: 'submitted', covers: [] },
    ];
    expect(clearanceSummary(['dvt.recent'], documents)).toEqual({ status: 'verified', documentsToReview: 2 });
    expect(clearanceSummary(['dvt.recent', 'pregnancy.high_risk'], documents)).toEqual({
      status: 'pending',
      documentsToReview: 2,
    });
    expect(clearanceSummary([], [])).toEqual({ status: 'not_required', documentsToReview: 0 });
  });

  it('shows a document the same way everywhere, the export leaving out what it covers', () => {
    const row = {
      id: '00000000-0000-4000-8000-000000000001',
      booking_id: '00000000-0000-4000-8000-000000000002',
      filename: 'letter.pdf',
      content_type: 'application/pdf',
      size_bytes: 1234,
      sha256: 'ab'.repeat(32),
      status: 'verified' as const,
      uploaded_at: new Date('2026-12-01T10:00:00Z'),
      reviewed_at: null,
      review_note: null,
      covers: ['dvt.recent'],
    };
    const view = toDocumentView(row);
    expect(documentSchema.parse(view)).toEqual(view);
    expect(view).toMatchObject({
      bookingId: row.booking_id,
      uploadedAt: '2026-12-01T10:00:00.000Z',
      reviewedAt: null,
      covers: ['dvt.recent'],
    });
    expect(toDocumentMeta(row)).not.toHaveProperty('covers');
  });
});
