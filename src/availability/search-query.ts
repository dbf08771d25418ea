import { z } from 'zod';
import { isoDate, latitude, longitude, timeZone } from '../therapists/engine/therapist-schemas.js';

/**
 * What every availability search asks (GET /api/availability and /api/availability/pairs): the session length, the
 * dates in the client's zone and the point searched from. Each route spreads these into its own strict query.
 */
export const searchQueryFields = {
  durationMin: z.coerce
    .number()
    .pipe(z.union([z.literal(60), z.literal(90), z.literal(120)]))
    .meta({ examples: [60] }),
  from: isoDate.meta({ examples: ['2026-11-24'] }),
  to: isoDate.meta({ examples: ['2026-11-25'] }),
  zone: timeZone
    .describe('The client’s IANA zone; from and to are dates there')
    .meta({ examples: ['America/New_York'] }),
  lat: z.coerce
    .number()
    .pipe(latitude)
    .meta({ examples: [40.7359] }),
  lng: z.coerce
    .number()
    .pipe(longitude)
    .meta({ examples: [-73.9911] }),
};

/** A search's dates run forward: `to` on or after `from` (400 naming `to`, code range_reversed). */
export function datesRunForward<Q extends z.ZodType<{ from: string; to: string }>>(query: Q) {
  return query.refine((q) => q.to >= q.from, {
    message: 'to must not be before from',
    path: ['to'],
    params: { code: 'range_reversed' },
  });
}
