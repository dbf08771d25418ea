import { z } from 'zod';
import { isValidTimeZone } from '../../scheduling/engine/zoned-time.js';
import { SPECIALTY_CODES } from '../../domain/specialties.js';

export const clockTime = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'Use 24-hour HH:MM between 00:00 and 24:00');

export const isoDate = z.iso.date('Use a date like 2026-11-23');

export const timeZone = z.string().refine(isValidTimeZone, { message: 'Use an IANA time zone such as Europe/London' });

export const latitude = z.number().min(-90).max(90);
export const longitude = z.number().min(-180).max(180);

export const specialtySchema = z.enum(SPECIALTY_CODES);
export const genderSchema = z.enum(['female', 'male', 'nonbinary']);
export const durationSchema = z.union([z.literal(60), z.literal(90), z.literal(120)]);

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** A local wall-clock interval with end after start. */
export const clockInterval = z
  .object({ start: clockTime, end: clockTime })
  .strict()
  .refine((i) => minutesOf(i.end) > minutesOf(i.start), {
    message: 'end must be after start',
    path: ['end'],
    params: { code: 'end_before_start' },
  });

/** Where a session happens: a studio of the therapist's, or the client's home within the mobile area. */
export const placeSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('studio'), studioId: z.uuid() }).strict(),
  z.object({ mode: z.literal('home') }).strict(),
]);
export type Place = z.infer<typeof placeSchema>;

export const weeklyHoursRuleSchema = z
  .object({
    weekday: z.number().int().min(1).max(7).describe('ISO weekday: 1 = Monday … 7 = Sunday'),
    start: clockTime,
    end: clockTime,
    place: placeSchema,
  })
  .strict()
  .refine((r) => minutesOf(r.end) > minutesOf(r.start), {
    message: 'end must be after start',
    path: ['end'],
    params: { code: 'end_before_start' },
  });
export type WeeklyHoursRule = z.infer<typeof weeklyHoursRuleSchema>;

export function overlappingRules(rules: WeeklyHoursRule[]): [number, number] | undefined {
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const a = rules[i]!;
      const b = rules[j]!;
      if (a.weekday !== b.weekday) continue;
      if (minutesOf(a.start) < minutesOf(b.end) && minutesOf(b.start) < minutesOf(a.end)) return [i, j];
    }
  }
  return undefined;
}

export { minutesOf };
