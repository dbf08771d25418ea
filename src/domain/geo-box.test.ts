import { describe, expect, it } from 'vitest';
import { haversineKm } from '../scheduling/engine/travel.js';
import { boxAround } from './geo-box.js';

/** A small deterministic generator (no Math.random in tests). */
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('the box around a point', () => {
  it('holds every point within the radius, at any latitude (a superset the caller narrows)', () => {
    const random = lcg(19);
    for (let i = 0; i < 20_000; i++) {
      const centre = { lat: -89 + random() * 178, lng: -180 + random() * 360 };
      const radiusKm = random() * 120;
      const box = boxAround(centre, radiusKm);
      // A point at a random bearing, just inside the radius.
      const bearing = random() * 2 * Math.PI;
      const d = (radiusKm * 0.999) / 6371.0088;
      const lat1 = (centre.lat * Math.PI) / 180;
      const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(bearing));
      const lng2 =
        (centre.lng * Math.PI) / 180 +
        Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
      const point = { lat: (lat2 * 180) / Math.PI, lng: (((((lng2 * 180) / Math.PI + 540) % 360) + 360) % 360) - 180 };
      expect(haversineKm(centre, point)).toBeLessThanOrEqual(radiusKm);
      expect(point.lat).toBeGreaterThanOrEqual(box.south);
      expect(point.lat).toBeLessThanOrEqual(box.north);
      if (box.west !== undefined) {
        expect(point.lng).toBeGreaterThanOrEqual(box.west);
        expect(point.lng).toBeLessThanOrEqual(box.east!);
      }
    }
  });

  it('is small where it can be: 10 km in New York is about 0.18 by 0.24 degrees', () => {
    const box = boxAround({ lat: 40.75, lng: -73.98 }, 10);
    expect(box.north - box.south).toBeLessThan(0.19);
    expect(box.east! - box.west!).toBeLessThan(0.25);
    expect(boxAround({ lat: 89.9, lng: 0 }, 10).west).toBeUndefined();
    expect(boxAround({ lat: 0, lng: 179.99 }, 10).west).toBeUndefined();
  });
});
