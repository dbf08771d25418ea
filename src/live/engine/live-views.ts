import { z } from 'zod';
import { liveSignalSchema } from './live-messages.js';

export const regionSummarySchema = z
  .object({
    region: z
      .string()
      .nullable()
      .describe('A body-map region, or null for feedback naming none while nothing was being worked'),
    label: z.string(),
    highestAcceptedPressure: z
      .number()
      .int()
      .nullable()
      .describe('1-5: the highest level at which the client’s last word was "good" or "more"'),
    highestPressureApplied: z.number().int().nullable(),
    less: z.number().int(),
    good: z.number().int(),
    more: z.number().int(),
    peakDiscomfort: z.number().int().nullable(),
    reasons: z
      .array(z.string())
      .describe('Why the therapist went past the screening’s cap here, as they said during the session'),
  })
  .meta({ id: 'LiveRegionSummary' });

export const liveSeriesSchema = z
  .object({
    bookingId: z.uuid(),
    status: z.string().describe('The booking’s status: the channel is open while it is checked_in'),
    signals: z.array(liveSignalSchema),
    summary: z.array(regionSummarySchema),
  })
  .meta({ id: 'LiveSeries' });
