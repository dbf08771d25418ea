import { z } from 'zod';
import { healthDataPart } from '../health-data.js';
import { loadClientMeasurements } from './measurement-store.js';
import { measurementSchema, toMeasurementView } from './outcome-views.js';

/** A client's outcome measurements in their health-data export and erasure (src/health-data.ts). */
export const outcomesHealthData = healthDataPart({
  name: 'outcome measurements',
  exports: ['outcome_measurements'],
  erases: ['outcome_measurements'],
  exportShape: { outcomeMeasurements: z.array(measurementSchema) },
  async export(db, clientId) {
    return { outcomeMeasurements: (await loadClientMeasurements(db, clientId)).map(toMeasurementView) };
  },
  counts: ['outcomeMeasurements'],
  async erase(trx, clientId) {
    const measurements = await trx
      .deleteFrom('outcome_measurements')
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return { outcomeMeasurements: Number(measurements.numDeletedRows) };
  },
});
