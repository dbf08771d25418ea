import { expect } from 'vitest';
import { type Session, type TestApp, call, createOperator, signUp } from './test-app.js';

/** Midtown Manhattan; the default studio. */
export const MIDTOWN = { lat: 40.7549, lng: -73.984 };

export interface TherapistOptions {
  displayName?: string;
  gender?: 'female' | 'male' | 'nonbinary';
  zone?: string;
  specialties?: string[];
  studio?: { lat: number; lng: number } | null;
  mobileArea?: { lat: number; lng: number; radiusKm: number } | null;
  /** Weekly rules; `place` 'studio' means the fixture's studio. Default Mon–Fri 09:00–17:00 at the studio. */
  hours?: { weekday: number; start: string; end: string; place: 'studio' | 'home' }[];
  bufferBeforeMin?: number;
  bufferAfterMin?: number;
  minNoticeMin?: number;
  bookingWindowDays?: number;
  travelSpeedKmh?: number;
  licenceExpiresOn?: string;
  approve?: boolean;
  cancellationPolicy?: { freeUntilHoursBefore: number; lateFeePercent: number };
}

export interface TherapistFixture {
  session: Session;
  id: string;
  studioId: string | null;
}

const WEEKDAYS = [1, 2, 3, 4, 5];

/** A therapist set up through the public API, exactly as a real one would be, and approved by an operator. */
export async function createTherapist(
  t: Pick<TestApp, 'app' | 'database'>,
  options: TherapistOptions = {},
  operator?: Session,
): Promise<TherapistFixture> {
  const session = await signUp(t.app, 'therapist', options.displayName ?? 'Test Therapist');
  const ok = async (request: Parameters<typeof call>[2], status = 200) => {
    const response = await call(t.app, session, request);
    expect(response.statusCode, `${request.method} ${request.url}: ${response.body}`).toBe(status);
    return response.json();
  };
  const mobileArea = options.mobileArea === undefined ? null : options.mobileArea;
  await ok({
    method: 'PUT',
    url: '/api/therapists/me',
    payload: {
      market: 'nyc',
      gender: options.gender ?? 'female',
      bio: 'Deep tissue, sports and trigger-point work.',
      licence: {
        number: `LMT-${session.id.slice(0, 8)}`,
        region: 'New York State',
        expiresOn: options.licenceExpiresOn ?? '2028-06-30',
      },
      specialties: options.specialties ?? ['hamstrings', 'sports'],
      timeZone: options.zone ?? 'America/New_York',
      bufferBeforeMin: options.bufferBeforeMin ?? 0,
      bufferAfterMin: options.bufferAfterMin ?? 15,
      minNoticeMin: options.minNoticeMin ?? 60,
      bookingWindowDays: options.bookingWindowDays ?? 60,
      travelSpeedKmh: options.travelSpeedKmh ?? 30,
      mobileArea: mobileArea ? { label: 'Base', ...mobileArea } : null,
      cancellationPolicy: options.cancellationPolicy ?? { freeUntilHoursBefore: 24, lateFeePercent: 50 },
    },
  });
  await ok({
    method: 'PUT',
    url: '/api/therapists/me/services',
    payload: {
      services: [
        { durationMin: 60, priceCents: 12_000, currency: 'USD' },
        { durationMin: 90, priceCents: 17_000, currency: 'USD' },
        { durationMin: 120, priceCents: 22_000, currency: 'USD' },
      ],
    },
  });
  const studioPoint = options.studio === undefined ? MIDTOWN : options.studio;
  const studioId = studioPoint
    ? (
        await ok(
          {
            method: 'POST',
            url: '/api/therapists/me/studios',
            payload: { name: 'Studio', address: '1 Test Street, New York', ...studioPoint },
          },
          201,
        )
      ).id
    : null;
  const hours =
    options.hours ?? WEEKDAYS.map((weekday) => ({ weekday, start: '09:00', end: '17:00', place: 'studio' as const }));
  await ok({
    method: 'PUT',
    url: '/api/therapists/me/weekly-hours',
    payload: {
      rules: hours.map((h) => ({
        weekday: h.weekday,
        start: h.start,
        end: h.end,
        place: h.place === 'home' ? { mode: 'home' } : { mode: 'studio', studioId },
      })),
    },
  });
  if (options.approve !== false) {
    const reviewer = operator ?? (await createOperator(t));
    const review = await call(t.app, reviewer, {
      method: 'POST',
      url: `/api/operator/licences/${session.id}/review`,
      payload: { decision: 'approve' },
    });
    expect(review.statusCode, review.body).toBe(200);
  }
  return { session, id: session.id, studioId };
}
