/**
 * The client's health-data export as a FHIR R4 `collection` Bundle: plain export data in, a Bundle out (no I/O).
 * Patient (the client), Appointment (bookings), QuestionnaireResponse (each consultation version, and each
 * questionnaire measure such as ODI, NDI or PSFS), Observation (every outcome measurement), Procedure (each session
 * with a signed note, its SOAP summary as the note) and CarePlan (each treatment-plan version). Knotwork's own codes
 * live under {@link KNOTWORK_FHIR_SYSTEM}; people outside the Bundle (therapists) are referenced by identifier.
 */

export const KNOTWORK_FHIR_SYSTEM = 'https://knotwork.app/fhir';

export interface FhirExportInput {
  exportedAt: string;
  client: { id: string; email: string; displayName: string };
  bookings: {
    id: string;
    therapistId: string;
    therapistName: string;
    status: string;
    startsAt: string;
    endsAt: string;
    durationMin: number;
    mode: string;
    cancellationReason: string | null;
  }[];
  intakeVersions: {
    version: number;
    createdAt: string;
    intake: {
      goals: string[];
      medications: string[];
      causes: string[];
      activity: { level: string; deskHoursPerDay: number };
      pressure: { preference: number };
      bodyMap: { region: string }[];
    };
  }[];
  outcomeMeasurements: {
    id: string;
    measure: string;
    name: string;
    unit: string;
    keyLabel: string | null;
    value: number;
    sessionDate: string;
    bookingId: string | null;
    recordedAt: string;
    detail: { answers?: Record<string, number | null>; ratings?: { activity: string; score: number }[] };
  }[];
  sessionNotes: {
    id: string;
    bookingId: string;
    status: 'draft' | 'signed';
    signedAt: string | null;
    signedBy: { id: string; displayName: string } | null;
    original: { soap: { subjective: string[]; objective: string[]; assessment: string[]; plan: string[] } } | null;
    amendments: unknown[];
  }[];
  treatmentPlans: {
    therapistId: string;
    version: number;
    goals: { measure: string; key: string | null; comparator: string; target: number; label: string | null }[];
    frequency: { sessions: number; per: string };
    plannedSessions: number;
    startsOn: string;
    reviewOn: string;
    notes: string;
    updatedAt: string;
  }[];
}

type Resource = { resourceType: string; id: string } & Record<string, unknown>;
export interface FhirBundle {
  resourceType: 'Bundle';
  type: 'collection';
  timestamp: string;
  entry: { fullUrl: string; resource: Resource }[];
}

const APPOINTMENT_STATUS: Record<string, string> = {
  held: 'pending',
  awaiting_clearance: 'pending',
  confirmed: 'booked',
  checked_in: 'checked-in',
  completed: 'fulfilled',
  no_show: 'noshow',
  cancelled: 'cancelled',
  expired: 'cancelled',
  rescheduled: 'cancelled',
};

const therapist = (id: string, display?: string) => ({
  identifier: { system: `${KNOTWORK_FHIR_SYSTEM}/therapist`, value: id },
  ...(display ? { display } : {}),
});

const code = (system: string, value: string, text: string) => ({
  coding: [{ system: `${KNOTWORK_FHIR_SYSTEM}/${system}`, code: value, display: text }],
  text,
});

/** A FHIR id: letters, digits, '-' and '.', at most 64. */
const fhirId = (raw: string) => raw.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64);

type Answer = { valueString: string } | { valueInteger: number } | { valueDecimal: number };
const item = (linkId: string, text: string, answers: Answer[]) =>
  answers.length === 0 ? [] : [{ linkId, text, answer: answers }];

