import { describe, expect, it } from 'vitest';
import { fhirR4Errors } from '../../../test/support/fhir-validator.js';
import { type FhirExportInput, toFhirBundle } from './fhir-bundle.js';

const CLIENT = '0b7e2a4c-64a1-4a39-9f0e-3f0c1b3c6a11';
const THERAPIST = '5d1f0c8e-2b6a-4f7e-9a3d-7c2e1f0a9b22';
const BOOKING = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c33';

const data: FhirExportInput = {
  exportedAt: '2026-12-01T10:00:00.000Z',
  client: { id: CLIENT, email: 'sam@example.com', displayName: 'Sam Client' },
  bookings: [
    {
      id: BOOKING,
      therapistId: THERAPIST,
      therapistName: 'Dana Deep',
      status: 'completed',
      startsAt: '2026-11-27T14:00:00.000Z',
      endsAt: '2026-11-27T15:00:00.000Z',
      durationMin: 60,
      mode: 'studio',
      cancellationReason: null,
    },
  ],
  intakeVersions: [
    {
      version: 1,
      createdAt: '2026-11-20T09:00:00.000Z',
      intake: {
        goals: ['Sleep without back pain'],
        medications: [],
        causes: ['desk_work'],
        activity: { level: 'sedentary', deskHoursPerDay: 8 },
        pressure: { preference: 3 },
        bodyMap: [{ region: 'low_back.left' }],
      },
    },
  ],
  outcomeMeasurements: [
    {
      id: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e55',
      measure: 'odi',
      name: 'Oswestry Disability Index',
      unit: '%',
      keyLabel: null,
      value: 24,
      sessionDate: '2026-11-27',
      bookingId: BOOKING,
      recordedAt: '2026-11-27T13:30:00.000Z',
      detail: { answers: { pain: 2, lifting: 3, sleeping: null } },
    },
  ],
  sessionNotes: [
    {
      id: '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f66',
      bookingId: BOOKING,
      status: 'signed',
      signedAt: '2026-11-27T15:10:00.000Z',
      signedBy: { id: THERAPIST, displayName: 'Dana Deep' },
      original: { soap: { subjective: ['Pain 6/10'], objective: [], assessment: ['Less tender'], plan: ['Re-test'] } },
      amendments: [],
    },
  ],
  treatmentPlans: [
    {
      therapistId: THERAPIST,
      version: 1,
      goals: [{ measure: 'ake', key: 'left', comparator: '<', target: 20, label: null }],
      frequency: { sessions: 2, per: 'month' },
      plannedSessions: 4,
      startsOn: '2026-11-27',
      reviewOn: '2027-01-15',
      notes: '',
      updatedAt: '2026-11-27T15:20:00.000Z',
    },
  ],
};

describe('the FHIR R4 export', () => {
  it('maps every part to a resource and the Bundle validates against the R4 specification', () => {
    const bundle = toFhirBundle(data);
    expect(fhirR4Errors(bundle)).toEqual([]);
    expect(bundle.entry.map((e) => e.resource.resourceType)).toEqual([
      'Patient',
      'Appointment',
      'QuestionnaireResponse',
      'QuestionnaireResponse',
      'Observation',
      'Procedure',
      'CarePlan',
    ]);
    const procedure = bundle.entry.find((e) => e.resource.resourceType === 'Procedure')!.resource;
    expect(procedure).toMatchObject({ status: 'completed', note: [{ text: expect.stringContaining('Less tender') }] });
    const odi = bundle.entry.find(
      (e) => e.resource.resourceType === 'QuestionnaireResponse' && e.resource.id.startsWith('q-'),
    )!;
    expect(odi.resource.item).toHaveLength(2);
  });

  it('leaves drafts out and keeps cancelled bookings as cancelled appointments', () => {
    const bundle = toFhirBundle({
      ...data,
      bookings: [{ ...data.bookings[0]!, status: 'cancelled', cancellationReason: 'Ill' }],
      sessionNotes: [{ ...data.sessionNotes[0]!, status: 'draft', original: null, signedAt: null, signedBy: null }],
    });
    expect(fhirR4Errors(bundle)).toEqual([]);
    expect(bundle.entry.map((e) => e.resource.resourceType)).not.toContain('Procedure');
    expect(bundle.entry[1]!.resource).toMatchObject({ status: 'cancelled', cancelationReason: { text: 'Ill' } });
  });

  it('is checked by a validator that does find errors', () => {
    const bundle = toFhirBundle(data);
    const broken = {
      ...bundle,
      entry: [{ ...bundle.entry[1]!, resource: { ...bundle.entry[1]!.resource, status: 'maybe', participant: [] } }],
    };
    expect(fhirR4Errors(broken).length).toBeGreaterThan(0);
  });
});
