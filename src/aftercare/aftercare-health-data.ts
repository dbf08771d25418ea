import { z } from 'zod';
import { aftercarePlanSchema } from '../care/engine/aftercare-plan.js';
import { healthDataPart } from '../health-data.js';
import { eraseAftercare } from './aftercare-store.js';

const level = z.enum(['seek_care', 'emergency']);

const aftercareExportShape = {
  aftercare: z
    .array(
      z.object({
        bookingId: z.uuid(),
        status: z.enum(['draft', 'sent']),
        plan: aftercarePlanSchema,
        sentAt: z.iso.datetime().nullable(),
      }),
    )
    .describe('The aftercare written for your sessions'),
  checkIns: z.array(
    z.object({
      bookingId: z.uuid(),
      seq: z.number(),
      status: z.enum(['scheduled', 'open', 'answered', 'expired']),
      dueAt: z.iso.datetime(),
      answeredAt: z.iso.datetime().nullable(),
      answers: z
        .object({ soreness: z.number(), trend: z.string(), redFlags: z.record(z.string(), z.boolean()) })
        .nullable(),
      level: z.enum(['ok', 'seek_care', 'emergency']).nullable(),
    }),
  ),
  careAlerts: z.array(
    z.object({
      bookingId: z.uuid(),
      level,
      reasons: z.array(z.object({ id: z.string(), level, sign: z.string() })),
      createdAt: z.iso.datetime(),
      acknowledgedAt: z.iso.datetime().nullable(),
      acknowledgementNote: z.string().nullable(),
    }),
  ),
};

/** A client's aftercare, check-ins and care alerts in their health-data export and erasure (src/health-data.ts). */
export const aftercareHealthData = healthDataPart({
  name: 'aftercare, check-ins and care alerts',
  exports: ['aftercare_plans', 'check_ins', 'care_alerts'],
  erases: ['aftercare_plans', 'check_ins', 'care_alerts'],
  exportShape: aftercareExportShape,
  async export(db, clientId) {
    const [plans, checkIns, alerts] = await Promise.all([
      db.selectFrom('aftercare_plans').selectAll().where('client_id', '=', clientId).orderBy('created_at').execute(),
      db.selectFrom('check_ins').selectAll().where('client_id', '=', clientId).orderBy('due_at').execute(),
      db.selectFrom('care_alerts').selectAll().where('client_id', '=', clientId).orderBy('created_at').execute(),
    ]);
    return {
      aftercare: plans.map((p) => ({
        bookingId: p.booking_id,
        status: p.status,
        plan: p.content,
        sentAt: p.sent_at?.toISOString() ?? null,
      })),
      checkIns: checkIns.map((c) => ({
        bookingId: c.booking_id,
        seq: c.seq,
        status: c.status,
        dueAt: c.due_at.toISOString(),
        answeredAt: c.answered_at?.toISOString() ?? null,
        answers: c.answers,
        level: c.level,
      })),
      careAlerts: alerts.map((a) => ({
        bookingId: a.booking_id,
        level: a.level,
        reasons: a.reasons,
        createdAt: a.created_at.toISOString(),
        acknowledgedAt: a.acknowledged_at?.toISOString() ?? null,
        acknowledgementNote: a.acknowledgement_note,
      })),
    };
  },
  counts: ['aftercare', 'checkIns', 'careAlerts'],
  erase: eraseAftercare,
});
