import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GeoPoint, haversineKm, travelMinutes } from './travel.js';

const EARTH_RADIUS_KM = 6371.0088;
const london = { lat: 51.5074, lng: -0.1278 };
const paris = { lat: 48.8566, lng: 2.3522 };
const northOf = (p: GeoPoint, km: number) => ({ lat: p.lat + (km / EARTH_RADIUS_KM) * (180 / Math.PI), lng: p.lng });
const points = fc.record({
  lat: fc.double({ min: -80, max: 80, noNaN: true }),
  lng: fc.double({ min: -180, max: 180, noNaN: true }),
});

describe('haversineKm', () => {
  it('measures known distances', () => {
    expect(haversineKm(london, paris)).toBeCloseTo(343.6, 0);
    expect(haversineKm(northOf(london, 20), london)).toBeCloseTo(20, 9);
    expect(haversineKm(paris, paris)).toBe(0);
  });

  it('is symmetric', () => {
    fc.assert(
      fc.property(points, points, (a, b) => {
        expect(haversineKm(a, b)).toBeCloseTo(haversineKm(b, a), 9);
      }),
    );
  });
});

describe('travelMinutes', () => {
  it('rounds up to the next 5 minutes', () => {
    expect(travelMinutes(london, northOf(london, 20), 30)).toBe(40);
    expect(travelMinutes(london, northOf(london, 20.1), 30)).toBe(45);
    expect(travelMinutes(london, northOf(london, 19.9), 30)).toBe(40);
    expect(travelMinutes(london, northOf(london, 0.01), 30)).toBe(5);
    expect(travelMinutes(london, paris, 60)).toBe(345);
  });

  it('is zero at the same place or when either place is unknown', () => {
    expect(travelMinutes(paris, { ...paris }, 30)).toBe(0);
    expect(travelMinutes(null, paris, 30)).toBe(0);
    expect(travelMinutes(paris, null, 30)).toBe(0);
  });

  it('never undercuts the trip and overshoots by less than 5 minutes', () => {
    fc.assert(
      fc.property(points, points, fc.integer({ min: 5, max: 120 }), (a, b, speed) => {
        const exact = (haversineKm(a, b) / speed) * 60;
        const allowed = travelMinutes(a, b, speed);
        expect(allowed % 5).toBe(0);
        expect(allowed).toBeGreaterThanOrEqual(exact - 1e-3);
        expect(allowed).toBeLessThan(exact + 5 + 1e-9);
      }),
    );
  });

  it('is exactly symmetric, so the slot engine works out the trip to a booking and back from it once', () => {
    fc.assert(
      fc.property(points, points, fc.integer({ min: 1, max: 120 }), (a, b, speed) => {
        expect(haversineKm(a, b)).toBe(haversineKm(b, a));
        expect(travelMinutes(a, b, speed)).toBe(travelMinutes(b, a, speed));
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses a speed that is not positive', () => {
    expect(() => travelMinutes(london, paris, 0)).toThrow(RangeError);
  });
});
