import { z } from 'zod';
import { healthDataPart } from '../health-data.js';
import { intakeVersionSchema } from './intake-routes.js';

/** The client's consultations, every version, in their health-data export and erasure (src/health-data.ts). */
export const intakeHealthData = healthDataPart({
  name: 'intake versions',
  exports: ['intake_versions'],
  erases: ['intake_versions'],
  exportShape: { intakeVersions: z.array(intakeVersionSchema) },
  async export(db, clientId) {
    const versions = await db
      .selectFrom('intake_versions')
      .selectAll()
      .where('client_id', '=', clientId)
      .orderBy('version')
      .execute();
    return {
      intakeVersions: versions.map((v) => ({
        clientId,
        version: v.version,
        createdAt: v.created_at.toISOString(),
        intake: v.data,
      })),
    };
  },
  counts: ['intakeVersions'],
  async erase(trx, clientId) {
    const versions = await trx.deleteFrom('intake_versions').where('client_id', '=', clientId).executeTakeFirst();
    return { intakeVersions: Number(versions.numDeletedRows) };
  },
});
