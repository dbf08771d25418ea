import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { bookingRows, withPartyNames } from '../booking/booking-view.js';
import type { HealthDataRegistry } from '../health-data.js';
import { authorizeHealthRead } from '../intake/health-access.js';
import { type FhirExportInput, toFhirBundle } from './engine/fhir-bundle.js';

/**
 * The client's health-data export as a FHIR R4 Bundle (`GET /api/me/health-data/fhir`): the same registered parts as
 * the JSON export (src/health-data.ts) and the client's bookings, read in one transaction that audits the read as
 * the JSON export's is, mapped by the pure records/engine/fhir-bundle.ts.
 */
export function registerFhirExportRoutes(app: App, ctx: AppContext, healthData: HealthDataRegistry) {
  const { db, clock } = ctx;
  app.get(
    '/api/me/health-data/fhir',
    {
      schema: {
        tags: ['intake'],
        summary: 'Export all your health information as a FHIR R4 Bundle (application/fhir+json)',
        description:
          'A `collection` Bundle: Patient (you), Appointment (your bookings), QuestionnaireResponse (each consultation version and each questionnaire measure), Observation (outcome measurements), Procedure (sessions with a signed note, its summary as the note) and CarePlan (treatment plans). The read is logged in your access log like the JSON export.',
        querystring: z.object({}).strict(),
        produces: ['application/fhir+json'],
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: z.unknown().describe('The FHIR R4 Bundle (application/fhir+json)') },
      },
    },
    async (request, reply) => {
      const client = requireUser(request, 'client');
      const now = clock.now();
      const bundle = await db.transaction().execute(async (trx) => {
        await authorizeHealthRead(
          trx,
          client,
          { clientId: client.id, record: 'health_data_export', subjectId: client.id, detail: { format: 'fhir' } },
          now,
        );
        const parts = await healthData.export(trx, client.id);
        const bookings = await withPartyNames(
          trx,
          await bookingRows(trx).where('b.client_id', '=', client.id).orderBy('b.starts_at').execute(),
        );
        return toFhirBundle({
          ...(parts as Omit<FhirExportInput, 'exportedAt' | 'client' | 'bookings'>),
          exportedAt: new Date(now).toISOString(),
          client: { id: client.id, email: client.email, displayName: client.displayName },
          bookings: bookings.map((b) => ({
            id: b.id,
            therapistId: b.therapist_id,
            therapistName: b.therapist_name,
            status: b.status,
            startsAt: b.starts_at.toISOString(),
            endsAt: b.ends_at.toISOString(),
            durationMin: b.duration_min,
            mode: b.mode,
            cancellationReason: b.cancellation_reason,
          })),
        });
      });
      return reply
        .type('application/fhir+json')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', 'attachment; filename="knotwork-health-data.fhir.json"')
        .send(JSON.stringify(bundle));
    },
  );
}
