import { z } from 'zod';
import { healthDataPart } from '../health-data.js';

/**
 * The client's access log in their health-data export: who read or changed their health information, and when.
 * Erasure keeps it (so access stays accountable); it holds no health content.
 */
export const accessLogHealthData = healthDataPart({
  name: 'access log',
  exports: ['audit_log'],
  erases: [],
  exportShape: {
    accessLog: z
      .array(
        z.object({
          at: z.iso.datetime(),
          actor: z.object({ id: z.uuid(), role: z.string(), displayName: z.string() }).nullable(),
          action: z.string(),
          record: z.string(),
          subjectId: z.string(),
        }),
      )
      .describe('Who read or changed your health information, and when'),
  },
  async export(db, clientId) {
    const log = await db
      .selectFrom('audit_log as a')
      .leftJoin('users as u', 'u.id', 'a.actor_id')
      .select(['a.at', 'a.actor_id', 'a.actor_role', 'u.display_name', 'a.action', 'a.subject_type', 'a.subject_id'])
      .where('a.subject_user_id', '=', clientId)
      .orderBy('a.id')
      .execute();
    return {
      accessLog: log.map((a) => ({
        at: a.at.toISOString(),
        actor:
          a.actor_id && a.actor_role ? { id: a.actor_id, role: a.actor_role, displayName: a.display_name ?? '' } : null,
        action: a.action,
        record: a.subject_type,
        subjectId: a.subject_id,
      })),
    };
  },
  counts: [],
  async erase() {
    return {};
  },
});