export function toFhirBundle(data: FhirExportInput): FhirBundle {
  const entries: Resource[] = [];
  const patientRef = { reference: `Patient/${data.client.id}`, display: data.client.displayName };
  entries.push({
    resourceType: 'Patient',
    id: data.client.id,
    identifier: [{ system: `${KNOTWORK_FHIR_SYSTEM}/client`, value: data.client.id }],
    name: [{ text: data.client.displayName }],
    telecom: [{ system: 'email', value: data.client.email }],
  });

  const bookingsById = new Map(data.bookings.map((b) => [b.id, b]));
  for (const b of data.bookings) {
    const status = APPOINTMENT_STATUS[b.status] ?? 'pending';
    entries.push({
      resourceType: 'Appointment',
      id: b.id,
      status,
      serviceType: [code('service', `deep-tissue-${b.mode}`, `Deep-tissue massage (${b.mode})`)],
      start: b.startsAt,
      end: b.endsAt,
      minutesDuration: b.durationMin,
      ...(status === 'cancelled' && b.cancellationReason ? { cancelationReason: { text: b.cancellationReason } } : {}),
      participant: [
        { actor: patientRef, status: 'accepted' },
        { actor: therapist(b.therapistId, b.therapistName), status: 'accepted' },
      ],
    });
  }

  for (const v of data.intakeVersions) {
    const i = v.intake;
    entries.push({
      resourceType: 'QuestionnaireResponse',
      id: fhirId(`intake-${v.version}-${data.client.id}`),
      questionnaire: `${KNOTWORK_FHIR_SYSTEM}/Questionnaire/consultation`,
      status: 'completed',
      subject: patientRef,
      authored: v.createdAt,
      author: patientRef,
      item: [
        ...item(
          'goals',
          'Goals',
          i.goals.map((g) => ({ valueString: g })),
        ),
        ...item(
          'bodyMap',
          'Areas marked on the body map',
          i.bodyMap.map((e) => ({ valueString: e.region })),
        ),
        ...item(
          'causes',
          'Likely causes',
          i.causes.map((c) => ({ valueString: c })),
        ),
        ...item(
          'medications',
          'Medications',
          i.medications.map((m) => ({ valueString: m })),
        ),
        ...item('activityLevel', 'Activity level', [{ valueString: i.activity.level }]),
        ...item('deskHoursPerDay', 'Desk hours per day', [{ valueDecimal: i.activity.deskHoursPerDay }]),
        ...item('pressurePreference', 'Pressure preference (1 light to 5 very deep)', [
          { valueInteger: i.pressure.preference },
        ]),
      ],
    });
  }

  for (const m of data.outcomeMeasurements) {
    const answers = Object.entries(m.detail.answers ?? {}).filter(
      (a): a is [string, number] => typeof a[1] === 'number',
    );
    const ratings = m.detail.ratings ?? [];
    const questionnaireId = answers.length > 0 || ratings.length > 0 ? fhirId(`q-${m.id}`) : null;
    if (questionnaireId) {
      entries.push({
        resourceType: 'QuestionnaireResponse',
        id: questionnaireId,
        questionnaire: `${KNOTWORK_FHIR_SYSTEM}/Questionnaire/${m.measure}`,
        status: 'completed',
        subject: patientRef,
        authored: m.recordedAt,
        item: [
          ...answers.flatMap(([question, score]) => item(question, question, [{ valueInteger: score }])),
          ...ratings.flatMap((r, n) => item(`activity-${n + 1}`, r.activity, [{ valueDecimal: r.score }])),
        ],
      });
    }
    entries.push({
      resourceType: 'Observation',
      id: m.id,
      status: 'final',
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/observation-category',
              code: questionnaireId ? 'survey' : 'exam',
            },
          ],
        },
      ],
      code: code('outcome-measure', m.measure, m.name),
      subject: patientRef,
      effectiveDateTime: m.sessionDate,
      issued: m.recordedAt,
      valueQuantity: { value: m.value, unit: m.unit },
      ...(m.keyLabel ? { bodySite: { text: m.keyLabel } } : {}),
      ...(questionnaireId ? { derivedFrom: [{ reference: `QuestionnaireResponse/${questionnaireId}` }] } : {}),
    });
  }

  for (const n of data.sessionNotes) {
    if (n.status !== 'signed' || !n.original) continue;
    const booking = bookingsById.get(n.bookingId);
    const soap = n.original.soap;
    const sections: [string, string[]][] = [
      ['Subjective', soap.subjective],
      ['Objective', soap.objective],
      ['Assessment', soap.assessment],
      ['Plan', soap.plan],
    ];
    const summary = sections
      .filter(([, lines]) => lines.length > 0)
      .map(([label, lines]) => `${label}: ${lines.join('; ')}`)
      .join('\n');
    entries.push({
      resourceType: 'Procedure',
      id: n.id,
      status: 'completed',
      code: code('procedure', 'deep-tissue-massage', 'Deep-tissue massage session'),
      subject: patientRef,
      ...(booking ? { performedPeriod: { start: booking.startsAt, end: booking.endsAt } } : {}),
      ...(n.signedBy ? { performer: [{ actor: therapist(n.signedBy.id, n.signedBy.displayName) }] } : {}),
      ...(summary ? { note: [{ time: n.signedAt ?? undefined, text: summary }] } : {}),
    });
  }

  for (const p of data.treatmentPlans) {
    const goals = p.goals.map(
      (g) => `${g.label ?? g.measure}${g.key ? ` (${g.key})` : ''} ${g.comparator} ${g.target}`,
    );
    entries.push({
      resourceType: 'CarePlan',
      id: fhirId(`plan-${p.version}-${p.therapistId}`),
      status: 'active',
      intent: 'plan',
      title: 'Treatment plan',
      description: `${p.plannedSessions} sessions, ${p.frequency.sessions} per ${p.frequency.per}, review on ${p.reviewOn}${goals.length ? `. Goals: ${goals.join('; ')}` : ''}`,
      subject: patientRef,
      period: { start: p.startsOn },
      created: p.updatedAt,
      author: therapist(p.therapistId),
      ...(p.notes ? { note: [{ text: p.notes }] } : {}),
    });
  }

  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: data.exportedAt,
    entry: entries.map((resource) => ({
      fullUrl: `${KNOTWORK_FHIR_SYSTEM}/${resource.resourceType}/${resource.id}`,
      resource: JSON.parse(JSON.stringify(resource)) as Resource,
    })),
  };
}
