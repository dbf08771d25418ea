import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GeoPoint, haversineKm } from '../scheduling/engine/travel.js';
import { SpatialIndex } from './spatial-index.js';

const KM_PER_DEGREE = 111.195;

/** Places where a grid could go wrong: the antimeridian, near a pole, the equator, and an ordinary city. */
const CENTRES: GeoPoint[] = [
  { lat: 40.7549, lng: -73.984 },
  { lat: -17.8, lng: 179.97 },
  { lat: 65.1, lng: -179.99 },
  { lat: 88.7, lng: 12 },
  { lat: -89.2, lng: -45 },
  { lat: 0.01, lng: 0.01 },
  { lat: 78.2, lng: 15.6 },
];

/** A point within about `km` of a centre, wrapped into [-180, 180) and clamped to the poles. */
const near = (km: number) =>
  fc
    .tuple(
      fc.constantFrom(...CENTRES),
      fc.double({ min: -1, max: 1, noNaN: true }),
      fc.double({ min: -1, max: 1, noNaN: true }),
    )
    .map(([centre, north, east]) => {
      const lat = Math.max(-90, Math.min(90, centre.lat + (north * km) / KM_PER_DEGREE));
      const cos = Math.max(0.05, Math.cos((lat * Math.PI) / 180));
      const lng = ((((centre.lng + (east * km) / (KM_PER_DEGREE * cos) + 180) % 360) + 360) % 360) - 180;
      return { lat, lng };
    });

const radius = fc.oneof(
  fc.double({ min: 0, max: 20, noNaN: true }),
  fc.double({ min: 20, max: 150, noNaN: true }),
  fc.constantFrom(0, 0.001, 5, 100),
);

interface Member {
  key: string;
  studios: GeoPoint[];
  area: { point: GeoPoint; radiusKm: number } | null;
}

const member = (key: string) =>
  fc.record({
    key: fc.constant(key),
    studios: fc.array(near(60), { maxLength: 3 }),
    area: fc.option(fc.record({ point: near(60), radiusKm: radius }), { nil: null }),
  });

const market = fc
  .integer({ min: 1, max: 40 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => member(`m${i}`))));

/** The brute-force visit: every member, the exact distance. */
const studiosWithin = (members: Iterable<Member>, point: GeoPoint, km: number) =>
  [...members].filter((m) => m.studios.some((s) => haversineKm(point, s) <= km)).map((m) => m.key);
const areasReaching = (members: Iterable<Member>, point: GeoPoint) =>
  [...members].filter((m) => m.area && haversineKm(m.area.point, point) <= m.area.radiusKm).map((m) => m.key);

function indexOf(members: Iterable<Member>): SpatialIndex<Member> {
  const index = new SpatialIndex<Member>();
  for (const m of members) index.set(m.key, m, m.studios, m.area);
  return index;
}

/** What the index returns, narrowed by the exact distance as search narrows it. */
const keys = (found: Iterable<Member>, keep: (m: Member) => boolean) =>
  [...found]
    .filter(keep)
    .map((m) => m.key)
    .sort();

describe('SpatialIndex', () => {
  it('finds every member with a studio within the radius, and every travel area that reaches the point', () => {
    fc.assert(
      fc.property(market, fc.array(fc.tuple(near(80), radius), { minLength: 1, maxLength: 8 }), (members, queries) => {
        const index = indexOf(members);
        for (const [point, km] of queries) {
          const studios = keys(index.withStudiosNear(point, km), (m) =>
            m.studios.some((s) => haversineKm(point, s) <= km),
          );
          expect(studios).toEqual(studiosWithin(members, point, km).sort());
          const areas = keys(
            index.withAreasReaching(point),
            (m) => !!m.area && haversineKm(m.area.point, point) <= m.area.radiusKm,
          );
          expect(areas).toEqual(areasReaching(members, point).sort());
        }
      }),
      { numRuns: 400 },
    );
  });

  it('finds the points on a studio’s or an area’s very edge', () => {
    // Query points exactly at the studio, at the radius, and the area's base at exactly its radius away.
    fc.assert(
      fc.property(
        near(60),
        fc.double({ min: 0.01, max: 120, noNaN: true }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        (centre, km, bearing) => {
          const dLat = (km / 6371.0088) * Math.cos(bearing) * (180 / Math.PI);
          const lat = Math.max(-90, Math.min(90, centre.lat + dLat));
          const cos = Math.max(0.05, Math.cos((lat * Math.PI) / 180));
          const dLng = ((km / 6371.0088) * Math.sin(bearing) * (180 / Math.PI)) / cos;
          const edge = { lat, lng: ((((centre.lng + dLng + 180) % 360) + 360) % 360) - 180 };
          const distance = haversineKm(centre, edge);
          const m: Member = { key: 'edge', studios: [edge], area: { point: centre, radiusKm: distance } };
          const index = indexOf([m]);
          expect([...index.withStudiosNear(centre, distance)]).toEqual([m]);
          expect([...index.withAreasReaching(edge)]).toEqual([m]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stays right as members are replaced and removed', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), m: fc.integer({ min: 0, max: 9 }).chain((i) => member(`m${i}`)) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 9 }).map((i) => `m${i}`) }),
      fc.record({ kind: fc.constant('query' as const), point: near(80), km: radius }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const index = new SpatialIndex<Member>();
        const members = new Map<string, Member>();
        for (const s of steps) {
          if (s.kind === 'set') {
            index.set(s.m.key, s.m, s.m.studios, s.m.area);
            members.set(s.m.key, s.m);
          } else if (s.kind === 'delete') {
            index.delete(s.key);
            members.delete(s.key);
          } else {
            const found = [...index.withStudiosNear(s.point, s.km)];
            for (const m of found) expect(members.get(m.key)).toBe(m);
            expect(keys(found, (m) => m.studios.some((p) => haversineKm(s.point, p) <= s.km))).toEqual(
              studiosWithin(members.values(), s.point, s.km).sort(),
            );
            const reaching = [...index.withAreasReaching(s.point)];
            for (const m of reaching) expect(members.get(m.key)).toBe(m);
            expect(keys(reaching, (m) => !!m.area && haversineKm(m.area.point, s.point) <= m.area.radiusKm)).toEqual(
              areasReaching(members.values(), s.point).sort(),
            );
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('visits only the cells around a city search, not the whole market', () => {
    const members: Member[] = Array.from({ length: 2_000 }, (_, i) => ({
      key: `m${i}`,
      studios: [{ lat: 40.5 + (i % 50) * 0.01, lng: -74.2 + Math.floor(i / 50) * 0.01 }],
      area: { point: { lat: 40.5 + (i % 50) * 0.01, lng: -74.2 + Math.floor(i / 50) * 0.01 }, radiusKm: 5 },
    }));
    const index = indexOf(members);
    const point = { lat: 40.75, lng: -74 };
    const studios = [...index.withStudiosNear(point, 3)];
    const areas = [...index.withAreasReaching(point)];
    expect(studios.length).toBeLessThan(members.length / 4);
    expect(areas.length).toBeLessThan(members.length / 3);
  });
});
